"""tong-hop.xlsx: the printable summary workbook (xlsxwriter, native charts).

Every table of a :class:`summaries.Summary` is drawn the same way: a bold
title, an optional italic note, a header row, bordered body rows, a bold
totals row, number formats by column kind, and a native Excel chart below
the tables where a picture reads faster than numbers. Pages are A4
landscape, fitted to one page wide.

What it holds (docs/ARCHITECTURE.md, "One pass, from read to render"): the count
tables and their charts, the open and overdue petitions counted by department, at most
``LISTED_OPEN`` of them by name (the longest overdue first, with a line saying the full
list is the register's Theo dõi xử lý sheet), and the findings counted by kind; not the
findings one by one (the register's Lỗi nhập liệu sheet and the dashboard list them).
A pass writes it again whenever the summary changes, so it is kept to what a printed
summary needs: a register 14,000 petitions behind made a 14,000-row list of most of the
file, rewritten at every save, that the register itself holds and filters better.
The month's workbook (``MONTH_LAYOUT``) keeps its whole overdue list: it is the table
sent up with the month's report, which names only the longest overdue and refers to it.

Staff text is data: the workbook is opened with ``strings_to_formulas`` and
``strings_to_urls`` off, and every cell is written with the explicit
``write_string`` / ``write_number`` / ``write_datetime``, so "=1+1" or
"@name" typed by staff stays text.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter
from xlsxwriter.exceptions import XlsxWriterException

from toolkit.xlsx import looks

from toolkit.core import schema, values
from toolkit.outputs import privacy, summaries
from toolkit.xlsx.atomic import atomic_output
from toolkit.core.errors import OutputError
from toolkit.core.text import EXCEL_CELL_MAX

MAX_WIDTH = 60
WRAP_WIDTH = 50          # text columns wider than this wrap
CHART_ROWS = 17          # rows a chart occupies below its table
LISTED_OPEN = 100        # open petitions tong-hop.xlsx lists by name (the register's Theo dõi xử lý: all of them)


@dataclass(frozen=True)
class ChartSpec:
    table: str                    # Summary attribute
    type: str                     # "column", "bar" or "pie"
    values: tuple[str, ...]       # headers of the value columns
    title: str = ""


# Sheet name -> (tables, charts). Sheet names stay under Excel's 31 characters.
FULL_LAYOUT: list[tuple[str, list[str], list[ChartSpec]]] = [
    ("Tổng quan", ["key_numbers", "conferences_table", "left_out"],
     [ChartSpec("status_pie", "pie", ("Số lượng",), "Tình hình giải quyết kiến nghị")]),
    ("Theo lĩnh vực", ["by_field"],
     [ChartSpec("by_field", "bar", ("Đã trả lời", "Chuyển cấp trên", "Đang xử lý"), "Kiến nghị theo lĩnh vực")]),
    ("Theo bộ phận", ["by_department", "dept_status", "replies_by_department", "latest_answers"],
     [ChartSpec("by_department", "bar", ("Đã trả lời", "Chuyển cấp trên", "Đang xử lý"),
                "Kiến nghị theo bộ phận chủ trì")]),
    ("Theo tổ dân phố", ["by_group"],
     [ChartSpec("by_group", "column", ("Số kiến nghị",), "Kiến nghị theo tổ dân phố")]),
    ("Quá hạn", ["overdue_by_department", "open_petitions"],
     [ChartSpec("overdue_by_department", "bar", ("Quá hạn",), "Kiến nghị quá hạn theo bộ phận")]),
    ("Đại biểu theo tổ", ["quota"], []),
    ("Tham dự", ["attendance"],
     [ChartSpec("attendance", "column", ("Được mời", "Có mặt"), "Tham dự theo thành phần")]),
    ("Công việc", ["tasks"], []),
    (schema.LOI_NHAP.name, ["findings_table"], []),
]

MONTH_LAYOUT: list[tuple[str, list[str], list[ChartSpec]]] = [
    ("Tổng hợp tháng", ["key_numbers", "by_field", "by_department", "open_petitions", "left_out"],
     [ChartSpec("by_field", "bar", ("Tiếp nhận", "Đã trả lời", "Quá hạn"), "Theo lĩnh vực"),
      ChartSpec("by_department", "bar", ("Tiếp nhận", "Đã trả lời", "Quá hạn"), "Theo bộ phận chủ trì")]),
]


def _status_pie(summary: summaries.Summary) -> summaries.Table | None:
    n = summary.numbers
    if not n or "petitions" not in n:
        return None
    rows = [["Đã trả lời", n["answered"]], ["Chuyển cấp trên", n["forwarded"]],
            ["Đang xử lý, còn hạn", n["open"] - n["overdue"]], ["Quá hạn", n["overdue"]]]
    return summaries.Table("Tình hình giải quyết kiến nghị", ["Tình trạng", "Số lượng"], rows, "", None,
                    [summaries.TEXT, summaries.INT], "status_pie")


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook):
        base = {"font_name": "Times New Roman", "font_size": 12, "valign": "top"}
        cell = dict(base, border=1)
        self.title = wb.add_format(dict(base, bold=True, font_size=14, font_color=f"#{looks.STAFF_BLUE}"))
        self.sheet_title = wb.add_format(dict(base, bold=True, font_size=16))
        self.note = wb.add_format(dict(base, italic=True, font_color="#555555"))
        self.header = wb.add_format(dict(cell, bold=True, bg_color="#DDEBF7", text_wrap=True,
                                         align="center", valign="vcenter"))
        kinds = {summaries.TEXT: {}, summaries.INT: {"num_format": "#,##0"}, summaries.NUMBER: {"num_format": "#,##0.0"},
                 summaries.DATE: {"num_format": "dd/mm/yyyy", "align": "center"}, summaries.PERCENT: {"num_format": "0.0%"}}
        self.body = {k: wb.add_format(dict(cell, **v)) for k, v in kinds.items()}
        self.wrap = wb.add_format(dict(cell, text_wrap=True))
        self.foot = {k: wb.add_format(dict(cell, bold=True, bg_color="#F2F2F2", **v)) for k, v in kinds.items()}
        self.state = {
            summaries.STATE_LOW: wb.add_format(dict(cell, bold=True, font_color="#C62828")),
            summaries.STATE_HIGH: wb.add_format(dict(cell, bold=True, font_color="#E65100")),
            summaries.STATE_OK: wb.add_format(dict(cell, font_color="#2E7D32")),
        }


def _text_len(value) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, float):
        return 7
    return max((len(line) for line in str(value).split("\n")), default=0)


class _SheetWriter:
    def __init__(self, wb: xlsxwriter.Workbook, fmt: _Formats, name: str, heading: str):
        self.wb, self.fmt = wb, fmt
        self.ws = wb.add_worksheet(name)
        self.row = 0
        self.widths: dict[int, int] = {}
        self.wrap_cols: set[int] = set()
        self.positions: dict[str, tuple[int, int, int]] = {}   # table key -> (header row, first, last body row)
        ws = self.ws
        ws.set_landscape()
        ws.set_paper(9)                      # A4
        ws.fit_to_pages(1, 0)                # one page wide, as tall as needed
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        ws.set_footer("&C&\"Times New Roman\"Trang &P/&N")
        ws.write_string(0, 0, heading, fmt.sheet_title)
        self.row = 2

    def _cell(self, r: int, c: int, value, kind: str, fmt) -> None:
        ws = self.ws
        if value is None or value == "":
            ws.write_blank(r, c, None, fmt)
        elif isinstance(value, bool):
            ws.write_string(r, c, "Có" if value else "Không", fmt)
        elif isinstance(value, (int, float)):
            ws.write_number(r, c, value, fmt)
        elif isinstance(value, dt.datetime):
            ws.write_datetime(r, c, value, fmt)
        elif isinstance(value, dt.date):
            ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), fmt)
        else:
            ws.write_string(r, c, str(value)[:EXCEL_CELL_MAX], fmt)

    def table(self, table: summaries.Table) -> None:
        fmt, ws = self.fmt, self.ws
        ncol = max(1, len(table.headers))
        ws.write_string(self.row, 0, table.title, fmt.title)
        self.row += 1
        if table.note:
            ws.write_string(self.row, 0, table.note, fmt.note)
            self.row += 1
        head = self.row
        for c, h in enumerate(table.headers):
            ws.write_string(head, c, h, fmt.header)
            words = max((len(w) for w in h.split()), default=0)
            self.widths[c] = max(self.widths.get(c, 8), words + 2, min(len(h) + 2, 16))
        kinds = [table.kind(i) for i in range(ncol)]
        r = self._body(table.rows, head + 1, ncol, kinds)
        if not table.rows:
            ws.write_string(r, 0, "(Không có dữ liệu)", fmt.note)
            r += 1
        self.positions[table.key] = (head, head + 1, head + len(table.rows))
        if table.footer:
            for c, value in enumerate(table.footer[:ncol]):
                self._cell(r, c, value, kinds[c], fmt.foot[kinds[c]])
            r += 1
        self.row = r + 1

    def _body(self, rows, r: int, ncol: int, kinds: list[str]) -> int:
        """Write the body rows from row ``r`` on; returns the row after them. The same cells as ``_cell``
        writes, at a few times its speed on a long list (the open petitions of a large register): the
        format, the width and the writer are chosen per value type, and xlsxwriter's own checks of
        (row, col) arguments are skipped where it has the unchecked methods."""
        fmt, ws = self.fmt, self.ws
        put_text = getattr(ws, "_write_string", ws.write_string)
        put_number = getattr(ws, "_write_number", ws.write_number)
        put_blank = getattr(ws, "_write_blank", ws.write_blank)
        put_date = getattr(ws, "_write_datetime", ws.write_datetime)
        body, wrap, state, wrap_cols = fmt.body, fmt.wrap, fmt.state, self.wrap_cols
        text_cols = [k == summaries.TEXT for k in kinds]
        widths = [0] * ncol
        for row in rows:
            for c, value in enumerate(row[:ncol]):
                if type(value) is str:
                    width = (len(value) if "\n" not in value else _text_len(value)) + 2
                    if text_cols[c]:
                        if width > WRAP_WIDTH:
                            wrap_cols.add(c)
                        cell_fmt = wrap if c in wrap_cols else body[summaries.TEXT]
                    else:
                        cell_fmt = body[kinds[c]]
                    if value in state:
                        cell_fmt = state[value]
                    if value:
                        put_text(r, c, value[:EXCEL_CELL_MAX], cell_fmt)
                    else:
                        put_blank(r, c, None, cell_fmt)
                else:
                    width = _text_len(value) + 2
                    if text_cols[c] and width > WRAP_WIDTH:
                        wrap_cols.add(c)
                    cell_fmt = wrap if text_cols[c] and c in wrap_cols else body[kinds[c]]
                    if value is None:
                        put_blank(r, c, None, cell_fmt)
                    elif isinstance(value, bool):
                        put_text(r, c, "Có" if value else "Không", cell_fmt)
                    elif isinstance(value, (int, float)):
                        put_number(r, c, value, cell_fmt)
                    elif isinstance(value, dt.datetime):
                        put_date(r, c, value, cell_fmt)
                    elif isinstance(value, dt.date):
                        put_date(r, c, dt.datetime(value.year, value.month, value.day), cell_fmt)
                    else:
                        self._cell(r, c, value, kinds[c], cell_fmt)
                if width > widths[c]:
                    widths[c] = width
            r += 1
        for c, width in enumerate(widths):
            if width:
                self.widths[c] = max(self.widths.get(c, 8), min(MAX_WIDTH, width))
        return r

    def chart(self, spec: ChartSpec, table: summaries.Table, sheet_name: str) -> bool:
        if not table.rows or spec.table not in self.positions:
            return False
        value_cols = [table.headers.index(v) for v in spec.values if v in table.headers]
        if not value_cols or not any(isinstance(row[c], (int, float)) and row[c] for row in table.rows
                                     for c in value_cols):
            return False
        head, first, last = self.positions[spec.table]
        if spec.type == "pie":
            chart = self.wb.add_chart({"type": "pie"})
        else:
            stacked = len(value_cols) > 1 and spec.values != ("Được mời", "Có mặt")
            chart = self.wb.add_chart({"type": spec.type, **({"subtype": "stacked"} if stacked else {})})
        for c in value_cols:
            series = {
                "name": [sheet_name, head, c],
                "categories": [sheet_name, first, 0, last, 0],
                "values": [sheet_name, first, c, last, c],
            }
            if spec.type == "pie":
                series["data_labels"] = {"value": True, "percentage": True, "leader_lines": True}
                series["points"] = [{"fill": {"color": col}} for col in ("#2E7D32", "#1565C0", "#F9A825", "#C62828")]
            else:
                series["data_labels"] = {"value": True} if len(value_cols) == 1 else {}
            chart.add_series(series)
        chart.set_title({"name": spec.title or table.title,
                         "name_font": {"name": "Times New Roman", "size": 12, "bold": True}})
        if spec.type != "pie":
            chart.set_legend({"position": "bottom"} if len(value_cols) > 1 else {"none": True})
            axis = chart.set_y_axis if spec.type == "column" else chart.set_x_axis
            top = max((row[c] for row in table.rows for c in value_cols if isinstance(row[c], (int, float))),
                      default=1)
            top = top * len(value_cols) if len(value_cols) > 1 else top
            axis({"major_gridlines": {"visible": True, "line": {"color": "#DDDDDD"}}, "min": 0,
                  "major_unit": max(1, -(-int(top) // 8)), "num_format": "0"})
            if spec.type == "bar":
                chart.set_y_axis({"reverse": True})   # first category on top, as in the table
        else:
            chart.set_legend({"position": "right"})
        height = 320 if spec.type != "bar" else max(320, 40 + 26 * len(table.rows))
        chart.set_size({"width": 760, "height": height})
        self.ws.insert_chart(self.row, 0, chart, {"object_position": 1})
        self.row += max(CHART_ROWS, height // 20 + 2)
        return True

    def finish(self) -> None:
        for c, w in self.widths.items():
            self.ws.set_column(c, c, min(MAX_WIDTH, w))


def _layout(summary: summaries.Summary):
    return MONTH_LAYOUT if summary.kind == "month" else FULL_LAYOUT


def _heading(summary: summaries.Summary, sheet: str) -> str:
    if summary.kind == "month":
        return f"{sheet} {summary.period}".strip()
    when = f" (tính đến {values.date_text(summary.today, with_time=False)})" if summary.today else ""
    return f"{sheet}{when}"


def write_summary_workbook(summary: summaries.Summary, path: str | os.PathLike) -> Path:
    """Write tong-hop.xlsx atomically (temp file in the same folder, then os.replace)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    extra = {"status_pie": _status_pie(summary)}
    try:
        with atomic_output(path) as tmp:
            _write(summary, tmp, extra)
    except (OSError, XlsxWriterException) as exc:
        raise OutputError(f"Không ghi được tệp tổng hợp {path.name} ({exc}). "
                          "Kiểm tra thư mục kết quả có ghi được không và tệp có đang mở trong Excel không.",
                          code="output-failed") from exc
    return path


