"""Giấy đôn đốc: the Office urges a department to answer its overdue petitions (docs/ARCHITECTURE.md, "Department files").

One document per department that leads petitions past their Hạn xử lý and still open, NĐ 30
layout (template ``giay-don-doc.docx`` made by ``maketemplates``): Quốc hiệu and tiêu ngữ,
số/ký hiệu, place and date, Kính gửi the department, the list of its overdue petitions with the
working days overdue, a deadline to answer (``ANSWER_WITHIN`` working days from the date of the
document), where to type the answer (the department's own file in ``phan-hoi/``), Nơi nhận and
the signature block.

``report --kind dondoc [--department MÃ]`` renders them on demand; each pass keeps them current in
``ket-qua/<sổ>/`` (``toolkit.outputs.render``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from toolkit.rules import assign

from toolkit.core import references
import toolkit.outputs.documents.common as documents
from toolkit.xlsx.names import REPLY_FOLDER, safe_code
from toolkit.core.model import Dataset, Department, Petition

KIND = "dondoc"
ANSWER_WITHIN = 5     # working days the department is given from the date of the letter


def file_name(dept: Department) -> str:
    return f"giay-don-doc-{documents.slug(dept.ma or dept.ten)}.docx"


def overdue_petitions(dataset: Dataset, dept: Department, today: dt.date, calendar) -> list[tuple[Petition, int]]:
    """(petition, working days overdue) of the open petitions ``dept`` leads, most overdue first."""
    out = []
    for p in documents.department_petitions(dataset, dept):
        late = assign.overdue(p, today, calendar)
        if late:
            out.append((p, late))
    out.sort(key=lambda x: (-x[1], x[0].ma or "~", x[0].row))
    return out


def dondoc_context(dataset: Dataset, summary, dept: Department, overdue: list[tuple[Petition, int]], *,
                   today: dt.date, calendar, register: Path | None = None) -> dict:
    data = documents.usable_dataset(dataset, summary)
    groups = documents.Lookup(references.group_names(data))
    phones = documents.PhoneBook(data.delegates)
    rows = [{"stt": i, "ma": p.ma, "nguoi": documents.staff_text(documents.petitioner_text(p, groups, phones)),
             "noi_dung": documents.staff_text(p.noi_dung), "han": documents.fmt_date(p.han), "so_ngay": late}
            for i, (p, late) in enumerate(overdue, 1)]
    ctx = documents.common_context(data, today, "VP")
    rest = ctx["ky_hieu"].split("-", 1)[1] if "-" in ctx["ky_hieu"] else "UBND"
    ctx["ky_hieu"] = f"{rest}-VP"
    where = (f"{REPLY_FOLDER}/{Path(register).stem}/{safe_code(dept.ma)}.xlsx" if register
             else f"{REPLY_FOLDER}/…/{safe_code(dept.ma)}.xlsx")
    ctx.update({"bp": {"ma": dept.ma, "ten": dept.ten or dept.ma, "phu_trach": dept.phu_trach or ""},
                "kien_nghi": rows, "so_qua_han": len(rows), "ngay_lap": documents.fmt_date(today),
                "han_tra_loi": documents.fmt_date(calendar.add_workdays(today, ANSWER_WITHIN)),
                "so_ngay_han": ANSWER_WITHIN, "tep_tra_loi": where,
                "noi_nhan": documents.noi_nhan_lines(["Như trên", "Chủ tịch UBND phường (để b/c)",
                                                 "Văn phòng - Thống kê (theo dõi)", "Lưu: VT"])})
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
                  context: dict | None = None) -> documents.Rendered:
    """``context``: with one ``department``, the context already made for it."""
    out = documents.Rendered()
    calendar = calendar or documents.working_calendar(dataset)
    data = documents.usable_dataset(dataset, summary)
    depts = documents.chosen_departments(data, department)
    for dept in depts:
        late = overdue_petitions(data, dept, today, calendar)
        if not late:
            if department:
                out.messages.append(f"Bộ phận {dept.ma} không có kiến nghị quá hạn; không cần giấy đôn đốc.")
            continue
        ctx = (context if context is not None and department and len(depts) == 1 else
               dondoc_context(dataset, summary, dept, late, today=today, calendar=calendar, register=register))
        out.append(documents.render_template(KIND, ctx, Path(out_dir) / file_name(dept), templates_dir))
        out.messages.append(f"Giấy đôn đốc {dept.ma}: {len(late)} kiến nghị quá hạn.")
    if not out and not department:
        out.messages.append("Không bộ phận nào có kiến nghị quá hạn; không cần giấy đôn đốc.")
    return out
