"""Safe write-back into the staff's workbook (docs/ARCHITECTURE.md, "The write-back contract").

Other modules decide WHAT to write: an ``apply(data) -> bytes | None``
callable that returns the patched package (``toolkit.pipeline.applier.Applier``, which
builds a ``toolkit.xlsx.patch`` patch) or None when nothing toolkit-owned
changed. This module decides WHETHER and HOW it is written:

1. a lock file exists (Excel ``~$NAME``, LibreOffice ``.~lock.NAME#``) -> no
   write ("locked");
2. the file's SHA-256 is not what the caller read -> no write ("changed");
3. ``apply`` runs on the very bytes that were hashed; None -> no write
   ("unchanged"), so a pass with no edits leaves the file byte-identical;
   ``xlsxpatch.PatchRefused`` -> no write ("unsupported", the reasons in
   Vietnamese), the file untouched;
4. the result goes to a temp file in the same folder (``.~doithoai-*.tmp``,
   ignored by the watcher), flushed and fsynced; locks and hash are checked
   again; the current version is copied into the rotating backup folder
   (``<folder>/sao-luu/<stem>/``, last ``keep_backups`` kept); ``os.replace``
   with backoff on PermissionError (Windows while another program holds the
   file; "busy" when it never lets go); the folder is fsynced (POSIX).
   Any failure after the temp file exists removes it: the original is never
   touched before the atomic rename. Temp files of killed runs are removed
   by the next run (``cleanup_temp_files``).

The package is patched, never re-saved: formulas and their cached values,
and every part the toolkit does not own, keep their bytes (see
``toolkit.xlsx.patch``).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import time
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

from toolkit.xlsx.atomic import (  # noqa: F401  (temp_files, cleanup_temp_files: public here too)
    STALE_TEMP_SECONDS, TEMP_PREFIX, TEMP_SUFFIX, _fsync_dir, _replace, _write_temp, cleanup_temp_files, temp_files,
)
from toolkit.core.errors import os_reason
from toolkit.xlsx.locks import lock_files, lock_owner
from toolkit.xlsx.patch import PatchRefused

BACKUP_FOLDER = "sao-luu"



@dataclass
class WriteResult:
    written: bool
    reason_code: str | None  # locked, changed, unsupported, unchanged, busy, write-failed
    reason: str | None  # Vietnamese, says what happens next
    backup: Path | None = None
    sha256: str | None = None  # hash of the file as it is now


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- backups ------------------------------------------------------------------


def backup_folder(path: Path, backup_dir: Path | None = None) -> Path:
    return Path(backup_dir) if backup_dir else path.parent / BACKUP_FOLDER / path.stem


def backups(path: Path, backup_dir: Path | None = None) -> list[Path]:
    """Backups of ``path``, oldest first."""
    folder = backup_folder(path, backup_dir)
    pattern = re.compile(re.escape(path.stem) + r"-\d{8}-\d{6}-\d{6}" + re.escape(path.suffix) + "$")
    try:
        return sorted(p for p in folder.iterdir() if pattern.match(p.name))
    except OSError:
        return []


def _backup(path: Path, data: bytes, backup_dir: Path | None, keep: int) -> Path | None:
    if keep <= 0:
        return None
    folder = backup_folder(path, backup_dir)
    folder.mkdir(parents=True, exist_ok=True)
    cleanup_temp_files(folder)
    stamp = datetime.now()
    while True:
        target = folder / f"{path.stem}-{stamp:%Y%m%d-%H%M%S-%f}{path.suffix}"
        if not target.exists():
            break
        stamp = stamp.replace(microsecond=(stamp.microsecond + 1) % 1_000_000)
    temp = _write_temp(folder, data, mode_of=path)
    try:
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    for old in backups(path, backup_dir)[:-keep]:
        try:
            old.unlink()
        except OSError:
            pass
    return target


def keep_copy(path: Path, data: bytes, backup_dir: Path | None = None, keep: int = 20) -> Path | None:
    """Put ``data`` (a version of ``path``) in the rotating backup folder, as a write-back does."""
    return _backup(Path(path), data, backup_dir, keep)


# --- the write-back ---------------------------------------------------------------


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _hash_now(path: Path) -> str | None:
    data = _read(path)
    return None if data is None else sha256_bytes(data)


def _locked(path: Path, locks: list[Path]) -> WriteResult:
    lock = locks[0]
    owner = lock_owner(lock)
    reason = (
        f"Sổ đang mở trong {owner} ({lock.name}): chưa ghi vào sổ; sẽ ghi khi đóng sổ. "
        f"Nếu sổ đã đóng mà vẫn báo thế này, hãy xóa tệp {lock.name} trong thư mục của sổ."
    )
    return WriteResult(False, "locked", reason, None, _hash_now(path))


def _changed(path: Path) -> WriteResult:
    reason = (
        "Sổ vừa được sửa hoặc lưu lại trong lúc kiểm tra: chưa ghi vào sổ; "
        "lượt kiểm tra sau sẽ đọc bản mới và ghi."
    )
    return WriteResult(False, "changed", reason, None, _hash_now(path))


def _unsupported(path: Path, problems: list[str]) -> WriteResult:
    reason = (
        "Chưa ghi được vào sổ (sổ giữ nguyên) vì: "
        + "; ".join(problems)
        + ". Các kết quả khác vẫn được tạo trong thư mục ket-qua; sửa như trên rồi lưu lại sổ để doithoai ghi."
    )
    return WriteResult(False, "unsupported", reason, None, _hash_now(path))


def _busy(path: Path) -> WriteResult:
    reason = (
        "Sổ đang bị chương trình khác giữ (có thể đang lưu hoặc sao chép): chưa ghi vào sổ; "
        "sẽ thử lại ở lượt sau."
    )
    return WriteResult(False, "busy", reason, None, _hash_now(path))


def _failed(path: Path, error: OSError) -> WriteResult:
    reason = (
        f"Không ghi được vào thư mục của sổ ({os_reason(error)}): sổ giữ nguyên. "
        "Hãy kiểm tra ổ đĩa còn chỗ trống và quyền ghi vào thư mục, rồi lưu lại sổ để chạy lại."
    )
    return WriteResult(False, "write-failed", reason, None, _hash_now(path))


def write_back(
    path: Path | str,
    *,
    expected_sha256: str,
    apply: Callable[[bytes], bytes | None],
    data: bytes | None = None,
    backup_dir: Path | None = None,
    keep_backups: int = 20,
    attempts: int = 8,
    sleep: Callable[[float], None] = time.sleep,
) -> WriteResult:
    """Patch the workbook at ``path`` with ``apply`` and put the result in place, safely.

    ``expected_sha256`` is the hash of the bytes the caller read (``data`` when
    given, which must hash to it). Exceptions raised by ``apply`` (other than
    ``PatchRefused``) propagate with the file untouched; OS errors while
    writing give "write-failed".
    """
    path = Path(path)
    if data is not None and sha256_bytes(data) != expected_sha256:
        raise ValueError("data does not match expected_sha256")
    locks = lock_files(path)
    if locks:
        return _locked(path, locks)
    current = _read(path)
    if current is None:
        if path.exists():
            return _busy(path)
        return _changed(path)
    if sha256_bytes(current) != expected_sha256:
        return _changed(path)
    data = current if data is None else data
    try:
        new_data = apply(data)
    except PatchRefused as refused:
        return _unsupported(path, refused.problems)
    if new_data is None:
        return WriteResult(False, "unchanged", "Không có gì mới cần ghi vào sổ: sổ giữ nguyên.", None, expected_sha256)

    with zipfile.ZipFile(io.BytesIO(new_data)) as check:
        if check.testzip() is not None:  # never expected: refuse rather than write
            raise RuntimeError("write-back produced a damaged zip")
    folder = path.parent
    cleanup_temp_files(folder)
    temp: Path | None = None
    try:
        temp = _write_temp(folder, new_data, mode_of=path)
        locks = lock_files(path)
        if locks:
            return _locked(path, locks)
        if _hash_now(path) != expected_sha256:
            return _changed(path)
        backup = _backup(path, data, backup_dir, keep_backups)
        if not _replace(temp, path, attempts, sleep):
            return _busy(path)
        temp = None
        _fsync_dir(folder)
    except OSError as error:
        return _failed(path, error)
    finally:
        if temp is not None:
            temp.unlink(missing_ok=True)
    return WriteResult(True, None, None, backup, sha256_bytes(new_data))
