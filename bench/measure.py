"""One measurement in a fresh process (run by bench/run.py, not by hand).

    python bench/measure.py KIND WORKBOOK [OUT_DIR]

KIND: ``openpyxl`` (load + save into memory, the floor of a write-back),
``calamine`` (read every sheet, the floor of ``check``), ``check``
(``passes.check``), ``pass`` (``passes.run``). Prints one JSON line: wall
and CPU seconds, peak memory of this process (MiB) and, for check and pass,
seconds per stage. Stages are timed by wrapping the toolkit functions a pass
calls (the pass itself runs unchanged); a stage called from inside another
stage of the same group counts once, in the outer one.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

TODAY = dt.date(2024, 12, 10)


def peak_rss_mib() -> float:
    """Peak resident memory of this process in MiB (Linux, macOS, Windows).

    On Linux this is VmHWM of /proc/self/status, not ru_maxrss: ru_maxrss
    survives fork + exec, so a child of a large parent (bench/run.py after
    it loaded an L workbook to change one row) would report the parent's peak.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024   # kB
    try:
        import resource
    except ImportError:  # Windows
        import ctypes
        from ctypes import wintypes

        class Counters(ctypes.Structure):
            _fields_ = [("cb", wintypes.DWORD), ("PageFaultCount", wintypes.DWORD),
                        ("PeakWorkingSetSize", ctypes.c_size_t), ("WorkingSetSize", ctypes.c_size_t),
                        ("QuotaPeakPagedPoolUsage", ctypes.c_size_t), ("QuotaPagedPoolUsage", ctypes.c_size_t),
                        ("QuotaPeakNonPagedPoolUsage", ctypes.c_size_t),
                        ("QuotaNonPagedPoolUsage", ctypes.c_size_t),
                        ("PagefileUsage", ctypes.c_size_t), ("PeakPagefileUsage", ctypes.c_size_t)]

        counters = Counters()
        counters.cb = ctypes.sizeof(Counters)
        handle = ctypes.windll.kernel32.GetCurrentProcess()
        ctypes.windll.psapi.GetProcessMemoryInfo(handle, ctypes.byref(counters), counters.cb)
        return counters.PeakWorkingSetSize / 2**20
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 2**20 if sys.platform == "darwin" else rss / 1024   # bytes on macOS, KiB on Linux


def cpu_seconds() -> float:
    """CPU seconds of this process and of the children it waited for (the outputs a pass makes aside)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


class Stages:
    """Inclusive seconds per stage name, outermost call per group only."""

    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)
        self.active: dict[str, int] = defaultdict(int)

    def wrap(self, owner, attr: str, name: str, group: str) -> None:
        fn = getattr(owner, attr)

        @functools.wraps(fn)
        def timed(*args, **kwargs):
            if self.active[group]:
                return fn(*args, **kwargs)
            self.active[group] += 1
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - t0
                self.active[group] -= 1

        setattr(owner, attr, timed)


def install(stages: Stages) -> None:
    from toolkit.rules import assign, checks
    from toolkit.outputs import dashboard, documents, export, render, summaries, summary_workbook
    from toolkit.outputs import department_files
    from toolkit.pipeline import answers, applier, passes
    from toolkit.xlsx import reading, writeback, patch as xlsxpatch
    from toolkit.core import records
    from toolkit.core.workdays import Calendar
    from toolkit.journal import record as journaling, snapshot

    w = stages.wrap
    for attr in ("read_file_bytes", "sniff", "read_tables"):
        w(reading, attr, "read", "read")
    # Records and checks of the sheets other than Kiến nghị run inside "read", while
    # calamine parses Kiến nghị on its second thread: they are counted in both.
    w(records.Builder, "add", "records", "records")
    w(checks.Validation, "run", "validate", "validate")
    w(assign, "plan", "assign", "assign")
    w(passes, "_apply_plan_to_dataset", "assign", "assign")
    w(passes, "_overdue_findings", "assign", "assign")
    w(Calendar, "from_config", "assign", "assign")
    w(answers, "read_files", "answers: read files", "answers")
    w(answers, "merge", "answers: merge", "answers")
    w(summaries, "build", "summaries", "summaries")
    w(department_files, "sync", "replies: department files", "replies")
    w(writeback, "write_back", "write-back", "write-back")
    w(applier.Applier, "staff_edits", "wb: cells to write", "wb-edits")
    w(xlsxpatch, "patch", "wb: patch package", "wb-patch")
    w(xlsxpatch._Package, "to_bytes", "wb: zip", "wb-zip")
    # The journal (docs/ARCHITECTURE.md, "The journal"): snapshot, diff, backup of the saved version, the database, the page's view.
    for owner, attr in ((journaling, "begin_pass"), (journaling, "finish"), (journaling, "dashboard_view"),
                        (snapshot, "from_dataset"), (snapshot, "with_fills")):
        w(owner, attr, "journal", "journal")
    w(render, "render_all", "outputs", "outputs")
    aside_outputs(stages, render)
    w(summary_workbook, "write_summary_workbook", "out: tong-hop", "output")
    w(dashboard, "render_dashboard", "out: dashboard", "output")
    w(documents, "render_report", "out: documents", "output")
    w(export, "export_month", "out: export", "output")
    from toolkit.outputs.documents import dondoc, kehoach

    w(dondoc, "render_dondoc", "out: documents", "output")     # the giấy đôn đốc and the Kế hoạch are
    w(kehoach, "render_kehoach", "out: documents", "output")   # rendered without render_report


ASIDE_STAGES = Path(os.environ.get("TMPDIR", "/tmp")) / f"doithoai-bench-aside-{os.getpid()}.json"


def aside_outputs(stages: Stages, render) -> None:
    """The outputs a pass makes in a forked process (``render.render_aside``, Linux) are timed there:
    the child's stages are written to ASIDE_STAGES when it is done and added by ``aside_stages``."""
    fn = render.render_aside

    @functools.wraps(fn)
    def timed(*args, **kwargs):
        stages.seconds.clear()              # the child's copy of the parent's figures
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            stages.seconds["outputs (made aside)"] = time.perf_counter() - t0
            ASIDE_STAGES.write_text(json.dumps(dict(stages.seconds)), encoding="utf-8")

    render.render_aside = timed


