"""Department files: each department answers in its own small workbook (docs/ARCHITECTURE.md, "Department files").

``phan-hoi/<workbook stem>/<Mã bộ phận>.xlsx`` beside the register, sheet
``Trả lời``: a Hướng dẫn line in row 1, the header in row 2, one row per
petition from row 3. Columns A–H are read-only copies from the register
(greyed, locked; the sheet is protected without a password), I–N are the
department's own (unlocked; Ngày trả lời shown dd/mm/yyyy; Hình thức trả lời
a dropdown from the hidden ``Danh mục`` sheet, copied from the register's).

- ``wanted_rows``: what each department's file should list, from the pass's
  dataset (petitions with a Mã kiến nghị whose lead or coordinating
  department it is, open ones, plus closed ones already in its file);
- ``read_file``: a department file's rows as read (python-calamine);
- ``create_file``: a new file (xlsxwriter, atomic);
- ``Refresh``: the ``apply`` callable of ``writeback.write_back`` for an
  existing file: read-only cells that differ, new assignments appended,
  rows no longer assigned marked "Không còn giao" and listed on the sheet of
  that name; the department's columns are never written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.rules import assign

from toolkit.core import references, schema, text

from toolkit.xlsx import patch as xlsxpatch
from toolkit.xlsx.atomic import atomic_write
from toolkit.xlsx.looks import GRID_GREY, STAFF_BLUE, TOOLKIT_GREY
from toolkit.core.model import Dataset, Petition
from toolkit.xlsx.names import REPLY_FOLDER, safe_code  # noqa: F401 - safe_code: public here too
from toolkit.core.workdays import Calendar
from toolkit.xlsx.styles import Font, Look

FOLDER = REPLY_FOLDER
SHEET = "Trả lời"
LISTS_SHEET = "Danh mục"
GONE_SHEET = "Không còn giao"
HEADER_ROW = 2
FIRST_ROW = 3
ROLE_LEAD = "Chủ trì"
ROLE_COORD = "Phối hợp"
ROLE_GONE = "Không còn giao"
GUIDE = ("Hướng dẫn: các cột xám do phần mềm chép từ sổ kiến nghị, không sửa được. Nhập trả lời vào các cột "
         "trắng (Ngày trả lời dạng ngày/tháng/năm, chọn Hình thức trả lời trong danh sách, ghi rõ Kết quả "
         "trả lời: đã quyết định gì, việc tiếp theo và thời hạn) rồi lưu tệp. Phần mềm tự chép trả lời vào sổ.")
VALIDATION_ROWS = 2000     # the dropdowns and the filter reach at least this row (the columns are unlocked whole)


@dataclass(frozen=True)
class Col:
    key: str
    header: str
    width: float
    read_only: bool
    date: bool = False


COLUMNS: tuple[Col, ...] = (
    Col("ma", "Mã kiến nghị", 16, True),
    Col("hoi_nghi", "Hội nghị", 12, True),
    Col("nguoi_kien_nghi", "Người kiến nghị", 22, True),
    Col("to_dan_pho", "Tổ dân phố", 14, True),
    Col("noi_dung", "Nội dung", 50, True),
    Col("vai_tro", "Vai trò", 14, True),
    Col("han", "Hạn xử lý", 12, True, date=True),
    Col("con_lai", "Số ngày còn lại", 12, True),
    Col("ngay_tra_loi", "Ngày trả lời", 13, False, date=True),
    Col("hinh_thuc", "Hình thức trả lời", 22, False),
    Col("ket_qua", "Kết quả trả lời", 50, False),
    Col("so_van_ban", "Số văn bản", 16, False),
    Col("nguoi_tra_loi", "Người trả lời", 20, False),
    Col("ghi_chu", "Ghi chú", 24, False),
)
COL_INDEX = {c.key: i for i, c in enumerate(COLUMNS, start=1)}
READ_ONLY = tuple(c for c in COLUMNS if c.read_only)
ANSWER_KEYS = tuple(c.key for c in COLUMNS if not c.read_only)
_BY_HEADER = {text.header_key(c.header): c.key for c in COLUMNS}

GREY_LOOK = Look(fill="EDEDED", border=GRID_GREY, wrap=True)
GREY_DATE_LOOK = Look(fill="EDEDED", border=GRID_GREY, date=True)


def folder_for(register: Path) -> Path:
    register = Path(register)
    return register.parent / FOLDER / register.stem


def file_for(register: Path, code: str) -> Path:
    return folder_for(register) / f"{safe_code(code)}.xlsx"




# --- what each file should list ---------------------------------------------------------


@dataclass
class Wanted:
    """One petition as a department's file should show it (the read-only columns)."""

    ma: str
    values: dict[str, object]      # read-only column key -> value
    open: bool
    row: int                       # the petition's row on Kiến nghị


