"""Which files in a province folder may be ward registers (DESIGN.md §12).

Every .xlsx/.xlsm under the folder, recursively, except: the toolkit's own
folders beside a register (ket-qua/, sao-luu/, phan-hoi/, mau-van-ban/), the
roll-up's output folder (DIR, and any tong-hop-cap-tren/ below), hidden folders, and lock and temp files of Excel and
LibreOffice (``~$NAME.xlsx``, ``.~lock.NAME.xlsx#``: not registers, and a
register that is open in Excel is still read — the roll-up only reads). Whether
a candidate is a register is decided when it is read (``toolkit.rollup.ward``).
"""

from __future__ import annotations

import os
from pathlib import Path

from toolkit.xlsx import names

OUTPUT_FOLDER = "tong-hop-cap-tren"     # the roll-up's default DIR, inside FOLDER
# Never ward registers: a register's own folders, and any roll-up's output (a nation's folder of provinces)
SKIPPED_FOLDERS = frozenset({names.OUTPUT_FOLDER, "sao-luu", names.REPLY_FOLDER, "mau-van-ban", OUTPUT_FOLDER})


def ward_files(folder: Path, *, out_dir: Path | None = None) -> list[Path]:
    """Candidate ward files under ``folder``, sorted by their path relative to it."""
    folder = Path(folder)
    skip_dirs = set()
    for d in (out_dir, folder / OUTPUT_FOLDER):
        if d is not None:
            try:
                skip_dirs.add(os.path.normcase(str(Path(d).resolve())))
            except OSError:
                pass
    # only a folder named as one of them can be one of them (resolving every ward's folder cost a
    # tenth of a roll-up after one ward changed, at 1,000 wards)
    skip_names = {os.path.normcase(os.path.basename(d)) for d in skip_dirs}
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs
                         if d.lower() not in SKIPPED_FOLDERS and not d.startswith(".")
                         and (os.path.normcase(d) not in skip_names
                              or os.path.normcase(str((Path(root) / d).resolve())) not in skip_dirs))
        for name in files:
            if names.is_workbook_name(name):
                found.append(Path(root) / name)
    return sorted(found, key=lambda p: relative(p, folder))


def relative(path: Path, folder: Path) -> str:
    """``path`` as the roll-up names it: relative to the province folder, with forward slashes."""
    try:
        return Path(path).relative_to(folder).as_posix()
    except ValueError:
        return Path(path).as_posix()
