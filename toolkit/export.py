"""The monthly report (Báo cáo tháng, document kind ``thang``) and the monthly
export (``doithoai export FILE --month YYYY-MM``).

``render_thang`` is what ``documents.render_report('thang', ...)`` calls.
``export_month`` writes two files for one month in ``out_dir``:

- ``tong-hop-thang-YYYY-MM.xlsx``: the month summary (received, answered,
  overdue, by field and by department, the overdue list) with native charts,
  written by ``tonghop.write_summary_workbook`` from ``summaries.month_summary``;
- ``bao-cao-thang-YYYY-MM.docx``: the monthly report (Báo cáo tháng), the
  ``thang`` document of ``documents``, ready to sign.

Both leave out the rows with errors, as every summary does.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from toolkit import documents as docs, model, references, summaries, tonghop, values
from toolkit import summaries as sm
from toolkit.errors import UsageError
from toolkit.findings import Report
from toolkit.text import fold


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
                  include_phones: bool = False) -> dict:
    """Template context of the monthly report (figures from ``summaries.month_summary``)."""
    data = docs.usable_dataset(dataset, summary)
    ms = sm.month_summary(data, year, month, today=today, calendar=calendar)
    first = dt.date(year, month, 1)
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    ref = min(last, today)
    ctx = docs.common_context(data, today, "BC")
    ctx["thang"] = {"thang": f"{month:02d}", "nam": str(year), "tu": docs.fmt_date(first),
                    "den": docs.fmt_date(last), "moc": docs.fmt_date(ref)}
    forwarded = sum(1 for p in data.petitions if sm.is_forwarded(p) and p.ngay_tiep_nhan
                    and first <= p.ngay_tiep_nhan <= last)

    def still_open(p):
        if p.ngay_tiep_nhan is None or p.ngay_tiep_nhan > ref or sm.is_forwarded(p):
            return False
        return not (sm.is_answered(p) and p.ngay_tra_loi is not None and p.ngay_tra_loi <= ref)

    depts = docs.Lookup(references.department_names(data))
    open_by_dept: dict[str, int] = {}
    for p in data.petitions:
        if still_open(p):
            name = depts.name(p.chu_tri, sm.NO_DEPARTMENT)
            open_by_dept[name] = open_by_dept.get(name, 0) + 1
    n = ms.numbers
    ctx["so"] = {"tiep_nhan": n["received"], "tra_loi": n["answered"], "qua_han": n["overdue"],
                 "cap_tren": forwarded, "dang_xu_ly": sum(open_by_dept.values())}
    ctx["theo_linh_vuc"] = [{"stt": i, "ten": r.name, "tiep_nhan": r.received, "tra_loi": r.answered,
                             "qua_han": r.overdue} for i, r in enumerate(ms.by_field.rows, 1)]
    names = [r.name for r in ms.by_department.rows]
    names += sorted((k for k in open_by_dept if k not in names), key=lambda s: fold(s))
    by_dept = {r.name: r for r in ms.by_department.rows}
    none = sm.MonthCountRow("", 0, 0, 0)
    ctx["theo_bo_phan"] = [{"stt": i, "ten": nm, "tiep_nhan": by_dept.get(nm, none).received,
                            "tra_loi": by_dept.get(nm, none).answered, "qua_han": by_dept.get(nm, none).overdue,
                            "dang_xu_ly": open_by_dept.get(nm, 0)} for i, nm in enumerate(names, 1)]
    late = ms.open_petitions.rows
    ctx["qua_han"] = [{"stt": i, "ma": r.ma, "chu_tri": r.chu_tri, "han": docs.fmt_date(r.han), "so_ngay": r.days_late,
                       "noi_dung": docs.staff_text(r.noi_dung if include_phones else docs.mask_phones(r.noi_dung))}
                      for i, r in enumerate(late, 1)]
    ctx["qua_han_text"] = (f"Đến ngày {docs.fmt_date(ref)} có {len(late)} kiến nghị quá hạn xử lý:" if late
                           else f"Đến ngày {docs.fmt_date(ref)} không có kiến nghị quá hạn.")
    ctx["de_xuat"] = ([f"Đề nghị các bộ phận có kiến nghị quá hạn khẩn trương trả lời bằng văn bản; Văn phòng - "
                       f"Thống kê tiếp tục đôn đốc và báo cáo Chủ tịch {ctx['don_vi']}."] if late else
                      ["Các bộ phận tiếp tục giải quyết kiến nghị của Nhân dân đúng hạn."])
    return ctx


def render_thang(dataset, summary, out_dir, *, today: dt.date, month=None, calendar=None,
                 include_phones: bool = False, templates_dir: Path | None = None) -> docs.Rendered:
    out = docs.Rendered()
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
    ctx = thang_context(dataset, summary, year, mon, today=today, calendar=calendar, include_phones=include_phones)
    out.append(docs.render_template("thang", ctx, Path(out_dir) / f"bao-cao-thang-{year}-{mon:02d}.docx",
                                    templates_dir))
    return out


def export_month(dataset: model.Dataset, report: Report | None, out_dir, *, year: int, month: int,
                 today: dt.date, calendar=None, pdf: bool = False,
                 templates_dir: Path | None = None) -> docs.Rendered:
    """Write the month's summary workbook and report; returns the paths (with messages)."""
    year, month = values.parse_month((year, month))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    calendar = calendar or docs._calendar(dataset)   # days late are working days, as everywhere
    full = summaries.build(dataset, report, today=today, calendar=calendar)
    # Validate the month first (UsageError lists the months with data) before writing anything.
    report_doc = docs.render_report("thang", dataset, full, out_dir, today=today, month=(year, month),
                                    calendar=calendar, pdf=pdf, templates_dir=templates_dir)
    month_sum = summaries.month_summary(dataset, year, month, today=today, calendar=calendar, report=report)
    xlsx = tonghop.write_summary_workbook(month_sum, out_dir / f"tong-hop-thang-{year}-{month:02d}.xlsx")
    out = docs.Rendered([Path(xlsx)])
    out.add(report_doc)
    return out
