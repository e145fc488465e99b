"""Defaults `doithoai init` seeds: the ward's departments and routing rules.

Staff change them in the workbook (Bộ phận, Phân công); these are only the
starting point. Field names come from ``schema.LISTS['linh_vuc']``.
"""

from __future__ import annotations

from dataclasses import dataclass

# (code, name)
DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("VP", "Văn phòng - Thống kê"),
    ("DC", "Địa chính - Xây dựng - Đô thị - Môi trường"),
    ("TC", "Tài chính - Kế toán"),
    ("TP", "Tư pháp - Hộ tịch"),
    ("VHXH", "Văn hóa - Xã hội"),
    ("VHTT", "Văn hóa - Thông tin"),
    ("CA", "Công an phường"),
    ("QS", "Ban Chỉ huy Quân sự"),
    ("MTTQ", "MTTQ và các đoàn thể"),
    ("CT", "Chuyển cấp trên"),
)

DEFAULT_DEPARTMENT = "VP"      # when no rule matches
FORWARD_DEPARTMENT = "CT"      # "Chuyển cấp trên"


@dataclass(frozen=True)
class DefaultRule:
    priority: int
    field: str = ""                      # Lĩnh vực ("" = any)
    keywords: tuple[str, ...] = ()       # whole words/phrases in Nội dung
    lead: str = ""                       # department code
    coordinators: tuple[str, ...] = ()   # department codes
    days: int | None = None              # working days, None = Cấu hình default
    note: str = ""


