"""The urging letter: the UBND urges a department to answer its overdue petitions (docs/ARCHITECTURE.md, "Department files", "Documents").

One document per department that leads petitions past their Hạn xử lý and still open. Under NĐ
30/2020 Phụ lục III it is a công văn of the UBND (template ``giay-don-doc.docx`` made by
``tools/maketemplates.py``): no tên loại; "Số: …/UBND-<đơn vị soạn thảo>" (Cấu hình › Ký hiệu đơn vị soạn
thảo, VP by default: the Office drafts it) with the trích yếu "V/v đôn đốc …" under it; Kính gửi the
department as a body or post; the list of its overdue petitions (Mã kiến nghị and residential group,
no citizen's name or phone: ``toolkit.outputs.privacy``) with the working days overdue; a deadline to
answer (``ANSWER_WITHIN`` working days from the date of the letter); signed "TM. ỦY BAN NHÂN DÂN /
CHỦ TỊCH", so it is not also sent to the Chủ tịch "để báo cáo"; Nơi nhận: the department, the Office
that follows it up, Lưu: VT, <đơn vị soạn thảo>.

Its date is the day it is made, or the day staff typed in Cấu hình › Ngày ký công văn đôn đốc
(``dates.urging_letter``: not more than 30 days back); the letter states the days overdue as of
its own date, so its figures and its date always agree.

``report --kind dondoc [--department MÃ]`` renders them on demand; each pass keeps them current in
``ket-qua/<sổ>/`` (``toolkit.outputs.render``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from toolkit.rules import assign

from toolkit.core import references
import toolkit.outputs.documents.common as documents
import toolkit.outputs.documents.dates as dates
from toolkit.core.model import Dataset, Department, Petition
from toolkit.outputs import privacy

KIND = "dondoc"
ANSWER_WITHIN = 5     # working days the department is given from the date of the letter


def letter_date(cfg, today: dt.date) -> dt.date:
    """The letter's date, and the day its overdue figures are counted to."""
    return dates.urging_letter(cfg, today)


def file_name(dept: Department) -> str:
    return f"giay-don-doc-{documents.slug(dept.ma or dept.ten)}.docx"


def overdue_petitions(dataset: Dataset, dept: Department, today: dt.date, calendar) -> list[tuple[Petition, int]]:
    """(petition, working days overdue) of the open petitions ``dept`` leads, most overdue first; none for
    the forwarding department (Chuyển cấp trên): a ward does not urge the province's bodies by công văn."""
    if documents.is_forwarding(dept):
        return []
    out = []
    for p in documents.department_petitions(dataset, dept):
        late = assign.overdue(p, today, calendar)
        if late:
            out.append((p, late))
    out.sort(key=lambda x: (-x[1], x[0].ma or "~", x[0].row))
    return out


def dondoc_context(dataset: Dataset, summary, dept: Department, overdue: list[tuple[Petition, int]], *,
                   today: dt.date, calendar, register: Path | None = None, include_phones: bool = False) -> dict:
    """``register`` is accepted for callers of old; no path of this machine goes into the letter."""
    data = documents.usable_dataset(dataset, summary)
    groups = documents.Lookup(references.group_names(data))
    rule = privacy.policy(KIND, with_phones=include_phones)
    phones = documents.PhoneBook(data.delegates) if rule.may(privacy.PHONE) else None
    rows = [{"stt": i, "ma": p.ma,
             "nguoi": documents.staff_text(documents.petitioner_text(p, groups, phones, rule)),
             "noi_dung": documents.staff_text(rule.text(p.noi_dung)), "han": documents.fmt_date(p.han),
             "so_ngay": late}
            for i, (p, late) in enumerate(overdue, 1)]
    ctx = documents.common_context(data, today, "CV")
    ctx["ky_hieu"] = f"UBND-{ctx['don_vi_soan_thao']}"
    office = documents.office_name(data)
    ctx.update({"bp": {"ma": dept.ma, "ten": dept.ten or dept.ma, "phu_trach": dept.phu_trach or "",
                       "kinh_gui": documents.addressee(dept, data.config)},
                "van_phong": office,
                "kien_nghi": rows, "so_qua_han": len(rows), "ngay_lap": documents.fmt_date(today),
                "han_tra_loi": documents.fmt_date(calendar.add_workdays(today, ANSWER_WITHIN)),
                "so_ngay_han": ANSWER_WITHIN,
                "noi_nhan": documents.noi_nhan_lines(["Như trên"] + ([] if (dept.ten or "") == office
                                                                      else [f"{office} (theo dõi)"]) + ["Lưu: VT"],
                                                     data.config)})
    return ctx


def departments_overdue(dataset: Dataset, today: dt.date, calendar) -> list[tuple[Department, list]]:
    """Every department leading at least one overdue petition, with those petitions."""
    out = []
    for dept in dataset.departments:
        if not (dept.ma or dept.ten):
            continue
        late = overdue_petitions(dataset, dept, today, calendar)
        if late:
            out.append((dept, late))
    return out


def render_dondoc(dataset, summary, out_dir, *, today: dt.date, department: str | None = None, calendar=None,
                  templates_dir: Path | None = None, register: Path | None = None,
                  context: dict | None = None, include_phones: bool = False) -> documents.Rendered:
    """``context``: with one ``department``, the context already made for it."""
    out = documents.Rendered()
    calendar = calendar or documents.working_calendar(dataset)
    today = letter_date(dataset.config, today)
    data = documents.usable_dataset(dataset, summary)
    depts = documents.chosen_departments(data, department)
    for dept in depts:
        late = overdue_petitions(data, dept, today, calendar)
        if not late:
            if department:
                out.messages.append(f"Bộ phận {dept.ma} không có kiến nghị quá hạn; không cần công văn đôn đốc.")
            continue
        ctx = (context if context is not None and department and len(depts) == 1 else
               dondoc_context(dataset, summary, dept, late, today=today, calendar=calendar, register=register,
                              include_phones=include_phones))
        out.append(documents.render_template(KIND, ctx, Path(out_dir) / file_name(dept), templates_dir))
        out.messages.append(f"Công văn đôn đốc {dept.ma}: {len(late)} kiến nghị quá hạn.")
    if not out and not department:
        out.messages.append("Không bộ phận nào có kiến nghị quá hạn; không cần công văn đôn đốc.")
    return out
