"""Safe write-back into the staff's workbook (DESIGN.md §2 "Write back").

Other modules decide WHAT to write (an ``apply(wb) -> bool`` callable that edits
an openpyxl workbook and says whether anything toolkit-owned changed); this
module decides WHETHER and HOW it is written:

1. a lock file exists (Excel ``~$NAME``, LibreOffice ``.~lock.NAME#``) -> no
   write ("locked");
2. the file's SHA-256 is not what the caller read -> no write ("changed");
3. the workbook holds parts openpyxl would drop -> no write ("unsupported"),
   see ``toolkit.safety.unsupported_parts``;
4. the workbook is loaded from the very bytes that were hashed (``keep_vba``
   when it has a VBA project, ``rich_text=True`` so formatted runs survive)
   and ``apply`` runs; ``False`` -> no write ("unchanged"), so a pass with no
   edits leaves the file byte-identical;
5. openpyxl saves into memory; cached formula values are put back (below);
   the result goes to a temp file in the same folder (``.~doithoai-*.tmp``,
   ignored by the watcher), flushed and fsynced; locks and hash are checked
   again; the current version is copied into the rotating backup folder
   (``<folder>/sao-luu/<stem>/``, last ``keep_backups`` kept); ``os.replace``
   with backoff on PermissionError (Windows while another program holds the
   file; "busy" when it never lets go); the folder is fsynced (POSIX).
   Any failure after the temp file exists removes it: the original is never
   touched before the atomic rename. Temp files of killed runs are removed
   by the next run (``cleanup_temp_files``).

Formulas. openpyxl keeps formulas but writes them without cached values, and
the next pass reads with python-calamine, which only sees cached values.
Chosen approach: after openpyxl saves, every formula cell whose formula did
not change during ``apply`` (same sheet title, same address, same formula
text) gets its original cached value (``<v>`` and its ``t`` type) copied back
from the original sheet XML into the new sheet XML; addresses are stable
because appliers never insert or delete rows. ``fullCalcOnLoad`` is set so
Excel and LibreOffice recalculate everything on open. Limitation: a staff
formula that depends on a cell the toolkit just changed keeps its previous
cached value until Excel or LibreOffice opens and recalculates the workbook.
Proved by tests/test_writeback.py (re-read with python-calamine).
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
from xml.sax.saxutils import escape

import openpyxl
from defusedxml import ElementTree as ET
from openpyxl.utils import get_column_letter

from toolkit.atomic import (  # noqa: F401  (temp_files, cleanup_temp_files: public here too)
    STALE_TEMP_SECONDS, TEMP_PREFIX, TEMP_SUFFIX, _fsync_dir, _replace, _write_temp, cleanup_temp_files, temp_files,
)
from toolkit.errors import os_reason
from toolkit.safety import lock_files, lock_owner, sheet_parts, unsupported_parts
from toolkit.text import EXCEL_CELL_MAX, nfc

BACKUP_FOLDER = "sao-luu"

_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass
class WriteResult:
    written: bool
    reason_code: str | None  # locked, changed, unsupported, unchanged, busy, write-failed
    reason: str | None  # Vietnamese, says what happens next
    backup: Path | None = None
    sha256: str | None = None  # hash of the file as it is now


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- writing staff-derived text ----------------------------------------------


def safe_text(value: str) -> str:
    """NFC, control characters stripped, capped at 32,767 characters."""
    return _CONTROL.sub("", nfc(value))[:EXCEL_CELL_MAX]


def set_cell_text(ws, row: int, col: int, value):
    """Write ``value`` into ``ws`` at (row, col) so it can never become a formula.

    Strings are cleaned (``safe_text``); one starting with = + - @ is stored as
    a string with Excel's quote prefix. Numbers, dates, booleans and None are
    written as they are. Returns the cell.
    """
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        text = safe_text(value)
        cell.value = text
        if text[:1] in ("=", "+", "-", "@"):
            cell.data_type = "s"
            cell.quotePrefix = True
        elif cell.quotePrefix:
            cell.quotePrefix = False
    else:
        cell.value = value
    return cell


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


# --- cached formula values ------------------------------------------------------


def _formula_key(value) -> str:
    text = getattr(value, "text", None)  # ArrayFormula
    if text is not None:
        return f"{getattr(value, 'ref', '')}|{text}"
    return str(value)


def _formulas(wb) -> dict[tuple[str, int, int], str]:
    """{(sheet title, row, col): formula} for every formula cell."""
    out = {}
    for ws in wb.worksheets:
        for (row, col), cell in ws._cells.items():  # existing cells only
            if cell.data_type == "f":
                out[(ws.title, row, col)] = _formula_key(cell.value)
    return out


def _cached_values(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str | None, str]]:
    """{address: (t, v)} of formula cells with a cached value in a sheet part."""
    found = {}
    with zf.open(part) as handle:
        for _event, elem in ET.iterparse(handle, events=("end",)):
            if elem.tag != f"{_MAIN_NS}c":
                continue
            if elem.find(f"{_MAIN_NS}f") is not None:
                v = elem.find(f"{_MAIN_NS}v")
                if v is not None and v.text is not None:
                    found[elem.get("r", "")] = (elem.get("t"), v.text)
            elem.clear()
    return found


_FORMULA_CELL = re.compile(
    r'<c r="(?P<r>[A-Z]+[0-9]+)"(?P<a>[^>]*)>(?P<f><f[^>]*>[^<]*</f>)(?:<v></v>|<v\s*/>)</c>'
)


def _restore_cached(original: bytes, saved: bytes, keep: dict[str, set[str]]) -> bytes:
    """Copy cached values of unchanged formula cells from ``original`` into ``saved``."""
    if not keep:
        return saved
    with zipfile.ZipFile(io.BytesIO(original)) as zin:
        old_parts = sheet_parts(zin)
        cached = {
            title: _cached_values(zin, old_parts[title])
            for title in keep
            if title in old_parts and old_parts[title] in zin.namelist()
        }
    cached = {title: values for title, values in cached.items() if values}
    if not cached:
        return saved
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(saved)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        new_parts = {part: title for title, part in sheet_parts(zin).items()}
        for info in zin.infolist():
            data = zin.read(info.filename)
            title = new_parts.get(info.filename)
            if title in cached:
                data = _patch_sheet(data.decode("utf-8"), cached[title], keep[title]).encode("utf-8")
            zout.writestr(info, data)
    return out.getvalue()


def _patch_sheet(xml: str, cached: dict[str, tuple[str | None, str]], keep: set[str]) -> str:
    def fill(match: re.Match) -> str:
        address = match["r"]
        if address not in keep or address not in cached or " t=" in match["a"]:
            return match[0]
        kind, value = cached[address]
        t_attr = f' t="{kind}"' if kind in ("str", "b", "e") else ""
        return f'<c r="{address}"{match["a"]}{t_attr}>{match["f"]}<v>{escape(value)}</v></c>'

    return _FORMULA_CELL.sub(fill, xml)


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
        "Sổ có phần mà doithoai không ghi lại được nên sẽ bị mất nếu ghi: "
        + "; ".join(problems)
        + ". Chưa ghi vào sổ (sổ giữ nguyên); các kết quả khác vẫn được tạo trong thư mục ket-qua. "
        "Muốn doithoai ghi cột Kiểm tra và các trang tổng hợp vào sổ, hãy chuyển các phần đó sang sổ khác."
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


def _apply_and_save(wb, data: bytes, apply) -> bytes | None:
    """Run ``apply``; the saved bytes with cached values restored, or None."""
    before = _formulas(wb)
    if not apply(wb):
        return None
    after = _formulas(wb)
    keep: dict[str, set[str]] = {}
    for (title, row, col), formula in before.items():
        if after.get((title, row, col)) == formula:
            keep.setdefault(title, set()).add(f"{get_column_letter(col)}{row}")
    if wb.calculation is not None:
        wb.calculation.fullCalcOnLoad = True
    buffer = io.BytesIO()
    wb.save(buffer)
    new_data = _restore_cached(data, buffer.getvalue(), keep)
    with zipfile.ZipFile(io.BytesIO(new_data)) as check:
        if check.testzip() is not None:  # never expected: refuse rather than write
            raise RuntimeError("write-back produced a damaged zip")
    return new_data


def _has_vba(path: Path, data: bytes) -> bool:
    if path.suffix.lower() in (".xlsm", ".xltm"):
        return True
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return any(n.startswith("xl/vbaProject") for n in zf.namelist())
    except zipfile.BadZipFile:
        return False


def write_back(
    path: Path | str,
    *,
    expected_sha256: str,
    apply: Callable[[openpyxl.Workbook], bool],
    data: bytes | None = None,
    backup_dir: Path | None = None,
    keep_backups: int = 20,
    attempts: int = 8,
    sleep: Callable[[float], None] = time.sleep,
) -> WriteResult:
    """Apply ``apply`` to the workbook at ``path`` and save it in place, safely.

    ``expected_sha256`` is the hash of the bytes the caller read (``data`` when
    given, which must hash to it). Exceptions raised by ``apply`` propagate
    with the file untouched; OS errors while writing give "write-failed".
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
    problems = unsupported_parts(data)
    if problems:
        return _unsupported(path, problems)

    wb = openpyxl.load_workbook(io.BytesIO(data), keep_vba=_has_vba(path, data), rich_text=True)
    try:
        new_data = _apply_and_save(wb, data, apply)
    finally:
        if getattr(wb, "vba_archive", None) is not None:
            wb.vba_archive.close()
    if new_data is None:
        return WriteResult(False, "unchanged", "Không có gì mới cần ghi vào sổ: sổ giữ nguyên.", None, expected_sha256)

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
