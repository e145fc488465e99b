"""Typed records of one workbook, as the rest of the toolkit sees it.

The reader (``reading``) finds each sheet's header and rows; ``values`` parses
cells; the result is a :class:`Dataset`. Every record keeps its Excel row so
findings and write-back can point at the cell. A value that could not be
parsed is ``None`` in the record (its finding says why) and the raw text is in
``raw``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from toolkit.core import schema


@dataclass
class SheetTable:
    """One sheet as found in the file: where its header is and its rows."""

    sheet: schema.Sheet
    title: str                                # the sheet's name in the file
    header_row: int                           # Excel row of the header
    columns: dict[str, int]                   # column key -> 1-based column index
    headers: dict[str, str]                   # column key -> header as typed
    extra_headers: dict[int, str] = field(default_factory=dict)  # staff's own columns
    rows: list["RawRow"] = field(default_factory=list)
    max_row: int = 0
    max_col: int = 0
    # Rows holding only toolkit-owned values (e.g. a stale Kiểm tra after staff cleared the row).
    toolkit_only_rows: list[int] = field(default_factory=list)

    def col_index(self, key: str) -> int | None:
        return self.columns.get(key)


@dataclass(slots=True)
class RawRow:
    row: int                                  # Excel row
    values: dict[str, object]                 # column key -> cell value as read (cleaned text, numbers, dates)
    # Column keys of formula cells saved without a cached value (e.g. written by
    # openpyxl, never opened in Excel): their value is unknown, so no check runs on them.
    unknown: set[str] | frozenset = frozenset()     # shared empty default: most rows have none


@dataclass
class Config:
    ten_don_vi: str = ""
    co_quan_cap_tren: str = ""
    dia_danh: str = ""
    chu_tich: str = ""
    thu_ky: str = ""
    ky_hieu_bao_cao: str = ""
    so_dai_bieu_toi_thieu: int = 5
    so_dai_bieu_toi_da: int = 7
    han_xu_ly_mac_dinh: int = 15
    thong_bao_truoc: int = 7
    han_bao_cao: int = 10
    giay_moi_truoc: int = 7
    de_trong_ngay_ky: bool = False
    do_dai_tra_loi: int = 30
    bo_phan_chua_ro: str = "Văn phòng - Thống kê"
    xoa_nhieu_so_dong: int = 20
    xoa_nhieu_ty_le: int = 20
    ngay_lam_bu: list[dt.date] = field(default_factory=list)
    ngay_nghi_them: list[dt.date] = field(default_factory=list)
    noi_nhan_bao_cao: list[str] = field(default_factory=list)
    can_cu_ke_hoach: list[str] = field(default_factory=list)
    noi_nhan_ke_hoach: list[str] = field(default_factory=list)
    can_cu_tinh: list[str] = field(default_factory=list)
    don_vi_soan_thao: str = "VP"
    ngay_ban_hanh_ke_hoach: list[dt.date] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)   # item key -> Excel row in Cấu hình


@dataclass(slots=True)
class Conference:
    row: int
    ma: str
    ten: str = ""
    ngay: dt.date | None = None
    gio: dt.time | None = None
    dia_diem: str = ""
    chu_tri: str = ""
    thu_ky: str = ""
    ngay_thong_bao: dt.date | None = None
    ghi_chu: str = ""
    ngay_bao_cao: dt.date | None = None


@dataclass(slots=True)
class Group:
    row: int
    ma: str
    ten: str = ""
    to_truong: str = ""
    dien_thoai: str | None = None
    toi_thieu: int | None = None
    toi_da: int | None = None


@dataclass(slots=True)
class Department:
    row: int
    ma: str
    ten: str = ""
    phu_trach: str = ""
    dien_thoai: str | None = None
    email: str = ""


@dataclass(slots=True)
class Rule:
    row: int
    uu_tien: int
    linh_vuc: str = ""
    tu_khoa: list[str] = field(default_factory=list)
    chu_tri: str = ""                 # department as typed (code or name)
    phoi_hop: list[str] = field(default_factory=list)
    han: int | None = None
    ghi_chu: str = ""


@dataclass(slots=True)
class Delegate:
    row: int
    ho_ten: str = ""
    stt: int | None = None
    gioi_tinh: str = ""
    nam_sinh: int | None = None
    thanh_phan: str = ""
    chuc_vu: str = ""
    to_dan_pho: str = ""              # as typed (code or name)
    dia_chi: str = ""
    dien_thoai: str | None = None     # normalised 0xxxxxxxxx, or None
    hoi_nghi: str = ""
    duoc_moi: bool | None = None
    co_mat: bool | None = None
    ghi_chu: str = ""
    kiem_tra: str = ""
    raw: dict[str, object] = field(default_factory=dict)


@dataclass(slots=True)
class Petition:
    row: int
    ma: str = ""
    hoi_nghi: str = ""
    ngay_tiep_nhan: dt.date | None = None
    nguoi_kien_nghi: str = ""
    to_dan_pho: str = ""
    linh_vuc: str = ""
    noi_dung: str = ""
    hinh_thuc: str = ""
    chu_tri: str = ""
    phoi_hop: list[str] = field(default_factory=list)
    han: dt.date | None = None
    trang_thai: str = ""
    ngay_tra_loi: dt.date | None = None
    ket_qua: str = ""
    ghi_chu: str = ""
    can_cu: str = ""
    kiem_tra: str = ""
    raw: dict[str, object] = field(default_factory=dict)


@dataclass(slots=True)
class Task:
    """A row of Công việc; ``han`` is the parsed rule (``toolkit.rules.tasks.Due``), ``ngay_den_han``
    the resolved date (after ``tasks.resolve_all``; before, the value read from the sheet)."""

    row: int
    hoi_nghi: str = ""
    cong_viec: str = ""
    bo_phan: str = ""
    han: object = None
    ngay_den_han: dt.date | None = None
    ngay_hoan_thanh: dt.date | None = None
    ghi_chu: str = ""
    kiem_tra: str = ""
    raw: dict[str, object] = field(default_factory=dict)


@dataclass
class Dataset:
    """Everything one pass knows about a workbook."""

    config: Config = field(default_factory=Config)
    lists: dict[str, list[str]] = field(default_factory=dict)   # list key -> values (Danh mục)
    conferences: list[Conference] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    delegates: list[Delegate] = field(default_factory=list)
    petitions: list[Petition] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)               # Công việc (optional sheet)
    tables: dict[str, SheetTable] = field(default_factory=dict)  # sheet key -> table (present sheets only)
    sheet_names: list[str] = field(default_factory=list)        # every sheet in the file, in order
    state: dict[str, dict[str, object]] = field(default_factory=dict)  # _doithoai: petition id -> {column key: value the toolkit filled}
    replies: object = None    # answers.Merge: what the departments' files said (None before a pass reads them)
