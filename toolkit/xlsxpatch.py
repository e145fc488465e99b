"""Patch an .xlsx package instead of re-saving it (DESIGN.md §2 "Write back").

The workbook belongs to staff; the toolkit owns a few cells and a few sheets.
``patch(data, staff=..., generated=...)`` returns new package bytes in which
only these change:

- in the sheet XML of a staff sheet (Kiến nghị, Đại biểu), only the cells
  listed in a :class:`StaffEdit` (their value and, where needed, their style
  index); a row that holds no cell yet gets a new ``<row>``; the sheet's
  ``<dimension>`` grows when a cell lands outside it. Every other cell
  element, every row's start tag (height, custom height, hidden, outline),
  cols, merges, conditional formats, validations, hyperlinks, drawings,
  comments, header/footer, page setup and extLst keep their bytes. A cell
  holding a formula is never written;
- each :class:`GeneratedSheet` is written whole (a new part when the sheet is
  missing) and its visibility set in workbook.xml;
- ``styles.xml`` gets new entries appended at the end of its lists (see
  ``toolkit.xlsxstyles``); existing indices never move;
- ``workbook.xml``, its rels and ``[Content_Types].xml`` change only to add a
  toolkit sheet, set a toolkit sheet's visibility, or set ``calcPr
  fullCalcOnLoad`` (when staff formulas exist, so Excel and LibreOffice
  recalculate them against the new values on open).

Every other zip entry keeps its exact uncompressed bytes, in the same order.
Strings are written as inline strings (``sharedStrings.xml`` is left alone).
Sheet XML is handled as bytes with regular expressions over one sheet at a
time, so memory follows the largest sheet, not the workbook.

``PatchRefused`` (a list of Vietnamese reasons) is raised, and nothing is
written, only where the package cannot be patched safely: strict-OOXML
namespaces, a staff object (chart, picture, comment, table, pivot table) on
a sheet the toolkit writes whole, a toolkit cell inside a merged range or an
array formula, a sheet part that is missing or not a worksheet.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field

from defusedxml import ElementTree as ET

from toolkit import a1
from toolkit.errors import DoithoaiError
from toolkit.text import EXCEL_CELL_MAX
from toolkit.xlsxstyles import Look, StyleBook, StylesError

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_STRICT = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WORKSHEET_TYPE = _DOC_REL + "/worksheet"
_STYLES_TYPE = _DOC_REL + "/styles"
_WORKSHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_STYLES_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"

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

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_EXCEL_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_ATTR_R = re.compile(rb'\sr="\$?([A-Za-z]{1,3})\$?(\d+)"')
_ATTR_ROW_R = re.compile(rb'\sr="(\d+)"')
_ATTR_S = re.compile(rb'\ss="(\d+)"')
_F_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?([A-Za-z]{1,3})\$?(\d+))?$")


class PatchRefused(DoithoaiError):
    """The package cannot be patched safely; ``problems`` says why (Vietnamese)."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems), code="patch-refused")
        self.problems = problems


@dataclass(frozen=True)
class Write:
    """A value the toolkit writes into a cell, and how the cell should look."""

    value: object                 # str, int, float, bool, date, datetime, or None (clear the value, keep the style)
    look: Look = Look()


@dataclass
class StaffEdit:
    """Cells to write on a staff sheet; everything else on it stays byte for byte."""

    title: str
    cells: dict[tuple[int, int], Write] = field(default_factory=dict)


@dataclass
class GeneratedSheet:
    """A sheet the toolkit writes whole."""

    title: str
    grid: list[list]                                   # values from A1
    looks: dict[int, Look] = field(default_factory=dict)   # row -> look (default: ``plain``)
    plain: Look = Look()
    links: dict[tuple[int, int], str] = field(default_factory=dict)   # (row, col) -> "'Sheet'!A1"
    link_look: Look = Look()
    widths: tuple = ()
    freeze_row: int | None = None                      # rows above this stay in view
    state: str = "visible"                             # visible, hidden, veryHidden
    tab_color: str | None = None                       # RRGGBB
    rewrite: bool = True                               # False: only its visibility is checked


# --- the package --------------------------------------------------------------------


