"""One sheet's XML, written by the package patcher (``toolkit.xlsx.patch``).

- ``SheetPatcher``: write a few cells into a staff sheet's XML, keeping every
  other byte (cell elements, row start tags, cols, merges, everything after
  sheetData); a formula cell is never written; a cell inside a merged range or
  an array formula refuses the patch;
- ``generated_xml``: a generated sheet written whole;
- how a value becomes a cell: inline strings (markup escaped, Excel's
  ``_xHHHH_`` kept literal, invalid XML characters dropped, 32,767
  characters at most), numbers, booleans, dates as serial numbers (1900 or
  1904 date system), text that looks like a formula with Excel's quote prefix.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from toolkit.core import a1
from toolkit.core.errors import DoithoaiError
from toolkit.core.text import EXCEL_CELL_MAX, XML_INVALID
from toolkit.xlsx import sheettokens
from toolkit.xlsx.styles import Look, StyleBook

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_EXCEL_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
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
class GeneratedSheet:
    """A sheet the toolkit writes whole."""

    title: str
    grid: list[list]                                   # values from A1
    looks: dict[int, Look] = field(default_factory=dict)   # row -> look (default: ``plain``)
    plain: Look = Look()
    links: dict[tuple[int, int], str] = field(default_factory=dict)   # (row, col) -> "'Sheet'!A1"
    # (row, col) -> a cell in another file: (relative path such as "phan-hoi/so/DC.xlsx", "'Trả lời'!H5");
    # written as Excel writes it (``external_target``), the path in the sheet's own relationships part
    external_links: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)
    link_look: Look = Look()
    widths: tuple = ()
    freeze_row: int | None = None                      # rows above this stay in view
    state: str = "visible"                             # visible, hidden, veryHidden
    tab_color: str | None = None                       # RRGGBB
    rewrite: bool = True                               # False: only its visibility is checked
    # For a staff sheet the toolkit adds whole (``init --add-sheet``): looks of single cells (headers
    # by owner), a column's default look (dates shown dd/mm/yyyy), and dropdown lists
    # (cell range, source range such as "'Hội nghị'!$A$2:$A$500").
    cell_looks: dict[tuple[int, int], Look] = field(default_factory=dict)
    col_looks: dict[int, Look] = field(default_factory=dict)
    validations: tuple[tuple[str, str], ...] = ()


# --- values ---------------------------------------------------------------------------


def xml_text(value: str) -> str:
    """Text for an XML text node: invalid characters dropped, markup escaped, Excel's _xHHHH_ kept literal."""
    if XML_INVALID.search(value):
        value = XML_INVALID.sub("", value)
    if "_x" in value:
        value = _EXCEL_ESCAPE.sub(r"_x005F_\1", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr_text(value: str) -> str:
    """Text for an XML attribute value."""
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


def _rows_before(body: bytes | memoryview, row_re: re.Pattern, first: int) -> int:
    """Where in ``body`` (the rows of a sheet) the rows numbered below ``first`` end, or the
    offset of a row before that: a patch looks for its rows from there, not from row 1.

    Rows come in ascending order (Excel refuses a sheet whose rows do not), so a bisection over
    the bytes finds it in a few searches: the new petition at the end of 200,000 rows is reached
    without reading each row tag before it. A probed row without a number (allowed: it is the
    row after the one before it) stops the bisection where it is, and the scan goes on from there.
    """
    lo, hi = 0, len(body)
    while hi - lo > _BISECT_ENOUGH:
        mid = (lo + hi) // 2
        m = row_re.search(body, mid, hi)      # "<row" never appears in cell text: it would be "&lt;row"
        if m is None:
            hi = mid
            continue
        number = sheettokens.ROW_NUMBER.search(m.group(1))
        if number is None:
            break
        if int(number.group(1)) < first:
            lo = m.start()
        else:
            hi = mid
    return lo


_BISECT_ENOUGH = 64 << 10     # bytes left to scan row by row


class SheetPatcher:
    """Write a few cells into one sheet's XML, keeping every other byte."""

    def __init__(self, xml: bytes, title: str, styles: StyleBook, date1904: bool):
        self.xml = xml
        self.title = title
        self.styles = styles
        self.date1904 = date1904
        m = sheettokens.WORKSHEET.search(xml)
        if m is None:
            raise PatchRefused([f"trang «{title}» không phải trang tính thường (worksheet)"])
        self.p = (m.group(1) or b"").decode()
        self.pb = self.p.encode()

    def _col_styles(self, head: bytes) -> list[tuple[int, int, int]]:
        out = []
        for m in sheettokens.col_tag(self.pb).finditer(head):
            attrs = m.group(1)
            lo, hi, st = (sheettokens.number_attr(k).search(attrs) for k in (b"min", b"max", b"style"))
            if lo and hi and st:
                out.append((int(lo.group(1)), int(hi.group(1)), int(st.group(1))))
        return out

    def _blocked(self, cells, body: bytes, tail: bytes) -> list[str]:
        merged = _ranges(r.decode("utf-8", "replace") for r in
                         sheettokens.MERGE_REF.findall(tail))
        arrays: list = []
        if b'"array"' in self.xml or b'"dataTable"' in self.xml:
            for m in sheettokens.FORMULA_TAG.finditer(body):
                attrs = m.group(1)
                if sheettokens.SPILLING_TYPE.search(attrs):
                    ref = sheettokens.REF.search(attrs)
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
        return b"".join(self.pieces(cells))

    def pieces(self, cells: dict[tuple[int, int], Write]) -> list[bytes | memoryview]:
        """The patched part as pieces whose concatenation is the new XML: views of the
        unchanged stretches and the new rows (``patch`` joins them; the write-back
        compresses them as they are, so a sheet of hundreds of MB is never copied whole)."""
        xml, pb = self.xml, self.pb
        sd = sheettokens.sheet_data_tag(pb).search(xml)
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
        # The rows are handled as a view of the part: a sheet of hundreds of MB is not copied.
        head, body, tail = xml[:sd.start()], memoryview(xml)[body_start:body_end], xml[body_end:]
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
        row_re = sheettokens.row_tag(pb)
        row_close = b"</" + pb + b"row>"
        start = _rows_before(body, row_re, pending[0]) if pending else 0
        for m in row_re.finditer(body, start):
            if i >= len(pending):
                break
            rm = sheettokens.ROW_NUMBER.search(m.group(1))
            number = int(rm.group(1)) if rm else implied + 1
            implied = number
            if m.group(2):
                end = m.end()
            else:
                end = xml.find(row_close, body_start + m.end(), body_end)
                if end < 0:
                    raise PatchRefused([f"trang «{self.title}» bị hỏng (thiếu </row>)"])
                end += len(row_close) - body_start
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
        head = self._grow_dimension(head, cells)
        if close == b"":     # was <sheetData/>
            return [head, b"<" + pb + b"sheetData>", *out, b"</" + pb + b"sheetData>", xml[sd.end():]]
        return [head, xml[sd.start():body_start], *out, tail]

    def _style(self, write: Write, base: int | None) -> int:
        return self.styles.xf(_look_for(write.look, write.value, base))

    def _default_style(self, row_attrs: bytes | None, col: int, col_styles) -> int | None:
        if row_attrs is not None and sheettokens.CUSTOM_FORMAT.search(row_attrs):
            s = sheettokens.STYLE.search(row_attrs)
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
        start_tag = bytes(body[m.start():m.end()])
        if m.group(2):     # <row .../>: no cells yet
            content = b""
            open_tag = start_tag[:-2].rstrip() + b">"
        else:
            content = bytes(body[m.end():end - len(b"</" + pb + b"row>")])
            open_tag = start_tag
        parts: list[bytes] = []
        pos = 0
        col = 0
        todo = sorted(writes.items())
        j = 0
        missing_r = False
        for cm in sheettokens.CELL.finditer(content):
            tag_end = content.find(b">", cm.start())
            ref = sheettokens.CELL_REF.search(content, cm.start(), tag_end + 1)
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
                if sheettokens.FORMULA.search(element, len(head)):   # a formula: never touched
                    continue
                s = sheettokens.STYLE.search(head)
                base = int(s.group(1)) if s else None
                parts.append(content[pos:cm.start()])
                if w.value is None:
                    keep_s = f' s="{base}"' if base else ""
                    parts.append(f'<{self.p}c r="{a1.cell(row, c)}"{keep_s}/>'.encode())
                else:
                    parts.append(self._new_cell(row, c, w, base))
                pos = cm.end()
        tail_at = len(content)
        ext = sheettokens.EXT_LST.search(content)
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
        m = sheettokens.DIMENSION_REF.search(head)
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


def external_target(path: str) -> str:
    """A relationship target for a file beside the workbook, as Excel writes one: relative, Windows
    separators, and only the characters Excel escapes percent-encoded (a space is %20, a letter
    such as "ổ" stays as it is); "#" is escaped too, so it is never taken for a location."""
    out = path.replace("/", "\\")
    for ch in '%"<>[]^`{}# ':
        out = out.replace(ch, _EXCEL_URL_ESCAPES[ch])
    return out


_EXCEL_URL_ESCAPES = {ch: f"%{ord(ch):02x}" for ch in '"<>[]^`{}#'} | {"%": "%25", " ": "%20"}


def external_links(gen: GeneratedSheet) -> list[tuple[tuple[int, int], str, str]]:
    """The sheet's links to other files that land on its grid, in order: (cell, target, location)."""
    rows = len(gen.grid)
    return [(rc, external_target(path), loc) for rc, (path, loc) in sorted(gen.external_links.items())
            if rc[0] <= rows and rc not in gen.links]


def generated_xml(gen: GeneratedSheet, styles: StyleBook, date1904: bool, rel_ids: list[str] = ()) -> bytes:
    """The sheet's XML; ``rel_ids``: the relationship id of each of ``external_links(gen)``, in order."""
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
        def col_style(i: int) -> str:
            look = gen.col_looks.get(i)
            return f' style="{styles.xf(look)}"' if look is not None else ""

        out.append("<cols>" + "".join(f'<col min="{i}" max="{i}" width="{w}"{col_style(i)} customWidth="1"/>'
                                      for i, w in enumerate(gen.widths, start=1)) + "</cols>")
    out.append("<sheetData>")
    _sheet_data(out, gen, styles, date1904, cols)
    out.append("</sheetData>")
    if gen.validations:
        out.append(f'<dataValidations count="{len(gen.validations)}">' + "".join(
            f'<dataValidation type="list" allowBlank="1" showErrorMessage="1" errorStyle="warning" '
            f'sqref="{attr_text(ref)}"><formula1>{xml_text(source)}</formula1></dataValidation>'
            for ref, source in gen.validations) + "</dataValidations>")
    links = [(rc, f'location="{attr_text(loc)}"') for rc, loc in sorted(gen.links.items()) if rc[0] <= rows]
    links += [(rc, f'r:id="{rid}"' + (f' location="{attr_text(loc)}"' if loc else ""))
              for (rc, _target, loc), rid in zip(external_links(gen), rel_ids)]
    if links:
        out.append("<hyperlinks>" + "".join(f'<hyperlink ref="{a1.cell(*rc)}" {attrs}/>'
                                            for rc, attrs in sorted(links)) + "</hyperlinks>")
    out.append('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>')
    out.append("</worksheet>")
    return "".join(out).encode("utf-8")


def _sheet_data(out: list[str], gen: GeneratedSheet, styles: StyleBook, date1904: bool, cols: int) -> None:
    """The rows of a generated sheet (the hidden state sheet has one per petition: kept lean)."""
    letters = [a1.col_letter(c) for c in range(1, cols + 1)]
    linked_cells = set(gen.links) | set(gen.external_links)
    cell_looks = gen.cell_looks
    cache: dict[tuple, int] = {}
    for r, row in enumerate(gen.grid, start=1):
        cells = []
        row_look = gen.looks.get(r, gen.plain)
        for c, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            if linked_cells and (r, c) in linked_cells:
                look = gen.link_look
            else:
                look = cell_looks.get((r, c), row_look) if cell_looks else row_look
            kind = type(value)
            key = (id(look), kind is not str and isinstance(value, (dt.date, dt.datetime)), formula_like(value))
            style = cache.get(key)
            if style is None:
                style = cache[key] = styles.xf(_look_for(look, value, None))
            ref = f"{letters[c - 1]}{r}"
            if kind is str and _PLAIN_TEXT(value) and len(value) <= EXCEL_CELL_MAX:
                # most cells: nothing to escape or drop, no space to keep
                s = f' s="{style}"' if style else ""
                cells.append(f'<c r="{ref}"{s} t="inlineStr"><is><t>{value}</t></is></c>')
            else:
                cells.append(_cell("", ref, style, value, date1904))
        if cells:
            out.append(f'<row r="{r}">' + "".join(cells) + "</row>")


# Text written as it is in a text node: no markup character, no "_x" (Excel's escapes), no
# control character (C0 and C1), nothing ``xml_text`` would drop, no space at either end.
_NOT_PLAIN = "&<>_\\x00-\\x1f\\x7f-\\x9f" + XML_INVALID.pattern[1:-1]      # XML_INVALID is one class: [...]
_PLAIN_TEXT = re.compile(f"[^\\s{_NOT_PLAIN}](?:[^{_NOT_PLAIN}]*[^\\s{_NOT_PLAIN}])?").fullmatch
