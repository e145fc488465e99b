"""`doithoai init`: create the workbook staff share (docs/ARCHITECTURE.md, "The workbook").

Everything is derived from :mod:`toolkit.core.schema` and :mod:`toolkit.core.defaults`:
no sheet or header name is spelled here. ``create_workbook(path, sample=True)``
adds the synthetic data of :mod:`toolkit.starter.sample`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation

from toolkit.xlsx.atomic import atomic_output
from toolkit.core import a1, defaults, schema
from toolkit.starter import guide
from toolkit.xlsx import looks
from toolkit.core.errors import os_reason, OutputError, UsageError, WorkbookExists

HEADER_ROW = schema.HEADER_ROW
FIRST_DATA_ROW = schema.FIRST_DATA_ROW
# Last row of the ranges dropdowns point at: long enough for staff to add items.
LIST_LAST_ROW = 200          # Danh mục
REF_LAST_ROW = 500           # Hội nghị, Tổ dân phố, Bộ phận
# Dropdowns and formats cover data rows down to here.
DATA_LAST_ROW = 5000

# Which column of a referenced sheet feeds the dropdown (and so what staff
# write): conferences by code, groups and departments by name.
REFERENCE_COLUMN = {
    schema.HOI_NGHI.key: "ma",
    schema.TO_DAN_PHO.key: "ten",
    schema.BO_PHAN.key: "ten",
}

# Workbook order (generated sheets are added by passes, not by init).
INIT_SHEETS: tuple[schema.Sheet, ...] = (schema.HUONG_DAN,) + schema.DATA_SHEETS
# Sheets with an autofilter on the header row.
FILTER_SHEETS = (schema.HOI_NGHI, schema.TO_DAN_PHO, schema.BO_PHAN, schema.PHAN_CONG,
                 schema.DAI_BIEU, schema.KIEN_NGHI, schema.CONG_VIEC)

FILL_STAFF = looks.STAFF_BLUE        # dark blue, white text: staff type here
FILL_FILLED = looks.FILLED_BLUE      # light blue: toolkit fills where blank
FILL_TOOLKIT = looks.TOOLKIT_GREY    # grey: toolkit-owned
_THIN = Side(style="thin", color=looks.HEADER_BORDER)
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_YES_VALUE = "x"
GUIDE_WIDTH = 100
LINE_HEIGHT = 15


# --- public API -----------------------------------------------------------------

def create_workbook(path, *, sample: bool = False, overwrite: bool = False,
                    today: dt.date | None = None, xa: bool = False) -> Path:
    """Write a new workbook at ``path`` and return its path.

    Its Bộ phận and Phân công follow the structure of ``today`` (:func:`defaults.structure_for`):
    from 1 July 2025 the bodies of Nghị định 150/2025/NĐ-CP, a phường's, or a xã's when ``xa``;
    before, and for the 2024 sample, the civil servants' posts of before.

    Raises :class:`WorkbookExists` when the file is there and ``overwrite`` is
    false; the write is atomic (temp file in the same folder, then replace).
    ``today`` dates the guide; for the sample it is the "as of" date of the
    data (answers after it are left open). Default: the sample's date, or the
    real today for an empty workbook.
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"Tên tệp '{path.name}' phải có đuôi .xlsx, ví dụ: doi-thoai-2025.xlsx.",
                         code="init-bad-name")
    if path.exists() and not overwrite:
        raise WorkbookExists(
            f"Tệp '{path}' đã có, phần mềm không ghi đè để tránh mất dữ liệu. "
            "Muốn tạo lại từ đầu (xóa hết dữ liệu cũ) thì chạy lại lệnh và thêm --force; "
            "hoặc chọn một tên tệp khác.", code="workbook-exists")
    data = None
    if sample:
        from toolkit.starter import sample as sample_mod
        today = today or sample_mod.SAMPLE_TODAY
        data = sample_mod.build(today)
    today = today or dt.date.today()
    wb = build_workbook(data, today=today, structure=defaults.structure_for(today, xa=xa))
    _save_atomic(wb, path)
    return path


def source_range(source: str) -> str:
    """The absolute range a dropdown draws from: "'Danh mục'!$B$2:$B$200"."""
    if source.startswith(schema.DANH_MUC.key + "."):
        target, key, last = schema.DANH_MUC, source.split(".", 1)[1], LIST_LAST_ROW
    else:
        target = schema.sheet(source)
        key, last = REFERENCE_COLUMN[target.key], REF_LAST_ROW
    letter = a1.col_letter(_col_index(target, key))
    return f"{a1.quote_sheet(target.name)}!${letter}${FIRST_DATA_ROW}:${letter}${last}"


def plan_year(today: dt.date) -> int:
    """The year a new workbook plans for: this year, or next year from October on."""
    return today.year + (1 if today.month >= 10 else 0)


