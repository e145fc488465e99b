"""The monthly export (``doithoai export FILE --month YYYY-MM``).

``export_month`` writes two files for one month in ``out_dir``:

- ``tong-hop-thang-YYYY-MM.xlsx``: the month summary (received, answered,
  overdue, by field and by department, the overdue list) with native charts,
  written by ``summary_workbook.write_summary_workbook`` from ``summaries.month_summary``;
- ``bao-cao-thang-YYYY-MM.docx``: the monthly report (Báo cáo tháng), the
  ``thang`` document of ``documents``, ready to sign.

Both leave out the rows with errors, as every summary does. The workbook keeps the whole
overdue list (unlike tong-hop.xlsx, which names the 100 longest overdue and leaves the rest to
the register's Theo dõi xử lý): the report names the 30 longest overdue and refers to it as
the "biểu tổng hợp kèm theo", and what was overdue at the month's end is in no other file.

A pass makes the month of today's activity (``render``) and rebuilds it only when what the
month reads changed: ``month_inputs`` is a digest of the register's shared inputs, the rows
left out, and every petition received by the month's end (the report counts the petitions
still open at its end by department, not only those of the month). An edit elsewhere
(Đại biểu, Hội nghị, a department's file that changes no petition) leaves the month as it was.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from toolkit.outputs import documents, summaries, summary_workbook

from toolkit.core import model, values
from toolkit.core.findings import Report


def month_inputs(usable: model.Dataset, summary: summaries.Summary, year: int, month: int, *,
                 today: dt.date) -> str:
    """A digest of what the month's two files read (``usable``: the dataset without the rows left out;
    ``summary``: the register's, for the rows left out, which the month's sheet lists too)."""
    from toolkit.outputs.documents import inputs

    last = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    ref = min(last, today)
    # a petition received after the month's end is not in it; one whose date is not a date may be
    shown = [p for p in usable.petitions if not (isinstance(p.ngay_tiep_nhan, dt.date) and p.ngay_tiep_nhan > last)]
    left_out = summary.left_out.rows if summary.left_out is not None else []
    return inputs.digest(inputs.register_inputs(usable), [year, month, today, ref], list(left_out), shown,
                         seen=inputs.dataset_index(usable).record_bytes)


def export_month(dataset: model.Dataset, report: Report | None, out_dir, *, year: int, month: int,
                 today: dt.date, calendar=None, pdf: bool = False,
                 templates_dir: Path | None = None, summary: summaries.Summary | None = None,
                 context: dict | None = None, month_summary: summaries.Summary | None = None) -> documents.Rendered:
    """Write the month's summary workbook and report; returns the paths (with messages).

    A pass hands over what it already made: ``summary`` (the whole register's), and for this
    month the report's ``context`` and the ``month_summary``."""
    year, month = values.parse_month((year, month))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    calendar = calendar or documents.working_calendar(dataset)   # days late are working days, as everywhere
    full = summary or summaries.build(dataset, report, today=today, calendar=calendar)
    # Validate the month first (UsageError lists the months with data) before writing anything.
    report_doc = documents.render_report("thang", dataset, full, out_dir, today=today, month=(year, month),
                                    calendar=calendar, pdf=pdf, templates_dir=templates_dir, context=context)
    month_sum = month_summary or summaries.month_summary(dataset, year, month, today=today, calendar=calendar,
                                                         report=report)
    xlsx = summary_workbook.write_summary_workbook(month_sum, out_dir / f"tong-hop-thang-{year}-{month:02d}.xlsx")
    out = documents.Rendered([Path(xlsx)])
    out.add(report_doc)
    return out
