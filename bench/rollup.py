"""The roll-up's speed and memory (issue 25), side by side with python-calamine. Not a test.

For each size (number of ward registers, 20–120 petitions each, made by
``toolkit.starter.province``; kept in --workdir and reused), in fresh
processes (start-up counts both ways):

- floor: python-calamine reading every sheet of every file (the bytes read from
  disk, each sheet's values as Python lists);
- full roll-up with every output (``doithoai rollup FOLDER --format json``, a new
  DIR: every file read);
- the roll-up again with nothing changed;
- the roll-up after one ward's file changed (that ward saved again with other data);
- peak memory of the full roll-up: the main process's max RSS, and ("all PSS") the largest sum,
  sampled every 200 ms, of the proportional set sizes of the roll-up and its worker processes
  (forked workers share pages with it: PSS counts each shared page once in all; Linux);
- the CPU time (user + system, worker processes included) of the full roll-up and of the floor:
  on a shared machine it moves less than wall time. Wall time is the target; the roll-up uses
  worker processes, so on more cores its wall time falls and the floor's does not.

Prints a table with the ratios the issue sets (full / floor ≤ 1.5; one changed
/ full ≤ 0.25; memory ≤ 1 GiB at 3,321; time linear in files).

    python bench/rollup.py --sizes 50            # what a shared machine can afford
    python bench/rollup.py                       # 168, 1000, 3321 (long: generation is ~0.1 s a ward)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2025, 12, 1)

CALAMINE = """
import os, sys, resource
import python_calamine as pc
cells = 0
for root, dirs, files in os.walk(sys.argv[1]):
    dirs[:] = sorted(d for d in dirs if d != 'tong-hop-cap-tren')
    for name in sorted(files):
        if name.endswith('.xlsx') and not name.startswith(('~$', '.~lock')):
            with open(os.path.join(root, name), 'rb') as fh:
                wb = pc.CalamineWorkbook.from_filelike(fh)
                for sheet in wb.sheet_names:
                    cells += sum(len(r) for r in wb.get_sheet_by_name(sheet).to_python())