def _rels_part(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _resolve(source: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


class _Package:
    def __init__(self, data: bytes):
        self.zf = zipfile.ZipFile(io.BytesIO(data))
        self.names = self.zf.namelist()
        self.name_set = set(self.names)
        self.new: dict[str, bytes] = {}          # part -> new bytes (changed or added)
        self.added: list[str] = []

    def read(self, part: str) -> bytes:
        if part in self.new:
            return self.new[part]
        return self.zf.read(part)

    def has(self, part: str) -> bool:
        return part in self.new or part in self.name_set

    def put(self, part: str, data: bytes) -> None:
        if not self.has(part):
            self.added.append(part)
        self.new[part] = data

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
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in self.zf.infolist():
                if info.filename in self.new:
                    dst.writestr(_info_like(info), self.new[info.filename])
                else:
                    dst.writestr(_info_like(info), self.zf.read(info))
            for part in self.added:
                dst.writestr(zipfile.ZipInfo(part, date_time=(1980, 1, 1, 0, 0, 0)), self.new[part],
                             compress_type=zipfile.ZIP_DEFLATED)
        return out.getvalue()


def _info_like(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    new = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    new.compress_type = zipfile.ZIP_STORED if info.compress_type == zipfile.ZIP_STORED else zipfile.ZIP_DEFLATED
    new.external_attr = info.external_attr
    new.create_system = info.create_system
    return new


# --- values ---------------------------------------------------------------------------


def xml_text(value: str) -> str:
    """Text for an XML text node: invalid characters dropped, markup escaped, Excel's _xHHHH_ kept literal."""
    if _INVALID_XML.search(value):
        value = _INVALID_XML.sub("", value)
    if "_x" in value:
        value = _EXCEL_ESCAPE.sub(r"_x005F_\1", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    return xml_text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def serial(value: dt.date, date1904: bool = False) -> float | int:
    """Excel's serial number of a date or datetime."""
    if isinstance(value, dt.datetime):
        delta = value - dt.datetime(1899, 12, 30)
        number: float | int = delta.days + delta.seconds / 86400 + delta.microseconds / 86_400_000_000
        if delta.seconds == 0 and delta.microseconds == 0:
            number = delta.days
    else:
        number = (value - dt.date(1899, 12, 30)).days
    return number - 1462 if date1904 else number


def _number(value: float | int) -> str:
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)


def formula_like(value: object) -> bool:
    return isinstance(value, str) and value[:1] in ("=", "+", "-", "@")


def _cell(p: str, ref: str, style: int, value: object, date1904: bool) -> str:
    s = f' s="{style}"' if style else ""
    if value is None:
        return f'<{p}c r="{ref}"{s}/>'
    if isinstance(value, bool):
        return f'<{p}c r="{ref}"{s} t="b"><{p}v>{int(value)}</{p}v></{p}c>'
    if isinstance(value, (dt.date, dt.datetime)):
        return f'<{p}c r="{ref}"{s}><{p}v>{_number(serial(value, date1904))}</{p}v></{p}c>'
    if isinstance(value, (int, float)):
        return f'<{p}c r="{ref}"{s}><{p}v>{_number(value)}</{p}v></{p}c>'
    text = xml_text(str(value)[:EXCEL_CELL_MAX])
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return f'<{p}c r="{ref}"{s} t="inlineStr"><{p}is><{p}t{space}>{text}</{p}t></{p}is></{p}c>'


def _look_for(look: Look, value: object, base: int | None) -> Look:
    return Look(base=base, date=look.date or isinstance(value, (dt.date, dt.datetime)), wrap=look.wrap,
                center=look.center, quote=formula_like(value), font=look.font, fill=look.fill,
                border=look.border)


def _ranges(refs) -> list[tuple[int, int, int, int]]:
    out = []
    for ref in refs:
        m = _REF.match(ref.strip())
        if not m:
            continue
        c1, r1 = a1.col_index(m.group(1)), int(m.group(2))
        c2, r2 = (a1.col_index(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
        out.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
    return out


# --- a staff sheet ----------------------------------------------------------------------


class _SheetPatcher:
    """Write a few cells into one sheet's XML, keeping every other byte."""

    def __init__(self, xml: bytes, title: str, styles: StyleBook, date1904: bool):
        self.xml = xml
        self.title = title
        self.styles = styles
        self.date1904 = date1904
        m = re.search(rb"<(\w+:)?worksheet\b", xml)
        if m is None:
            raise PatchRefused([f"trang «{title}» không phải trang tính thường (worksheet)"])
        self.p = (m.group(1) or b"").decode()
        self.pb = self.p.encode()

    def _col_styles(self, head: bytes) -> list[tuple[int, int, int]]:
        out = []
        for m in re.finditer(rb"<" + re.escape(self.pb) + rb"col\b([^>]*)/?>", head):
            attrs = m.group(1)
            lo, hi, st = (re.search(rb'\b' + k + rb'="(\d+)"', attrs) for k in (b"min", b"max", b"style"))
            if lo and hi and st:
                out.append((int(lo.group(1)), int(hi.group(1)), int(st.group(1))))
        return out

    def _blocked(self, cells, body: bytes, tail: bytes) -> list[str]:
        merged = _ranges(r.decode("utf-8", "replace") for r in
                         re.findall(rb"<(?:\w+:)?mergeCell\b[^>]*\bref=\"([^\"]+)\"", tail))
        arrays: list = []
        if b'"array"' in body or b'"dataTable"' in body:
            for m in re.finditer(rb"<(?:\w+:)?f\b([^>]*)>", body):
                attrs = m.group(1)
                if re.search(rb'\bt="(?:array|dataTable)"', attrs):
                    ref = re.search(rb'\bref="([^"]+)"', attrs)
                    if ref:
                        arrays.append(ref.group(1).decode("ascii", "replace"))
        problems = []
        for kind, ranges in (("ô gộp (merge)", merged), ("công thức mảng", _ranges(arrays))):
            for r1, c1, r2, c2 in ranges:
                hit = next(((r, c) for (r, c) in cells if r1 <= r <= r2 and c1 <= c <= c2), None)
                if hit:
                    problems.append(f"ô {a1.cell(*hit)} trên trang «{self.title}» (cột do doithoai ghi) nằm trong "
                                    f"{kind} {a1.cell(r1, c1)}:{a1.cell(r2, c2)}; hãy bỏ {kind} ở cột này")
                    break
        return problems

    def patch(self, cells: dict[tuple[int, int], Write]) -> bytes:
        xml, p, pb = self.xml, self.p, self.pb
        sd = re.search(rb"<" + re.escape(pb) + rb"sheetData\b[^>]*?(/?)>", xml)
        if sd is None:
            raise PatchRefused([f"trang «{self.title}» không có phần dữ liệu (sheetData)"])
        if sd.group(1):     # <sheetData/>
            body_start = body_end = sd.end()
            close = b""
        else:
            body_start = sd.end()
            body_end = xml.find(b"</" + pb + b"sheetData>", body_start)
            if body_end < 0:
                raise PatchRefused([f"trang «{self.title}» bị hỏng (thiếu </sheetData>)"])
            close = None
        head, body, tail = xml[:sd.start()], xml[body_start:body_end], xml[body_end:]
        problems = self._blocked(cells, body, tail)
        if problems:
            raise PatchRefused(problems)
        col_styles = self._col_styles(head)
        by_row: dict[int, dict[int, Write]] = {}
        for (r, c), write in cells.items():
            by_row.setdefault(r, {})[c] = write
        pending = sorted(by_row)
        out: list[bytes] = []
        copied = 0
        i = 0
        implied = 0
        row_re = re.compile(rb"<" + re.escape(pb) + rb"row\b([^>]*?)(/?)>")
        row_close = b"</" + pb + b"row>"
        for m in row_re.finditer(body):
            if i >= len(pending):
                break
            rm = _ATTR_ROW_R.search(m.group(1))
            number = int(rm.group(1)) if rm else implied + 1
            implied = number
            if m.group(2):
                end = m.end()
            else:
                end = body.find(row_close, m.end())
                if end < 0:
                    raise PatchRefused([f"trang «{self.title}» bị hỏng (thiếu </row>)"])
                end += len(row_close)
            while i < len(pending) and pending[i] < number:
                if not rm:
                    raise PatchRefused([f"trang «{self.title}» có dòng không ghi số dòng: không chèn được dòng mới"])
                out.append(body[copied:m.start()])
                copied = m.start()
                out.append(self._new_row(pending[i], by_row[pending[i]], col_styles))
                i += 1
            if i < len(pending) and pending[i] == number:
                out.append(body[copied:m.start()])
                out.append(self._patch_row(body, m, end, number, by_row[number], col_styles))
                copied = end
                i += 1
        out.append(body[copied:])
        while i < len(pending):
            out.append(self._new_row(pending[i], by_row[pending[i]], col_styles))
            i += 1
        new_body = b"".join(out)
        head = self._grow_dimension(head, cells)
        if close == b"":     # was <sheetData/>
            return (head + b"<" + pb + b"sheetData>" + new_body + b"</" + pb + b"sheetData>" + xml[sd.end():])
        return head + xml[sd.start():body_start] + new_body + tail

    def _style(self, write: Write, base: int | None) -> int:
        return self.styles.xf(_look_for(write.look, write.value, base))

    def _default_style(self, row_attrs: bytes | None, col: int, col_styles) -> int | None:
        if row_attrs is not None and re.search(rb'\bcustomFormat="(?:1|true)"', row_attrs):
            s = _ATTR_S.search(row_attrs)
            if s:
                return int(s.group(1))
        for lo, hi, st in col_styles:
            if lo <= col <= hi:
                return st
        return None

    def _new_cell(self, row: int, col: int, write: Write, base: int | None) -> bytes:
        style = self._style(write, base) if write.value is not None else (base or 0)
        return _cell(self.p, a1.cell(row, col), style, write.value, self.date1904).encode("utf-8")

    def _new_row(self, row: int, writes: dict[int, Write], col_styles) -> bytes:
        cells = b"".join(self._new_cell(row, c, w, self._default_style(None, c, col_styles))
                         for c, w in sorted(writes.items()) if w.value is not None)
        if not cells:
            return b""
        return b"<" + self.pb + b'row r="%d">' % row + cells + b"</" + self.pb + b"row>"

    def _patch_row(self, body: bytes, m: re.Match, end: int, row: int, writes: dict[int, Write],
                   col_styles) -> bytes:
        pb = self.pb
        start_tag = body[m.start():m.end()]
        if m.group(2):     # <row .../>: no cells yet
            content = b""
            open_tag = start_tag[:-2].rstrip() + b">"
        else:
            content = body[m.end():end - len(b"</" + pb + b"row>")]
            open_tag = start_tag
        cell_re = re.compile(rb"<(?:\w+:)?c\b[^>]*?(?:/>|>.*?</(?:\w+:)?c>)", re.S)
        parts: list[bytes] = []
        pos = 0
        col = 0
        todo = sorted(writes.items())
        j = 0
        missing_r = False
        for cm in cell_re.finditer(content):
            tag_end = content.find(b">", cm.start())
            ref = _ATTR_R.search(content, cm.start(), tag_end + 1)
            if ref:
                col = a1.col_index(ref.group(1).decode())
            else:
                col += 1
                missing_r = True
            while j < len(todo) and todo[j][0] < col:
                if missing_r or not ref:
                    raise PatchRefused([f"trang «{self.title}» có ô không ghi địa chỉ ở dòng {row}: "
                                        "không chèn được ô mới"])
                parts.append(content[pos:cm.start()])
                pos = cm.start()
                c, w = todo[j]
                if w.value is not None:
                    parts.append(self._new_cell(row, c, w, self._default_style(m.group(1), c, col_styles)))
                j += 1
            if j < len(todo) and todo[j][0] == col:
                element = cm.group(0)
                c, w = todo[j]
                j += 1
                head = element[:tag_end - cm.start() + 1]
                if _F_TAG.search(element, len(head)):   # a formula: never touched
                    continue
                s = _ATTR_S.search(head)
                base = int(s.group(1)) if s else None
                parts.append(content[pos:cm.start()])
                if w.value is None:
                    keep_s = f' s="{base}"' if base else ""
                    parts.append(f'<{self.p}c r="{a1.cell(row, c)}"{keep_s}/>'.encode())
                else:
                    parts.append(self._new_cell(row, c, w, base))
                pos = cm.end()
        tail_at = len(content)
        ext = re.search(rb"<(?:\w+:)?extLst\b", content)
        if ext:
            tail_at = ext.start()
        rest = []
        while j < len(todo):
            c, w = todo[j]
            j += 1
            if w.value is not None:
                rest.append(self._new_cell(row, c, w, self._default_style(m.group(1), c, col_styles)))
        if rest and pos > tail_at:
            raise PatchRefused([f"trang «{self.title}» có cấu trúc dòng {row} không đọc được"])
        new_content = b"".join(parts) + content[pos:tail_at] + b"".join(rest) + content[max(pos, tail_at):]
        if not new_content and m.group(2):
            return start_tag
        return open_tag + new_content + b"</" + pb + b"row>"

    def _grow_dimension(self, head: bytes, cells) -> bytes:
        written = [(r, c) for (r, c), w in cells.items() if w.value is not None]
        if not written:
            return head
        m = re.search(rb"<(?:\w+:)?dimension\b[^>]*\bref=\"([^\"]+)\"", head)
        if m is None:
            return head
        ranges = _ranges([m.group(1).decode("ascii", "replace")])
        if not ranges:
            return head
        r1, c1, r2, c2 = ranges[0]
        nr2 = max([r2] + [r for r, _ in written])
        nc2 = max([c2] + [c for _, c in written])
        nr1 = min([r1] + [r for r, _ in written])
        nc1 = min([c1] + [c for _, c in written])
        if (nr1, nc1, nr2, nc2) == (r1, c1, r2, c2):
            return head
        ref = a1.cell(nr1, nc1) + (f":{a1.cell(nr2, nc2)}" if (nr1, nc1) != (nr2, nc2) else "")
        return head[:m.start(1)] + ref.encode() + head[m.end(1):]


# --- a generated sheet ------------------------------------------------------------------


def _generated_xml(gen: GeneratedSheet, styles: StyleBook, date1904: bool) -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
           f'<worksheet xmlns="{_MAIN}" xmlns:r="{_DOC_REL}">']
    if gen.tab_color:
        out.append(f'<sheetPr><tabColor rgb="FF{gen.tab_color.upper()}"/></sheetPr>')
    rows = len(gen.grid)
    cols = max((len(r) for r in gen.grid), default=0)
    out.append(f'<dimension ref="A1{":" + a1.cell(rows, cols) if rows and cols and (rows, cols) != (1, 1) else ""}"/>')
    if gen.freeze_row and gen.freeze_row > 1 and gen.state == "visible":
        top = f"A{gen.freeze_row}"
        out.append(f'<sheetViews><sheetView workbookViewId="0"><pane ySplit="{gen.freeze_row - 1}" '
                   f'topLeftCell="{top}" activePane="bottomLeft" state="frozen"/>'
                   f'<selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/></sheetView></sheetViews>')
    else:
        out.append('<sheetViews><sheetView workbookViewId="0"/></sheetViews>')
    out.append('<sheetFormatPr defaultRowHeight="15"/>')
    if gen.widths:
        out.append("<cols>" + "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                                      for i, w in enumerate(gen.widths, start=1)) + "</cols>")
    out.append("<sheetData>")
    cache: dict[tuple, int] = {}
    for r, row in enumerate(gen.grid, start=1):
        cells = []
        row_look = gen.looks.get(r, gen.plain)
        for c, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            look = gen.link_look if (r, c) in gen.links else row_look
            key = (id(look), isinstance(value, (dt.date, dt.datetime)), formula_like(value))
            style = cache.get(key)
            if style is None:
                style = cache[key] = styles.xf(_look_for(look, value, None))
            cells.append(_cell("", a1.cell(r, c), style, value, date1904))
        if cells:
            out.append(f'<row r="{r}">' + "".join(cells) + "</row>")
    out.append("</sheetData>")
    links = [(rc, loc) for rc, loc in sorted(gen.links.items()) if rc[0] <= rows]
    if links:
        out.append("<hyperlinks>" + "".join(f'<hyperlink ref="{a1.cell(*rc)}" location="{_attr(loc)}"/>'
                                            for rc, loc in links) + "</hyperlinks>")
    out.append('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>')
    out.append("</worksheet>")
    return "".join(out).encode("utf-8")


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
        self.new_sheets.append(f'<{p}sheet name="{_attr(title)}" sheetId="{sheet_id}"{state_attr} {rel}/>')
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


def _has_formulas(pkg: _Package, wb: _Workbook, skip: set[str]) -> bool:
    for title, (part, kind, _rid) in wb.sheets.items():
        if title in skip or kind != "worksheet" or not pkg.has(part):
            continue
        xml = pkg.read(part)
        if b"f>" in xml or b"<f " in xml:
            if _F_TAG.search(xml):
                return True
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


def _drop_calc_chain_cells(pkg: _Package, wb: _Workbook, titles: set[str]) -> None:
    """A generated sheet written whole holds no formula: the calculation chain must not name its cells."""
    chain = next((t for _r, k, t, _m in pkg.relations(wb.part) if k == "calcChain"), None)
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
    if new != data:
        pkg.put(chain, new)


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
        problems: list[str] = []
        for gen in generated:
            if gen.title in wb.sheets and (gen.rewrite or wb.states.get(gen.title) != gen.state):
                problems.extend(_check_generated(pkg, wb, gen))
        for edit in staff:
            if edit.cells and (edit.title not in wb.sheets or not pkg.has(wb.sheets[edit.title][0])):
                problems.append(f"không tìm thấy phần dữ liệu của trang «{edit.title}» trong tệp")
        if problems:
            raise PatchRefused(problems)

        styles = wb.styles()
        changed = False
        for edit in staff:
            if not edit.cells:
                continue
            part = wb.sheets[edit.title][0]
            xml = pkg.read(part)
            new = _SheetPatcher(xml, edit.title, styles, wb.date1904).patch(edit.cells)
            if new != xml:
                pkg.put(part, new)
                changed = True
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
            xml = _generated_xml(gen, styles, wb.date1904)
            if not pkg.has(part) or pkg.read(part) != xml:
                pkg.put(part, xml)
                rewritten.add(gen.title)
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