def public_table(table: summaries.Table) -> summaries.Table:
    """The table as tong-hop.xlsx may carry it (toolkit.outputs.privacy, kind "tonghop"): no column naming
    a person, phone numbers and birth years in text masked."""
    if not table.rows and not set(table.headers) & privacy.PERSONAL_HEADERS:
        return table
    kinds = [table.kind(i) for i in range(len(table.headers))]
    keep = [i for i, h in enumerate(table.headers) if h not in privacy.PERSONAL_HEADERS]
    headers, rows = privacy.public_rows(list(table.headers), [list(r) for r in table.rows])
    footer = [table.footer[i] for i in keep if i < len(table.footer)] if table.footer else table.footer
    return summaries.Table(table.title, headers, rows, table.note, footer, [kinds[i] for i in keep], table.key)


def listed_open(table: summaries.Table, limit: int = LISTED_OPEN) -> summaries.Table:
    """The open petitions as tong-hop.xlsx lists them: the first ``limit`` rows of the summary's list (sorted
    by deadline, so the longest overdue come first) and, when rows are left out, a note saying how many and
    where the full list is."""
    rows = table.rows
    if len(rows) <= limit:
        return table
    late = sum(1 for r in rows if isinstance(r[6], int) and r[6] < 0)
    title = (f"{limit} kiến nghị quá hạn lâu nhất" if late >= limit
             else f"{limit} kiến nghị đang xử lý có hạn sớm nhất (quá hạn lâu nhất trước)")
    note = (f"Trong số {_count(len(rows))} kiến nghị đang xử lý ({_count(late)} quá hạn), chỉ liệt kê {limit} "
            f"kiến nghị có hạn sớm nhất. Danh sách đầy đủ ở sheet “{schema.THEO_DOI.name}” trong sổ theo dõi "
            f"(lọc được theo bộ phận, hội nghị). {table.note}").strip()
    return summaries.Table(title, table.headers, rows[:limit], note, table.footer, table.kinds, table.key)


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")     # 14.000, as Vietnamese writes it


def _write(summary: summaries.Summary, tmp: Path, extra: dict) -> None:
    wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False, "default_date_format": "dd/mm/yyyy"})
    wb.set_properties({"title": "Tổng hợp hội nghị đối thoại", "author": "doithoai"})
    fmt = _Formats(wb)
    for sheet_name, keys, charts in _layout(summary):
        tables = [public_table(listed_open(getattr(summary, k)) if k == "open_petitions" and summary.kind == "full"
                               else getattr(summary, k)) for k in keys if getattr(summary, k, None) is not None]
        if not tables:
            continue
        sw = _SheetWriter(wb, fmt, sheet_name, _heading(summary, sheet_name))
        for t in tables:
            sw.table(t)
        for spec in charts:
            table = extra.get(spec.table) or getattr(summary, spec.table, None)
            if table is None:
                continue
            if spec.table == "status_pie":
                sw.table(table)
            sw.chart(spec, public_table(table), sheet_name)
        sw.finish()
    wb.close()
