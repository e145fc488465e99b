"""The one declarative schema of the workbook (docs/ARCHITECTURE.md, "The workbook").

Creating the workbook (``init``), reading it, validating it, writing back and
documenting it all derive from here. Code refers to sheets and columns by
their ASCII ``key``; the Vietnamese names staff see are spelled only here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from toolkit.core.text import header_key

# Every data sheet: headers in row 1, data from row 2.
HEADER_ROW = 1
FIRST_DATA_ROW = 2

# Column types understood by the reader / validator.
TEXT = "text"          # free text
LONGTEXT = "longtext"  # free text, wrapped, wide
CODE = "code"          # short identifier
DATE = "date"          # dd/mm/yyyy
TIME = "time"          # hh:mm
INT = "int"
YEAR = "year"
PHONE = "phone"
EMAIL = "email"
BOOL = "bool"          # x / có / không / 1 / 0 / TRUE
LIST = "list"          # several values separated by ';' or ','
DUE = "due"            # a date, or a rule relative to the conference ("-7", "+10", "-5 ngày làm việc"): toolkit.rules.tasks

STAFF = "staff"        # staff-owned: the toolkit never changes a staff value
FILLED = "filled"      # toolkit fills only where blank (re-derives its own fills)
TOOLKIT = "toolkit"    # toolkit-owned column (Kiểm tra, Căn cứ phân công)

DATE_FORMAT = "dd/mm/yyyy"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    type: str = TEXT
    required: bool = False
    source: str | None = None     # list key ("danh_muc.linh_vuc", "to_dan_pho", ...)
    owner: str = STAFF
    width: float = 16
    number_format: str | None = None
    note: str = ""                # shown in the Hướng dẫn sheet and as a header comment

    @functools.cached_property
    def match_key(self) -> str:   # folded once (a roll-up matches headers of thousands of files)
        return header_key(self.header)


@dataclass(frozen=True)
class Sheet:
    key: str
    name: str
    columns: tuple[Column, ...] = ()
    owner: str = STAFF            # STAFF, or "generated" (rebuilt whole by the toolkit)
    required: bool = True
    note: str = ""
    tab_color: str | None = None

    @functools.cached_property
    def match_key(self) -> str:   # folded once (a roll-up matches headers of thousands of files)
        return header_key(self.name)

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(f"{self.key}.{key}")

    def col(self, key: str) -> str:
        """The Vietnamese header of a column (for messages and generated sheets)."""
        return self.column(key).header

    @property
    def staff_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.owner != TOOLKIT)

    @property
    def toolkit_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.owner == TOOLKIT)


def _c(key, header, type=TEXT, **kw) -> Column:
    return Column(key, header, type, **kw)


# --- Cấu hình: two columns (Mục, Giá trị) and a fixed list of items ----------

@dataclass(frozen=True)
class ConfigItem:
    key: str
    label: str
    type: str = TEXT
    default: object = None
    note: str = ""
    optional: bool = False
    """Added after workbooks were in use: a workbook without it silently uses the default."""

    @functools.cached_property
    def match_key(self) -> str:   # folded once (a roll-up matches headers of thousands of files)
        return header_key(self.label)


CONFIG_ITEMS: tuple[ConfigItem, ...] = (
    ConfigItem("ten_don_vi", "Tên đơn vị", TEXT, "UBND phường",
               "Tên cơ quan ban hành văn bản, ví dụ: UBND phường Hà Đông (ghi đủ tên phường để ký văn bản)"),
    ConfigItem("co_quan_cap_tren", "Cơ quan cấp trên", TEXT, "",
               "UBND tỉnh hoặc thành phố trực thuộc trung ương mà phường báo cáo, ví dụ: UBND thành phố Hà Nội"),
    ConfigItem("dia_danh", "Địa danh", TEXT, "", "Dùng ở dòng ngày tháng của văn bản, ví dụ: Hà Đông"),
    ConfigItem("chu_tich", "Chủ tịch", TEXT, "", "Họ và tên Chủ tịch UBND phường (khối chữ ký)"),
    ConfigItem("thu_ky", "Thư ký", TEXT, "", "Công chức Văn phòng HĐND và UBND phường làm thư ký hội nghị"),
    ConfigItem("ky_hieu_bao_cao", "Ký hiệu báo cáo", TEXT, "BC-UBND",
               "Phần ký hiệu sau số của báo cáo, ví dụ: BC-UBND (các văn bản khác đổi BC thành KH, TB, GM, PC)"),
    ConfigItem("so_dai_bieu_toi_thieu", "Số đại biểu tối thiểu mỗi tổ", INT, 5, "Mặc định theo kế hoạch: 5"),
    ConfigItem("so_dai_bieu_toi_da", "Số đại biểu tối đa mỗi tổ", INT, 7, "Mặc định theo kế hoạch: 7"),
    ConfigItem("han_xu_ly_mac_dinh", "Hạn xử lý mặc định (ngày làm việc)", INT, 15, "Số ngày làm việc khi quy tắc phân công không ghi hạn"),
    ConfigItem("thong_bao_truoc", "Thông báo trước hội nghị (ngày)", INT, 7, "Thông báo trên đài truyền thanh ít nhất bao nhiêu ngày trước hội nghị"),
    ConfigItem("han_bao_cao", "Hạn báo cáo kết quả (ngày)", INT, 10, "Gửi báo cáo kết quả trong bao nhiêu ngày sau hội nghị"),
    ConfigItem("giay_moi_truoc", "Gửi giấy mời trước hội nghị (ngày)", INT, 7,
               "Giấy mời ghi ngày này trước hội nghị khi sheet Hội nghị chưa có Ngày thông báo", optional=True),
    ConfigItem("de_trong_ngay_ky", "Để trống ngày ký văn bản", BOOL, "Không",
               "Có: dòng ngày tháng của văn bản để trống (ngày …… tháng …… năm ……) để ghi tay khi ký",
               optional=True),
    ConfigItem("do_dai_tra_loi", "Số ký tự tối thiểu của kết quả trả lời", INT, 30,
               "Kết quả trả lời của bộ phận ngắn hơn số ký tự này bị cảnh báo là quá sơ sài", optional=True),
    ConfigItem("bo_phan_chua_ro", "Bộ phận nhận kiến nghị chưa rõ", TEXT, "",
               "Khi không quy tắc phân công nào chắc chắn và lịch sử phân công cũng không: giao tạm cho bộ phận này "
               "(Căn cứ phân công ghi 'Đoán, cần xác nhận' và doithoai cảnh báo để xác nhận). Để trống: Văn phòng (bộ phận mã VP). Ghi Không để bỏ trống "
               "Bộ phận chủ trì", optional=True),
    ConfigItem("xoa_nhieu_so_dong", "Cảnh báo khi một lần lưu xóa quá (số dòng)", INT, 20,
               "Một lần lưu xóa nhiều hơn số dòng này ở Kiến nghị hoặc Đại biểu thì doithoai cảnh báo và giữ lại "
               "bản trước đó trong sao-luu", optional=True),
    ConfigItem("xoa_nhieu_ty_le", "Cảnh báo khi một lần lưu xóa quá (phần trăm số dòng)", INT, 20,
               "Như trên, tính theo phần trăm số dòng của sheet (chỉ khi xóa từ 3 dòng trở lên)", optional=True),
    ConfigItem("ngay_lam_bu", "Ngày làm bù", LIST, "", "Các ngày thứ Bảy/Chủ nhật phải đi làm bù, cách nhau bởi dấu chấm phẩy: 04/05/2024; 28/12/2024"),
    ConfigItem("ngay_nghi_them", "Ngày nghỉ thêm", LIST, "", "Các ngày nghỉ bù hoặc nghỉ theo thông báo, cách nhau bởi dấu chấm phẩy"),
    ConfigItem("noi_nhan_bao_cao", "Nơi nhận báo cáo kết quả", LONGTEXT,
               "UBND tỉnh/thành phố; Sở Nội vụ tỉnh/thành phố; TT Đảng ủy, TT HĐND phường; "
               "Chủ tịch, các PCT UBND phường; UBMTTQ Việt Nam phường; Lưu: VT, VP",
               "Danh sách nơi nhận, cách nhau bởi dấu chấm phẩy; chữ \"tỉnh/thành phố\" được thay bằng tên tỉnh/thành "
               "phố ghi ở mục Cơ quan cấp trên"),
    ConfigItem("can_cu_ke_hoach", "Căn cứ ban hành Kế hoạch", LONGTEXT, "",
               "Các văn bản làm căn cứ của Kế hoạch đối thoại hằng năm, cách nhau bởi dấu chấm phẩy. Để trống: tự ghi "
               "theo ngày hội nghị (từ 01/7/2025: Luật Tổ chức chính quyền địa phương số 72/2025/QH15 và mục Căn cứ "
               "của tỉnh/thành phố; trước đó: Nghị định số 32/2021/NĐ-CP)",
               optional=True),
    ConfigItem("noi_nhan_ke_hoach", "Nơi nhận Kế hoạch", LONGTEXT,
               "UBND tỉnh/thành phố; Sở Nội vụ tỉnh/thành phố; TT Đảng ủy, TT HĐND phường; "
               "Chủ tịch, các PCT UBND phường; UBMTTQ Việt Nam phường và các tổ chức chính trị - xã hội; "
               "Các phòng, ban, đơn vị thuộc UBND phường; Lưu: VT, VP",
               "Danh sách nơi nhận Kế hoạch, cách nhau bởi dấu chấm phẩy; chữ \"tỉnh/thành phố\" được thay bằng tên "
               "tỉnh/thành phố ghi ở mục Cơ quan cấp trên", optional=True),
    ConfigItem("can_cu_tinh", "Căn cứ của tỉnh/thành phố", LONGTEXT, "",
               "Văn bản của tỉnh/thành phố về tiếp xúc, đối thoại với Nhân dân, ví dụ: Kế hoạch số …/KH-UBND ngày … "
               "của UBND thành phố …; nhiều văn bản cách nhau bởi dấu chấm phẩy (dùng cho hội nghị từ 01/7/2025)",
               optional=True),
    ConfigItem("don_vi_soan_thao", "Ký hiệu đơn vị soạn thảo", TEXT, "VP",
               "Chữ viết tắt của đơn vị soạn thảo văn bản: ghi ở dòng Lưu (Lưu: VT, VP) và ký hiệu công văn "
               "đôn đốc (UBND-VP)", optional=True),
    ConfigItem("ngay_ban_hanh_ke_hoach", "Ngày ban hành Kế hoạch", LIST, "",
               "Ngày ký Kế hoạch đối thoại, ví dụ: 05/01/2026 (mỗi năm một ngày, cách nhau bởi dấu chấm phẩy). "
               "Để trống: 30 ngày trước hội nghị đầu tiên của năm", optional=True),
    ConfigItem("ngay_ky_bao_cao_thang", "Ngày ký báo cáo tháng", LIST, "",
               "Ngày ký báo cáo tháng, ví dụ: 30/11/2026 hoặc 03/12/2026 cho báo cáo tháng 11/2026 (một ngày từ "
               "16 của tháng đến 15 của tháng sau được dùng cho báo cáo tháng đó; nhiều ngày cách nhau bởi dấu "
               "chấm phẩy). Để trống: ngày cuối tháng (ngày làm việc kế tiếp nếu là ngày nghỉ)", optional=True),
    ConfigItem("ngay_ky_phieu_chuyen", "Ngày ký phiếu chuyển", LIST, "",
               "Ngày ký phiếu chuyển kiến nghị cho các bộ phận, ví dụ: 20/12/2026. Chỉ dùng khi không sớm hơn ngày "
               "tiếp nhận kiến nghị mới nhất trong phiếu. Để trống: ngày tiếp nhận kiến nghị (ngày hội nghị)",
               optional=True),
    ConfigItem("ngay_ky_cong_van_don_doc", "Ngày ký công văn đôn đốc", LIST, "",
               "Ngày ký công văn đôn đốc các bộ phận, ví dụ: 07/12/2026; số ngày quá hạn được tính đến ngày này. "
               "Ngày sớm hơn hôm nay quá 30 ngày không được dùng. Để trống: ngày lập công văn", optional=True),
)

CONFIG_BY_KEY = {item.key: item for item in CONFIG_ITEMS}

# Items holding several values (a ';'-separated list); the "ngay_" ones are dates.
CONFIG_LISTS = frozenset(("ngay_lam_bu", "ngay_nghi_them", "noi_nhan_bao_cao", "can_cu_ke_hoach", "noi_nhan_ke_hoach",
                          "can_cu_tinh", "ngay_ban_hanh_ke_hoach", "ngay_ky_bao_cao_thang", "ngay_ky_phieu_chuyen",
                          "ngay_ky_cong_van_don_doc"))


def config_default(key: str) -> object:
    """The typed default of a Cấu hình item (what ``model.Config`` starts from)."""
    item = CONFIG_BY_KEY[key]
    default = item.default
    if key in CONFIG_LISTS:
        if key.startswith("ngay_"):
            return []
        return [p for p in (" ".join(x.split()) for x in str(default or "").split(";")) if p]
    if item.type == BOOL:
        return header_key(default) in ("co", "x", "1", "true", "yes")
    if item.type == INT:
        return int(default)
    return "" if default is None else str(default)

# --- Status and form literals: the one place they are spelled (toolkit.core.status asks them) ---

STATUS_NEW = "Mới tiếp nhận"
STATUS_WORKING = "Đang xử lý"
STATUS_AT_CONFERENCE = "Đã trả lời tại hội nghị"
STATUS_WRITTEN = "Đã trả lời bằng văn bản"
STATUS_RESOLVED = "Đã giải quyết xong"
# Statuses that close a petition: they need an answer date and a result.
STATUS_CLOSED = (STATUS_AT_CONFERENCE, STATUS_WRITTEN, STATUS_RESOLVED)
# Forwarded up: no longer on the ward's clock, no answer date required.
STATUS_FORWARDED = "Đã chuyển cấp trên"
FORM_AT_CONFERENCE = "Trả lời tại hội nghị"
FORM_WRITTEN = "Trả lời bằng văn bản"
FORM_FORWARD = "Chuyển cấp trên"
MANUAL_BASIS = "Nhập tay"

# --- Danh mục: one column per list ------------------------------------------

CATEGORY_PEOPLE = "Đại diện Nhân dân"

LISTS: dict[str, tuple[str, tuple[str, ...]]] = {
    # key: (column header in Danh mục, default values)
    "thanh_phan": ("Thành phần", (
        "Đại biểu HĐND phường",
        "Thường trực Đảng ủy",
        "Lãnh đạo UBND phường",
        "MTTQ và các đoàn thể",
        "Công an, Quân sự",
        "Công chức chuyên môn",
        CATEGORY_PEOPLE,
    )),
    "linh_vuc": ("Lĩnh vực", (
        "Đất đai",
        "Xây dựng - Trật tự đô thị",
        "Giao thông - Hạ tầng",
        "Môi trường - Vệ sinh",
        "Chính sách xã hội",
        "Y tế - Bảo hiểm",
        "Giáo dục",
        "Tư pháp - Hộ tịch",
        "Tài chính - Phí, lệ phí",
        "Văn hóa - Thông tin",
        "An ninh trật tự",
        "Quân sự - Quốc phòng",
        "Cán bộ - Thủ tục hành chính",
        "Quy hoạch - Bồi thường",
        "Khác",
    )),
    "trang_thai": ("Trạng thái", (
        STATUS_NEW,
        STATUS_WORKING,
        STATUS_AT_CONFERENCE,
        STATUS_WRITTEN,
        STATUS_FORWARDED,
        STATUS_RESOLVED,
    )),
    "hinh_thuc": ("Hình thức trả lời", (
        FORM_AT_CONFERENCE,
        FORM_WRITTEN,
        FORM_FORWARD,
    )),
    "gioi_tinh": ("Giới tính", ("Nam", "Nữ")),
    # Stock phrases that alone do not answer a petition (answer_checks); staff add their own.
    "cum_tu_chung": ("Cụm từ trả lời chung chung", (
        "đã tiếp thu",
        "tiếp thu",
        "ghi nhận",
        "sẽ xem xét",
        "xem xét giải quyết",
        "đang chờ",
        "đang xử lý",
        "chuyển bộ phận liên quan",
        "đã chuyển bộ phận liên quan",
        "sẽ trả lời sau",
        "trong thời gian sớm nhất",
        "theo quy định của pháp luật",
        "tiếp tục theo dõi",
    )),
}

CONFIRMED_BASIS = "Xác nhận qua Trạng thái"     # a guessed department the department has taken on

# --- The sheets ---------------------------------------------------------------

CAU_HINH = Sheet("cau_hinh", "Cấu hình", (
    _c("muc", "Mục", required=True, width=40),
    _c("gia_tri", "Giá trị", width=60),
    _c("ghi_chu", "Ghi chú", width=60),
), note="Thông tin chung của đơn vị và các tham số. Chỉ sửa cột Giá trị.", tab_color="808080")

DANH_MUC = Sheet("danh_muc", "Danh mục", tuple(
    _c(key, header, width=30) for key, (header, _values) in LISTS.items()
), note="Các danh sách để chọn trong ô (thả xuống). Thêm giá trị vào cuối cột nếu cần.", tab_color="808080")

HOI_NGHI = Sheet("hoi_nghi", "Hội nghị", (
    _c("ma", "Mã hội nghị", CODE, required=True, width=14, note="Ví dụ: HN-2024-06"),
    _c("ten", "Tên hội nghị", TEXT, required=True, width=48),
    _c("ngay", "Ngày tổ chức", DATE, required=True, width=14, number_format=DATE_FORMAT),
    _c("gio", "Giờ", TIME, width=8, number_format="hh:mm"),
    _c("dia_diem", "Địa điểm", TEXT, width=48),
    _c("chu_tri", "Chủ trì", TEXT, width=24),
    _c("thu_ky", "Thư ký", TEXT, width=24),
    _c("ngay_thong_bao", "Ngày thông báo", DATE, width=14, number_format=DATE_FORMAT,
       note="Ngày thông báo trên đài truyền thanh"),
    _c("ghi_chu", "Ghi chú", TEXT, width=30),
    _c("ngay_bao_cao", "Ngày báo cáo", DATE, width=14, number_format=DATE_FORMAT,
       note="Ngày ký báo cáo kết quả hội nghị; để trống: trong hạn báo cáo (Cấu hình) sau ngày hội nghị"),
), tab_color="1F4E79")

TO_DAN_PHO = Sheet("to_dan_pho", "Tổ dân phố", (
    _c("ma", "Mã tổ", CODE, required=True, width=10, note="Ví dụ: TDP01"),
    _c("ten", "Tên tổ dân phố", TEXT, required=True, width=24),
    _c("to_truong", "Tổ trưởng", TEXT, width=24),
    _c("dien_thoai", "Điện thoại", PHONE, width=14),
    _c("toi_thieu", "Số đại biểu tối thiểu", INT, width=12, note="Để trống: dùng giá trị trong Cấu hình"),
    _c("toi_da", "Số đại biểu tối đa", INT, width=12, note="Để trống: dùng giá trị trong Cấu hình"),
), tab_color="1F4E79")

BO_PHAN = Sheet("bo_phan", "Bộ phận", (
    _c("ma", "Mã bộ phận", CODE, required=True, width=10),
    _c("ten", "Tên bộ phận", TEXT, required=True, width=44),
    _c("phu_trach", "Người phụ trách", TEXT, width=24),
    _c("dien_thoai", "Điện thoại", PHONE, width=14),
    _c("email", "Email", EMAIL, width=28),
), tab_color="1F4E79")

PHAN_CONG = Sheet("phan_cong", "Phân công", (
    _c("uu_tien", "Ưu tiên", INT, required=True, width=8, note="Số nhỏ được xét trước"),
    _c("linh_vuc", "Lĩnh vực", TEXT, source="danh_muc.linh_vuc", width=26),
    _c("tu_khoa", "Từ khóa", LIST, width=60, note="Các từ khóa cách nhau bởi dấu chấm phẩy"),
    _c("chu_tri", "Bộ phận chủ trì", TEXT, required=True, source="bo_phan", width=36),
    _c("phoi_hop", "Bộ phận phối hợp", LIST, source="bo_phan", width=36),
    _c("han", "Hạn xử lý (ngày làm việc)", INT, width=12),
    _c("ghi_chu", "Ghi chú", TEXT, width=30),
), note="Quy tắc giao bộ phận xử lý kiến nghị.", tab_color="1F4E79")

DAI_BIEU = Sheet("dai_bieu", "Đại biểu", (
    _c("stt", "STT", INT, width=6),
    _c("ho_ten", "Họ và tên", TEXT, required=True, width=26),
    _c("gioi_tinh", "Giới tính", TEXT, source="danh_muc.gioi_tinh", width=9),
    _c("nam_sinh", "Năm sinh", YEAR, width=9),
    _c("thanh_phan", "Thành phần", TEXT, required=True, source="danh_muc.thanh_phan", width=24),
    _c("chuc_vu", "Chức vụ", TEXT, width=24),
    _c("to_dan_pho", "Tổ dân phố", TEXT, source="to_dan_pho", width=18),
    _c("dia_chi", "Địa chỉ", TEXT, width=30),
    _c("dien_thoai", "Điện thoại", PHONE, width=14),
    _c("hoi_nghi", "Hội nghị", CODE, required=True, source="hoi_nghi", width=13),
    _c("duoc_moi", "Được mời", BOOL, width=9),
    _c("co_mat", "Có mặt", BOOL, width=8),
    _c("ghi_chu", "Ghi chú", TEXT, width=24),
    _c("kiem_tra", "Kiểm tra", TEXT, owner=TOOLKIT, width=40),
), tab_color="2E7D32")

KIEN_NGHI = Sheet("kien_nghi", "Kiến nghị", (
    _c("ma", "Mã kiến nghị", CODE, owner=FILLED, width=16, note="Để trống: phần mềm tự cấp, ví dụ KN-2024-06-001"),
    _c("hoi_nghi", "Hội nghị", CODE, required=True, source="hoi_nghi", width=13),
    _c("ngay_tiep_nhan", "Ngày tiếp nhận", DATE, required=True, width=13, number_format=DATE_FORMAT),
    _c("nguoi_kien_nghi", "Người kiến nghị", TEXT, required=True, width=24),
    _c("to_dan_pho", "Tổ dân phố", TEXT, source="to_dan_pho", width=16),
    _c("linh_vuc", "Lĩnh vực", TEXT, source="danh_muc.linh_vuc", width=24),
    _c("noi_dung", "Nội dung", LONGTEXT, required=True, width=60),
    _c("hinh_thuc", "Hình thức trả lời", TEXT, source="danh_muc.hinh_thuc", width=20),
    _c("chu_tri", "Bộ phận chủ trì", TEXT, owner=FILLED, source="bo_phan", width=30),
    _c("phoi_hop", "Bộ phận phối hợp", LIST, owner=FILLED, source="bo_phan", width=30),
    _c("han", "Hạn xử lý", DATE, owner=FILLED, width=13, number_format=DATE_FORMAT),
    _c("trang_thai", "Trạng thái", TEXT, owner=FILLED, source="danh_muc.trang_thai", width=20),
    _c("ngay_tra_loi", "Ngày trả lời", DATE, width=13, number_format=DATE_FORMAT),
    _c("ket_qua", "Kết quả trả lời", LONGTEXT, width=40),
    _c("ghi_chu", "Ghi chú", TEXT, width=24),
    _c("can_cu", "Căn cứ phân công", TEXT, owner=TOOLKIT, width=36),
    _c("kiem_tra", "Kiểm tra", TEXT, owner=TOOLKIT, width=40),
), tab_color="C62828")

# Optional (added after workbooks were in use): a workbook without it keeps working;
# `doithoai init --add-sheet "Công việc" FILE` adds it. Rules of Hạn: toolkit.tasks.
CONG_VIEC = Sheet("cong_viec", "Công việc", (
    _c("hoi_nghi", "Hội nghị", CODE, required=True, source="hoi_nghi", width=13),
    _c("cong_viec", "Công việc", LONGTEXT, required=True, width=56),
    _c("bo_phan", "Bộ phận", TEXT, source="bo_phan", width=30, note="Bộ phận chịu trách nhiệm làm việc này"),
    _c("han", "Hạn", DUE, width=16,
       note="Một ngày (15/06/2024), hoặc số ngày so với ngày hội nghị: -7 là 7 ngày trước, +10 là 10 ngày sau "
            "(ngày theo lịch); ghi thêm \"ngày làm việc\" để tính theo ngày làm việc, ví dụ: -5 ngày làm việc"),
    _c("ngay_den_han", "Ngày đến hạn", DATE, owner=TOOLKIT, width=14, number_format=DATE_FORMAT,
       note="Phần mềm tính từ cột Hạn và ngày hội nghị; đổi ngày hội nghị thì ngày này đổi theo"),
    _c("ngay_hoan_thanh", "Ngày hoàn thành", DATE, width=14, number_format=DATE_FORMAT,
       note="Ghi ngày làm xong; để trống là việc chưa xong"),
    _c("ghi_chu", "Ghi chú", TEXT, width=30),
    _c("kiem_tra", "Kiểm tra", TEXT, owner=TOOLKIT, width=40),
), required=False, note="Các việc chuẩn bị và sau mỗi hội nghị (theo Kế hoạch, mục III), bộ phận làm và hạn.",
   tab_color="2E7D32")

# Generated sheets: rebuilt whole by each pass, never edited by staff.
TONG_HOP = Sheet("tong_hop", "Tổng hợp", owner="generated", required=False, tab_color="6A1B9A")
THEO_DOI = Sheet("theo_doi", "Theo dõi xử lý", owner="generated", required=False, tab_color="6A1B9A")
LOI_NHAP = Sheet("loi_nhap_lieu", "Lỗi nhập liệu", owner="generated", required=False, tab_color="6A1B9A")
HUONG_DAN = Sheet("huong_dan", "Hướng dẫn", owner="guide", required=False, tab_color="FFB300")
# Hidden sheet: what the toolkit filled, so its own fills can be re-derived
# and a value a person typed is never overwritten.
# Kiến nghị columns whose filled values the state remembers.
# The answer columns are filled from the departments' own files (replies.py, answers.py).
ANSWER_STATE_KEYS = ("ngay_tra_loi", "hinh_thuc", "ket_qua")
STATE_KEYS = ("ma", "chu_tri", "phoi_hop", "han", "trang_thai") + ANSWER_STATE_KEYS
DA_DIEN = Sheet("da_dien", "_doithoai", tuple(
    # One row per petition: its id, then the text the toolkit last wrote in each
    # column it filled (blank: the toolkit wrote nothing there). See records.py.
    Column(c.key, c.header, CODE if c.key == "ma" else TEXT, width=24)
    for c in (KIEN_NGHI.column(k) for k in STATE_KEYS)
), owner="state", required=False)

DATA_SHEETS: tuple[Sheet, ...] = (CAU_HINH, DANH_MUC, HOI_NGHI, TO_DAN_PHO, BO_PHAN, PHAN_CONG, DAI_BIEU, KIEN_NGHI,
                                  CONG_VIEC)
GENERATED_SHEETS: tuple[Sheet, ...] = (TONG_HOP, THEO_DOI, LOI_NHAP)
ALL_SHEETS: tuple[Sheet, ...] = (HUONG_DAN,) + DATA_SHEETS + GENERATED_SHEETS + (DA_DIEN,)
SHEETS_BY_KEY = {s.key: s for s in ALL_SHEETS}


def sheet(key: str) -> Sheet:
    return SHEETS_BY_KEY[key]


def list_header(list_key: str) -> str:
    """Header in Danh mục of a list key ('linh_vuc' -> 'Lĩnh vực')."""
    return LISTS[list_key][0]
