"""Atomic file writes, the one place for them.

Every file the toolkit writes (the workbook on write-back, its backups, the
outputs, a new workbook from ``init``) goes through a temp file in the same
folder (``.~doithoai-<host>-<pid>-*.tmp``: watchers ignore it, and the next
run removes one left by a killed process), is flushed and fsynced, gets
normal permissions (mkstemp makes 0600 files), and is moved into place with
``os.replace``, retried with backoff on PermissionError (Windows, while
Excel or an antivirus holds the target).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import stat
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterator

TEMP_PREFIX = ".~doithoai-"
TEMP_SUFFIX = ".tmp"
# A temp file this old is left over from a run that died (any machine).
STALE_TEMP_SECONDS = 15 * 60


def _host_tag() -> str:
    return hashlib.sha1(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]


def _pid_alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) would send CTRL_C_EVENT on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def temp_files(folder: Path) -> list[Path]:
    """Write-back temp files in ``folder`` (finished, running or abandoned)."""
    try:
        return sorted(
            p for p in Path(folder).iterdir()
            if p.name.startswith(TEMP_PREFIX) and p.name.endswith(TEMP_SUFFIX)
        )
    except OSError:
        return []


def cleanup_temp_files(folder: Path) -> list[Path]:
    """Remove temp files left by write-backs that died; returns what was removed.

    A temp file is abandoned when its process (same machine) is gone, or when
    it is older than STALE_TEMP_SECONDS (another machine on a shared folder).
    """
    removed = []
    host = _host_tag()
    now = time.time()
    for temp in temp_files(folder):
        parts = temp.name[len(TEMP_PREFIX):].split("-")
        stale = False
        if len(parts) >= 3 and parts[0] == host and parts[1].isdigit():
            stale = int(parts[1]) != os.getpid() and not _pid_alive(int(parts[1]))
        try:
            stale = stale or now - temp.stat().st_mtime > STALE_TEMP_SECONDS
            if stale:
                temp.unlink()
                removed.append(temp)
        except OSError:
            continue
    return removed


def _write_temp(folder: Path, data: bytes, mode_of: Path | None = None) -> Path:
    fd, name = tempfile.mkstemp(
        prefix=f"{TEMP_PREFIX}{_host_tag()}-{os.getpid()}-", suffix=TEMP_SUFFIX, dir=folder
    )
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode_of is not None:
            _copy_mode(mode_of, temp)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def _copy_mode(source: Path, target: Path) -> None:
    """mkstemp makes 0600 files: give the new file the workbook's permissions."""
    try:
        os.chmod(target, stat.S_IMODE(source.stat().st_mode))
    except OSError:
        pass


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _replace(temp: Path, target: Path, attempts: int, sleep: Callable[[float], None]) -> bool:
    delay = 0.1
    for attempt in range(max(1, attempts)):
        try:
            os.replace(temp, target)
            return True
        except PermissionError:
            if attempt == attempts - 1:
                return False
            sleep(delay)
            delay = min(delay * 2, 3.0)
    return False


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


class ReplaceFailed(PermissionError):
    """The target stayed locked by another program through every retry."""


@contextlib.contextmanager
def atomic_output(path: Path, *, attempts: int = 8, sleep: Callable[[float], None] = time.sleep) -> Iterator[Path]:
    """Yield a temp path in ``path``'s folder; when the block succeeds, move it onto ``path``.

    For writers that want a file name (xlsxwriter, python-docx). On any
    exception the temp file is removed and ``path`` is untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{_host_tag()}-{os.getpid()}-", suffix=TEMP_SUFFIX,
                                dir=path.parent)
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        if path.exists():
            _copy_mode(path, temp)
        else:
            os.chmod(temp, _default_mode())
        if not _replace(temp, path, attempts, sleep):
            raise ReplaceFailed(f"{path} is held by another program")
    finally:
        temp.unlink(missing_ok=True)


def atomic_write(path: Path, data: bytes | str, **kwargs) -> Path:
    """Write bytes (or UTF-8 text) to ``path`` atomically."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    with atomic_output(path, **kwargs) as temp:
        temp.write_bytes(data)
    return Path(path)
