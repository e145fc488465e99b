"""The phiếu chuyển: per-department follow-up slips for the petitions it leads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from toolkit.core import model, references, status

from toolkit.outputs import privacy, summaries
import toolkit.outputs.documents.dates as dates

from toolkit.outputs.documents.common import (
    Rendered, slug, fmt_date, staff_text, noi_nhan_lines, common_context, addressee, is_forwarding, office_name, usable_dataset, Lookup, PhoneBook, petitioner_text, render_template, working_calendar, department_petitions, chosen_departments,
)


# --- phieuchuyen: follow-up slip per department ----------------------------------

def phieuchuyen_context(dataset, summary, dept: model.Department, petitions, *, today: dt.date,
                        calendar=None) -> dict:
    """Days late / left are working days (the unit of Hạn xử lý), as in `check` and the dashboard."""
    from toolkit.rules import assign

    calendar = calendar or working_calendar(dataset)
    data = usable_dataset(dataset, summary)
    groups = Lookup(references.group_names(data))
    rule = privacy.policy("phieuchuyen")
    phones = PhoneBook(data.delegates)

    def order(p):
        late = summaries.is_overdue(p, today)
        return (not late, p.han or dt.date.max, p.ma or "~", p.row)

    rows = []
    for i, p in enumerate(sorted(petitions, key=order), 1):
        late, left = assign.overdue(p, today, calendar), assign.days_left(p, today, calendar)
        if p.han is None:
            state = "Chưa có hạn"
        elif late:
            state = f"Quá hạn {late} ngày làm việc"
        elif p.han == today:
            state = "Đến hạn hôm nay"
        else:
            state = f"Còn {left} ngày làm việc"
        rows.append({"stt": i, "ma": p.ma, "nguoi": staff_text(petitioner_text(p, groups, phones, rule)),
                     "noi_dung": staff_text(rule.text(p.noi_dung)), "han": fmt_date(p.han), "tinh_trang": state})
    ctx = common_context(data, today, "PC", signed=dates.slip(data.config, slip_date(data, petitions, today)))
    office = office_name(data)
    forwarded = is_forwarding(dept)
    ctx.update({"bp": {"ma": dept.ma, "ten": dept.ten or dept.ma, "kinh_gui": addressee(dept, data.config),
                       "cap_tren": forwarded},
                "van_phong": office, "kien_nghi": rows,
                "so_kien_nghi": len(rows), "so_qua_han": sum(1 for p in petitions if summaries.is_overdue(p, today)),
                "ngay_lap": fmt_date(today),
                "noi_nhan": noi_nhan_lines(["Như trên"] + ([] if forwarded or (dept.ten or "") == office
                                                           else [f"{office} (theo dõi)"]),
                                           data.config)})
    return ctx


def slip_date(dataset: model.Dataset, petitions, today: dt.date) -> dt.date:
    """A phiếu chuyển is dated on the day its petitions came in: the latest of their conference days (or
    Ngày tiếp nhận when a petition was received apart from a conference); never after ``today``.
    Cấu hình › Ngày ký phiếu chuyển may date it later (``dates.slip``)."""
    days = []
    for p in petitions:
        conf = references.resolve_conference(dataset, p.hoi_nghi) if p.hoi_nghi else None
        day = p.ngay_tiep_nhan or (conf.ngay if conf is not None else None)
        if conf is not None and conf.ngay and day and day < conf.ngay:
            day = conf.ngay
        if isinstance(day, dt.date):
            days.append(day)
    return min(max(days), today) if days else today


def render_phieuchuyen(dataset, summary, out_dir, *, today: dt.date, department: str | None = None,
                       calendar=None, templates_dir: Path | None = None, context: dict | None = None) -> Rendered:
    """``context``: with one ``department``, the context already made for it."""
    out = Rendered()
    data = usable_dataset(dataset, summary)
    depts = chosen_departments(data, department)
    for dept in depts:
        mine = [p for p in department_petitions(data, dept) if status.awaits_slip(p)]
        if not mine:
            if department:
                out.messages.append(f"Bộ phận {dept.ma} không có kiến nghị nào đang xử lý; không cần phiếu chuyển.")
            continue
        ctx = (context if context is not None and department and len(depts) == 1 else
               phieuchuyen_context(dataset, summary, dept, mine, today=today, calendar=calendar))
        out.append(render_template("phieuchuyen", ctx, Path(out_dir) / f"phieu-chuyen-{slug(dept.ma or dept.ten)}.docx",
                           templates_dir))
        if ctx["so_qua_han"]:
            out.messages.append(f"Bộ phận {dept.ma}: {ctx['so_qua_han']} kiến nghị quá hạn.")
    return out
