"""Every output of a roll-up in DIR: the workbooks, the bodies' table, the dashboard, the Word report."""

from __future__ import annotations

from pathlib import Path

from toolkit.core.errors import OutputError


def render_all(result) -> list[Path]:
    """Write the outputs of ``result`` (a ``run.RollupResult``) into its out_dir; the paths made."""
    from toolkit.rollup import bodies, dashboard, report, workbooks
    from toolkit.rollup.store import Skipped

    out = Path(result.out_dir)
    try:
        table, problem = bodies.load(out)
        if problem:
            result.skipped.append(Skipped(bodies.FILE_NAME, problem))
        made = [workbooks.write_summary(out / workbooks.SUMMARY_NAME, result.figures, result.skipped),
                workbooks.write_forwarded(out / workbooks.FORWARDED_NAME, result.figures, table),
                dashboard.write(out / dashboard.FILE_NAME, result),
                report.write(out / report.FILE_NAME, result.figures),
                out / bodies.FILE_NAME]
    except PermissionError as exc:
        raise OutputError(f"Không ghi được vào thư mục {out} ({exc.filename or exc}): có thể một tệp kết quả đang mở "
                          "trong Excel hoặc Word. Đóng tệp đó rồi chạy lại.", code="rollup-output-busy") from None
    except OSError as exc:
        raise OutputError(f"Không ghi được vào thư mục {out} ({exc}). Kiểm tra quyền ghi hoặc chọn thư mục khác "
                          "bằng --out.", code="rollup-output-failed") from None
    return made