# Rules 10-140 route by Lĩnh vực; rules 200+ route petitions by keywords in
# Nội dung (whole words; a petition typed without diacritics matches too).
# Keyword rules run in priority order and the first one that matches wins, so
# the most specific subjects come first and broad ones (roads, environment)
# later. Keep priorities unique; never put a comma inside a keyword (the
# Phân công sheet splits keywords on ';' and ',').
RULES: tuple[DefaultRule, ...] = (
    DefaultRule(10, "Quy hoạch - Bồi thường", (), "CT", ("DC",), 10, "Vượt thẩm quyền phường"),
    DefaultRule(20, "Đất đai", (), "DC", (), 15),
    DefaultRule(30, "Xây dựng - Trật tự đô thị", (), "DC", ("CA",), 10),
    DefaultRule(40, "Giao thông - Hạ tầng", (), "DC", (), 15),
    DefaultRule(50, "Môi trường - Vệ sinh", (), "DC", ("MTTQ",), 10),
    DefaultRule(60, "Chính sách xã hội", (), "VHXH", (), 15),
    DefaultRule(70, "Y tế - Bảo hiểm", (), "VHXH", (), 15),
    DefaultRule(80, "Giáo dục", (), "VHXH", (), 15),
    DefaultRule(90, "Tư pháp - Hộ tịch", (), "TP", (), 10),
    DefaultRule(100, "Tài chính - Phí, lệ phí", (), "TC", (), 15),
    DefaultRule(110, "Văn hóa - Thông tin", (), "VHTT", (), 15),
    DefaultRule(120, "An ninh trật tự", (), "CA", (), 10),
    DefaultRule(130, "Quân sự - Quốc phòng", (), "QS", (), 15),
    DefaultRule(140, "Cán bộ - Thủ tục hành chính", (), "VP", (), 15),
    # --- keywords in Nội dung --------------------------------------------------------
    DefaultRule(200, "", (
        "tiền bồi thường", "giá bồi thường", "phương án bồi thường", "bồi thường hỗ trợ",
        "bồi thường giải phóng mặt bằng", "đất bồi thường", "giải phóng mặt bằng", "GPMB", "tái định cư",
        "thu hồi đất", "tiền đền bù", "giá đền bù", "đền bù đất", "đền bù giải phóng mặt bằng",
        "quy hoạch treo", "dự án treo", "đồ án quy hoạch", "quy hoạch chi tiết", "quy hoạch phân khu",
        "điều chỉnh quy hoạch", "thông tin quy hoạch", "chỉ giới đường đỏ", "dính quy hoạch",
        "nằm trong quy hoạch",
    ), "CT", ("DC",), 10, "Bồi thường, quy hoạch: vượt thẩm quyền phường"),
    DefaultRule(210, "", (
        "nghĩa vụ quân sự", "NVQS", "nhập ngũ", "khám tuyển", "tuyển quân", "giấy gọi",
        "hoãn nghĩa vụ", "xuất ngũ", "dân quân", "tự vệ", "bộ đội", "quân nhân",
    ), "QS", (), 15, "Quân sự"),
    DefaultRule(220, "", (
        "loa phường", "loa truyền thanh", "đài truyền thanh", "đài phát thanh", "loa công cộng",
        "truyền thanh",
    ), "VHTT", (), 15, "Loa, đài truyền thanh phường"),
    DefaultRule(230, "", (
        "trộm", "trộm cắp", "mất trộm", "kẻ trộm", "cướp", "cướp giật", "móc túi", "ma túy", "nghiện",
        "con nghiện", "tiêm chích", "đánh bạc", "cờ bạc", "lô đề", "số đề", "cá độ", "đánh nhau",
        "gây rối", "côn đồ", "trật tự công cộng", "an ninh", "camera", "tụ tập", "lạng lách",
        "đua xe", "bốc đầu", "karaoke", "hát hò", "ồn ào", "gây ồn", "tạm trú", "tạm vắng",
        "khai báo lưu trú", "lừa đảo", "tín dụng đen", "cho vay nặng lãi", "mại dâm", "căn cước",
        "CCCD", "phòng cháy", "chữa cháy", "PCCC", "cháy nổ", "hỏa hoạn", "lối thoát hiểm",
        "bình cứu hỏa", "bình chữa cháy", "vật liệu nổ", "pháo nổ",
    ), "CA", (), 10, "An ninh trật tự, phòng cháy chữa cháy"),
    DefaultRule(240, "", (
        "chứng thực", "công chứng", "sao y", "bản sao", "khai sinh", "khai tử", "kết hôn",
        "hộ tịch", "tình trạng hôn nhân", "độc thân", "giám hộ", "nhận cha", "nhận con",
        "cải chính", "trích lục", "di chúc", "thừa kế", "chữ ký", "lý lịch", "ly hôn",
        "hòa giải viên", "tổ hòa giải", "trợ giúp pháp lý", "tủ sách pháp luật",
    ), "TP", (), 10, "Tư pháp, hộ tịch, chứng thực"),
    DefaultRule(250, "", (
        "mặt trận", "MTTQ", "đoàn thanh niên", "đoàn viên", "hội phụ nữ", "phụ nữ phường",
        "hội cựu chiến binh", "cựu chiến binh", "hội người cao tuổi", "chi hội", "hội chữ thập đỏ",
        "quỹ vì người nghèo", "ngày hội đại đoàn kết", "ban công tác mặt trận", "đoàn thể",
        "khu dân cư văn hóa",
    ), "MTTQ", (), 15, "Mặt trận và các đoàn thể"),
    DefaultRule(260, "", (
        "nhà văn hóa", "quảng cáo", "băng rôn", "khẩu hiệu", "pa nô", "lễ hội", "văn nghệ",
        "thể dục thể thao", "thể thao", "sân chơi", "di tích", "đình làng", "đình chùa", "tín ngưỡng",
        "internet", "báo chí", "gia đình văn hóa", "tờ rơi",
    ), "VHTT", (), 15, "Văn hóa, thông tin, tuyên truyền"),
    DefaultRule(270, "", (
        # roads and drains
        "ổ gà", "ổ voi", "sụt lún", "lún", "sụt", "hố sâu", "hố ga", "nắp ga", "nứt", "mặt đường",
        "vỉa hè", "lòng đường", "ngập", "ngập úng", "thoát nước", "cống rãnh", "cống thoát nước",
        "nắp cống", "miệng cống", "cống ngầm", "vỡ nắp", "tắc cống", "cống hộp", "rãnh", "mương", "bị tắc", "tắc nghẽn", "đọng nước", "nước đọng", "đường ngõ", "ngõ xóm", "bê tông hóa", "trải nhựa",
        "đèn chiếu sáng", "đèn đường", "chiếu sáng", "cột điện", "dây điện", "dây cáp", "điện lực",
        "nước sạch", "nước sinh hoạt", "cấp nước", "thi công", "ùn tắc", "biển báo", "gờ giảm tốc",
        # trees
        "cây xanh", "cây đổ", "nguy cơ đổ", "gãy đổ", "mục gốc", "cành cây", "cắt tỉa", "chặt cây",
        # rubbish and pollution
        "rác", "rác thải", "thu gom", "phế thải", "đổ trộm", "đổ trộm rác", "đổ rác", "xả thải", "ô nhiễm", "mùi hôi", "hôi thối", "bốc mùi",
        "khói bụi", "bụi bẩn", "chăn nuôi", "xác động vật", "môi trường", "vệ sinh môi trường",
        "mất vệ sinh",
        # construction and encroachment
        "giấy phép xây dựng", "xây dựng không phép", "không phép", "sai phép", "xây dựng trái phép",
        "xây dựng", "xây thêm", "cơi nới", "lấn chiếm", "lấn chiếm vỉa hè", "lấn sang", "vật liệu xây dựng",
        "công trình", "trật tự đô thị", "mái tôn", "ban công",
        # land
        "sổ đỏ", "sổ hồng", "cấp sổ", "giấy chứng nhận quyền sử dụng đất", "quyền sử dụng đất",
        "đất đai", "thửa đất", "tranh chấp đất", "ranh giới", "mốc giới", "đo đạc", "địa chính",
        "chuyển mục đích", "đất công", "đất trống", "tách thửa", "hợp thửa",
    ), "DC", (), 15, "Hạ tầng, môi trường, xây dựng, đất đai"),
    DefaultRule(280, "", (
        "hộ nghèo", "cận nghèo", "người có công", "liệt sĩ", "thương binh", "bệnh binh",
        "chất độc da cam", "gia đình chính sách", "trợ cấp", "bảo trợ xã hội", "khuyết tật",
        "người cao tuổi", "người già", "trẻ em", "trẻ mồ côi", "bảo hiểm y tế", "BHYT",
        "thẻ bảo hiểm", "bảo hiểm xã hội", "BHXH", "lương hưu", "trạm y tế", "y tế",
        "khám chữa bệnh", "khám bệnh", "tiêm chủng", "tiêm phòng", "dịch bệnh", "sốt xuất huyết",
        "an toàn thực phẩm", "mầm non", "mẫu giáo", "nhà trẻ", "trường học", "nhà trường",
        "học sinh", "tiểu học", "trung học cơ sở", "THCS", "giáo viên", "năm học", "tuyển sinh",
        "học phí", "việc làm", "thất nghiệp", "xuất khẩu lao động", "bạo lực gia đình",
    ), "VHXH", (), 15, "Chính sách xã hội, y tế, giáo dục"),
    DefaultRule(290, "", (
        "đóng góp", "khoản thu", "khoản đóng góp", "các khoản", "khoản tiền", "ủng hộ", "thu chi",
        "đóng quỹ", "thu quỹ", "quỹ phòng chống thiên tai", "quỹ đền ơn đáp nghĩa", "quỹ khuyến học",
        "phí", "lệ phí", "mức thu", "nộp thuế", "tiền thuế", "thuế đất", "ngân sách", "kinh phí", "tài chính", "công khai tài chính",
    ), "TC", (), 15, "Phí, lệ phí, các khoản đóng góp"),
    DefaultRule(300, "", (
        "thái độ", "hách dịch", "nhũng nhiễu", "gây khó khăn", "gây phiền hà", "phiền hà",
        "tác phong", "cán bộ phường", "công chức", "một cửa", "tiếp nhận và trả kết quả",
        "thủ tục hành chính", "giờ làm việc", "tiếp công dân", "tiếp dân", "dịch vụ công",
        "trả kết quả", "giải quyết chậm", "hẹn nhiều lần", "đơn thư",
    ), "VP", (), 15, "Cán bộ, thủ tục hành chính"),
)
