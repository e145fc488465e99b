"""The journal's own cost at one size, in one process (not a test; issue 15).

    python bench/journal.py WORKBOOK [WORKDIR]

Copies WORKBOOK into WORKDIR, reads it once (``passes.check``), then times the
journal as a pass calls it (``record.begin_pass`` + ``record.finish``, no write-back):
the first pass (baseline), then two passes after a one-row change (a Ghi chú cell of
the middle petition edited in the dataset, as if saved: the hash changes). For each,
the journal's own increment of peak memory: VmHWM is reset to the current RSS
(``/proc/self/clear_refs``, Linux) before the journal runs and read after it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TODAY = dt.date(2024, 12, 10)


def _status() -> dict[str, float]:
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmHWM:", "VmRSS:")):
            key, value = line.split(":")
            out[key] = int(value.split()[0]) / 1024
    return out


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def main(argv: list[str]) -> int:
    from toolkit.journal import record
    from toolkit.pipeline import passes

    source = Path(argv[0])
    work = Path(argv[1]) if len(argv) > 1 else Path(tempfile.mkdtemp(prefix="journal-bench-"))
    shutil.rmtree(work / "out", ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    path = work / source.name
    shutil.copy2(source, path)
    started = time.perf_counter()
    checked = passes.check(path, today=TODAY)
    print(f"read and check {time.perf_counter() - started:.2f} s", flush=True)

    def journal(label: str, checked) -> None:
        exact = _reset_peak()
        before = _status()["VmRSS"]
        t0 = time.perf_counter()
        w = record.begin_pass(path, checked, work / "out")
        t1 = time.perf_counter()
        notes = record.finish(w, written=False, backup=None, sha256_after=None, snapshot_after=None)
        t2 = time.perf_counter()
        peak = _status()["VmHWM"]
        print(f"{label:<22} begin {t1 - t0:6.3f} s  finish {t2 - t1:6.3f} s  journal {t2 - t0:6.3f} s  "
              f"changes {len(w.changes):>3}  peak {'+' if exact else '≤ +'}{max(peak - before, 0):.0f} MiB "
              f"(RSS before {before:.0f} MiB){'  ' + ' '.join(notes) if notes else ''}", flush=True)

    journal("first pass (baseline)", checked)
    table = checked.dataset.tables["kien_nghi"]
    raw = table.rows[len(table.rows) // 2]
    for n in (1, 2):
        raw.values = {**raw.values, "ghi_chu": f"Sửa một ô, lần {n}"}
        journal(f"one-row change {n}", dataclasses.replace(checked, sha256=f"{checked.sha256}-{n}"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
