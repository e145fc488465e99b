"""What must stop an in-place write-back, and where a workbook's sheets are.

- ``lock_files(path)``: the owner/lock files Excel and LibreOffice create while
  a workbook is open (no write while one exists);
- ``sheet_parts(zf)``: sheet title -> its XML part, following the package's
  relationships.

What the write-back may change and when it refuses is ``toolkit.xlsxpatch``'s
business: it patches the package, so nothing staff made is dropped.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

from defusedxml import ElementTree as ET

_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def lock_files(path: Path | str) -> list[Path]:
    """Existing lock files of the workbook at ``path``.

    Excel: ``~$NAME.xlsx``; for long names Excel replaces the first characters
    of the name with ``~$`` (``~$i-thoai-2024.xlsx`` for ``doi-thoai-2024.xlsx``),
    so the one- and two-character truncations are accepted too.
    LibreOffice: ``.~lock.NAME.xlsx#``.
    """
    path = Path(path)
    name = path.name
    folder = path.parent
    candidates = [f"~${name}", f"~${name[2:]}", f"~${name[1:]}", f".~lock.{name}#"]
    found: list[Path] = []
    seen: set[str] = set()
    for candidate in candidates:
        if candidate in seen or candidate in ("~$", ".~lock.#"):
            continue
        seen.add(candidate)
        lock = folder / candidate
        if lock.exists():
            found.append(lock)
    return found


def lock_owner(lock: Path) -> str:
    """'LibreOffice' or 'Excel', from the lock file's name."""
    return "LibreOffice" if lock.name.startswith(".~lock.") else "Excel"


# --- package index ----------------------------------------------------------


def _rels_path(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _resolve(source: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _relations(zf: zipfile.ZipFile, names: set[str], part: str) -> list[tuple[str, str, str]]:
    """(id, type suffix, target part) of ``part``'s relationships."""
    rels = _rels_path(part)
    if rels not in names:
        return []
    root = ET.fromstring(zf.read(rels))
    out = []
    for rel in root.iter(f"{_REL_NS}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        kind = rel.get("Type", "").rsplit("/", 1)[-1]
        out.append((rel.get("Id", ""), kind, _resolve(part, rel.get("Target", ""))))
    return out


def _sheets(zf: zipfile.ZipFile, names: set[str], workbook: str) -> list[tuple[str, str]]:
    """(sheet title, sheet part) in workbook order."""
    targets = {rid: target for rid, _kind, target in _relations(zf, names, workbook)}
    root = ET.fromstring(zf.read(workbook))
    out = []
    for sheet in root.iter(f"{_MAIN_NS}sheet"):
        target = targets.get(sheet.get(f"{_R_NS}id", ""))
        if target:
            out.append((sheet.get("name", ""), target))
    return out


def workbook_part(zf: zipfile.ZipFile) -> str | None:
    names = set(zf.namelist())
    for _rid, kind, target in _relations(zf, names, ""):
        if kind == "officeDocument":
            return target if target in names else None
    return "xl/workbook.xml" if "xl/workbook.xml" in names else None


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """{sheet title: sheet XML part} (worksheets and chartsheets)."""
    wb = workbook_part(zf)
    if wb is None:
        return {}
    return dict(_sheets(zf, set(zf.namelist()), wb))
