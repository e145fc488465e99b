"""`doithoai rollup FOLDER`: every ward's register read (incrementally), figured and rendered.

:func:`rollup` is the library call the command line and the watcher use. It
returns a :class:`RollupResult` whose :meth:`~RollupResult.as_json` has exactly
the keys of DESIGN.md §12 and whose :attr:`~RollupResult.exit_code` is 0 when
every file was rolled up, 1 when some were skipped (each with a Vietnamese
reason that says what to do), 2 when nothing could be rolled up. Ward files
are only read: nothing is written beside them.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from toolkit.core.errors import UsageError, WorkbookUnreadable
from toolkit.rollup import discover, predicates
from toolkit.rollup.store import FILE_NAME, FileResult, Skipped, Store, StoreReport, as_rows

Progress = Callable[[int, int], None]


@dataclass
class RollupResult:
    folder: Path
    out_dir: Path
    as_of: dt.date
    figures: object                          # figures.Figures
    skipped: list[Skipped]
    store: StoreReport
    outputs: list[Path] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if not len(self.figures.wards):
            return 2
        return 1 if self.skipped else 0

    def as_json(self) -> dict:
        wards = [{"file": r.file, "ward": r.ward, "conferences": int(r.conferences), "petitions": int(r.petitions),
                  "answered": int(r.answered), "overdue": int(r.overdue), "forwarded": int(r.forwarded)}
                 for r in self.figures.wards.itertuples()]
        totals = self.figures.totals
        return {"wards": wards, "skipped": [{"file": s.file, "reason": s.reason} for s in self.skipped],
                "totals": {k: totals[k] for k in ("wards", "conferences", "petitions", "answered", "overdue",
                                                  "forwarded")}}


def default_out_dir(folder: Path) -> Path:
    return Path(folder) / discover.OUTPUT_FOLDER


def read_file(path: Path, rel: str, known: str | None = None) -> tuple[str, FileResult | None]:
    """(digest, the file's rows or why not); None when its bytes are ``known`` (already stored)."""
    from toolkit.rollup import ward

    try:
        data = ward.read_bytes(path)
    except WorkbookUnreadable as exc:
        return "", FileResult(rel, "", reason=ward.unreadable_reason(exc))
    digest = ward.digest(data)
    if known == digest:
        return digest, None
    try:
        read = ward.read_ward(data, path.name)
    except WorkbookUnreadable as exc:
        return digest, FileResult(rel, digest, reason=ward.unreadable_reason(exc))
    except ward.NotARegister as exc:
        return digest, FileResult(rel, digest, reason=exc.reason)
    return digest, FileResult(rel, digest, ward=read.ward, cap_tren=read.cap_tren,
                              conferences=as_rows("conferences", read.conferences),
                              petitions=as_rows("petitions", read.petitions), problems=read.problems)


def _read_one(job: tuple[Path, str]) -> tuple[str, FileResult | None]:
    return read_file(*job)


PARALLEL_MIN_FILES = 24      # fewer changed files are read in this process (a worker's start costs ~0.5 s)
FILES_PER_WORKER = 12
START_METHOD: str | None = None   # None: fork on Linux, spawn elsewhere (tests set "spawn" to try Windows' way)


def _workers(n: int) -> int:
    return max(1, min(os.cpu_count() or 1, 8, n // FILES_PER_WORKER)) if n >= PARALLEL_MIN_FILES else 1


def _start_method() -> str:
    return START_METHOD or ("fork" if sys.platform.startswith("linux") else "spawn")


def read_changed(jobs: list[tuple[Path, str]], progress: Progress | None, done: int, total: int,
                 meanwhile: Callable[[], None] | None = None) -> list[tuple[str, FileResult | None]]:
    """Read (parse) ``jobs``, in worker processes when there are many: calamine and the records are
    CPU-bound Python, one file each, nothing shared. No DuckDB connection is open meanwhile.

    ``meanwhile`` (the imports the figures and outputs need) runs in this process while the workers
    read; where workers are forked (Linux) even one changed file is read by a worker, so that its
    reading and those imports take the time of the longer, not of both. Read here, there is no
    meanwhile: the imports come when the figures ask for them."""
    method = _start_method()
    workers = _workers(len(jobs))
    if workers == 1 and not (jobs and meanwhile is not None and method == "fork"):
        out: list[tuple[str, FileResult | None]] = []
        for job in jobs:
            out.append(read_file(*job))
            done += 1
            if progress is not None:
                progress(done, total)
        return out
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if workers > 1:
        from toolkit.rollup import timeline, ward  # noqa: F401 - imported once here, inherited by forked workers

        year = dt.date.today().year
        timeline.warm(range(year - 2, year + 2))

    out = []
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method)) as pool:
        results = pool.map(_read_one, jobs, chunksize=4)
        if meanwhile is not None:
            meanwhile()
        for result in results:
            out.append(result)
            done += 1
            if progress is not None:
                progress(done, total)
    return out


def _prepare(render: bool) -> Callable[[], None] | None:
    """The imports the figures (pandas) and, when rendering, the outputs need (docxtpl, Jinja,
    xlsxwriter); None when they are done already (a watcher's later roll-ups)."""
    names = ("pandas", "docxtpl", "jinja2", "xlsxwriter") if render else ("pandas",)
    if all(name in sys.modules for name in names):
        return None

    def imports() -> None:
        import importlib

        for name in names:
            importlib.import_module(name)
    return imports


def collect(folder: Path, store_path: Path, *, out_dir: Path | None = None, progress: Progress | None = None,
            meanwhile: Callable[[], None] | None = None) -> tuple[StoreReport, dict[str, float]]:
    """Bring the store up to date with the ward files under ``folder``; (what it did, file -> mtime).

    Every file's bytes are hashed here; only files whose digest is not the stored one are parsed.
    When none is new, changed or gone, the store is not written (nor pandas imported)."""
    import hashlib

    paths = discover.ward_files(folder, out_dir=out_dir)
    with Store(store_path) as store:
        known = store.digests()
        rebuilt = store.rebuilt
    present: dict[str, str] = {}
    mtimes: dict[str, float] = {}
    results: list[FileResult] = []
    jobs: list[tuple[Path, str]] = []
    done = 0
    for path in paths:
        rel = discover.relative(path, folder)
        try:
            mtimes[rel] = os.stat(path).st_mtime
        except OSError:
            mtimes[rel] = 0.0
        try:
            with open(path, "rb") as fh:        # only the digest here: the handle is closed at once
                digest = hashlib.sha256(fh.read()).hexdigest()
        except OSError:
            digest = ""
        present[rel] = digest
        if digest and known.get(rel) == digest:
            done += 1
            if progress is not None:
                progress(done, len(paths))
        else:
            jobs.append((path, rel))
    if not jobs and not rebuilt and set(known) == set(present):
        return StoreReport(unchanged=sorted(present)), mtimes
    for digest, result in read_changed(jobs, progress, done, len(paths), meanwhile):
        if result is not None:
            present[result.file] = digest
            results.append(result)
    with Store(store_path) as store:
        report = store.update(present, results)
    report.rebuilt = report.rebuilt or rebuilt
    return report, mtimes


def skipped_files(store: Store, duplicates) -> list[Skipped]:
    out = [Skipped(file, reason) for file, _ward, ok, reason in store.files() if not ok]
    out += [Skipped(file, reason) for file, reason in store.problems()]
    out += [Skipped(file, f"Cùng đơn vị «{ward}» (Tên đơn vị ở sheet Cấu hình) với tệp {kept}, nên chỉ tổng hợp "
                          f"tệp {kept} (lưu gần đây hơn). Nếu là hai đơn vị khác nhau, sửa Tên đơn vị ở sheet "
                          "Cấu hình của một sổ; nếu là bản sao cũ, chuyển tệp này ra khỏi thư mục tổng hợp.")
            for file, ward, kept in duplicates]
    return sorted(out, key=lambda s: (s.file, s.reason))


def rollup(folder: str | Path, *, out_dir: str | Path | None = None, as_of: dt.date | None = None,
           parquet: bool = False, progress: Progress | None = None, render: bool = True) -> RollupResult:
    """Roll up every ward register under ``folder`` into ``out_dir`` (default FOLDER/tong-hop-cap-tren/)."""
    from toolkit.rollup import figures as fig

    folder = Path(folder)
    if not folder.is_dir():
        raise UsageError(f"Không thấy thư mục {folder}. Ghi đúng thư mục chứa sổ của các phường, "
                         "ví dụ: doithoai rollup so-cac-phuong", code="rollup-no-folder")
    out = Path(out_dir) if out_dir is not None else default_out_dir(folder)
    as_of = as_of or dt.date.today()
    report, mtimes = collect(folder, out / FILE_NAME, out_dir=out, progress=progress, meanwhile=_prepare(render))
    with Store(out / FILE_NAME) as store:
        figures = fig.compute(store.frame("wards"), store.frame("conferences"), store.frame("petitions"),
                              as_of, mtimes)
        skipped = skipped_files(store, figures.duplicates)
        result = RollupResult(folder, out, as_of, figures, skipped, report)
        if render:
            from toolkit.rollup import outputs

            key = outputs.inputs_key(predicates.VERSION, as_of.isoformat(), sorted(store.digests().items()),
                                     sorted(mtimes.items()))
            result.outputs = outputs.render_all(result, key)
        if parquet:
            result.outputs += store.export_parquet(out / "parquet")
    return result