def aside_stages(stages: Stages) -> bool:
    """Add the stages of the outputs made aside (the child's own clock: they ran beside the write-back)."""
    try:
        child = json.loads(ASIDE_STAGES.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    ASIDE_STAGES.unlink(missing_ok=True)
    for name, seconds in child.items():
        stages.seconds[name] += seconds
    return True


def children_peak_mib() -> float:
    """Peak resident memory of the largest child process waited for (the outputs made aside), MiB;
    its pages shared with this process count in both."""
    try:
        import resource
    except ImportError:   # Windows: no forked children
        return 0.0
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return rss / 2**20 if sys.platform == "darwin" else rss / 1024


def floor_openpyxl(path: Path) -> dict:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))
    buffer = io.BytesIO()
    wb.save(buffer)
    return {"bytes": len(buffer.getvalue())}


def floor_calamine(path: Path) -> dict:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
    cells = 0
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python()
        cells += sum(len(r) for r in rows)
    return {"cells": cells}


def main(argv: list[str]) -> int:
    kind, path = argv[0], Path(argv[1])
    out_dir = Path(argv[2]) if len(argv) > 2 else None
    stages = Stages()
    if kind in ("check", "pass", "write"):
        import openpyxl  # noqa: F401  (imports are not part of the timing)
        import toolkit.pipeline.passes  # noqa: F401
        from toolkit.outputs import dashboard, documents, export, summaries, summary_workbook  # noqa: F401
        from toolkit.pipeline import applier  # noqa: F401
        from toolkit.xlsx import writeback  # noqa: F401
        install(stages)
    elif kind == "openpyxl":
        import openpyxl  # noqa: F401
    else:
        import python_calamine  # noqa: F401
    wall0, cpu0 = time.perf_counter(), cpu_seconds()
    if kind == "openpyxl":
        info = floor_openpyxl(path)
    elif kind == "calamine":
        info = floor_calamine(path)
    elif kind == "check":
        from toolkit.pipeline import passes

        result = passes.check(path, today=TODAY)
        info = {"findings": result.report.counts()}
    elif kind in ("pass", "write"):
        from toolkit.pipeline import passes

        # "write": the pass up to its write-back, no outputs rendered
        result = passes.run(path, out_dir=out_dir, today=TODAY, render=kind == "pass")
        info = {"findings": result.report.counts(), "written": result.written,
                "write_reason": result.write_reason_code, "rebuilt": len(result.rebuilt),
                "output_errors": result.output_errors, "outputs_aside": aside_stages(stages),
                "child_peak_mib": children_peak_mib()}
    else:
        raise SystemExit(f"unknown kind {kind}")
    wall, cpu = time.perf_counter() - wall0, cpu_seconds() - cpu0
    print(json.dumps({"kind": kind, "wall": wall, "cpu": cpu, "peak_mib": peak_rss_mib(),
                      "stages": dict(stages.seconds), "info": info}, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