@dataclass
class DepartmentRows:
    code: str
    name: str
    rows: dict[str, Wanted] = field(default_factory=dict)   # folded Mã -> wanted row

    @property
    def has_open(self) -> bool:
        return any(w.open for w in self.rows.values())


def key(ma: object) -> str:
    return text.fold(text.clean(str(ma), multiline=False)) if ma not in (None, "") else ""


def _days_left(p: Petition, today: dt.date, calendar: Calendar):
    left = assign.days_left(p, today, calendar)
    if left is not None:
        return left
    if not assign.is_open(p):
        return f"Đã xong ({p.trang_thai})" if p.trang_thai else "Đã xong"
    return None


def wanted_rows(dataset: Dataset, *, today: dt.date, calendar: Calendar,
                skip_ids: set[str] = frozenset()) -> dict[str, DepartmentRows]:
    """Department code -> the petitions its file lists (every assigned petition with a Mã kiến nghị
    that is in the register: ``skip_ids`` are codes made by this pass but not written yet)."""
    out: dict[str, DepartmentRows] = {}
    for p in dataset.petitions:
        ma = text.clean(str(p.ma), multiline=False) if p.ma else ""
        if not ma or ma in skip_ids:
            continue
        roles: list[tuple[object, str]] = [(p.chu_tri, ROLE_LEAD)] + [(d, ROLE_COORD) for d in p.phoi_hop or []]
        seen = set()
        values = None
        for typed, role in roles:
            dept = references.resolve_department(dataset, typed) if typed else None
            if dept is None or not dept.ma or dept.ma in seen:
                continue
            seen.add(dept.ma)
            rows = out.setdefault(dept.ma, DepartmentRows(dept.ma, dept.ten or dept.ma))
            if values is None:
                values = {"ma": ma, "hoi_nghi": p.hoi_nghi or None, "nguoi_kien_nghi": p.nguoi_kien_nghi or None,
                          "to_dan_pho": p.to_dan_pho or None, "noi_dung": p.noi_dung or None,
                          "han": p.han, "con_lai": _days_left(p, today, calendar)}
                folded, still_open = text.fold(ma), assign.is_open(p)   # ``ma`` is clean: key(ma)
            rows.rows.setdefault(folded, Wanted(ma, values | {"vai_tro": role}, still_open, p.row))
    return out


def hinh_thuc_list(dataset: Dataset) -> list[str]:
    values = dataset.lists.get("hinh_thuc") or list(schema.LISTS["hinh_thuc"][1])
    return [v for v in values if v]


# --- reading a department file --------------------------------------------------------------


@dataclass
class FileRow:
    row: int                                   # Excel row in Trả lời
    values: dict[str, object]                  # column key -> value as read


@dataclass
class DepartmentFile:
    path: Path
    data: bytes
    sha256: str
    columns: dict[str, int]                    # column key -> 1-based column
    rows: list[FileRow]
    last_row: int                              # the last row holding anything
    lists_grid: list[list] | None = None
    gone_grid: list[list] | None = None


class NotADepartmentFile(Exception):
    """The file has no Trả lời sheet with a Mã kiến nghị header."""


def _clean(v):
    if isinstance(v, str):
        return text.clean(v) or None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, dt.datetime) and v.time() == dt.time(0):
        return v.date()
    return v


