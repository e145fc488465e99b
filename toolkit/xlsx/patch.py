"""Patch an .xlsx package instead of re-saving it (docs/ARCHITECTURE.md, "The write-back contract").

The workbook belongs to staff; the toolkit owns a few cells and a few sheets.
``patch(data, staff=..., generated=...)`` returns new package bytes in which
only these change:

- in the sheet XML of a staff sheet (Kiến nghị, Đại biểu, Công việc), only the cells
  listed in a :class:`StaffEdit` (their value and, where needed, their style
  index); a row that holds no cell yet gets a new ``<row>``; the sheet's
  ``<dimension>`` grows when a cell lands outside it. Every other cell
  element, every row's start tag (height, custom height, hidden, outline),
  cols, merges, conditional formats, validations, hyperlinks, drawings,
  comments, header/footer, page setup and extLst keep their bytes. A cell
  holding a formula is never written;
- each :class:`GeneratedSheet` is written whole (a new part when the sheet is
  missing) and its visibility set in workbook.xml; ``init --add-sheet`` adds an
  optional staff sheet the same way (``toolkit.pipeline.addsheet``), once;
- ``styles.xml`` gets new entries appended at the end of its lists (see
  ``toolkit.xlsx.styles``); existing indices never move;
- ``workbook.xml``, its rels and ``[Content_Types].xml`` change only to add a
  toolkit sheet, set a toolkit sheet's visibility, or set ``calcPr
  fullCalcOnLoad`` (when staff formulas exist, so Excel and LibreOffice
  recalculate them against the new values on open).

Every other zip entry keeps its exact uncompressed bytes, in the same order.
Strings are written as inline strings (``sharedStrings.xml`` is left alone).
Sheet XML is handled as bytes, one sheet at a time, with the patterns of
``toolkit.xlsx.sheettokens``, so memory follows the largest sheet, not the workbook.

``PatchRefused`` (a list of Vietnamese reasons) is raised, and nothing is
written, only where the package cannot be patched safely: strict-OOXML
namespaces, a staff object (chart, picture, comment, table, pivot table) on
a sheet the toolkit writes whole, a toolkit cell inside a merged range or an
array formula, a sheet part that is missing or not a worksheet.
"""

from __future__ import annotations

import dataclasses
import io
import posixpath
import re
import zipfile
from typing import Iterator
from dataclasses import dataclass, field

from defusedxml import ElementTree as ET

from toolkit.core.text import sheet_name_key
from toolkit.xlsx import sheettokens, zipcopy
from toolkit.xlsx.sheetpatch import (GeneratedSheet, PatchRefused, SheetPatcher, Write, attr_text, external_links,
                                     generated_xml)
from toolkit.xlsx.styles import StyleBook, StylesError

__all__ = ["GeneratedSheet", "PatchRefused", "StaffEdit", "Write", "patch", "sheet_parts"]

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_STRICT = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WORKSHEET_TYPE = _DOC_REL + "/worksheet"
_STYLES_TYPE = _DOC_REL + "/styles"
_WORKSHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_STYLES_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
_HYPERLINK_TYPE = _DOC_REL + "/hyperlink"
_RELS_CT = "application/vnd.openxmlformats-package.relationships+xml"

# Relationship types a generated sheet may carry and still be written whole.
_HARMLESS_SHEET_RELS = {"hyperlink", "printerSettings"}
_OBJECT_NAMES = {
    "drawing": "hình vẽ, ảnh hoặc biểu đồ",
    "vmlDrawing": "chú thích hoặc nút điều khiển",
    "comments": "chú thích (comment)",
    "table": "bảng Excel (Table)",
    "pivotTable": "bảng tổng hợp (PivotTable)",
    "threadedComment": "chú thích dạng hội thoại",
    "control": "nút điều khiển",
}



@dataclass
class StaffEdit:
    """Cells to write on a staff sheet; everything else on it stays byte for byte."""

    title: str
    cells: dict[tuple[int, int], Write] = field(default_factory=dict)


# --- the package --------------------------------------------------------------------