print(cells, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""

ROLLUP = """
import os, sys, resource, threading, time

PEAK = [0]


def tree_pss(pid):
    # proportional set size (KiB) of pid and its descendants: shared pages counted once in all
    total = 0
    try:
        with open(f'/proc/{pid}/smaps_rollup') as fh:
            total = next(int(line.split()[1]) for line in fh if line.startswith('Pss:'))
        for tid in os.listdir(f'/proc/{pid}/task'):
            with open(f'/proc/{pid}/task/{tid}/children') as fh:
                total += sum(tree_pss(int(c)) for c in fh.read().split())
    except (OSError, StopIteration, ValueError):
        pass
    return total


def sample():
    while True:
        PEAK[0] = max(PEAK[0], tree_pss(os.getpid()))
        time.sleep(0.2)


if os.path.exists('/proc/self/smaps_rollup'):
    threading.Thread(target=sample, daemon=True).start()
from toolkit.cli import main
code = main(['rollup', sys.argv[1], '--out', sys.argv[2], '--format', 'json', '--as-of', sys.argv[3]])
PEAK[0] = max(PEAK[0], tree_pss(os.getpid()))
print(PEAK[0], resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""


LOAD: list[tuple] = []
TREE_PSS: list[int] = []   # peak PSS (KiB) of the last ``timed`` roll-up with its worker processes, sampled
CPU: list[float] = []      # CPU seconds (user + system) of the last ``timed`` child and its workers


def timed(code: str, *args: str) -> tuple[float, int, str]:
    """(wall seconds, max RSS in KiB, stdout) of a fresh Python running ``code``; its CPU time in CPU[-1]
    (the child and the worker processes it waited for: less moved by other load on a shared machine)."""
    import resource

    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env,
                          encoding="utf-8")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    if done.returncode not in (0, 1):
        raise SystemExit(f"failed ({done.returncode}): {done.stderr[-2000:]}")
    *worker, rss = (int(v) for v in done.stderr.strip().split()[-2:])
    TREE_PSS.append(worker[0] if worker and code is ROLLUP else 0)
    return wall, rss, done.stdout


def province(workdir: Path, n: int) -> Path:
    sys.path.insert(0, str(ROOT))
    from toolkit.starter.province import make_province

    folder = workdir / f"tinh-{n}"
    marker = folder / ".xong"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        start = time.perf_counter()
        make_province(folder, n, today=TODAY)
        marker.write_text("ok", encoding="utf-8")
        print(f"  generated {n} wards in {time.perf_counter() - start:.1f} s", flush=True)
    return folder


def measure(workdir: Path, n: int, repeat: int) -> dict:
    from toolkit.starter.province import make_ward, ward_name, _slug

    folder = province(workdir, n)
    out = workdir / f"ket-qua-{n}"
    floor, full, again, changed, rss, tree_pss = [], [], [], [], 0, 0
    floor_cpu, full_cpu, changed_cpu = [], [], []
    for _ in range(repeat):
        wall, floor_rss, _o = timed(CALAMINE, str(folder))
        floor.append(wall)
        floor_cpu.append(CPU[-1])
        shutil.rmtree(out, ignore_errors=True)
        wall, rss_k, stdout = timed(ROLLUP, str(folder), str(out), TODAY.isoformat())
        full.append(wall)
        full_cpu.append(CPU[-1])
        rss = max(rss, rss_k)
        tree_pss = max(tree_pss, TREE_PSS[-1])
        wall, _r, _o = timed(ROLLUP, str(folder), str(out), TODAY.isoformat())
        again.append(wall)
        target = folder / _slug(ward_name(0)) / f"doi-thoai-{TODAY.year}.xlsx"
        make_ward(target, 0, TODAY, seed=int(time.time()) % 10_000 + 7)
        wall, _r, _o = timed(ROLLUP, str(folder), str(out), TODAY.isoformat())
        changed.append(wall)
        changed_cpu.append(CPU[-1])
    totals = json.loads(stdout)["totals"]
    best = {k: min(v) for k, v in (("floor", floor), ("full", full), ("again", again), ("changed", changed))}
    best["floor_cpu"], best["full_cpu"], best["changed_cpu"] = min(floor_cpu), min(full_cpu), min(changed_cpu)
    return {"wards": n, "petitions": totals["petitions"], **best, "floor_all": floor, "full_all": full,
            "changed_all": changed, "peak_mib": rss / 1024, "floor_peak_mib": floor_rss / 1024,
            "tree_peak_mib": tree_pss / 1024}


def stages(folder: Path, rounds: int = 3) -> dict[str, float]:
    """CPU ms per ward of each part of one ward's read (in this process, the files' bytes in memory, the
    median of ``rounds``), beside python-calamine reading every sheet and the six sheets the roll-up needs."""
    import io
    import statistics

    import python_calamine as pc

    from toolkit.core import records, schema
    from toolkit.rollup import discover, timeline, ward
    from toolkit.xlsx import reading

    datas = [p.read_bytes() for p in discover.ward_files(folder)]
    keep = {schema.KIEN_NGHI.key: frozenset(ward.USED)}
    titles = [s.name for s in ward.SHEETS]
    ward.read_ward(datas[0], "x")                   # imports and first-use caches out of the timing

    def every_sheet(d):
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(d))
        return [wb.get_sheet_by_name(t).to_python() for t in wb.sheet_names]

    def six_sheets(d):
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(d))
        return [wb.get_sheet_by_name(t).to_python(skip_empty_area=True) for t in titles]

    def typed(x):
        tables, names, _f = x
        ward._only_used_columns(tables[schema.KIEN_NGHI.key])
        return records.build(tables, names)[0]

    def rows(dataset):
        timeline.conference_rows(dataset)
        ward._petitions(dataset, set())

    parts = [("calamine, every sheet (the floor's work)", every_sheet),
             ("calamine, the six sheets read", six_sheets),
             ("sniff (zip, every XML part's prolog)", lambda d: reading.sniff(d, name="x")),
             ("tables (calamine + scan + headers)", lambda d: reading.read_tables(d, sheets=ward.SHEETS,
                                                                                 ahead=False, keep=keep)),
             ("typed records", typed), ("legal timeline and petition rows", rows),
             ("one ward's read, all of it", lambda d: ward.read_ward(d, "x"))]
    times: dict[str, list[float]] = {}
    for _ in range(rounds):
        inputs = datas
        for label, fn in parts:
            start = time.process_time()
            out = [fn(d) for d in inputs]
            times.setdefault(label, []).append(1000 * (time.process_time() - start) / len(datas))
            if label.startswith("tables"):
                inputs = out
            elif label == "typed records":
                inputs = out
            elif label.startswith("legal"):
                inputs = datas
    return {label: statistics.median(v) for label, v in times.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="168,1000,3321", help="numbers of wards, comma-separated")
    ap.add_argument("--repeat", type=int, default=2, help="paired runs per size (the best is shown)")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/doithoai-bench-rollup"))
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    ap.add_argument("--stages", type=int, default=0, metavar="N",
                    help="only the CPU ms per ward of each part of a ward's read, on the province of N wards")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    args.workdir.mkdir(parents=True, exist_ok=True)
    if args.stages:
        for label, ms in stages(province(args.workdir, args.stages)).items():
            print(f"{label:<45} {ms:6.2f} ms")
        return
    LOAD.append(os.getloadavg())
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        print(f"size {n}:", flush=True)
        rows.append(measure(args.workdir, n, args.repeat))
    head = (f"{'wards':>6} {'petitions':>9} {'calamine s':>10} {'CPU s':>6} {'roll-up s':>9} {'CPU s':>6} "
            f"{'full/floor':>10} {'CPU':>5} {'unchanged s':>11} {'1 changed s':>11} {'CPU s':>6} "
            f"{'changed/full':>12} {'CPU':>5} {'peak MiB':>8} {'all PSS':>8} {'ms/ward':>7} {'CPU ms/ward':>11}")
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['wards']:>6} {r['petitions']:>9} {r['floor']:>10.2f} {r['floor_cpu']:>6.2f} {r['full']:>9.2f} "
              f"{r['full_cpu']:>6.2f} {r['full'] / r['floor']:>10.2f} {r['full_cpu'] / r['floor_cpu']:>5.2f} "
              f"{r['again']:>11.2f} {r['changed']:>11.2f} {r['changed_cpu']:>6.2f} "
              f"{r['changed'] / r['full']:>12.2f} {r['changed_cpu'] / r['full_cpu']:>5.2f} {r['peak_mib']:>8.0f} {r['tree_peak_mib']:>8.0f} "
              f"{1000 * r['full'] / r['wards']:>7.1f} {1000 * r['full_cpu'] / r['wards']:>11.1f}")
    print(f"machine: {os.cpu_count()} cores, load average before/after: {LOAD[0]} / {os.getloadavg()}")
    print("targets: roll-up / calamine ≤ 1.5 (1,000 wards); 1 changed / roll-up ≤ 0.25; peak ≤ 1024 MiB (3,321); "
          "ms/ward flat across sizes (linear)")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
