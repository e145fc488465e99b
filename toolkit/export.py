"""The monthly export (``doithoai export FILE --month YYYY-MM``).

Two files for one month in ``out_dir``:

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

from toolkit import documents, model, summaries, tonghop
from toolkit.errors import UsageError
from toolkit.findings import Report


def export_month(dataset: model.Dataset, report: Report | None, out_dir, *, year: int, month: int,
                 today: dt.date, calendar=None, pdf: bool = False) -> documents.Rendered:
    """Write the month's summary workbook and report; returns the paths (with messages)."""
    try:
        dt.date(int(year), int(month), 1)
    except (TypeError, ValueError):
        raise UsageError(f"Tháng '{year}-{month}' không đúng dạng. Ghi theo dạng YYYY-MM, ví dụ 2024-06.",
                         code="bad-month") from None
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    full = summaries.build(dataset, report, today=today, calendar=calendar)
    # Validate the month first (UsageError lists the months with data) before writing anything.
    docs = documents.render_report("thang", dataset, full, out_dir, today=today, month=(year, month),
                                   calendar=calendar, pdf=pdf)
    month_sum = summaries.month_summary(dataset, year, month, today=today, calendar=calendar, report=report)
    xlsx = tonghop.write_summary_workbook(month_sum, out_dir / f"tong-hop-thang-{year}-{month:02d}.xlsx")
    out = documents.Rendered([Path(xlsx)])
    out.add(docs)
    return out
