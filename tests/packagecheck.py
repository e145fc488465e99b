"""What a write-back may change in a package, checked byte for byte (docs/ARCHITECTURE.md, "The write-back contract").

``owned_changes_only(old, new, patched=..., written=..., generated=...)`` fails
unless every zip entry doithoai does not own keeps its exact uncompressed
bytes and its order, and inside each patched sheet every staff cell element,
every row start tag and everything outside sheetData (but the dimension) is
unchanged. ``validate(path)`` runs tests/ooxml/validate.py (ECMA-376 schema
and Excel's ordering rules) on a written workbook.

Nothing here uses the code under test: the sheet XML is cut into elements by
expat (the standard library's XML parser, which reports each event's byte
offset), and sheets are found from workbook.xml and its relationships by lxml.
A mistake in the patcher's own reading of sheet XML cannot hide here.
"""

from __future__ import annotations

import io
import posixpath
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from lxml import etree

from conftest import VALIDATE

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

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
    """The zip member of the sheet named ``title``, from workbook.xml and its rels (lxml)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        book = etree.fromstring(zf.read("xl/workbook.xml"))
        rels = etree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{{{PKG_REL}}}Relationship")}
    for sheet in book.iter(f"{{{MAIN}}}sheet"):
        if sheet.get("name") == title:
            target = targets[sheet.get(f"{{{REL}}}id")]
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    raise KeyError(title)


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
        staff_cells_kept(before[part], after[part], set(refs))


@dataclass
class Element:
    """One element of a sheet's XML as expat saw it: its local name, attributes and byte spans."""

    name: str
    attrs: dict
    start: int            # where its start tag begins
    tag_end: int          # where its start tag ends (for <x/>, the end of the element)
    end: int = -1         # where the element ends


def elements(xml: bytes) -> list[Element]:
    """Every element of ``xml`` in document order, with byte offsets from expat's events."""
    parser = expat.ParserCreate(namespace_separator=" ")
    found: list[Element] = []
    stack: list[tuple[Element, int]] = []
    events = [0]          # events seen so far; an element with none inside it may be <x/>
    open_tag: list[Element] = []   # the element whose start tag the next event ends

    def event_at(index: int) -> None:
        if open_tag:
            open_tag.pop().tag_end = index
        events[0] += 1

    def start(name, attrs):
        event_at(parser.CurrentByteIndex)
        element = Element(name.split(" ")[-1], attrs, parser.CurrentByteIndex, -1)
        found.append(element)
        stack.append((element, events[0]))
        open_tag.append(element)

    def end(_name):
        at = parser.CurrentByteIndex
        event_at(at)
        element, seen = stack.pop()
        if seen == events[0] - 1 and xml[at - 2:at] == b"/>" and element.tag_end == at:
            element.end = at                          # <x .../>: expat reports its end after the tag
        else:
            element.end = xml.index(b">", at) + 1     # </x>

    def text(_data):
        event_at(parser.CurrentByteIndex)

    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    parser.Parse(xml, True)
    return found


def staff_cells_kept(old_xml: bytes, new_xml: bytes, written: set[str]) -> None:
    old, new = elements(old_xml), elements(new_xml)

    def staff(xml: bytes, parsed: list[Element]) -> list[bytes]:
        return [xml[e.start:e.end] for e in parsed if e.name == "c" and e.attrs.get("r") not in written]

    assert staff(new_xml, new) == staff(old_xml, old), "a staff cell element changed"
    # a row's start tag, byte for byte (an empty <row .../> that gets a cell becomes <row ...>)
    def row_tags(xml: bytes, parsed: list[Element]) -> list[bytes]:
        tags = [xml[e.start:e.tag_end] for e in parsed if e.name == "row"]
        return [tag[:-2].rstrip() + b">" if tag.endswith(b"/>") else tag for tag in tags]

    it = iter(row_tags(new_xml, new))
    assert all(any(tag == other for other in it) for tag in row_tags(old_xml, old)), "a row's attributes changed"

    def outside(xml: bytes, parsed: list[Element]) -> bytes:
        cut = sorted((e.start, e.end) for e in parsed if e.name in ("sheetData", "dimension"))
        kept, at = [], 0
        for a, b in cut:
            kept.append(xml[at:a])
            at = b
        return b"".join(kept) + xml[at:]

    assert outside(old_xml, old) == outside(new_xml, new), "something outside the cells changed"


def validate(path: Path) -> None:
    """The written workbook passes the strict OOXML checker (Excel refuses what LibreOffice repairs)."""
    proc = subprocess.run([sys.executable, str(VALIDATE), str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
