"""The báo cáo tháng: the monthly summary report.

What it holds (docs/ARCHITECTURE.md, *One pass*): the month's figures, by field and by department
(received, answered, overdue, still open), and the ``LISTED_OVERDUE`` petitions overdue the
longest, by name of their department. Not every overdue petition: a report the Chairman signs
and sends up says where things stand and who is behind; a ward with 14,000 overdue petitions
would otherwise sign a 700-page table. The full list is the month's workbook sent with it
(``tong-hop-thang-YYYY-MM.xlsx``, "biểu tổng hợp kèm theo"), and the register's Theo dõi xử lý.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from toolkit.core import model, references, values

from toolkit.outputs import privacy, summaries
import toolkit.outputs.documents.dates as dates
from toolkit.core.errors import UsageError
from toolkit.core.text import fold

from toolkit.outputs.documents.common import (
    Rendered, working_calendar, fmt_date, staff_text, common_context, office_name, usable_dataset, Lookup, render_template,
)


# --- thang: the monthly report ---------------------------------------------------------

LISTED_OVERDUE = 30   # overdue petitions the report lists by name, the longest overdue first


def month_report_date(year: int, month: int, calendar, cfg: model.Config | None = None) -> dt.date:
    """The monthly report is dated at its month's end (the last day, or the next working day when that is
    a weekend or holiday), or on the day typed for it in Cấu hình › Ngày ký báo cáo tháng."""
    if cfg is None:
        return dates.month_end(year, month, calendar)
    return dates.month_report(cfg, year, month, calendar)


def active_months(dataset: model.Dataset, today: dt.date) -> list[tuple[int, int]]:
    """Months a monthly report can be made for: today's and any with petitions or a conference."""
    months = {(today.year, today.month)}
    for p in dataset.petitions:
        for d in (p.ngay_tiep_nhan, p.ngay_tra_loi):
            if isinstance(d, dt.date):
                months.add((d.year, d.month))
    for c in dataset.conferences:
        if c.ngay:
            months.add((c.ngay.year, c.ngay.month))
    return sorted(months)


def thang_context(dataset, summary, year: int, month: int, *, today: dt.date, calendar=None,
                  include_phones: bool = False, month_summary: summaries.Summary | None = None) -> dict:
    """Template context of the monthly report (figures from ``summaries.month_summary``).

    ``month_summary``: the month's summary a pass already made for the month's workbook (of the whole
    register with its findings: the same counts and lists as of the usable rows, which it leaves out)."""
    data = usable_dataset(dataset, summary)
    ms = month_summary if month_summary is not None else summaries.month_summary(data, year, month, today=today,
                                                                                 calendar=calendar)
    first = dt.date(year, month, 1)
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    ref = min(last, today)
    ctx = common_context(data, today, "BC", signed=month_report_date(year, month, calendar or working_calendar(data),
                                                                       data.config))
    ctx["thang"] = {"thang": f"{month:02d}", "nam": str(year), "tu": fmt_date(first),
                    "den": fmt_date(last), "moc": fmt_date(ref)}
    forwarded = sum(1 for p in data.petitions if summaries.is_forwarded(p) and p.ngay_tiep_nhan
                    and first <= p.ngay_tiep_nhan <= last)

    def still_open(p):
        if p.ngay_tiep_nhan is None or p.ngay_tiep_nhan > ref or summaries.is_forwarded(p):
            return False
        return not (summaries.is_answered(p) and p.ngay_tra_loi is not None and p.ngay_tra_loi <= ref)

    depts = Lookup(references.department_names(data))
    open_by_dept: dict[str, int] = {}
    for p in data.petitions:
        if still_open(p):
            name = depts.name(p.chu_tri, summaries.NO_DEPARTMENT)
            open_by_dept[name] = open_by_dept.get(name, 0) + 1
    n = ms.numbers
    ctx["so"] = {"tiep_nhan": n["received"], "tra_loi": n["answered"], "qua_han": n["overdue"],
                 "cap_tren": forwarded, "dang_xu_ly": sum(open_by_dept.values())}
    ctx["theo_linh_vuc"] = [{"stt": i, "ten": r.name, "tiep_nhan": r.received, "tra_loi": r.answered,
                             "qua_han": r.overdue} for i, r in enumerate(ms.by_field.rows, 1)]
    names = [r.name for r in ms.by_department.rows]
    names += sorted((k for k in open_by_dept if k not in names), key=lambda s: fold(s))
    by_dept = {r.name: r for r in ms.by_department.rows}
    none = summaries.MonthCountRow("", 0, 0, 0)
    ctx["theo_bo_phan"] = [{"stt": i, "ten": nm, "tiep_nhan": by_dept.get(nm, none).received,
                            "tra_loi": by_dept.get(nm, none).answered, "qua_han": by_dept.get(nm, none).overdue,
                            "dang_xu_ly": open_by_dept.get(nm, 0)} for i, nm in enumerate(names, 1)]
    rule = privacy.policy("thang", with_phones=include_phones)
    late = ms.open_petitions.rows     # the longest overdue first
    ctx["qua_han"] = [{"stt": i, "ma": r.ma, "chu_tri": r.chu_tri, "han": fmt_date(r.han), "so_ngay": r.days_late,
                       "noi_dung": staff_text(rule.text(r.noi_dung))}
                      for i, r in enumerate(late[:LISTED_OVERDUE], 1)]
    if len(late) > LISTED_OVERDUE:
        ctx["qua_han_text"] = (f"Đến ngày {fmt_date(ref)} có {len(late)} kiến nghị quá hạn xử lý; dưới đây là "
                               f"{LISTED_OVERDUE} kiến nghị quá hạn lâu nhất, danh sách đầy đủ tại biểu tổng hợp "
                               "kèm theo:")
    else:
        ctx["qua_han_text"] = (f"Đến ngày {fmt_date(ref)} có {len(late)} kiến nghị quá hạn xử lý:" if late
                               else f"Đến ngày {fmt_date(ref)} không có kiến nghị quá hạn.")
    ctx["de_xuat"] = ([f"Đề nghị các bộ phận có kiến nghị quá hạn khẩn trương trả lời bằng văn bản; "
                       f"{office_name(data)} tiếp tục đôn đốc và báo cáo Chủ tịch {ctx['don_vi']}."] if late else
                      ["Các bộ phận tiếp tục giải quyết kiến nghị của Nhân dân đúng hạn."])
    return ctx


def render_thang(dataset, summary, out_dir, *, today: dt.date, month=None, calendar=None,
                 include_phones: bool = False, templates_dir: Path | None = None,
                 context: dict | None = None) -> Rendered:
    out = Rendered()
    valid = active_months(dataset, today)
    if month is None:   # the latest month with petitions received or answered, up to today
        done = [(d.year, d.month) for p in dataset.petitions for d in (p.ngay_tiep_nhan, p.ngay_tra_loi)
                if isinstance(d, dt.date) and d <= today]
        year, mon = max(done, default=(today.year, today.month))
    else:
        year, mon = values.parse_month(month)
    if (year, mon) not in valid:
        listed = ", ".join(f"{y}-{m:02d}" for y, m in valid)
        raise UsageError(f"Tháng {year}-{mon:02d} không có số liệu. Các tháng có số liệu: {listed}. "
                         "Chọn một tháng bằng --month.", code="unknown-month")
    ctx = context or thang_context(dataset, summary, year, mon, today=today, calendar=calendar,
                                   include_phones=include_phones)
    out.append(render_template("thang", ctx, Path(out_dir) / f"bao-cao-thang-{year}-{mon:02d}.docx",
                                    templates_dir))
    return out
