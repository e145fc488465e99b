"""Lock and owner files: how doithoai knows a workbook is open in Excel or LibreOffice.

One place for the watcher (wait before a pass), the reader and the write-back
(never write while a lock exists), so they cannot disagree about "locked".

- Excel: ``~$NAME.xlsx``; for long names Excel replaces the first one or two
  characters of the name with ``~$`` (``~$i-thoai-2024.xlsx`` for
  ``doi-thoai-2024.xlsx``).
- LibreOffice: ``.~lock.NAME.xlsx#``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

EXCEL_PREFIX = "~$"
LIBREOFFICE_PREFIX, LIBREOFFICE_SUFFIX = ".~lock.", "#"


def lock_paths(workbook: Path | str) -> list[Path]:
    """Every file whose presence means the workbook is open in another program."""
    workbook = Path(workbook)
    name = workbook.name
    candidates = [f"{EXCEL_PREFIX}{name}", f"{LIBREOFFICE_PREFIX}{name}{LIBREOFFICE_SUFFIX}"]
    if len(name) > 2:
        candidates += [f"{EXCEL_PREFIX}{name[1:]}", f"{EXCEL_PREFIX}{name[2:]}"]
    out: list[Path] = []
    for candidate in candidates:
        path = workbook.parent / candidate
        if path not in out:
            out.append(path)
    return out


def lock_files(workbook: Path | str) -> list[Path]:
    """The lock files of the workbook that exist now."""
    return [path for path in lock_paths(workbook) if path.exists()]


def is_locked(workbook: Path | str) -> bool:
    return any(path.exists() for path in lock_paths(workbook))


def lock_owner(lock: Path) -> str:
    """'LibreOffice' or 'Excel', from the lock file's name."""
    return "LibreOffice" if lock.name.startswith(LIBREOFFICE_PREFIX) else "Excel"


def lock_owner_of(lock_name: str, folder_names: Iterable[str] = ()) -> str | None:
    """The workbook name a lock/owner file belongs to, if it is one.

    ``.~lock.NAME#`` → NAME. ``~$NAME`` → NAME, or (Excel's shortened form)
    the one name in ``folder_names`` that ends with it.
    """
    if lock_name.startswith(LIBREOFFICE_PREFIX) and lock_name.endswith(LIBREOFFICE_SUFFIX):
        return lock_name[len(LIBREOFFICE_PREFIX):-len(LIBREOFFICE_SUFFIX)]
    if lock_name.startswith(EXCEL_PREFIX) and len(lock_name) > 2:
        rest = lock_name[2:]
        names = list(folder_names)
        if rest in names or not names:
            return rest
        for n in names:
            if n.endswith(rest) and len(n) - len(rest) <= 2:
                return n
        return rest
    return None
