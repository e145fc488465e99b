"""What a pass writes into the workbook itself (toolkit-owned parts only).

- cells the toolkit fills (Mã kiến nghị, Bộ phận chủ trì/phối hợp, Hạn xử lý,
  Trạng thái, Căn cứ phân công) from ``assign.plan``;
- the ``Kiểm tra`` column on Đại biểu and Kiến nghị;
- the generated sheets Tổng hợp, Theo dõi xử lý, Lỗi nhập liệu (rebuilt whole,
  but only when their content differs, so a pass with no edits changes nothing);
- the very hidden ``_doithoai`` sheet: what the toolkit filled, so its own
  fills can be re-derived and a typed value is never overwritten.

:class:`Applier` is the ``apply`` callable of ``writeback.write_back``: it
returns True only when something toolkit-owned actually changed. Staff cells
are never touched.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.hyperlink import Hyperlink

from toolkit import a1, findings, schema
from toolkit.text import clean
from toolkit.writeback import set_cell_text

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
TOOLKIT_FILL = PatternFill("solid", fgColor="D9D9D9")
TITLE_FONT = Font(bold=True, size=13, color="1F4E79")
THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
LINK_FONT = Font(color="0563C1", underline="single")
PLAIN_FONT = Font()
NO_FILL = PatternFill(fill_type=None)

OK_MARK = "✓"


def put(cell, value) -> None:
    """Write a value the toolkit derived; text always stays text (never a formula)."""
    set_cell_text(cell.parent, cell.row, cell.column, clean(value) if isinstance(value, str) else value)


def _norm(value):
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date()
        return value
    if isinstance(value, str):
        return clean(value) or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


@dataclass
class Generated:
    """One generated sheet as a pass wants it."""

    sheet: schema.Sheet
    grid: list[list]
    links: dict
    widths: tuple
    header_rows: set
    title_rows: set
    hidden: str | None = None


def same_grid(current: Iterable[Iterable], wanted: list[list]) -> bool:
    """Do the values of a sheet (as read) equal the wanted grid? Trailing blanks don't count."""
    def rows(grid):
        out = [[_norm(v) for v in row] for row in grid]
        for row in out:
            while row and row[-1] is None:
                row.pop()
        while out and not out[-1]:
            out.pop()
        return out

    return rows(current) == rows(wanted)


def _row_text(row_findings: list[findings.Finding]) -> str:
    if not row_findings:
        return OK_MARK
    order = {findings.ERROR: 0, findings.WARNING: 1}
    parts = []
    for f in sorted(row_findings, key=lambda f: (order[f.severity], f.col or 0)):
        mark = "✗" if f.severity == findings.ERROR else "⚠"
        where = f"{f.column}: " if f.column else ""
        parts.append(f"{mark} {where}{f.message}")
    return "\n".join(parts)


