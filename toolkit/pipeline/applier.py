"""What a pass writes into the workbook itself (toolkit-owned parts only).

- cells the toolkit fills (Mã kiến nghị, Bộ phận chủ trì/phối hợp, Hạn xử lý,
  Trạng thái, Căn cứ phân công) from ``assign.plan``;
- the ``Kiểm tra`` column on Đại biểu, Kiến nghị and Công việc, and Công việc's
  Ngày đến hạn (``toolkit.rules.tasks.resolve_all``, in the plan's changes);
- the generated sheets Tổng hợp, Theo dõi xử lý, Lỗi nhập liệu (rewritten
  whole, but only when their values differ, so a pass with no edits changes
  nothing); Lỗi nhập liệu links each finding to its cell in the register and a
  ``reply-conflict`` also to the department file's cell (column Tệp trả lời);
- the very hidden ``_doithoai`` sheet: what the toolkit filled, so its own
  fills can be re-derived and a typed value is never overwritten.

:class:`Applier` decides which cells differ from what the reader saw and hands
them to ``toolkit.xlsx.patch`` as a patch: it is the ``apply`` callable of
``writeback.write_back`` (package bytes in, patched bytes or None out). Staff
cells are never touched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from toolkit.core import a1, findings, schema

from toolkit.xlsx import looks, patch as xlsxpatch
from toolkit.core.text import clean
from toolkit.xlsx.grids import same_grid  # noqa: F401 - applier.same_grid is asked by its users too
from toolkit.xlsx.styles import Look

# How the toolkit's cells look: toolkit.xlsx.looks (the same for init and the pass).
TITLE_LOOK = looks.TITLE_LOOK
HEADER_LOOK = looks.TABLE_HEADER_LOOK
PLAIN_LOOK = looks.PLAIN_LOOK
LINK_LOOK = looks.LINK_LOOK
TOOLKIT_HEADER_LOOK = looks.header_look(schema.TOOLKIT)
CHECK_LOOK = Look(wrap=True)
FILLED_LOOK = Look()

OK_MARK = "✓"

# The sheets a pass writes whole: the generated ones and the hidden state sheet.
GENERATED = schema.GENERATED_SHEETS + (schema.DA_DIEN,)



def _text(value):
    """What the toolkit writes for a derived value: text stays text, cleaned."""
    return clean(value) if isinstance(value, str) else value


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
    external: dict = field(default_factory=dict)   # (row, col) -> (path beside the register, location)

    def patch(self, rewrite: bool = True) -> xlsxpatch.GeneratedSheet:
        looks = {r: HEADER_LOOK for r in self.header_rows}
        looks.update({r: TITLE_LOOK for r in self.title_rows})
        freeze = min(self.header_rows) + 1 if self.header_rows and not self.hidden else None
        grid = [[_text(v) for v in row] for row in self.grid]
        return xlsxpatch.GeneratedSheet(
            self.sheet.name, grid, looks=looks, plain=PLAIN_LOOK, links=dict(self.links), link_look=LINK_LOOK,
            external_links=dict(self.external),
            widths=tuple(self.widths), freeze_row=freeze, state=self.hidden or "visible",
            tab_color=self.sheet.tab_color, rewrite=rewrite)



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


def _folded(value) -> str:
    """A Kiểm tra text as compared with what the reader saw (it folds a cell's line breaks)."""
    return " ".join(str(value or "").split())


class Applier:
    """One pass's toolkit-owned results, as a patch of the workbook package.

    ``current``: the generated sheets' values as the reader saw them (sheet
    name -> rows), so an unchanged sheet is not rewritten.
    """

    def __init__(self, dataset, plan, report, summary, *, today: dt.date,
                 current: dict[str, list[list]] | None = None):
        self.dataset = dataset
        self.plan = plan
        self.report = report
        self.summary = summary
        self.today = today
        self.current = current or {}
        self._generated: list[Generated] | None = None
        self._judged: dict[str, bool] = {}
        self._staff_edits: list[xlsxpatch.StaffEdit] | None = None

    # -- staff sheets -----------------------------------------------------------
    def _toolkit_col(self, table, key: str, edit: xlsxpatch.StaffEdit, added: dict) -> int:
        """Column of a toolkit-owned column; a missing one gets its header at the first free column."""
        col = table.columns.get(key) or added.get(key)
        if col:
            return col
        used = list(table.columns.values()) + list(table.extra_headers) + list(added.values()) + [table.max_col]
        col = max(used) + 1
        added[key] = col
        edit.cells[(table.header_row, col)] = xlsxpatch.Write(table.sheet.column(key).header, TOOLKIT_HEADER_LOOK)
        return col

    def staff_edits(self) -> list[xlsxpatch.StaffEdit]:
        """The cells to write on Kiến nghị, Đại biểu and Công việc (only those that differ; computed once)."""
        if self._staff_edits is None:
            self._staff_edits = self._find_staff_edits()
        return self._staff_edits

    def _find_staff_edits(self) -> list[xlsxpatch.StaffEdit]:
        edits: dict[str, xlsxpatch.StaffEdit] = {}
        added: dict[str, dict] = {}

        def edit_for(table):
            return edits.setdefault(table.title, xlsxpatch.StaffEdit(table.title))

        for ch in self.plan.changes:
            table = self.dataset.tables.get(ch.sheet_key)
            if table is None:
                continue
            edit = edit_for(table)
            col = self._toolkit_col(table, ch.column_key, edit, added.setdefault(table.title, {}))
            edit.cells[(ch.row, col)] = xlsxpatch.Write(_text(ch.value), FILLED_LOOK)
        for sheet in (schema.DAI_BIEU, schema.KIEN_NGHI, schema.CONG_VIEC):
            table = self.dataset.tables.get(sheet.key)
            if table is None:
                continue
            edit = edit_for(table)
            col = self._toolkit_col(table, "kiem_tra", edit, added.setdefault(table.title, {}))
            present = "kiem_tra" in table.columns
            texts = self.check_texts(sheet)
            for raw in table.rows:
                wanted = texts[raw.row]
                if not present or _folded(raw.values.get("kiem_tra")) != _folded(wanted):
                    edit.cells[(raw.row, col)] = xlsxpatch.Write(wanted, CHECK_LOOK)
            # Rows emptied by staff keep no stale toolkit text.
            for r in table.toolkit_only_rows:
                for key in ("kiem_tra", "can_cu", "ngay_den_han"):
                    if key in table.columns:
                        edit.cells.setdefault((r, table.columns[key]), xlsxpatch.Write(None))
        return [e for e in edits.values() if e.cells]

    def _errors_grid(self) -> "Generated":
        headers = ["STT", "Mức độ", "Ô", "Tệp trả lời", "Sheet", "Dòng", "Cột", "Giá trị", "Nội dung", "Mã lỗi"]
        grid: list[list] = [[f"Lỗi nhập liệu ({len(self.report)} mục). Bấm vào ô ở cột 'Ô' để đến chỗ cần sửa; "
                             "ở cột 'Tệp trả lời' để mở ô trong tệp trả lời của bộ phận."], headers]
        links, external = {}, {}
        titles = {sheet.name: self.dataset.tables[sheet.key].title
                  for sheet in schema.DATA_SHEETS if sheet.key in self.dataset.tables}
        for i, f in enumerate(self.report.sorted(), start=1):
            value = f.value
            if value is not None and not isinstance(value, (str, int, float, dt.date)):
                value = str(value)
            elsewhere = f.extra.get("link")       # a cell in a department's file (reply-conflict)
            grid.append([i, findings.SEVERITY_LABEL[f.severity], f.ref or "",
                         f.extra.get("where") if elsewhere else None, f.sheet or "", f.row, f.column,
                         value, f.message, f.code])
            if f.sheet in titles and f.row:
                links[(len(grid), 3)] = a1.link_location(titles[f.sheet], f.row, f.col)
            if elsewhere:
                external[(len(grid), 4)] = elsewhere
        if not len(self.report):
            grid.append(["", "", "", None, "", None, None, None, "Không có lỗi nào.", None])
        return Generated(schema.LOI_NHAP, grid, links, (6, 10, 16, 22, 14, 7, 20, 24, 80, 24), {2}, {1},
                         external=external)

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

    def needs_write(self) -> bool:
        """Whether anything toolkit-owned differs, judged from what the fast reader saw.

        False lets a pass skip opening the package at all.
        """
        return bool(self.staff_edits()) or any(self._differs(gen) for gen in self.generated())

    def _differs(self, gen: Generated) -> bool:
        """Whether a generated sheet's values differ from the file's (judged once per sheet)."""
        name = gen.sheet.name
        if name not in self._judged:
            self._judged[name] = name not in self.current or not same_grid(self.current[name], gen.grid)
        return self._judged[name]

    def __call__(self, data: bytes) -> bytes | None:
        """The patched package, or None when nothing toolkit-owned differs."""
        generated = [gen.patch(rewrite=self._differs(gen)) for gen in self.generated()]
        self.current = {}      # judged: the sheets as read are not needed while the package is patched
        return xlsxpatch.patch(data, staff=self.staff_edits(), generated=generated)