def planned_conferences(year: int) -> list[dict]:
    """The plan's two conferences of ``year`` (June and November), on a tentative date staff correct."""
    def third_friday(month: int) -> dt.date:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(4 - first.weekday()) % 7 + 14)

    halves = ((6, "6 tháng đầu năm"), (11, "6 tháng cuối năm"))
    return [{"ma": f"HN-{year}-{month:02d}",
             "ten": f"Hội nghị đối thoại giữa Chủ tịch UBND phường với Nhân dân {half} {year}",
             "ngay": third_friday(month), "gio": dt.time(8, 0),
             "ghi_chu": "Ngày dự kiến: sửa theo ngày tổ chức thật, hạn các việc ở sheet Công việc tự tính lại"}
            for month, half in halves]


def default_rows(today: dt.date | None = None, structure: defaults.Structure | None = None) -> dict[str, list[dict]]:
    """Rows init writes into an empty workbook, by sheet key (column key -> value): the plan's two
    conferences of the year (tentative dates) and their tasks from the plan (``toolkit.rules.tasks``),
    the departments and routing rules of ``structure`` (default: the one of ``today``)."""
    from toolkit.core import model
    from toolkit.rules import tasks

    today = today or dt.date.today()
    structure = structure or defaults.structure_for(today)
    conferences = planned_conferences(plan_year(today))
    dept_name = dict(structure.departments)

    config_value = {"bo_phan_chua_ro": structure.default_department_name}
    if structure is defaults.ND150_XA:
        config_value["ten_don_vi"] = "UBND xã"
    lists = [values for _header, values in schema.LISTS.values()]
    keys = list(schema.LISTS)
    danh_muc = [
        {key: (vals[i] if i < len(vals) else None) for key, vals in zip(keys, lists)}
        for i in range(max(len(v) for v in lists))
    ]
    return {
        schema.CAU_HINH.key: [
            {"muc": item.label, "gia_tri": config_value.get(item.key, item.default if item.default != "" else None),
             "ghi_chu": item.note}
            for item in schema.CONFIG_ITEMS
        ],
        schema.DANH_MUC.key: danh_muc,
        schema.HOI_NGHI.key: conferences,
        schema.CONG_VIEC.key: tasks.seed_rows([c["ma"] for c in conferences], model.Config(), dept_name.get),
        schema.BO_PHAN.key: [{"ma": code, "ten": name} for code, name in structure.departments],
        schema.PHAN_CONG.key: [
            {
                "uu_tien": rule.priority,
                "linh_vuc": rule.field or None,
                "tu_khoa": "; ".join(rule.keywords) or None,
                "chu_tri": dept_name.get(rule.lead, rule.lead) if rule.lead else None,
                "phoi_hop": "; ".join(dept_name.get(c, c) for c in rule.coordinators) or None,
                "han": rule.days,
                "ghi_chu": rule.note or None,
            }
            for rule in sorted(structure.rules, key=lambda r: r.priority)
        ],
    }


def build_workbook(data=None, *, today: dt.date | None = None,
                   structure: defaults.Structure | None = None) -> Workbook:
    """The openpyxl workbook (not saved). ``data`` is a :class:`toolkit.starter.sample.SampleData`."""
    rows = default_rows(today, structure)
    if data is not None:
        _merge_sample(rows, data)
    wb = Workbook()
    wb.remove(wb.active)
    for sh in INIT_SHEETS:
        ws = wb.create_sheet(sh.name)
        if sh.tab_color:
            ws.sheet_properties.tabColor = sh.tab_color
        if sh is schema.HUONG_DAN:
            _write_guide(ws, today)
        else:
            _write_table(ws, sh, rows.get(sh.key, []))
    wb.active = 0
    wb.properties.creator = "doithoai"
    return wb


# --- internals ------------------------------------------------------------------

def _col_index(sheet: schema.Sheet, key: str) -> int:
    return [c.key for c in sheet.columns].index(key) + 1


def _merge_sample(rows: dict[str, list[dict]], data) -> None:
    for row in rows[schema.CAU_HINH.key]:
        item = next(i for i in schema.CONFIG_ITEMS if i.label == row["muc"])
        if item.key in data.config:
            row["gia_tri"] = data.config[item.key]
    for row in rows[schema.BO_PHAN.key]:
        row.update(data.departments.get(row["ma"], {}))
    for key, sheet_rows in data.rows.items():
        rows[key] = sheet_rows
    if schema.HOI_NGHI.key in data.rows and schema.CONG_VIEC.key not in data.rows:
        rows[schema.CONG_VIEC.key] = []      # the seeded tasks belong to the seeded conferences


def _set_value(cell, value) -> None:
    """Write a value; text that looks like a formula stays text."""
    if isinstance(value, dt.datetime):
        cell.value = value
    elif isinstance(value, (dt.date, dt.time, int, float)) or value is None:
        cell.value = value
    else:
        text = str(value)
        cell.value = text
        if text[:1] in "=+-@" and len(text) > 1:
            cell.data_type = "s"


def _header_fill(col: schema.Column) -> tuple[PatternFill, Font]:
    look = looks.header_look(col.owner)
    return PatternFill("solid", fgColor=look.fill), Font(bold=look.font.bold, color=look.font.color)