class Applier:
    """Apply one pass's toolkit-owned results to an openpyxl workbook."""

    def __init__(self, dataset, plan, report, summary, *, today: dt.date):
        self.dataset = dataset
        self.plan = plan
        self.report = report
        self.summary = summary
        self.today = today
        self.changed = False
        self._generated: list[Generated] | None = None
        self._styles: dict[tuple[str, bool, bool], object] = {}
        self._restyled: dict[tuple, object] = {}

    # -- helpers --------------------------------------------------------------
    def _set(self, ws, row: int, col: int, value, number_format: str | None = None) -> None:
        cell = ws.cell(row=row, column=col)
        if _norm(cell.value) == _norm(value):
            return
        put(cell, value)
        if number_format and value is not None and cell.number_format != number_format:
            self._restyle(cell, "number_format", number_format)
        self.changed = True

    def _restyle(self, cell, attr: str, value) -> None:
        """``setattr(cell, attr, value)``, remembering the resulting style ids per
        starting style: openpyxl hashes the style object on every assignment."""
        key = (attr, value if isinstance(value, str) else id(value), tuple(cell._style))
        done = self._restyled.get(key)
        if done is None:
            setattr(cell, attr, value)
            self._restyled[key] = copy.copy(cell._style)
        else:
            cell._style = copy.copy(done)

    def _toolkit_col(self, ws, table, key: str) -> int:
        """Column index of a toolkit-owned column, adding it after the last one if missing."""
        col = table.columns.get(key)
        if col:
            return col
        used = list(table.columns.values()) + list(table.extra_headers)
        col = max(used + [ws.max_column if ws.max_column and ws.cell(table.header_row, ws.max_column).value else 0]) + 1
        column = table.sheet.column(key)
        cell = ws.cell(row=table.header_row, column=col, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = TOOLKIT_FILL
        cell.alignment = WRAP
        cell.border = BORDER
        ws.column_dimensions[a1.col_letter(col)].width = column.width
        table.columns[key] = col
        self.changed = True
        return col

    # -- the parts ------------------------------------------------------------
    def _apply_changes(self, wb) -> None:
        sheets: dict[str, object] = {}
        for ch in self.plan.changes:
            table = self.dataset.tables.get(ch.sheet_key)
            if table is None:
                continue
            ws = sheets.get(table.title)
            if ws is None:
                ws = sheets[table.title] = wb[table.title]
            column = table.sheet.column(ch.column_key)
            col = table.columns.get(ch.column_key) or self._toolkit_col(ws, table, ch.column_key)
            fmt = column.number_format if column.type == schema.DATE else None
            self._set(ws, ch.row, col, ch.value, fmt)

    def _apply_check_column(self, wb, sheet: schema.Sheet) -> None:
        table = self.dataset.tables.get(sheet.key)
        if table is None:
            return
        ws = wb[table.title]
        col = self._toolkit_col(ws, table, "kiem_tra")
        texts = self.check_texts(sheet)
        data_rows = set(texts)
        for r in sorted(data_rows):
            self._set(ws, r, col, texts[r])
            cell = ws.cell(row=r, column=col)
            if not cell.alignment.wrap_text:
                self._restyle(cell, "alignment", WRAP)
        # Rows emptied by staff keep no stale check text. Only cells that exist are
        # visited: ws.cell() on every row up to max_row would create and save an
        # empty cell per row, a million of them when a stray cell sits at row 1,048,576.
        for (r, c), cell in list(ws._cells.items()):
            if c == col and r > table.header_row and r not in data_rows and cell.value not in (None, ""):
                self._set(ws, r, col, None)

    def _replace_sheet(self, wb, gen: "Generated") -> None:
        """Make a generated sheet hold exactly ``gen``; nothing is touched when it already does.

        An existing sheet is updated in place (only differing cells are written),
        which keeps a large sheet cheap to refresh after a one-row change.
        """
        sheet, grid = gen.sheet, gen.grid
        ws = next((w for w in wb.worksheets if w.title == sheet.name), None)
        if ws is not None and same_grid(ws.iter_rows(values_only=True), grid) and (
                gen.hidden is None or ws.sheet_state == gen.hidden):
            return
        if ws is None:
            ws = wb.create_sheet(sheet.name)
        self.changed = True
        if sheet.tab_color:
            ws.sheet_properties.tabColor = sheet.tab_color
        ws.sheet_state = gen.hidden or "visible"
        for r, row in enumerate(grid, start=1):
            row_changed = False
            for c, value in enumerate(row, start=1):
                current = ws._cells.get((r, c))
                if _norm(current.value if current is not None else None) != _norm(value):
                    row_changed = True
                    break
            if not row_changed:
                continue
            for c, value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c)
                put(cell, value)
                self._style(cell, r, value, gen)
        # Cells beyond the wanted grid go (a shorter table than last time).
        for (r, c) in [k for k in ws._cells if k[0] > len(grid) or k[1] > len(grid[k[0] - 1])]:
            del ws._cells[(r, c)]
        for (r, c), cell in ws._cells.items():
            location = gen.links.get((r, c))
            if location is None:
                if cell.hyperlink is not None:
                    cell.hyperlink = None
            elif cell.hyperlink is None or cell.hyperlink.location != location:
                cell.hyperlink = Hyperlink(ref=cell.coordinate, location=location)
                cell.font = LINK_FONT
        for i, width in enumerate(gen.widths, start=1):
            ws.column_dimensions[a1.col_letter(i)].width = width
        if gen.header_rows and not gen.hidden:
            ws.freeze_panes = ws.cell(row=min(gen.header_rows) + 1, column=1)

    def _style(self, cell, r: int, value, gen: "Generated") -> None:
        if value is None:
            return
        kind = "title" if r in gen.title_rows else "header" if r in gen.header_rows else "plain"
        # The quote prefix (set by put() on text starting with = + - @) is part of
        # the style ids: it is in the key, so a copy never drops or adds it.
        key = (kind, isinstance(value, dt.date), bool(cell.quotePrefix))
        # Setting font, fill, alignment and border makes openpyxl hash each style
        # object against the workbook's tables: most of a first pass at 20,000 rows.
        # The first cell of each kind is styled the normal way; the others get a
        # copy of its style ids (what openpyxl itself documents for copying styles).
        done = self._styles.get(key)
        if done is not None:
            cell._style = copy.copy(done)
            return
        cell.number_format = schema.DATE_FORMAT if key[1] else "General"
        if kind == "title":
            cell.font = TITLE_FONT
        elif kind == "header":
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            cell.alignment = WRAP
            cell.border = BORDER
        else:
            cell.font = PLAIN_FONT
            cell.fill = NO_FILL
            cell.alignment = WRAP
            cell.border = BORDER
        self._styles[key] = copy.copy(cell._style)

    def _errors_grid(self) -> "Generated":
        headers = ["STT", "Mức độ", "Ô", "Sheet", "Dòng", "Cột", "Giá trị", "Nội dung", "Mã lỗi"]
        grid: list[list] = [[f"Lỗi nhập liệu ({len(self.report)} mục). Bấm vào ô ở cột 'Ô' để đến chỗ cần sửa."],
                            headers]
        links = {}
        titles = {sheet.name: self.dataset.tables[sheet.key].title
                  for sheet in schema.DATA_SHEETS if sheet.key in self.dataset.tables}
        for i, f in enumerate(self.report.sorted(), start=1):
            value = f.value
            if value is not None and not isinstance(value, (str, int, float, dt.date)):
                value = str(value)
            grid.append([i, findings.SEVERITY_LABEL[f.severity], f.ref or "", f.sheet or "", f.row, f.column,
                         value, f.message, f.code])
            if f.sheet in titles and f.row:
                links[(len(grid), 3)] = a1.link_location(titles[f.sheet], f.row, f.col)
        if not len(self.report):
            grid.append(["", "", "", "", None, None, None, "Không có lỗi nào.", None])
        return Generated(schema.LOI_NHAP, grid, links, (6, 10, 16, 14, 7, 20, 24, 80, 24), {2}, {1})

    def _tables_grid(self, sheet: schema.Sheet, tables) -> "Generated":
        grid: list[list] = []
        header_rows, title_rows = set(), set()
        width = 0
        for table in tables:
            if grid:
                grid.append([])
            grid.append([table.title])
            title_rows.add(len(grid))
            if getattr(table, "note", ""):
                grid.append([table.note])
            grid.append(list(table.headers))
            header_rows.add(len(grid))
            width = max(width, len(table.headers))
            for row in table.rows:
                grid.append(list(row))
            if getattr(table, "footer", None):
                grid.append(list(table.footer))
        widths = [28] + [16] * max(width - 1, 0)
        return Generated(sheet, grid, {}, tuple(widths), header_rows, title_rows)

    def _state_grid(self) -> "Generated":
        columns = schema.DA_DIEN.columns
        grid: list[list] = [[c.header for c in columns]]
        for pid in sorted(self.plan.state):
            filled = self.plan.state[pid]
            grid.append([pid] + [None if filled.get(c.key) in (None, "") else str(filled[c.key])
                                 for c in columns[1:]])
        return Generated(schema.DA_DIEN, grid, {}, tuple(c.width for c in columns), set(), set(),
                         hidden="veryHidden")

    def generated(self) -> list["Generated"]:
        """Every generated sheet as this pass wants it (computed once)."""
        if self._generated is None:
            layout = dict(self.summary.layout())
            self._generated = [
                self._tables_grid(schema.TONG_HOP, layout.get(schema.TONG_HOP.name, [])),
                self._tables_grid(schema.THEO_DOI, layout.get(schema.THEO_DOI.name, [])),
                self._errors_grid(),
                self._state_grid(),
            ]
        return self._generated

    def check_texts(self, sheet: schema.Sheet) -> dict[int, str]:
        """The Kiểm tra text of every data row of ``sheet``."""
        table = self.dataset.tables.get(sheet.key)
        if table is None:
            return {}
        by_row = self.report.by_row(sheet.name)
        return {r.row: _row_text(by_row.get(r.row, [])) for r in table.rows}

    def needs_write(self, current: dict[str, list[list]]) -> bool:
        """Whether anything toolkit-owned differs, judged from what the fast reader saw.

        ``current``: the generated sheets' values as read (sheet name -> rows).
        False lets a pass skip loading the workbook with openpyxl at all.
        """
        if self.plan.changes:
            return True
        for sheet in (schema.DAI_BIEU, schema.KIEN_NGHI):
            table = self.dataset.tables.get(sheet.key)
            if table is None:
                continue
            if "kiem_tra" not in table.columns or table.toolkit_only_rows:
                return True
            if sheet is schema.KIEN_NGHI and "can_cu" not in table.columns:
                return True
            wanted = self.check_texts(sheet)
            for raw in table.rows:   # the reader folds a text cell's line breaks into spaces
                if " ".join(str(raw.values.get("kiem_tra") or "").split()) != " ".join(wanted[raw.row].split()):
                    return True
        for gen in self.generated():
            if gen.sheet.name not in current or not same_grid(current[gen.sheet.name], gen.grid):
                return True
        return False

    def __call__(self, wb) -> bool:
        self.changed = False
        self._styles = {}   # style ids belong to one workbook
        self._restyled = {}
        self._apply_changes(wb)
        self._apply_check_column(wb, schema.DAI_BIEU)
        self._apply_check_column(wb, schema.KIEN_NGHI)
        for gen in self.generated():
            self._replace_sheet(wb, gen)
        return self.changed
