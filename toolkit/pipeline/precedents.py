"""The history a pass hands the learning router: settled assignments of the registers beside it.

The router (toolkit.rules.learning) does no file I/O; this module decides which files
count, reads them and caches what they teach (toolkit.pipeline.learncache):

- the registers beside this one (other .xlsx files in the same folder, not lock or
  hidden files; the newest year first, at most :data:`MAX_NEIGHBOURS`);
- from each, only settled assignments: Căn cứ phân công "Nhập tay", or Trạng thái
  past "Mới tiếp nhận" (the department took the petition on);
- a file that is this register's own copy (a backup, "so - Copy.xlsx": most of its
  settled petitions have a Mã of this register with the same Nội dung) teaches
  nothing and is said so in one warning; a file that cannot be read is said so too.
  A file that is not a register at all (another workbook kept there) is passed over.

The router also leaves the petition itself out of whatever is left (same Mã or same
Nội dung): a copy kept elsewhere, or last year's file holding the same petitions.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.core import schema, text
from toolkit.core.findings import Finding
from toolkit.core.model import Dataset
from toolkit.pipeline import learncache
from toolkit.rules.learning import Example

MAX_NEIGHBOURS = 10        # earlier workbooks read from the folder
NEIGHBOUR_MAX_BYTES = 200 * 1024 * 1024
COPY_SHARE = 0.5           # a file whose settled petitions are this register's petitions at least this much
# What a neighbour teaches (_read_examples) is kept on disk under this version
# (toolkit.pipeline.learncache): bump it when _read_examples changes what it returns.
EXAMPLES_VERSION = 2
_EXAMPLE_KEYS = ("ma", "noi_dung", "chu_tri", "trang_thai", "can_cu")


class Unreadable(Exception):
    """A file beside the register that looks like a workbook but cannot be read."""


@dataclass
class Precedents:
    examples: list[Example] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def neighbour_files(path: Path) -> list[Path]:
    path = Path(path)
    try:
        siblings = [f for f in path.parent.iterdir()
                    if f.suffix.lower() == ".xlsx" and not f.name.startswith(("~$", "."))
                    and f.resolve() != path.resolve() and f.is_file()]
    except OSError:
        return []
    siblings.sort(key=lambda f: f.name, reverse=True)      # "2024" before "2023": newest year first
    return siblings[:MAX_NEIGHBOURS]


_CACHE: dict[tuple[str, int, int], list[Example] | Unreadable] = {}


def examples_version() -> str:
    """The version of what a neighbour teaches: :data:`EXAMPLES_VERSION` and the names
    _read_examples looks for, so a renamed column or status also invalidates the disk cache."""
    sheet = schema.KIEN_NGHI
    names = [EXAMPLES_VERSION, sheet.name, sheet.match_key, [sheet.col(k) for k in _EXAMPLE_KEYS],
             schema.MANUAL_BASIS, schema.STATUS_NEW]
    digest = hashlib.sha256(json.dumps(names, ensure_ascii=False).encode("utf-8")).hexdigest()
    return f"{EXAMPLES_VERSION}-{digest[:16]}"


def examples_from_file(path: Path) -> list[Example]:
    """Settled petitions of another doithoai register; [] when it is not a register.

    Remembered per file version in this process and on disk (learncache), so a fresh
    process reads the workbook only when it changed. Raises :class:`Unreadable` for a
    file that cannot be read (not remembered on disk: the next pass tries again)."""
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    found = _CACHE.get(key)
    if found is None:
        found = _examples_uncached(path, st)
        if len(_CACHE) > 64:
            _CACHE.clear()
        _CACHE[key] = found
    if isinstance(found, Unreadable):
        raise found
    return found


def _examples_uncached(path: Path, st: os.stat_result) -> list[Example] | Unreadable:
    if st.st_size > NEIGHBOUR_MAX_BYTES:
        return []
    version = examples_version()
    rows = learncache.load(path, st, version)
    if rows is not None:
        return [Example(*row) for row in rows]
    try:
        found = _read_examples(path)
    except Exception as exc:   # noqa: BLE001 - another person's file, any shape
        learncache.forget(path)          # what it taught before no longer holds
        return Unreadable(_reason(exc))
    if found is None:                   # not a register: no cache is kept for it
        learncache.forget(path)
        return []
    learncache.store(path, st, version, ((e.content, e.department, e.ident) for e in found))
    return found


def _reason(exc: Exception) -> str:
    name = type(exc).__name__
    if "Password" in name or "Encrypt" in str(exc):
        return "tệp có mật khẩu"
    if isinstance(exc, (PermissionError,)):
        return "tệp đang bị chương trình khác giữ"
    return "tệp hỏng hoặc không phải sổ Excel .xlsx"


def _read_examples(path: Path) -> list[Example] | None:
    """The settled petitions of the register at ``path``; None when it is not a register
    (no Kiến nghị sheet with Nội dung and Bộ phận chủ trì in its first rows)."""
    import python_calamine as pc

    sheet = schema.KIEN_NGHI
    wb = pc.CalamineWorkbook.from_path(os.fspath(path))
    try:
        title = next((n for n in wb.sheet_names if text.header_key(n) == sheet.match_key), None)
        if title is None:
            return None
        grid = wb.get_sheet_by_name(title).to_python(skip_empty_area=False)
    finally:
        wb.close()
    wanted = {sheet.col(k): k for k in _EXAMPLE_KEYS}
    keys = {text.header_key(h): k for h, k in wanted.items()}
    for hi, row in enumerate(grid[:10]):
        cols = {keys[text.header_key(v)]: j for j, v in enumerate(row)
                if isinstance(v, str) and text.header_key(v) in keys}
        if "noi_dung" in cols and "chu_tri" in cols:
            break
    else:
        return None
    manual = text.fold(schema.MANUAL_BASIS)
    new = text.ascii_fold(schema.STATUS_NEW)
    out = []
    same: dict[str, str] = {}           # one string per Nội dung: a register repeats them
    for i, row in enumerate(grid[hi + 1:], start=hi + 2):
        def cell(k):
            j = cols.get(k)
            v = row[j] if j is not None and j < len(row) else None
            return "" if v is None else str(v).strip()
        content, dept = cell("noi_dung"), cell("chu_tri")
        if not content or not dept:
            continue
        status = text.ascii_fold(cell("trang_thai"))
        if text.fold(cell("can_cu")) == manual or (status and status != new):
            content, dept = same.setdefault(content, content), same.setdefault(dept, dept)
            out.append(Example(content, dept, cell("ma") or f"{path.stem} dòng {i}"))
    return out


def is_copy_of(examples: list[Example], dataset: Dataset) -> bool:
    """Most of ``examples`` are this register's own petitions (same Mã, same Nội dung)."""
    if not examples:
        return False
    # Nội dung by Mã; the same text typed is the same text folded, so only texts that differ are folded
    # (folding every long Nội dung of two registers was most of a `check` beside a copy of itself)
    mine: dict[str, list] = {}
    for p in dataset.petitions:
        if isinstance(p.ma, str) and p.ma.strip():
            mine.setdefault(p.ma.strip().upper(), []).append(p.noi_dung or "")

    def same(e: Example) -> bool:
        contents = mine.get(e.ident.strip().upper())
        if not contents:
            return False
        if e.content in contents:
            return True
        folded = text.fold(e.content)
        return any(text.fold(c) == folded for c in contents)

    return sum(map(same, examples)) >= COPY_SHARE * len(examples)


def gather(path: Path, dataset: Dataset) -> Precedents:
    """What the registers beside ``path`` teach, and a warning for each file left out."""
    out = Precedents()
    for rank, f in enumerate(neighbour_files(path), start=1):
        try:
            found = examples_from_file(f)
        except FileNotFoundError:
            continue                      # gone meanwhile
        except (Unreadable, OSError) as exc:
            reason = str(exc) if isinstance(exc, Unreadable) else _reason(exc)
            out.findings.append(Finding("neighbour-unreadable", value=f.name, extra={"reason": reason}))
            continue
        if is_copy_of(found, dataset):
            out.findings.append(Finding("neighbour-copy", value=f.name))
            continue
        out.examples.extend(Example(e.content, e.department, e.ident, rank) for e in found)
    return out
