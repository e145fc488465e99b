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


# --- who has the workbook open (for the journal, docs/ARCHITECTURE.md, "The journal") ---

_remembered: dict[Path, str] = {}
_gone: dict[Path, float] = {}     # when the lock of a remembered user went away (file time)
GONE_GRACE_S = 10.0               # a save this close to the lock's going is still that user's


def _excel_user(data: bytes) -> str | None:
    """The user name in Excel's owner file ``~$NAME``: a length byte and the name in
    the ANSI code page at offset 0, and (Excel 2007 and later) the same name in
    UTF-16LE after a two-byte length at offset 54; the UTF-16 form keeps Vietnamese."""
    if not data:
        return None
    if len(data) >= 56:
        n = int.from_bytes(data[54:56], "little")
        if 0 < n <= 54 and len(data) >= 56 + 2 * n:
            try:
                name = data[56:56 + 2 * n].decode("utf-16-le").strip()
            except UnicodeDecodeError:
                name = ""
            if name and name.isprintable():
                return name
    n = data[0]
    if 0 < n <= 54 and len(data) > n:
        name = data[1:1 + n].decode("cp1252", errors="replace").strip()
        return name or None
    return None


def _libreoffice_user(data: bytes) -> str | None:
    """The user name in LibreOffice's ``.~lock.NAME#``, seen with 7.4 as
    ``Trần Thị Bình,binh,may-1,02.12.2026 15:46,file:///…/profile;``: the name set in
    Tools ▸ Options ▸ User Data (empty when none was set), the system account, host, time."""
    text = data.decode("utf-8", errors="replace").strip().rstrip(";")
    fields = text.split(",")
    for field in fields[:2]:
        if field.strip():
            return field.strip()
    return None


def lock_user(lock: Path | str) -> str | None:
    """The user name written in a lock/owner file, or None when it cannot be read."""
    lock = Path(lock)
    try:
        data = lock.read_bytes()[:4096]
    except OSError:
        return None
    if lock.name.startswith(LIBREOFFICE_PREFIX):
        return _libreoffice_user(data)
    return _excel_user(data)


def remember_user(workbook: Path | str) -> str | None:
    """Read and remember who has ``workbook`` open now (the watcher calls this on each
    lock-file event, since a lock may be gone by the time the pass runs)."""
    workbook = Path(workbook)
    for lock in lock_files(workbook):
        user = lock_user(lock)
        if user:
            _remembered[workbook.resolve()] = user
            _gone.pop(workbook.resolve(), None)
            return user
    return None


def lock_gone(workbook: Path | str) -> None:
    """The watcher saw the lock deleted: the remembered user still owns saves made until now."""
    import time

    key = Path(workbook).resolve()
    if key in _remembered and not lock_files(workbook):
        _gone[key] = time.time()


def file_owner(path: Path | str) -> str | None:
    """The file's owner account (POSIX); None where the system cannot say (Windows before Python 3.13)."""
    try:
        return Path(path).owner() or None
    except (NotImplementedError, KeyError, OSError, ImportError):
        return None


def editor_of(workbook: Path | str) -> str | None:
    """Who saved ``workbook``: the name in its lock file now, else the one remembered
    while a lock existed, else the file's owner."""
    workbook = Path(workbook)
    now = remember_user(workbook)
    if now:
        return now
    key = workbook.resolve()
    gone = _gone.get(key)
    if key in _remembered:
        try:
            saved = workbook.stat().st_mtime
        except OSError:
            saved = None
        if gone is None or saved is None or saved <= gone + GONE_GRACE_S:
            return _remembered[key]
    return file_owner(workbook)
