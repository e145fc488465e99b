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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from toolkit.core.errors import UsageError, WorkbookUnreadable
from toolkit.rollup import discover
from toolkit.rollup.store import FILE_NAME, FileResult, Store, StoreReport

Progress = Callable[[int, int], None]


@dataclass
class Skipped:
    file: str
    reason: str


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


def read_file(path: Path, rel: str, known: str | None) -> tuple[str, FileResult | None]:
    """(digest, the file's rows or why not); None when its bytes are the ones already stored."""
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
    return digest, FileResult(rel, digest, ward=read.ward, cap_tren=read.cap_tren, conferences=read.conferences,
                              petitions=read.petitions, problems=read.problems)


def collect(folder: Path, store: Store, *, out_dir: Path | None = None,
            progress: Progress | None = None) -> tuple[StoreReport, dict[str, float]]:
    """Bring the store up to date with the ward files under ``folder``; (what it did, file -> mtime)."""
    paths = discover.ward_files(folder, out_dir=out_dir)
    known = store.digests()
    present: dict[str, str] = {}
    mtimes: dict[str, float] = {}
    results: list[FileResult] = []
    for i, path in enumerate(paths, start=1):
        rel = discover.relative(path, folder)
        try:
            mtimes[rel] = os.stat(path).st_mtime
        except OSError:
            mtimes[rel] = 0.0
        digest, result = read_file(path, rel, known.get(rel))
        present[rel] = digest
        if result is not None:
            results.append(result)
        if progress is not None:
            progress(i, len(paths))
    return store.update(present, results), mtimes


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
    with Store(out / FILE_NAME) as store:
        report, mtimes = collect(folder, store, out_dir=out, progress=progress)
        figures = fig.compute(store.frame("wards"), store.frame("conferences"), store.frame("petitions"),
                              as_of, mtimes)
        skipped = skipped_files(store, figures.duplicates)
        result = RollupResult(folder, out, as_of, figures, skipped, report)
        if render:
            from toolkit.rollup import outputs

            result.outputs = outputs.render_all(result)
        if parquet:
            result.outputs += store.export_parquet(out / "parquet")
    return result
