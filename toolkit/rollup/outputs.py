"""Every output of a roll-up in DIR: the workbooks, the bodies' table, the dashboard, the Word report.

A roll-up whose inputs are those of the last one (the same ward files, bytes and save times, the
same as-of day, the same bodies' table) keeps the outputs it made then: ``STAMP_NAME`` in DIR
records what they were made from (digests, times and file names only: no personal data).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from toolkit.core import aside
from toolkit.core.errors import OutputError

STAMP_NAME = ".lan-tong-hop-truoc.json"


def inputs_key(*parts) -> str:
    """A digest of what the outputs are made from (``run.rollup`` passes the files' digests, times, the day)."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def _kept(out: Path, key: str) -> dict | None:
    """The last roll-up's stamp when its outputs are still there and were made from ``key``."""
    from toolkit.rollup import bodies

    try:
        stamp = json.loads((out / STAMP_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stamp, dict) or stamp.get("key") != key or not isinstance(stamp.get("outputs"), list):
        return None
    if stamp.get("bodies") != _digest(out / bodies.FILE_NAME):
        return None
    if not all((out / name).is_file() for name in stamp["outputs"]):
        return None
    return stamp


def render_all(result, key: str | None = None) -> list[Path]:
    """Write the outputs of ``result`` (a ``run.RollupResult``) into its out_dir; the paths made.

    With ``key`` (``inputs_key``): when the outputs there were made from the same inputs, they are kept."""
    from toolkit.rollup import bodies
    from toolkit.rollup.store import Skipped

    out = Path(result.out_dir)
    if key is not None:
        stamp = _kept(out, key)
        if stamp is not None:
            if stamp.get("problem"):
                result.skipped.append(Skipped(bodies.FILE_NAME, stamp["problem"]))
            return [out / name for name in stamp["outputs"]]
    made, problem = _render(result, out)
    if key is not None:
        try:
            (out / STAMP_NAME).write_text(json.dumps({
                "key": key, "bodies": _digest(out / bodies.FILE_NAME), "problem": problem,
                "outputs": [p.relative_to(out).as_posix() for p in made]}), encoding="utf-8")
        except OSError:
            pass            # no stamp: the next roll-up renders again
    return made


ASIDE_MIN_ROWS = 20_000   # petitions from which the two workbooks are written by processes of their own


def _render(result, out: Path) -> tuple[list[Path], str | None]:
    from toolkit.rollup import bodies, dashboard, report, workbooks
    from toolkit.rollup.store import Skipped

    try:
        (out / STAMP_NAME).unlink(missing_ok=True)    # outputs being rewritten are no one's
        table, problem = bodies.load(out)
        if problem:
            result.skipped.append(Skipped(bodies.FILE_NAME, problem))
        summary, forwarded = out / workbooks.SUMMARY_NAME, out / workbooks.FORWARDED_NAME
        waits = []
        try:
            if len(result.figures.petitions) >= ASIDE_MIN_ROWS and aside.FORKS:
                import xlsxwriter  # noqa: F401 - imported once here, inherited by both forked writers
                # each workbook by a forked process of its own while this one writes the dashboard and the report
                waits = [aside.start(workbooks.write_summary, summary, result.figures, result.skipped,
                                     stopped=f"tiến trình ghi {summary.name} dừng giữa chừng"),
                         aside.start(workbooks.write_forwarded, forwarded, result.figures, table,
                                     stopped=f"tiến trình ghi {forwarded.name} dừng giữa chừng")]
            else:
                workbooks.write_summary(summary, result.figures, result.skipped)
                workbooks.write_forwarded(forwarded, result.figures, table)
            made = [summary, forwarded, dashboard.write(out / dashboard.FILE_NAME, result),
                    report.write(out / report.FILE_NAME, result.figures), out / bodies.FILE_NAME]
        finally:
            aside.wait_all(waits)
    except PermissionError as exc:
        raise OutputError(f"Không ghi được vào thư mục {out} ({exc.filename or exc}): có thể một tệp kết quả đang mở "
                          "trong Excel hoặc Word. Đóng tệp đó rồi chạy lại.", code="rollup-output-busy") from None
    except OSError as exc:
        raise OutputError(f"Không ghi được vào thư mục {out} ({exc}). Kiểm tra quyền ghi hoặc chọn thư mục khác "
                          "bằng --out.", code="rollup-output-failed") from None
    return made, problem