def parse(path: Path, data: bytes) -> DepartmentFile:
    """Rows of a department file's Trả lời sheet. Raises NotADepartmentFile or calamine's errors."""
    import python_calamine as pc

    wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    try:
        names = wb.sheet_names
        title = next((n for n in names if text.header_key(n) == text.header_key(SHEET)), None)
        if title is None:
            raise NotADepartmentFile(SHEET)
        grid = wb.get_sheet_by_name(title).to_python(skip_empty_area=False)
        extra = {}
        for name in (LISTS_SHEET, GONE_SHEET):
            if name in names:
                extra[name] = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
    finally:
        wb.close()
    header_at, columns = None, {}
    for r, row in enumerate(grid[:6], start=1):
        found = {_BY_HEADER[text.header_key(v)]: c for c, v in enumerate(row, start=1)
                 if isinstance(v, str) and text.header_key(v) in _BY_HEADER}
        if "ma" in found:
            header_at, columns = r, found
            break
    if header_at is None:
        raise NotADepartmentFile("Mã kiến nghị")
    rows, last = [], header_at
    for r in range(header_at + 1, len(grid) + 1):
        cells = grid[r - 1]
        values = {k: _clean(cells[c - 1]) if c <= len(cells) else None for k, c in columns.items()}
        if any(v not in (None, "") for v in cells):
            last = r
        if any(v is not None for v in values.values()):
            rows.append(FileRow(r, values))
    return DepartmentFile(Path(path), data, hashlib.sha256(data).hexdigest(), columns, rows, last,
                          extra.get(LISTS_SHEET), extra.get(GONE_SHEET))


# --- a new file ---------------------------------------------------------------------------


def _lists_grid(forms: list[str]) -> list[list]:
    return [["Hình thức trả lời"]] + [[v] for v in forms]


def _gone_grid(gone: list[list]) -> list[list]:
    head = [c.header for c in COLUMNS if c.key != "con_lai"]
    note = ("Các kiến nghị dưới đây không còn giao cho bộ phận (sổ đã đổi bộ phận xử lý). Phần mềm chỉ liệt kê "
            "lại để tham khảo; trả lời ở sheet Trả lời của các dòng này không được chép vào sổ.")
    return [[note], head] + gone