def _rels_part(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _resolve(source: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


class _Package:
    def __init__(self, data: bytes | zipfile.ZipFile):
        self.data = data if isinstance(data, bytes) else None
        self.zf = data if isinstance(data, zipfile.ZipFile) else zipfile.ZipFile(io.BytesIO(data))
        self.names = self.zf.namelist()
        self.name_set = set(self.names)
        self.new: dict[str, bytes | zipcopy.Deflated] = {}   # part -> new content (changed or added)
        self.added: list[str] = []
        self.removed: set[str] = set()

    def read(self, part: str) -> bytes:
        if part in self.new:
            new = self.new[part]
            return new.raw() if isinstance(new, zipcopy.Deflated) else new
        return self.zf.read(part)

    def read_large(self, part: str) -> bytes | bytearray:
        """``read`` for a part that may be hundreds of MB (a staff sheet): no second copy while reading."""
        if part in self.new:
            return self.read(part)
        return zipcopy.read_member(self.zf, part)

    def chunks(self, part: str, size: int = 1 << 20) -> Iterator[bytes]:
        """A part's content a piece at a time (a large sheet is never decompressed whole)."""
        new = self.new.get(part)
        if isinstance(new, zipcopy.Deflated):
            yield from new.chunks(size)
        elif new is not None:
            yield new
        else:
            with self.zf.open(part) as stream:
                while piece := stream.read(size):
                    yield piece

    def has(self, part: str) -> bool:
        return part not in self.removed and (part in self.new or part in self.name_set)

    def put(self, part: str, data: bytes | zipcopy.Deflated) -> None:
        if not self.has(part) and part not in self.name_set:
            self.added.append(part)
        self.removed.discard(part)
        self.new[part] = data

    def remove(self, part: str) -> None:
        """Leave ``part`` out of the package (an emptied calculation chain)."""
        self.new.pop(part, None)
        if part in self.added:
            self.added.remove(part)
        if part in self.name_set:
            self.removed.add(part)

    def relations(self, part: str) -> list[tuple[str, str, str, str]]:
        """(id, type suffix, target part, TargetMode) of a part's relationships."""
        rels = _rels_part(part)
        if not self.has(rels):
            return []
        root = ET.fromstring(self.read(rels))
        out = []
        for rel in root.iter(f"{{{_REL_NS}}}Relationship"):
            mode = rel.get("TargetMode", "")
            target = rel.get("Target", "")
            out.append((rel.get("Id", ""), rel.get("Type", "").rsplit("/", 1)[-1],
                        target if mode == "External" else _resolve(part, target), mode))
        return out

    def workbook(self) -> str:
        for _rid, kind, target, _mode in self.relations(""):
            if kind == "officeDocument" and self.has(target):
                return target
        if self.has("xl/workbook.xml"):
            return "xl/workbook.xml"
        raise PatchRefused(["tệp không có phần sổ tính Excel (có thể là .xlsb hoặc tệp hỏng)"])

    def to_bytes(self) -> bytes:
        """The package with changed parts rewritten in place and added ones at the end; every
        other entry copied as it is (see ``toolkit.xlsx.zipcopy``)."""
        replaced = {name: data for name, data in self.new.items() if name not in self.added}
        return zipcopy.rebuild(self.data, replaced, [(name, self.new[name]) for name in self.added],
                               frozenset(self.removed))


# --- the workbook part ------------------------------------------------------------------


class _Workbook:
    """Splice edits into workbook.xml, its rels and the content types."""

    def __init__(self, pkg: _Package):
        self.pkg = pkg
        self.part = pkg.workbook()
        self.xml = pkg.read(self.part)
        if _STRICT in self.xml[:4096]:
            raise PatchRefused(["sổ được lưu theo chuẩn «Strict Open XML», doithoai chỉ ghi được sổ .xlsx thông "
                                "thường; hãy mở sổ trong Excel và lưu lại dạng «Excel Workbook (.xlsx)»"])
        root = ET.fromstring(self.xml)
        m = re.search(rb"<(\w+:)?workbook\b[^>]*>", self.xml)
        self.p = (m.group(1) or b"").decode() if m else ""
        r = re.search(rb'\sxmlns:(\w+)="' + re.escape(_DOC_REL.encode()) + b'"', m.group(0)) if m else None
        self.r = r.group(1).decode() if r else None     # the root's prefix for relationship ids
        pr = root.find(f"{{{_MAIN}}}workbookPr")
        self.date1904 = pr is not None and pr.get("date1904", "").lower() in ("1", "true")
        rels = pkg.relations(self.part)
        targets = {rid: (kind, target) for rid, kind, target, _mode in rels}
        self.rel_ids = {rid for rid, *_ in rels}
        self.sheets: dict[str, tuple[str, str, str]] = {}   # title -> (part, kind, r:id)
        self.sheet_ids: list[int] = []
        for sheet in root.iter(f"{{{_MAIN}}}sheet"):
            rid = sheet.get(f"{{{_DOC_REL}}}id", "")
            kind, target = targets.get(rid, ("", ""))
            self.sheets[sheet.get("name", "")] = (target, kind, rid)
            try:
                self.sheet_ids.append(int(sheet.get("sheetId", "0")))
            except ValueError:
                pass
        self.states = {sheet.get("name", ""): sheet.get("state", "visible") for sheet in root.iter(f"{{{_MAIN}}}sheet")}
        self.styles_part = next((t for _r, k, t, _m in rels if k == "styles"), None)
        self.new_sheets: list[str] = []
        self.new_rels: list[str] = []
        self.changed = False

    def title_of(self, title: str) -> str:
        """The sheet's title as the workbook spells it, matched as Excel matches sheet names
        (a generated sheet staff renamed "TỔNG HỢP" is still that sheet); ``title`` when absent."""
        if title in self.sheets:
            return title
        key = sheet_name_key(title)
        return next((t for t in self.sheets if sheet_name_key(t) == key), title)

    def styles(self) -> StyleBook:
        data = self.pkg.read(self.styles_part) if self.styles_part and self.pkg.has(self.styles_part) else None
        try:
            return StyleBook(data)
        except StylesError as exc:
            raise PatchRefused([f"phần định dạng (styles.xml) của sổ không đọc được: {exc}"]) from None

    def add_sheet(self, title: str, state: str) -> str:
        folder = posixpath.dirname(self.part)
        n = 1
        while self.pkg.has(posixpath.join(folder, f"worksheets/sheet{n}.xml")):
            n += 1
        part = posixpath.join(folder, f"worksheets/sheet{n}.xml")
        rid = self._rel_id()
        self.new_rels.append(f'<Relationship Id="{rid}" Type="{_WORKSHEET_TYPE}" '
                             f'Target="{posixpath.relpath(part, folder or ".")}"/>')
        sheet_id = max(self.sheet_ids, default=0) + 1
        self.sheet_ids.append(sheet_id)
        p = self.p
        state_attr = f' state="{state}"' if state != "visible" else ""
        rel = f'{self.r}:id="{rid}"' if self.r else f'xmlns:r="{_DOC_REL}" r:id="{rid}"'
        self.new_sheets.append(f'<{p}sheet name="{attr_text(title)}" sheetId="{sheet_id}"{state_attr} {rel}/>')
        self.sheets[title] = (part, "worksheet", rid)
        self.states[title] = state
        self._content_type(part, _WORKSHEET_CT)
        self.changed = True
        return part

    def add_styles(self) -> str:
        folder = posixpath.dirname(self.part)
        part = posixpath.join(folder, "styles.xml")
        rid = self._rel_id()
        self.new_rels.append(f'<Relationship Id="{rid}" Type="{_STYLES_TYPE}" '
                             f'Target="{posixpath.relpath(part, folder or ".")}"/>')
        self._content_type(part, _STYLES_CT)
        self.styles_part = part
        return part

    def _rel_id(self) -> str:
        n = len(self.rel_ids) + 1
        while f"rId{n}" in self.rel_ids:
            n += 1
        self.rel_ids.add(f"rId{n}")
        return f"rId{n}"

    def _content_type(self, part: str, content_type: str) -> None:
        types = self.pkg.read("[Content_Types].xml")
        entry = f'<Override PartName="/{part}" ContentType="{content_type}"/>'.encode()
        end = types.rindex(b"</")
        self.pkg.put("[Content_Types].xml", types[:end] + entry + types[end:])

    def rels_default(self) -> None:
        """``[Content_Types].xml`` names the .rels extension (every package Excel writes does)."""
        types = self.pkg.read("[Content_Types].xml")
        if re.search(rb'<(?:\w+:)?Default\b[^>]*\bExtension="rels"', types, re.I):
            return
        entry = f'<Default Extension="rels" ContentType="{_RELS_CT}"/>'.encode()
        at = re.search(rb"<(?:\w+:)?Types\b[^>]*>", types)
        self.pkg.put("[Content_Types].xml", types[:at.end()] + entry + types[at.end():])

    def set_state(self, title: str, state: str) -> None:
        current = self.states.get(title, "visible")
        if current == state or (current != "visible" and state != "visible"):
            return     # hidden and very hidden both keep staff out (LibreOffice saves the latter as the former)
        _part, _kind, rid = self.sheets[title]
        for m in re.finditer(rb"<(?:\w+:)?sheet\b[^>]*>", self.xml):
            tag = m.group(0)
            if re.search(rb':id="' + re.escape(rid.encode()) + rb'"', tag):
                if re.search(rb'\sstate="[^"]*"', tag):
                    new = re.sub(rb'\sstate="[^"]*"', b' state="' + state.encode() + b'"', tag) \
                        if state != "visible" else re.sub(rb'\sstate="[^"]*"', b"", tag)
                else:
                    end = -2 if tag.endswith(b"/>") else -1
                    new = tag[:end].rstrip() + b' state="' + state.encode() + b'"' + tag[end:]
                self.xml = self.xml[:m.start()] + new + self.xml[m.end():]
                self.states[title] = state
                self.changed = True
                return

    def calc_on_load(self) -> bool:
        m = re.search(rb"<(?:\w+:)?calcPr\b([^>]*?)(/?)>", self.xml)
        return bool(m) and re.search(rb'\bfullCalcOnLoad="(?:1|true)"', m.group(1)) is not None

    def full_calc_on_load(self) -> None:
        m = re.search(rb"<(?:\w+:)?calcPr\b([^>]*?)(/?)>", self.xml)
        if m:
            attrs = m.group(1)
            if re.search(rb'\bfullCalcOnLoad="(?:1|true)"', attrs):
                return
            attrs = re.sub(rb'\sfullCalcOnLoad="[^"]*"', b"", attrs) + b' fullCalcOnLoad="1"'
            self.xml = self.xml[:m.start(1)] + attrs + self.xml[m.end(1):]
        else:
            p = self.p.encode()
            at = None
            for name in (b"definedNames", b"externalReferences", b"functionGroups", b"sheets"):
                closing = re.search(rb"</" + re.escape(p) + name + rb">", self.xml)
                empty = re.search(rb"<" + re.escape(p) + name + rb"\b[^>]*/>", self.xml)
                found = closing or empty
                if found:
                    at = found.end()
                    break
            if at is None:
                raise PatchRefused(["phần sổ tính (workbook.xml) thiếu danh sách trang"])
            self.xml = self.xml[:at] + b"<" + p + b'calcPr fullCalcOnLoad="1"/>' + self.xml[at:]
        self.changed = True

    def remove_part(self, part: str, rid: str) -> None:
        """Remove ``part``, the workbook's relationship ``rid`` to it and its content-type override."""
        self.pkg.remove(part)
        rels_part = _rels_part(self.part)
        rels = self.pkg.read(rels_part)
        rels = re.sub(rb"<(?:\w+:)?Relationship\b[^>]*\bId=\"" + re.escape(rid.encode()) + rb"\"[^>]*/>", b"", rels)
        self.pkg.put(rels_part, rels)
        self.rel_ids.discard(rid)
        types = self.pkg.read("[Content_Types].xml")
        types = re.sub(rb"<(?:\w+:)?Override\b[^>]*\bPartName=\"/" + re.escape(part.encode()) + rb"\"[^>]*/>", b"",
                       types)
        self.pkg.put("[Content_Types].xml", types)

    def finish(self) -> None:
        if self.new_sheets:
            p = self.p.encode()
            end = self.xml.index(b"</" + p + b"sheets>")
            self.xml = self.xml[:end] + "".join(self.new_sheets).encode("utf-8") + self.xml[end:]
        if self.changed:
            self.pkg.put(self.part, self.xml)
        if self.new_rels:
            rels_part = _rels_part(self.part)
            rels = self.pkg.read(rels_part)
            end = rels.rindex(b"</")
            self.pkg.put(rels_part, rels[:end] + "".join(self.new_rels).encode("utf-8") + rels[end:])


# --- the patch ----------------------------------------------------------------------------


def _same(pieces: list[bytes | memoryview], xml: bytes) -> bool:
    """Whether the pieces put together are ``xml`` (compared in place, nothing joined)."""
    pos = 0
    for piece in pieces:
        if not xml.startswith(piece, pos):     # memcmp; a memoryview slice compares element by element
            return False
        pos += len(piece)
    return pos == len(xml)


def _has_formulas(pkg: _Package, wb: _Workbook, skip: set[str]) -> bool:
    for title, (part, kind, _rid) in wb.sheets.items():
        if title in skip or kind != "worksheet" or not pkg.has(part):
            continue
        carry = b""
        for piece in pkg.chunks(part):
            window = carry + piece
            if sheettokens.FORMULA.search(window):
                return True
            carry = window[-64:]     # a tag cut between two pieces
    return False


def _check_generated(pkg: _Package, wb: _Workbook, gen: GeneratedSheet) -> list[str]:
    part, kind, _rid = wb.sheets[gen.title]
    if kind != "worksheet":
        return [f"«{gen.title}» là trang biểu đồ (chartsheet) chứ không phải trang do doithoai làm; "
                "hãy đổi tên trang đó"]
    problems = []
    for _rid2, rel_kind, _target, _mode in pkg.relations(part):
        if rel_kind in _HARMLESS_SHEET_RELS:
            continue
        what = _OBJECT_NAMES.get(rel_kind, "đối tượng")
        text = (f"trang «{gen.title}» do doithoai làm lại mỗi lượt nhưng đang có {what} của cán bộ; "
                f"hãy chuyển {what} đó sang trang khác")
        if text not in problems:
            problems.append(text)
    return problems


def _generated_rels(pkg: _Package, part: str, gen: GeneratedSheet) -> tuple[list[str], bytes | None]:
    """The relationship ids of the sheet's links to other files, and its .rels part as it should be
    (None: it has none and needs none).

    Every hyperlink relationship of a sheet written whole is the toolkit's (the cells it pointed
    from are rewritten), so they are all replaced, never added to; any other relationship the part
    holds (printer settings: ``_check_generated`` let nothing else through) is kept as it is."""
    links = external_links(gen)
    rels = _rels_part(part)
    kept: list[str] = []
    if pkg.has(rels):
        for rel in ET.fromstring(pkg.read(rels)).iter(f"{{{_REL_NS}}}Relationship"):
            if rel.get("Type", "").rsplit("/", 1)[-1] == "hyperlink":
                continue
            mode = f' TargetMode="{attr_text(rel.get("TargetMode"))}"' if rel.get("TargetMode") else ""
            kept.append(f'<Relationship Id="{attr_text(rel.get("Id", ""))}" Type="{attr_text(rel.get("Type", ""))}" '
                        f'Target="{attr_text(rel.get("Target", ""))}"{mode}/>')
    elif not links:
        return [], None
    used = set(re.findall(r' Id="([^"]*)"', "".join(kept)))
    ids: list[str] = []
    n = 0
    for _rc, target, _loc in links:
        n += 1
        while f"rId{n}" in used:
            n += 1
        ids.append(f"rId{n}")
        kept.append(f'<Relationship Id="rId{n}" Type="{_HYPERLINK_TYPE}" Target="{attr_text(target)}" '
                    f'TargetMode="External"/>')
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<Relationships xmlns="{_REL_NS}">' + "".join(kept) + "</Relationships>")
    return ids, xml.encode("utf-8")


def _drop_calc_chain_cells(pkg: _Package, wb: _Workbook, titles: set[str]) -> None:
    """A generated sheet written whole holds no formula: the calculation chain must not name its cells.

    A chain left with no cell at all is removed with its relationship and content-type override
    (an empty ``<calcChain>`` is invalid: Excel offers to repair the file)."""
    chain_rel = next(((r, t) for r, k, t, _m in pkg.relations(wb.part) if k == "calcChain"), None)
    chain = chain_rel[1] if chain_rel else None
    if not chain or not pkg.has(chain):
        return
    ids = set()
    root = ET.fromstring(wb.xml)
    for sheet in root.iter(f"{{{_MAIN}}}sheet"):
        if sheet.get("name", "") in titles:
            ids.add(sheet.get("sheetId", ""))
    if not ids:
        return
    data = pkg.read(chain)
    current = ["0"]

    def keep(m: re.Match) -> bytes:
        i = re.search(rb'\bi="(\d+)"', m.group(0))
        if i:
            current[0] = i.group(1).decode()
        return b"" if current[0] in ids else m.group(0)

    new = re.sub(rb"<(?:\w+:)?c\b[^>]*/>", keep, data)
    if new == data:
        return
    if re.search(rb"<(?:\w+:)?c\b", new):
        pkg.put(chain, new)
    else:
        wb.remove_part(chain, chain_rel[0])


def sheet_parts(data: bytes | zipfile.ZipFile) -> dict[str, str]:
    """{sheet title: its XML part}, in workbook order, following the package's relationships."""
    if isinstance(data, zipfile.ZipFile):
        return {title: part for title, (part, _kind, _rid) in _Workbook(_Package(data)).sheets.items()}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return sheet_parts(zf)


def patch(data: bytes, *, staff: list[StaffEdit] = (), generated: list[GeneratedSheet] = ()) -> bytes | None:
    """The package with the edits applied, or None when nothing would change.

    Raises ``PatchRefused`` when the package cannot be patched safely.
    """
    try:
        pkg = _Package(data)
    except zipfile.BadZipFile:
        raise PatchRefused(["tệp không phải sổ Excel .xlsx/.xlsm (hoặc sổ có đặt mật khẩu mở)"]) from None
    with pkg.zf:
        wb = _Workbook(pkg)
        generated = [gen if wb.title_of(gen.title) == gen.title else dataclasses.replace(gen, title=wb.title_of(gen.title))
                     for gen in generated]
        problems: list[str] = []
        for gen in generated:
            if gen.title in wb.sheets and (gen.rewrite or wb.states.get(gen.title) != gen.state):
                problems.extend(_check_generated(pkg, wb, gen))
        for edit in staff:
            if edit.cells and (edit.title not in wb.sheets or not pkg.has(wb.sheets[edit.title][0])):
                problems.append(f"không tìm thấy phần dữ liệu của trang «{edit.title}» trong tệp")

        styles = wb.styles()
        changed = False
        for edit in staff:
            if not edit.cells or edit.title not in wb.sheets or not pkg.has(wb.sheets[edit.title][0]):
                continue
            part = wb.sheets[edit.title][0]
            xml = pkg.read_large(part)
            try:
                pieces = SheetPatcher(xml, edit.title, styles, wb.date1904).pieces(edit.cells)
            except PatchRefused as refused:     # every reason at once, so staff fix them in one go
                problems.extend(refused.problems)
                continue
            if not _same(pieces, xml):
                pkg.put(part, zipcopy.Deflated.of(pieces))
                changed = True
            del xml, pieces     # one sheet's XML in memory at a time, never a second copy of it
        if problems:
            raise PatchRefused(problems)
        rewritten = set()
        for gen in generated:
            if gen.title not in wb.sheets:
                part = wb.add_sheet(gen.title, gen.state)
            elif gen.rewrite:
                part = wb.sheets[gen.title][0]
                wb.set_state(gen.title, gen.state)
            else:
                wb.set_state(gen.title, gen.state)
                continue
            rel_ids, rels = _generated_rels(pkg, part, gen)
            xml = generated_xml(gen, styles, wb.date1904, rel_ids)
            if not pkg.has(part) or pkg.read(part) != xml:
                pkg.put(part, zipcopy.Deflated.of([xml]))
                rewritten.add(gen.title)
                changed = True
            if rels is not None and (not pkg.has(_rels_part(part)) or pkg.read(_rels_part(part)) != rels):
                pkg.put(_rels_part(part), rels)
                wb.rels_default()
                changed = True
        changed = changed or wb.changed
        if not changed:
            return None
        if styles.changed:
            part = wb.styles_part if wb.styles_part and pkg.has(wb.styles_part) else wb.add_styles()
            pkg.put(part, styles.to_bytes())
        if rewritten:
            _drop_calc_chain_cells(pkg, wb, rewritten)
        if not wb.calc_on_load() and _has_formulas(pkg, wb, {g.title for g in generated}):
            wb.full_calc_on_load()
        wb.finish()
        return pkg.to_bytes()
