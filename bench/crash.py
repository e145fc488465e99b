"""Crash-safety figure (issue 6 point 4), run by bench/run.py.

A child process runs a full pass (``passes.run``) on a copy of a generated
workbook that has never been passed (so the pass fills cells, writes back and
renders everything); it is SIGKILLed after a random delay (seeded) within the
duration of an undisturbed pass (a draw that finds the pass already finished
is not counted as a kill and is drawn again). After each kill the workbook must open with
openpyxl and every staff value must be what it was: each cell that held a
value still holds the same value, and a cell that was blank may only have
been filled in a column the toolkit fills (Mã kiến nghị, Bộ phận, Hạn,
Trạng thái) or owns (Kiểm tra, Căn cứ phân công). A file byte-identical to
the original counts as intact without further check.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import generate
from measure import TODAY

CHILD = (
    "import sys, datetime as dt\n"
    "from pathlib import Path\n"
    "from toolkit.pipeline import passes\n"
    "print('ready', flush=True)\n"
    "passes.run(Path(sys.argv[1]), out_dir=Path(sys.argv[2]), today=dt.date.fromisoformat(sys.argv[3]))\n"
)


def _norm(v):
    if isinstance(v, dt.datetime) and v.time() == dt.time(0):
        return v.date()
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def staff_values(path: Path) -> dict[str, dict[tuple[int, int], object]]:
    """{sheet name: {(row, col): value}} of the data sheets; a full openpyxl load (raises if it cannot open)."""
    import openpyxl

    from toolkit.core import schema

    wb = openpyxl.load_workbook(path)
    out = {}
    for sheet in schema.DATA_SHEETS:
        ws = wb[sheet.name]
        out[sheet.name] = {(c.row, c.column): _norm(c.value) for row in ws.iter_rows() for c in row
                           if c.value is not None}
    return out


def toolkit_columns(path: Path) -> dict[str, set[int]]:
    """Column numbers the toolkit may fill where blank, by sheet name (from the headers)."""
    import openpyxl

    from toolkit.core import schema

    wb = openpyxl.load_workbook(path, read_only=True)
    out = {}
    for sheet in schema.DATA_SHEETS:
        headers = next(wb[sheet.name].iter_rows(min_row=1, max_row=1, values_only=True))
        mine = {c.header for c in sheet.columns if c.owner != schema.STAFF}
        out[sheet.name] = {i for i, h in enumerate(headers, start=1) if h in mine}
    wb.close()
    return out


def damage(original: dict, now: dict, allowed: dict[str, set[int]]) -> list[str]:
    problems = []
    for name, cells in original.items():
        got = now.get(name, {})
        for key, value in cells.items():
            if key[1] in allowed[name]:
                continue
            if got.get(key) != value:
                problems.append(f"{name}!{key}: {value!r} -> {got.get(key)!r}")
        for key in got.keys() - cells.keys():
            if key[1] not in allowed[name] and key[0] > 1:
                problems.append(f"{name}!{key}: blank -> {got[key]!r}")
    return problems


def _start(book: Path, out: Path) -> subprocess.Popen:
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(book), str(out), TODAY.isoformat()],
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "ready"
    return child


def run(size: generate.Size, work: Path, kills: int, *, seed: int = 1) -> dict:
    if not hasattr(signal, "SIGKILL"):
        return {"kills": 0, "damaged": 0, "unchanged": 0, "written": 0, "skipped": "no SIGKILL on this system"}
    base = generate.ensure_workbook(size, work / "gen")
    folder = work / f"crash-{size.name}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    book = folder / "so.xlsx"
    original_hash = hashlib.sha256(base.read_bytes()).hexdigest()
    original = staff_values(base)
    allowed = toolkit_columns(base)

    print(f"[crash {size.name}] timing an undisturbed pass ...", flush=True)
    shutil.copyfile(base, book)
    child = _start(book, folder / "out")
    t0 = time.perf_counter()
    child.wait()
    duration = time.perf_counter() - t0
    rng = random.Random(seed)
    result = {"kills": 0, "damaged": 0, "unchanged": 0, "written": 0, "pass_seconds": duration, "problems": []}
    attempt = 0
    while result["kills"] < kills and attempt < 3 * kills:
        attempt += 1
        shutil.copyfile(base, book)
        shutil.rmtree(folder / "out", ignore_errors=True)
        delay = rng.uniform(0, duration)
        child = _start(book, folder / "out")
        time.sleep(delay)
        if child.poll() is not None:   # the pass was quicker this time: not a kill, draw again
            result["finished_before_kill"] = result.get("finished_before_kill", 0) + 1
            continue
        child.send_signal(signal.SIGKILL)
        child.wait()
        result["kills"] += 1
        i = result["kills"] - 1
        if hashlib.sha256(book.read_bytes()).hexdigest() == original_hash:
            result["unchanged"] += 1
            status = "as it was"
        else:
            result["written"] += 1
            try:
                problems = damage(original, staff_values(book), allowed)
            except Exception as exc:  # noqa: BLE001 - a workbook openpyxl cannot open is damaged
                problems = [f"does not open: {type(exc).__name__}: {exc}"]
            if problems:
                result["damaged"] += 1
                result["problems"].append({"kill": i, "delay": delay, "first": problems[:5]})
            status = "written, " + ("DAMAGED" if problems else "staff values intact")
        print(f"[crash {size.name}] kill {i + 1}/{kills} after {delay:.1f} s: {status}", flush=True)
    return result