def create_file(path: Path, dept: DepartmentRows, forms: list[str], date1904: bool = False) -> bytes:
    """A new department file with every wanted row (xlsxwriter), written atomically; returns its bytes."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                   "strings_to_numbers": False})
    wb.set_properties({"title": f"Trả lời kiến nghị - {dept.name}", "author": "doithoai"})
    base = {"font_name": "Times New Roman", "font_size": 12, "valign": "top", "text_wrap": True}
    guide = wb.add_format({**base, "italic": True, "font_color": STAFF_BLUE})
    head_ro = wb.add_format({**base, "bold": True, "bg_color": TOOLKIT_GREY, "border": 1, "align": "center"})
    head_rw = wb.add_format({**base, "bold": True, "bg_color": STAFF_BLUE, "font_color": "#FFFFFF", "border": 1,
                             "align": "center"})
    grey = wb.add_format({**base, "bg_color": "#EDEDED", "border": 1, "border_color": "#" + GRID_GREY})
    grey_date = wb.add_format({**base, "bg_color": "#EDEDED", "border": 1, "border_color": "#" + GRID_GREY,
                               "num_format": schema.DATE_FORMAT})
    open_cell = wb.add_format({**base, "locked": False})
    open_date = wb.add_format({**base, "locked": False, "num_format": schema.DATE_FORMAT})

    ws = wb.add_worksheet(SHEET)
    for i, c in enumerate(COLUMNS):
        fmt = None if c.read_only else (open_date if c.date else open_cell)
        ws.set_column(i, i, c.width, fmt)
    ws.merge_range(0, 0, 0, len(COLUMNS) - 1, GUIDE, guide)
    ws.set_row(0, 48)
    for i, c in enumerate(COLUMNS):
        ws.write_string(HEADER_ROW - 1, i, c.header, head_ro if c.read_only else head_rw)
    r = FIRST_ROW - 1
    for w in sorted((w for w in dept.rows.values() if w.open), key=lambda w: w.row):
        for i, c in enumerate(READ_ONLY):
            _write(ws, r, i, w.values.get(c.key), grey_date if c.date else grey)
        r += 1
    ws.freeze_panes(HEADER_ROW, 1)
    reach = max(VALIDATION_ROWS, 2 * r)       # room for the rows later passes append
    ws.autofilter(HEADER_ROW - 1, 0, reach, len(COLUMNS) - 1)
    hinh = COL_INDEX["hinh_thuc"] - 1
    ws.data_validation(FIRST_ROW - 1, hinh, reach, hinh, {
        "validate": "list", "source": f"='{LISTS_SHEET}'!$A$2:$A${max(len(forms), 1) + 1}",
        "error_title": "Hình thức trả lời", "error_message": "Chọn một giá trị trong danh sách thả xuống.",
        "error_type": "warning"})
    day = COL_INDEX["ngay_tra_loi"] - 1
    ws.data_validation(FIRST_ROW - 1, day, reach, day, {
        "validate": "date", "criteria": ">", "value": dt.date(2000, 1, 1), "error_type": "warning",
        "error_title": "Ngày trả lời", "error_message": "Nhập ngày dạng ngày/tháng/năm, ví dụ 15/07/2024."})
    ws.protect("", {"autofilter": True, "sort": False, "format_columns": True, "format_rows": True,
                    "select_locked_cells": True, "select_unlocked_cells": True})
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(HEADER_ROW - 1)

    lists = wb.add_worksheet(LISTS_SHEET)
    for i, row in enumerate(_lists_grid(forms)):
        lists.write_string(i, 0, row[0])
    lists.set_column(0, 0, 30)
    lists.hide()
    ws.activate()
    wb.close()
    data = buf.getvalue()
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, data)
    return data


def _write(ws, r: int, c: int, value, fmt) -> None:
    if value is None:
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(r, c, value, fmt)
    elif isinstance(value, dt.date):
        ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), fmt)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        ws.write_number(r, c, value, fmt)
    else:
        ws.write_string(r, c, str(value), fmt)


# --- refreshing an existing file ---------------------------------------------------------------


def _norm(v):
    v = _clean(v)
    if isinstance(v, dt.datetime):
        return v
    if isinstance(v, float):
        return float(f"{v:.15g}")
    return v


class Refresh:
    """The patch of an existing department file: what a pass writes (read-only cells only)."""

    def __init__(self, current: DepartmentFile, dept: DepartmentRows, forms: list[str]):
        self.current = current
        self.dept = dept
        self.forms = forms
        self.cells: dict[tuple[int, int], xlsxpatch.Write] = {}
        self.generated: list[xlsxpatch.GeneratedSheet] = []
        self.added = 0
        self.gone = 0
        self._plan()

    def _plan(self) -> None:
        cols = self.current.columns
        seen: set[str] = set()
        gone_rows: list[list] = []
        for fr in self.current.rows:
            k = key(fr.values.get("ma"))
            if not k or k in seen:
                continue                # blank or repeated Mã: the merge reports it; nothing refreshed
            seen.add(k)
            wanted = self.dept.rows.get(k)
            if wanted is None:
                want = {"vai_tro": ROLE_GONE, "con_lai": None}
                gone_rows.append([fr.values.get(c.key) for c in COLUMNS if c.key != "con_lai"])
                self.gone += 1
            else:
                want = wanted.values
            for c in READ_ONLY:
                if c.key not in want or c.key not in cols:
                    continue
                if _norm(fr.values.get(c.key)) != _norm(want[c.key]):
                    self.cells[(fr.row, cols[c.key])] = xlsxpatch.Write(want[c.key], GREY_DATE_LOOK if c.date
                                                                       else GREY_LOOK)
        r = max(self.current.last_row, HEADER_ROW) + 1
        for k, wanted in sorted(self.dept.rows.items(), key=lambda kv: kv[1].row):
            if k in seen or not wanted.open:
                continue
            for c in READ_ONLY:
                if c.key in cols:
                    self.cells[(r, cols[c.key])] = xlsxpatch.Write(wanted.values.get(c.key),
                                                                   GREY_DATE_LOOK if c.date else GREY_LOOK)
            r += 1
            self.added += 1
        lists = _lists_grid(self.forms)
        if not _same(self.current.lists_grid, lists):
            self.generated.append(xlsxpatch.GeneratedSheet(LISTS_SHEET, lists, widths=(30,), state="hidden"))
        if gone_rows or self.current.gone_grid is not None:
            grid = _gone_grid(gone_rows)
            if not _same(self.current.gone_grid, grid):
                head = Look(font=Font(bold=True, color="FFFFFF"), fill=STAFF_BLUE, wrap=True, border=GRID_GREY)
                self.generated.append(xlsxpatch.GeneratedSheet(
                    GONE_SHEET, grid, looks={1: Look(font=Font(color=STAFF_BLUE), wrap=True), 2: head},
                    plain=GREY_LOOK, widths=tuple(c.width for c in COLUMNS if c.key != "con_lai"), freeze_row=3))

    def needs_write(self) -> bool:
        return bool(self.cells or self.generated)

    def __call__(self, data: bytes) -> bytes | None:
        staff = [xlsxpatch.StaffEdit(SHEET, dict(self.cells))] if self.cells else []
        return xlsxpatch.patch(data, staff=staff, generated=self.generated)


def _same(current, wanted) -> bool:
    if current is None:
        return False
    from toolkit.xlsx.grids import same_grid

    return same_grid(current, wanted)


# --- one pass: every department file made or refreshed ------------------------------------------


@dataclass
class SyncResult:
    created: list[Path] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    waiting: list[Path] = field(default_factory=list)      # open in Excel/LibreOffice, or saved meanwhile
    problems: list[str] = field(default_factory=list)      # Vietnamese, one per file
    hashes: dict[Path, str] = field(default_factory=dict)  # sha256 of each file this pass wrote


def sync(register: Path, dataset: Dataset, files: dict, *, today: dt.date, calendar: Calendar,
         unreadable: set[str] = frozenset(), skip_ids: set[str] = frozenset()) -> SyncResult:
    """Create the file of every department with open petitions; refresh every existing one.

    ``files``: department code -> ``DepartmentFile`` as this pass read it (its bytes and hash are
    what the safe write-back checks against). A file that could not be read is left alone.
    """
    from toolkit.xlsx import writeback
    from toolkit.xlsx.locks import lock_files

    out = SyncResult()
    forms = hinh_thuc_list(dataset)
    wanted = wanted_rows(dataset, today=today, calendar=calendar, skip_ids=skip_ids)
    for d in dataset.departments:
        if d.ma and d.ma not in wanted and d.ma in files:
            wanted[d.ma] = DepartmentRows(d.ma, d.ten or d.ma)     # nothing assigned any more
    for code, dept in sorted(wanted.items()):
        path = file_for(register, code)
        if code in unreadable:
            continue
        try:
            current = files.get(code)
            if current is None:
                if not dept.has_open or path.exists():
                    continue
                if lock_files(path):
                    out.waiting.append(path)
                    continue
                data = create_file(path, dept, forms)
                out.created.append(path)
                out.hashes[path] = hashlib.sha256(data).hexdigest()
                continue
            patch = Refresh(current, dept, forms)
            if not patch.needs_write():
                continue
            result = writeback.write_back(path, expected_sha256=current.sha256, data=current.data, apply=patch)
            if result.written:
                out.written.append(path)
                out.hashes[path] = result.sha256
            elif result.reason_code in ("locked", "changed", "busy"):
                out.waiting.append(path)
            elif result.reason_code != "unchanged":
                out.problems.append(f"{path.name}: {result.reason}")
        except OSError as exc:
            from toolkit.core.errors import os_reason

            out.problems.append(f"{path.name}: không ghi được ({os_reason(exc)})")
    return out
