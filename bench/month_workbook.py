"""The month's workbook alone, in one process (not a test; issue 26).

    python bench/month_workbook.py WORKBOOK [YYYY-MM] [REPEAT]

Reads WORKBOOK once (``passes.check``, today = 10/12/2024 as the bench), makes the month's
summary (default 2024-12, the month of the bench's activity) and then, REPEAT times (default 3),
times in CPU seconds what a pass spends on the month's workbook: the privacy pass over its
overdue list (``summary_workbook.public_table``) and the whole write
(``summary_workbook.write_summary_workbook``, into a temporary folder). A workbook that a pass
has filled (the bench's ``M-busy/r0pass/so.xlsx``) has its deadlines, so its month lists
the overdue petitions a pass lists.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TODAY = dt.date(2024, 12, 10)


def main(argv: list[str]) -> int:
    from toolkit.core import values
    from toolkit.outputs import summaries, summary_workbook
    from toolkit.pipeline import passes

    path = Path(argv[0])
    year, month = values.parse_month(argv[1] if len(argv) > 1 else "2024-12")
    repeat = int(argv[2]) if len(argv) > 2 else 3
    checked = passes.check(path, today=TODAY)
    ms = summaries.month_summary(checked.dataset, year, month, today=TODAY, calendar=checked.calendar,
                                 report=checked.report)
    print(f"{month:02d}/{year}: {len(ms.open_petitions.rows):,} overdue petitions listed")
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeat):
            t = time.process_time()
            summary_workbook.public_table(ms.open_petitions)
            masked = time.process_time() - t
            t = time.process_time()
            summary_workbook.write_summary_workbook(ms, Path(tmp) / "thang.xlsx")
            print(f"privacy pass {masked:.2f} s CPU, whole workbook {time.process_time() - t:.2f} s CPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
