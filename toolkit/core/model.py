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


def _setting(key: str):
    """A Cấu hình item's default, from its one home ``schema.CONFIG_ITEMS``."""
    return field(default_factory=lambda: schema.config_default(key))


@dataclass
class Config:
    """Cấu hình as read; every default comes from ``schema.CONFIG_ITEMS`` (one home)."""

    ten_don_vi: str = _setting("ten_don_vi")
    co_quan_cap_tren: str = _setting("co_quan_cap_tren")
    dia_danh: str = _setting("dia_danh")
    chu_tich: str = _setting("chu_tich")
    thu_ky: str = _setting("thu_ky")
    ky_hieu_bao_cao: str = _setting("ky_hieu_bao_cao")
    so_dai_bieu_toi_thieu: int = _setting("so_dai_bieu_toi_thieu")
    so_dai_bieu_toi_da: int = _setting("so_dai_bieu_toi_da")
    han_xu_ly_mac_dinh: int = _setting("han_xu_ly_mac_dinh")
    thong_bao_truoc: int = _setting("thong_bao_truoc")
    han_bao_cao: int = _setting("han_bao_cao")
    giay_moi_truoc: int = _setting("giay_moi_truoc")
    de_trong_ngay_ky: bool = _setting("de_trong_ngay_ky")
    do_dai_tra_loi: int = _setting("do_dai_tra_loi")
    bo_phan_chua_ro: str = _setting("bo_phan_chua_ro")
    xoa_nhieu_so_dong: int = _setting("xoa_nhieu_so_dong")
    xoa_nhieu_ty_le: int = _setting("xoa_nhieu_ty_le")
    ngay_lam_bu: list[dt.date] = _setting("ngay_lam_bu")
    ngay_nghi_them: list[dt.date] = _setting("ngay_nghi_them")
    noi_nhan_bao_cao: list[str] = _setting("noi_nhan_bao_cao")
    can_cu_ke_hoach: list[str] = _setting("can_cu_ke_hoach")
    noi_nhan_ke_hoach: list[str] = _setting("noi_nhan_ke_hoach")
    can_cu_tinh: list[str] = _setting("can_cu_tinh")
    don_vi_soan_thao: str = _setting("don_vi_soan_thao")
    ngay_ban_hanh_ke_hoach: list[dt.date] = _setting("ngay_ban_hanh_ke_hoach")
    ngay_ky_bao_cao_thang: list[dt.date] = _setting("ngay_ky_bao_cao_thang")
    ngay_ky_phieu_chuyen: list[dt.date] = _setting("ngay_ky_phieu_chuyen")
    ngay_ky_cong_van_don_doc: list[dt.date] = _setting("ngay_ky_cong_van_don_doc")
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
    sent_up: bool = False             # Bộ phận chủ trì is "Chuyển cấp trên" (core.canonical)


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