def _write_table(ws, sh: schema.Sheet, rows: list[dict]) -> None:
    header_align = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for ci, col in enumerate(sh.columns, start=1):
        cell = ws.cell(HEADER_ROW, ci, col.header)
        fill, font = _header_fill(col)
        cell.fill, cell.font, cell.alignment, cell.border = fill, font, header_align, _BORDER
        if col.note:
            comment = Comment(col.note, "doithoai")
            comment.width, comment.height = 260, 80
            cell.comment = comment
        letter = a1.col_letter(ci)
        dim = ws.column_dimensions[letter]
        dim.width = col.width
        if col.number_format:
            dim.number_format = col.number_format
        if col.type == schema.LONGTEXT:
            dim.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[HEADER_ROW].height = 36
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 1).coordinate

    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for ri, row in enumerate(rows, start=FIRST_DATA_ROW):
        lines = 1
        for ci, col in enumerate(sh.columns, start=1):
            value = row.get(col.key)
            if value is None:
                continue
            cell = ws.cell(ri, ci)
            _set_value(cell, value)
            if col.number_format:
                cell.number_format = col.number_format
            if col.type == schema.LONGTEXT:
                cell.alignment = wrap
                lines = max(lines, _line_count(str(value), col.width))
            else:
                cell.alignment = top
        if lines > 1:
            ws.row_dimensions[ri].height = LINE_HEIGHT * lines

    last_col = a1.col_letter(len(sh.columns))
    _print_setup(ws, landscape=len(sh.columns) > 6)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    if sh in FILTER_SHEETS:
        ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{max(HEADER_ROW, HEADER_ROW + len(rows))}"
    _add_validations(ws, sh)


def _add_validations(ws, sh: schema.Sheet) -> None:
    for ci, col in enumerate(sh.columns, start=1):
        letter = a1.col_letter(ci)
        target = f"{letter}{FIRST_DATA_ROW}:{letter}{DATA_LAST_ROW}"
        if col.source:
            multi = col.type == schema.LIST
            dv = DataValidation(type="list", formula1=f"={source_range(col.source)}", allow_blank=True)
            dv.errorTitle = "Giá trị không có trong danh sách"
            if multi:
                dv.errorStyle = "warning"
                dv.error = ("Giá trị này không có trong danh sách. Nhiều giá trị thì cách nhau bởi dấu "
                            "chấm phẩy (;). Bấm Yes để giữ, No để sửa.")
            else:
                dv.errorStyle = "stop"
                dv.error = (f"Hãy chọn '{col.header}' trong danh sách thả xuống. Muốn thêm lựa chọn mới, "
                            "thêm vào sheet nguồn trước.")
            dv.promptTitle = col.header
            dv.prompt = "Bấm mũi tên để chọn trong danh sách."
        elif col.type == schema.BOOL:
            dv = DataValidation(type="list", formula1=f'"{_YES_VALUE}"', allow_blank=True)
            dv.errorStyle = "warning"
            dv.errorTitle = "Chỉ gõ x hoặc để trống"
            dv.error = "Gõ x nếu có, để trống nếu không. Bấm Yes để giữ giá trị đã gõ."
            dv.promptTitle = col.header
            dv.prompt = "Gõ x nếu có, để trống nếu không."
        else:
            continue
        dv.showErrorMessage = True
        dv.showInputMessage = False
        dv.add(target)
        ws.add_data_validation(dv)


def _write_guide(ws, today: dt.date | None) -> None:
    ws.column_dimensions["A"].width = GUIDE_WIDTH
    styles = {
        guide.TITLE: Font(bold=True, size=14, color=FILL_STAFF),
        guide.HEADING: Font(bold=True, size=12, color=FILL_STAFF),
        guide.TEXT: Font(size=11),
        guide.ITEM: Font(size=11),
        guide.BLANK: Font(size=11),
    }
    wrap = Alignment(wrap_text=True, vertical="top")
    for ri, (style, text) in enumerate(guide.guide_lines(today), start=1):
        cell = ws.cell(ri, 1)
        if text:
            _set_value(cell, text)
        cell.font = styles[style]
        cell.alignment = wrap
        lines = _line_count(text, GUIDE_WIDTH)
        ws.row_dimensions[ri].height = LINE_HEIGHT * lines + (6 if style in (guide.TITLE, guide.HEADING) else 0)
    ws.sheet_view.showGridLines = False
    _print_setup(ws, landscape=False)


def _line_count(text: str, width: float) -> int:
    """Rough number of wrapped lines of ``text`` in a column ``width`` characters wide."""
    per_line = max(10, int(width * 1.1))
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def _print_setup(ws, *, landscape: bool) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _save_atomic(wb: Workbook, path: Path) -> None:
    try:
        with atomic_output(path) as tmp:
            wb.save(tmp)
    except PermissionError as exc:
        raise OutputError(f"Không ghi được '{path}': tệp đang mở hoặc không có quyền ghi. "
                          "Đóng tệp trong Excel rồi chạy lại.", code="init-write-failed") from exc
    except OSError as exc:
        raise OutputError(f"Không tạo được tệp trong thư mục '{path.parent}' ({os_reason(exc)}). "
                          "Kiểm tra quyền ghi hoặc chọn thư mục khác.", code="init-write-failed") from exc
