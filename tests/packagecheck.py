"""What a write-back may change in a package, checked byte for byte (docs/ARCHITECTURE.md, "The write-back contract").

``owned_changes_only(old, new, patched=..., written=..., generated=...)`` fails
unless every zip entry doithoai does not own keeps its exact uncompressed
bytes and its order, and inside each patched sheet every staff cell element,
every row start tag and everything outside sheetData (but the dimension) is
unchanged. ``validate(path)`` runs tests/ooxml/validate.py (ECMA-376 schema
and Excel's ordering rules) on a written workbook.
"""

from __future__ import annotations

import io
import posixpath
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import VALIDATE
from toolkit.xlsx import patch as xlsxpatch

_CELL = re.compile(rb"<(?:\w+:)?c\b[^>]*?(?:/>|>.*?</(?:\w+:)?c>)", re.S)
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b[^>]*>")
_REF = re.compile(rb'\sr="([A-Z]+\d+)"')
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData\b[^>]*/>|<(?:\w+:)?sheetData\b.*?</(?:\w+:)?sheetData>", re.S)
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*/>")

WORKBOOK_PARTS = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml",
                  "xl/calcChain.xml"}


def rename_first_sheet(data: bytes, new_name: str) -> bytes:
    """The same Excel-made parts, with the first sheet renamed in xl/workbook.xml only."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "xl/workbook.xml":
                content = content.replace(b'name="Sheet1"', f'name="{new_name}"'.encode("utf-8"), 1)
            dst.writestr(info, content)
    return out.getvalue()


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.namelist()


def sheet_part(data: bytes, title: str) -> str:
    return xlsxpatch.sheet_parts(data)[title]


def owned_changes_only(old: bytes, new: bytes, *, patched: dict[str, set[str]], generated: set[str] = frozenset()):
    """``patched``: sheet title -> A1 refs doithoai wrote there; ``generated``: titles written whole."""
    before, after = parts(old), parts(new)
    assert names(new)[:len(before)] == names(old), "entry order changed"
    allowed = set(WORKBOOK_PARTS)
    for title in patched:
        allowed.add(sheet_part(old, title))
    for title in generated:
        try:
            part = sheet_part(old, title)
        except KeyError:
            continue
        allowed.add(part)     # and its own relationships (its links to the departments' files)
        allowed.add(posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels"))
    changed = [n for n in before if before[n] != after[n]]
    assert set(changed) <= allowed, f"parts doithoai does not own changed: {sorted(set(changed) - allowed)}"
    for title, refs in patched.items():
        part = sheet_part(old, title)
        staff_cells_kept(before[part], after[part], {r.encode() for r in refs})


def staff_cells_kept(old_xml: bytes, new_xml: bytes, written: set[bytes]) -> None:
    def staff(xml):
        out = []
        for m in _CELL.finditer(xml):
            ref = _REF.search(m.group(0))
            if ref is None or ref.group(1) not in written:
                out.append(m.group(0))
        return out

    assert staff(new_xml) == staff(old_xml), "a staff cell element changed"
    # a row's attributes, byte for byte (an empty <row .../> that gets a cell becomes <row ...>)
    old_rows, new_rows = ([re.sub(rb"\s*/>$", b">", t) for t in _ROW_TAG.findall(xml)] for xml in (old_xml, new_xml))
    it = iter(new_rows)
    assert all(any(tag == other for other in it) for tag in old_rows), "a row's attributes changed"
    outside = [_DIMENSION.sub(b"", _SHEET_DATA.sub(b"", xml)) for xml in (old_xml, new_xml)]
    assert outside[0] == outside[1], "something outside the cells changed"


def validate(path: Path) -> None:
    """The written workbook passes the strict OOXML checker (Excel refuses what LibreOffice repairs)."""
    proc = subprocess.run([sys.executable, str(VALIDATE), str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
