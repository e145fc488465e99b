"""Defaults `doithoai init` seeds: the ward's departments and routing rules.

Staff change them in the workbook (Bộ phận, Phân công); these are only the
starting point. Field names come from ``schema.LISTS['linh_vuc']``.
"""

from __future__ import annotations

import datetime as dt
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


# Where each rule comes from (shown in Phân công's Ghi chú, so staff see why a
# subject goes where it goes). Duties of ward civil servants by title: Thông tư
# 13/2019/TT-BNV (sửa đổi bởi Thông tư 06/2022/TT-BNV); in a commune the land title
# is "Địa chính - nông nghiệp - xây dựng và môi trường", which adds farming,
# irrigation and animals: the rules below cover both, for rural-fringe wards.
TT13 = "Thông tư 13/2019/TT-BNV"
SRC_DC = f"{TT13}: công chức Địa chính - xây dựng - đô thị và môi trường (ở xã: Địa chính - nông nghiệp)"
SRC_VHXH = f"{TT13}: công chức Văn hóa - xã hội (lao động, thương binh và xã hội, y tế, giáo dục)"
SRC_VHTT = f"{TT13}: công chức Văn hóa - xã hội (văn hóa, thông tin, thể thao, truyền thanh cơ sở)"
SRC_TP = f"{TT13}: công chức Tư pháp - hộ tịch; Luật Hộ tịch 2014; Nghị định 23/2015/NĐ-CP; Luật Hòa giải ở cơ sở 2013"
SRC_TC = f"{TT13}: công chức Tài chính - kế toán; Luật Ngân sách nhà nước 2015"
SRC_VP = f"{TT13}: công chức Văn phòng - thống kê; Luật Tiếp công dân 2013"
SRC_CA = ("Luật Công an nhân dân 2018 (Công an cấp xã); Luật Cư trú 2020; Luật Căn cước 2023; "
          "Luật Phòng cháy, chữa cháy và cứu nạn, cứu hộ 2024; Luật Trật tự, an toàn giao thông đường bộ 2024")
SRC_QS = f"Luật Dân quân tự vệ 2019; Luật Nghĩa vụ quân sự 2015; {TT13}: Chỉ huy trưởng Ban Chỉ huy Quân sự"
SRC_MTTQ = ("Luật Mặt trận Tổ quốc Việt Nam 2015 (giám sát và phản biện xã hội, tập hợp và phản ánh kiến nghị của "
            "nhân dân, cuộc vận động Toàn dân đoàn kết xây dựng đời sống văn hóa ở khu dân cư, Quỹ Vì người nghèo); "
            "điều lệ các đoàn thể")
BEYOND = "Vượt thẩm quyền phường (Luật Tổ chức chính quyền địa phương): "

# Who is asked (issue 28, continued): a petition that names the body it asks to act ('đề nghị Mặt trận
# giám sát …', 'xin Quỹ Vì người nghèo hỗ trợ …', 'đề nghị trung tâm hành chính công bố trí …') asks for
# that body's own work. A keyword that begins with one of ASK_WORDS is what is asked (like REQUEST_ACTS,
# toolkit.rules.routing), and it comes before the acts and the places the petition mentions.
ASK_WORDS: tuple[str, ...] = ("đề nghị", "kiến nghị", "xin", "mong", "nhờ", "yêu cầu")
# The Front and its member organisations (Luật MTTQ Việt Nam 2015, Điều 1; điều lệ các đoàn thể), and the
# bodies it directs at the ward (Luật Thực hiện dân chủ ở cơ sở 2022: Ban Thanh tra nhân dân; Nghị định
# 93/2021/NĐ-CP: Ban vận động cứu trợ; Quỹ Vì người nghèo, managed by the Front's committee).
FRONT_BODIES: tuple[str, ...] = (
    "mặt trận", "MTTQ", "ủy ban mặt trận", "ban công tác mặt trận", "ban thanh tra nhân dân", "quỹ vì người nghèo",
    "ban vận động cứu trợ", "hội nông dân", "hội phụ nữ", "hội cựu chiến binh", "hội người cao tuổi",
    "hội chữ thập đỏ", "đoàn thanh niên", "chi hội")
# The ward's mediation teams (Luật Hòa giải ở cơ sở 2013): "nhờ tổ hòa giải mời hai bên ngồi lại" asks for
# mediation, whatever the quarrel is about (noise, a path, a debt).
MEDIATION_BODIES: tuple[str, ...] = ("tổ hòa giải", "hòa giải viên", "ban hòa giải", "tổ trưởng tổ hòa giải")
# The desk where a procedure's file is lodged (before July 2025 the office's one-stop desk; from then on the
# Trung tâm Phục vụ hành chính công, Nghị định 118/2025/NĐ-CP).
DESK_BODIES: tuple[str, ...] = (
    "trung tâm hành chính công", "trung tâm phục vụ hành chính công", "điểm phục vụ hành chính công",
    "bộ phận một cửa", "bộ phận tiếp nhận và trả kết quả")


def _asked(bodies: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"{a} {b}" for a in ASK_WORDS for b in bodies)


FRONT_ASKED = _asked(FRONT_BODIES)
MEDIATION_ASKED = _asked(MEDIATION_BODIES)
# where a procedure's file is lodged is the desk's matter (Nghị định 118/2025/NĐ-CP), whatever the procedure
DESK_WORDS = _asked(DESK_BODIES) + DESK_BODIES + ("hành chính công", "tiếp nhận hồ sơ", "điểm tiếp nhận",
                                                  "nộp ở đâu", "nộp hồ sơ ở đâu", "nộp hồ sơ tại đâu")

# Rules 10-140 route by Lĩnh vực; rules 200+ route petitions by keywords in
# Nội dung (whole words; a petition typed without diacritics matches too).
# Keyword rules run in priority order and the first one that matches wins, so
# the matters beyond the ward (their keywords name a higher agency, a utility,
# a road or project of a higher level, or ask for a policy, a rate or a law to
# change) come first, then the ward's own duties, most specific first. Keep
# priorities unique; never put a comma inside a keyword (the Phân công sheet
# splits keywords on ';' and ',').
RULES: tuple[DefaultRule, ...] = (
    DefaultRule(10, "Quy hoạch - Bồi thường", (), "CT", ("DC",), 10, BEYOND + "quy hoạch, bồi thường do cấp trên quyết định"),
    DefaultRule(20, "Đất đai", (), "DC", (), 15, SRC_DC + "; Luật Đất đai 2024"),
    DefaultRule(30, "Xây dựng - Trật tự đô thị", (), "DC", ("CA",), 10, SRC_DC),
    DefaultRule(40, "Giao thông - Hạ tầng", (), "DC", (), 15, SRC_DC),
    DefaultRule(50, "Môi trường - Vệ sinh", (), "DC", ("MTTQ",), 10, SRC_DC),
    DefaultRule(60, "Chính sách xã hội", (), "VHXH", (), 15, SRC_VHXH),
    DefaultRule(70, "Y tế - Bảo hiểm", (), "VHXH", (), 15, SRC_VHXH),
    DefaultRule(80, "Giáo dục", (), "VHXH", (), 15, SRC_VHXH),
    DefaultRule(90, "Tư pháp - Hộ tịch", (), "TP", (), 10, SRC_TP),
    DefaultRule(100, "Tài chính - Phí, lệ phí", (), "TC", (), 15, SRC_TC),
    DefaultRule(110, "Văn hóa - Thông tin", (), "VHTT", (), 15, SRC_VHTT),
    DefaultRule(120, "An ninh trật tự", (), "CA", (), 10, SRC_CA),
    DefaultRule(130, "Quân sự - Quốc phòng", (), "QS", (), 15, SRC_QS),
    DefaultRule(140, "Cán bộ - Thủ tục hành chính", (), "VP", (), 15, SRC_VP),
    # --- beyond the ward: Chuyển cấp trên, the ward department named coordinates ---------
    DefaultRule(200, "", (
        "tiền bồi thường", "giá bồi thường", "phương án bồi thường", "bồi thường hỗ trợ",
        "bồi thường giải phóng mặt bằng", "đất bồi thường", "giải phóng mặt bằng", "GPMB", "tái định cư",
        "thu hồi đất", "tiền đền bù", "giá đền bù", "đền bù đất", "đền bù giải phóng mặt bằng",
        "quy hoạch treo", "dự án treo", "đồ án quy hoạch", "quy hoạch chi tiết", "quy hoạch phân khu",
        "điều chỉnh quy hoạch", "thông tin quy hoạch", "chỉ giới đường đỏ", "dính quy hoạch",
        "nằm trong quy hoạch", "diện quy hoạch", "khu quy hoạch", "quy hoạch mở rộng", "đất dịch vụ",
        "giải tỏa", "bồi thường",
        # the land price list is the province's (Luật Đất đai 2024, Điều 159)
        "giá đất", "bảng giá đất", "khung giá đất",
    ), "CT", ("DC",), 10, BEYOND + "thu hồi đất, bồi thường, quy hoạch do UBND cấp tỉnh quyết định (Luật Đất đai 2024)"),
    DefaultRule(205, "", (
        "điện lực", "ngành điện", "công ty điện", "EVN", "lưới điện", "điện lưới", "đường dây điện",
        "đường điện hạ thế", "đường điện trung thế", "dây điện", "trạm biến áp", "biến áp", "điện yếu",
        "cắt điện", "mất điện", "cúp điện", "tiền điện", "giá điện", "hóa đơn điện", "công tơ điện",
        "điện câu đuôi", "cột điện nghiêng", "cột điện ngã", "cột điện gãy", "kéo điện", "đóng điện",
        "đường điện", "kéo đường điện", "chưa có điện",
    ), "CT", ("DC",), 10, BEYOND + "cấp điện, lưới điện thuộc đơn vị điện lực (Luật Điện lực 2024)"),
    DefaultRule(206, "", (
        "công ty cấp nước", "nhà máy nước", "giá nước", "tiền nước", "nước máy", "mất nước", "cúp nước",
        "đồng hồ nước", "đường ống cấp nước",
    ), "CT", ("DC",), 10, BEYOND + "cấp nước sạch đô thị thuộc đơn vị cấp nước (Nghị định 117/2007/NĐ-CP)"),
    DefaultRule(207, "", (
        "viễn thông", "nhà mạng", "cáp quang", "cáp viễn thông", "dây cáp viễn thông", "sóng điện thoại",
        "sóng di động", "mạng di động", "trạm BTS", "internet chậm", "mạng internet",
    ), "CT", ("DC",), 10, BEYOND + "mạng viễn thông thuộc doanh nghiệp viễn thông (Luật Viễn thông 2023)"),
    DefaultRule(208, "", (
        "quốc lộ", "tỉnh lộ", "đường tỉnh", "QL", "đường ĐT", "tuyến ĐT", "đường QL", "tuyến QL", "cao tốc", "đường cao tốc", "đường sắt", "ga đường sắt",
        "vành đai", "cầu vượt", "dự án của thành phố", "dự án của tỉnh", "dự án thành phố", "dự án tỉnh",
        "thành phố đầu tư", "tỉnh đầu tư", "ngân sách thành phố", "ngân sách tỉnh", "đê bao",
        "công trình thủy lợi lớn", "hồ chứa", "chung cư cũ", "chung cư xuống cấp",
        # old blocks of flats: their renovation is the province's (Luật Nhà ở 2023, Chương VII)
        "khu tập thể", "nhà tập thể", "khu công nghiệp",
        "cụm công nghiệp", "bờ kè", "kè chống sạt lở", "xây kè", "làm kè", "liên huyện", "đường liên huyện",
        "liên tỉnh", "trạm sạc",
        # storm anchorages and fishing ports, their channels: the province's (Luật Thủy sản 2017, Điều 80-81)
        "khu neo đậu", "neo đậu tránh trú bão", "tránh trú bão", "cảng cá", "luồng tàu", "cửa luồng",
    ), "CT", ("DC",), 15, BEYOND + "đường, công trình, dự án do cấp tỉnh, thành phố quản lý và đầu tư"),
    DefaultRule(209, "", (
        "tòa án", "bản án", "thi hành án", "viện kiểm sát", "cơ quan thuế", "chi cục thuế", "cục thuế",
        "thuế", "kê khai thuế", "nộp thuế", "tiền thuế", "thuế đất", "bệnh viện", "trung tâm y tế",
        "sách giáo khoa", "chương trình học", "chương trình giáo dục", "chương trình sách giáo khoa",
        "sở giáo dục", "phòng giáo dục", "trung học phổ thông", "THPT", "thi tốt nghiệp",
        "quản lý thị trường", "hàng giả", "hàng gian", "hàng nhái", "bảo hiểm xã hội tỉnh",
        "cảnh sát giao thông", "CSGT", "đăng kiểm", "phạt nguội", "bằng lái", "giấy phép lái xe",
        "dạy thêm", "học thêm", "địa giới", "địa giới hành chính",
    ), "CT", (), 15, BEYOND + "việc của tòa án, cơ quan thuế, bệnh viện, ngành giáo dục, cảnh sát giao thông và cơ quan cấp trên khác"),
    DefaultRule(210, "", (
        "sửa luật", "sửa đổi luật", "sửa đổi quy định", "sửa đổi bổ sung", "bổ sung quy định",
        "thay đổi quy định", "sửa chính sách", "thay đổi chính sách", "điều chỉnh chính sách",
        "xem lại chính sách", "xem xét lại chính sách", "bổ sung chính sách", "có chính sách",
        "ban hành chính sách", "nâng mức", "tăng mức", "giảm mức", "mức trợ cấp", "mức hỗ trợ",
        "mức phụ cấp", "nâng phụ cấp", "tăng phụ cấp", "phụ cấp cho", "chế độ phụ cấp", "mức lương",
        "tăng lương", "lương cơ sở", "biên chế", "hạ tuổi", "độ tuổi hưởng", "giảm tuổi", "miễn học phí",
        "miễn giảm học phí", "giá cả", "bình ổn giá", "giá xăng", "tăng mức phạt", "mức phạt",
        "mức chi", "định mức", "dôi dư", "cán bộ dôi dư", "tinh giản",
    ), "CT", (), 15, BEYOND + "đề nghị thay đổi chính sách, mức chi, mức hưởng hay luật (do HĐND, Chính phủ, Quốc hội quyết định)"),
    # --- the ward's own duties -----------------------------------------------------------
    DefaultRule(215, "", (
        "tranh chấp đất", "tranh chấp đất đai", "tranh chấp ranh giới", "ranh giới đất", "lối đi chung",
        "ngõ đi chung", "đường đi chung", "tranh chấp lối đi", "lấn đất", "tranh chấp ranh", "ranh đất",
    ), "DC", ("TP",), 15, SRC_DC + "; Luật Đất đai 2024 (hòa giải tranh chấp đất đai tại UBND cấp xã)"),
    DefaultRule(220, "", (
        "nghĩa vụ quân sự", "NVQS", "nhập ngũ", "khám tuyển", "tuyển quân", "giấy gọi", "lệnh gọi",
        "hoãn nghĩa vụ", "tạm hoãn", "xuất ngũ", "dân quân", "tự vệ", "dân quân tự vệ", "bộ đội",
        "quân nhân", "quân sự", "dự bị động viên", "đăng ký nghĩa vụ", "huấn luyện dân quân",
        "hậu phương quân đội", "thanh niên nhập ngũ", "đi nghĩa vụ", "khám nghĩa vụ", "sơ tuyển",
        "gọi nhập ngũ", "quân đội", "danh sách gọi",
    ), "QS", (), 15, SRC_QS),
    DefaultRule(230, "", (
        "loa phường", "loa truyền thanh", "đài truyền thanh", "đài phát thanh", "loa công cộng",
        "truyền thanh", "loa phát thanh", "hệ thống loa", "lắp loa", "loa",
    ), "VHTT", (), 15, SRC_VHTT),
    # social policy worded around a place or an event: the duty decides, not the place it names
    DefaultRule(235, "", (
        # policies for people with merit: a martyrs' cemetery is the social-policy officer's
        "nghĩa trang liệt sĩ", "nghĩa trang liệt sỹ", "mộ liệt sĩ", "mộ liệt sỹ", "đài tưởng niệm",
        "nhà tình nghĩa", "đền ơn đáp nghĩa", "liệt sỹ", "liệt sĩ",      # both spellings ('mộ các liệt sĩ')
        # children's safety (Luật Trẻ em 2016): drowning spots, swimming lessons
        "đuối nước", "chết đuối", "tắm sông", "tắm ao", "tắm suối", "phòng chống đuối nước", "bảo vệ trẻ em",
        "dạy bơi",
        # relief after a disaster: who gets it is decided in the ward (Nghị định 20/2021/NĐ-CP)
        "thiệt hại do bão", "hỗ trợ thiệt hại", "bị thiệt hại", "tốc mái", "sập nhà", "nhà bị sập", "nhà sập",
        "lốc xoáy", "hỗ trợ khẩn cấp", "danh sách hỗ trợ", "danh sách nhận hỗ trợ", "danh sách được hỗ trợ",
        "bình xét hỗ trợ", "hỗ trợ sau bão", "hỗ trợ lũ lụt",
        # relief asked for, the place it happened to only named ('nhà bị ngập … chưa nhận được hỗ trợ')
        "chưa nhận được hỗ trợ", "chưa được hỗ trợ", "chưa nhận hỗ trợ", "không được hỗ trợ",
        "hỗ trợ mưa lũ", "hỗ trợ do lũ", "hỗ trợ thiên tai", "hỗ trợ sau lũ",
    ), "VHXH", (), 15, SRC_VHXH + "; Pháp lệnh Ưu đãi người có công với cách mạng 2020; Luật Trẻ em 2016; "
       "Nghị định 20/2021/NĐ-CP (hỗ trợ khẩn cấp)"),
    DefaultRule(240, "", (
        "trộm", "trộm cắp", "mất trộm", "kẻ trộm", "trộm vặt", "cướp", "cướp giật", "móc túi", "ma túy",
        "nghiện", "con nghiện", "tiêm chích", "đánh bạc", "cờ bạc", "lô đề", "số đề", "cá độ", "đánh nhau",
        "gây rối", "côn đồ", "trật tự công cộng", "an ninh", "an ninh trật tự", "camera", "tụ tập",
        "lạng lách", "đua xe", "bốc đầu", "karaoke", "loa kéo", "hát hò", "ồn ào", "gây ồn", "tiếng ồn",
        "nhậu nhẹt", "tạm trú", "tạm vắng", "khai báo lưu trú", "lưu trú", "cư trú", "thường trú",
        "hộ khẩu", "lừa đảo", "tín dụng đen", "cho vay nặng lãi", "mại dâm", "căn cước", "CCCD",
        "định danh", "VNeID", "hộ chiếu", "công an", "tuần tra", "phòng cháy", "chữa cháy", "PCCC",
        "cháy nổ", "hỏa hoạn", "lối thoát hiểm", "bình cứu hỏa", "bình chữa cháy", "vật liệu nổ",
        "pháo nổ", "pháo", "ùn tắc giao thông", "an toàn giao thông", "trật tự giao thông", "phân luồng",
        "đỗ xe", "đậu xe", "đỗ ô tô", "đậu ô tô", "xe đậu", "xe đỗ", "bán hàng rong", "homestay",
        "nhà trọ", "bạo lực", "rượu bia", "say rượu", "nồng độ cồn", "nẹt pô", "ô tô đậu", "ô tô đỗ",
    ), "CA", (), 10, SRC_CA),
    DefaultRule(250, "", (
        "chứng thực", "công chứng", "sao y", "bản sao", "khai sinh", "khai tử", "kết hôn",
        "hộ tịch", "tình trạng hôn nhân", "độc thân", "giám hộ", "nhận cha", "nhận con",
        "cải chính", "trích lục", "di chúc", "thừa kế", "chữ ký", "lý lịch", "ly hôn",
        "hòa giải", "hòa giải viên", "tổ hòa giải", "trợ giúp pháp lý", "tủ sách pháp luật",
        "phổ biến pháp luật", "vay mượn", "vay tiền", "nợ tiền", "đòi nợ", "hương ước", "quy ước",
    ) + MEDIATION_ASKED, "TP", (), 10, SRC_TP),
    DefaultRule(260, "", FRONT_ASKED + (
        # the Front's own bodies and campaigns (Luật MTTQ Việt Nam 2015; Luật Thực hiện dân chủ ở cơ sở 2022)
        "ban thanh tra nhân dân", "thanh tra nhân dân", "giám sát đầu tư của cộng đồng", "giám sát cộng đồng",
        "nhà đại đoàn kết", "đại đoàn kết", "toàn dân đoàn kết", "ban vận động cứu trợ", "ủy ban mặt trận",
        "mặt trận", "MTTQ", "đoàn thanh niên", "đoàn viên", "hội phụ nữ", "phụ nữ phường",
        "hội cựu chiến binh", "cựu chiến binh", "hội người cao tuổi", "chi hội", "hội chữ thập đỏ",
        "quỹ vì người nghèo", "ngày hội đại đoàn kết", "ban công tác mặt trận", "đoàn thể",
        "khu dân cư văn hóa", "hội nông dân", "hội phí", "hội viên", "ngân hàng chính sách",
        "vay vốn", "tổ tiết kiệm và vay vốn",
        # scholarships the Front and its member organisations award
        "học bổng Nguyễn Hữu Thọ", "quỹ học bổng Nguyễn Hữu Thọ", "học bổng Vừ A Dính",
    ), "MTTQ", (), 15, SRC_MTTQ + "; Luật Thực hiện dân chủ ở cơ sở 2022 (Ban Thanh tra nhân dân, Ban giám sát đầu tư "
       "của cộng đồng); Nghị định 93/2021/NĐ-CP (vận động, tiếp nhận, phân phối tiền cứu trợ)"),
    DefaultRule(265, "", (
        "tiền thuê sạp", "thuê sạp", "giá thuê sạp", "tiền thuê ki ốt", "thuê ki ốt", "phí chợ",
        "thu tiền chợ", "tiền chỗ ngồi",
    ), "TC", ("DC",), 15, SRC_TC + " (các khoản thu của phường)"),
    DefaultRule(270, "", (
        "nhà văn hóa", "nhà sinh hoạt cộng đồng", "quảng cáo", "băng rôn", "khẩu hiệu", "pa nô",
        "lễ hội", "văn nghệ", "thể dục thể thao", "thể thao", "sân chơi", "sân bóng", "sân thể thao",
        "di tích", "đình làng", "đình chùa", "tín ngưỡng", "tôn giáo", "quán net", "đại lý internet",
        "trò chơi điện tử", "báo chí", "gia đình văn hóa", "khu phố văn hóa", "tổ dân phố văn hóa",
        "tờ rơi", "tuyên truyền", "thư viện", "du lịch", "chuyển đổi số", "công nghệ số",
        "tổ công nghệ số", "tổ công nghệ số cộng đồng", "kỹ năng số", "bình dân học vụ số", "hủ tục",
        "mê tín", "tang lễ", "việc cưới", "việc tang", "nếp sống văn minh",
    ), "VHTT", (), 15, SRC_VHTT),
    DefaultRule(280, "", (
        # roads and drains
        "ổ gà", "ổ voi", "sụt lún", "lún", "sụt", "hố sâu", "hố ga", "nắp ga", "nứt", "mặt đường",
        "vỉa hè", "lòng đường", "ngập", "ngập úng", "thoát nước", "cống rãnh", "cống thoát nước",
        "nắp cống", "miệng cống", "cống ngầm", "vỡ nắp", "tắc cống", "cống hộp", "cống", "rãnh",
        "mương", "bị tắc", "tắc nghẽn", "đọng nước", "nước đọng", "đường ngõ", "ngõ xóm", "bê tông hóa",
        "trải nhựa", "đường kiệt", "đường hẻm", "đường nội thôn", "đường liên thôn", "đường làng",
        "đường thôn", "giao thông nông thôn", "đường giao thông", "đường xuống cấp", "nâng cấp đường",
        "xi măng", "khơi thông", "nạo vét", "gờ giảm tốc", "biển báo", "biển số nhà", "số nhà",
        "đặt tên ngõ", "đặt tên đường", "tên ngõ", "bảng tên đường", "biển tên đường", "biển chỉ dẫn",
        "đường nội đồng", "giao thông nội đồng", "đường dân sinh", "hiến đất", "nông thôn mới", "sạt",
        "đèn chiếu sáng", "đèn đường", "chiếu sáng", "điện chiếu sáng", "cột điện", "nước sạch",
        "nước sinh hoạt", "thi công", "ùn tắc", "lầy lội", "bùn lầy",
        # trees
        "cây xanh", "cây đổ", "nguy cơ đổ", "gãy đổ", "mục gốc", "cành cây", "cắt tỉa", "chặt cây",
        "phát quang",
        # rubbish and pollution
        "rác", "rác thải", "thu gom", "phế thải", "đổ trộm", "đổ trộm rác", "đổ rác", "xả thải",
        "nước thải", "ô nhiễm", "mùi hôi", "hôi thối", "bốc mùi", "khói bụi", "bụi bẩn", "bụi",
        "xác động vật", "môi trường", "vệ sinh môi trường", "mất vệ sinh", "giết mổ", "lò mổ", "rơm rạ",
        "đốt rơm", "đốt rác", "khai thác cát", "cát trái phép", "khai thác khoáng sản",
        # construction and encroachment
        "giấy phép xây dựng", "xây dựng không phép", "không phép", "sai phép", "xây dựng trái phép",
        "không đúng giấy phép", "xây nhà",
        "xây dựng", "xây thêm", "cơi nới", "lấn chiếm", "lấn chiếm vỉa hè", "lấn sang", "vật liệu xây dựng",
        "công trình", "trật tự đô thị", "mái tôn", "ban công", "chợ", "chợ tự phát", "họp chợ",
        # land
        "sổ đỏ", "sổ hồng", "cấp sổ", "giấy chứng nhận quyền sử dụng đất", "quyền sử dụng đất",
        "đất đai", "thửa đất", "ranh giới", "mốc giới", "đo đạc", "địa chính",
        "bản đồ địa chính", "chuyển mục đích", "đất công", "đất trống", "tách thửa", "hợp thửa",
        "cấp giấy chứng nhận", "hồ sơ đất", "đổi đất",
        # farmland, irrigation, dykes (rural-fringe wards)
        "ruộng", "đồng ruộng", "ruộng lúa", "lúa", "hoa màu", "cây trồng", "trồng cây", "đất nông nghiệp",
        "đất lúa", "bỏ hoang", "đất hoang", "sản xuất nông nghiệp", "nông nghiệp", "khuyến nông",
        "thủy lợi", "kênh", "kênh mương", "mương máng", "ngòi", "tưới", "tưới tiêu", "tiêu úng",
        "trạm bơm", "máy bơm", "nước tưới", "đê", "chân đê", "mái đê", "hành lang đê", "kè", "sạt lở",
        "bờ sông", "ao hồ", "thủy sản",
        # farming extension (Nghị định 83/2018/NĐ-CP về khuyến nông)
        "giống cây", "cây giống", "giống mới", "hướng dẫn kỹ thuật", "chuyển giao kỹ thuật", "tập huấn kỹ thuật",
        "kỹ thuật canh tác", "kỹ thuật trồng", "kỹ thuật chăn nuôi", "vào sản xuất",
        # cemeteries
        "nghĩa trang", "nghĩa địa", "mộ", "ngôi mộ", "mồ mả", "chôn cất", "mai táng", "cải táng",
        "hỏa táng", "di dời mộ",
        # animals
        "chó", "chó thả rông", "chó dại", "mèo", "gia súc", "gia cầm", "trâu", "bò", "trâu bò",
        "lợn", "vật nuôi", "thả rông", "chăn nuôi", "thú y", "dịch tả", "cúm gia cầm", "lở mồm long móng",
        "bệnh dại", "tiêm phòng dại",
    ), "DC", (), 15, SRC_DC + "; Luật Đất đai 2024; Luật Thủy lợi 2017; Luật Đê điều 2006; "
       "Luật Thú y 2015; Nghị định 23/2016/NĐ-CP (nghĩa trang)"),
    DefaultRule(290, "", (
        "hộ nghèo", "cận nghèo", "người có công", "liệt sĩ", "thương binh", "bệnh binh",
        "chất độc da cam", "gia đình chính sách", "trợ cấp", "bảo trợ xã hội", "khuyết tật",
        "người cao tuổi", "người già", "trẻ em", "trẻ mồ côi", "bảo hiểm y tế", "BHYT",
        "thẻ bảo hiểm", "bảo hiểm xã hội", "BHXH", "lương hưu", "trạm y tế", "y tế",
        "khám chữa bệnh", "khám bệnh", "tiêm chủng", "tiêm phòng", "vắc xin", "dịch bệnh",
        "sốt xuất huyết", "an toàn thực phẩm", "mầm non", "mẫu giáo", "nhà trẻ", "trường học",
        "nhà trường", "học sinh", "tiểu học", "trung học cơ sở", "THCS", "giáo viên", "năm học",
        "tuyển sinh", "học phí", "bạo lực học đường", "việc làm", "thất nghiệp", "xuất khẩu lao động",
        "bạo lực gia đình", "sửa chữa nhà", "nhà dột nát", "nhà tạm", "hỗ trợ nhà ở", "cứu trợ",
        "hoàn cảnh khó khăn",
        "huân chương", "huy chương", "hỏa tuyến", "thanh niên xung phong", "rà soát danh sách", "lập danh sách",
    ), "VHXH", (), 15, SRC_VHXH + "; Nghị định 20/2021/NĐ-CP (bảo trợ xã hội)"),
    DefaultRule(300, "", (
        "đóng góp", "khoản thu", "khoản đóng góp", "các khoản", "khoản tiền", "ủng hộ", "thu chi",
        "đóng quỹ", "thu quỹ", "loại quỹ", "quỹ phòng chống thiên tai", "quỹ đền ơn đáp nghĩa",
        "quỹ khuyến học", "phí", "lệ phí", "mức thu", "ngân sách", "kinh phí", "tài chính",
        "công khai tài chính", "biên lai", "quyên góp", "dân góp", "công khai thu chi", "mức đóng góp", "vận động đóng góp", "vận động ủng hộ",
        "vận động mỗi hộ", "mỗi hộ đóng", "mỗi hộ góp", "mỗi hộ nộp", "thu mỗi hộ", "góp tiền", "đóng tiền",
        "thu tiền", "nộp tiền", "xã hội hóa", "tiền đóng góp",
    ), "TC", (), 15, SRC_TC),
    DefaultRule(310, "", (
        "thái độ", "hách dịch", "nhũng nhiễu", "gây khó khăn", "gây phiền hà", "phiền hà",
        "tác phong", "cán bộ phường", "công chức", "một cửa", "tiếp nhận và trả kết quả",
        "thủ tục hành chính", "giờ làm việc", "tiếp công dân", "tiếp dân", "dịch vụ công",
        "trả kết quả", "giải quyết chậm", "hẹn nhiều lần", "đơn thư", "khiếu nại", "tố cáo",
    ) + DESK_WORDS, "VP", (), 15, SRC_VP),
)


# --- a petition addressed upward (issue 17b; used by toolkit.rules.upward) -----------------
# Not rules of a department: signs in Nội dung that the decision asked for is a higher
# level's, whatever the subject. A keyword rule for a ward department that meets one of
# them no longer routes silently: the petition is marked "Đoán, cần xác nhận", led by
# Chuyển cấp trên (a strong sign) or by the ward department (an investment request only).
_UPWARD_ACTORS = ("cấp trên", "nhà nước", "trung ương", "chính phủ", "quốc hội",
                  "cấp có thẩm quyền", "thành phố", "tỉnh", "huyện", "UBND tỉnh", "UBND thành phố",
                  "UBND huyện")
_ASKING = ("đề nghị", "kiến nghị", "kính đề nghị", "đề xuất", "mong", "xin", "yêu cầu", "của")
_ACTING = ("bố trí", "đầu tư", "cấp", "xem xét", "quan tâm", "hỗ trợ", "sớm", "điều chỉnh",
           "quy định", "ban hành", "có chính sách", "có phương án", "giải quyết", "chỉ đạo")
UPWARD_SIGNALS: dict[str, tuple[str, ...]] = {
    # a higher level named as the one asked to act, or as the owner of the matter
    "actor": tuple(dict.fromkeys(
        ("cấp trên", "nhà nước", "trung ương", "chính phủ", "quốc hội", "cấp có thẩm quyền")
        + tuple(f"{a} {b}" for a in _ASKING for b in _UPWARD_ACTORS)
        + tuple(f"{a} {b}" for a in _UPWARD_ACTORS for b in _ACTING))),
    # a project or works with its own investor (not the ward's own upkeep)
    "project": ("dự án", "chủ đầu tư", "nhà thầu", "gói thầu"),
    # land taken back, compensation (decided by the provincial level)
    "land": ("thu hồi", "đền bù", "bồi thường", "giải tỏa"),
    # a request to make, change or recognise a rule or a status
    "policy": ("công nhận", "quy định cụ thể", "có quy định", "ban hành", "chế tài", "đơn giản hóa",
               "cơ chế", "sửa đổi", "sửa luật", "xem xét lại quy định"),
    # a rate or an entitlement ... and a word asking it to change (both are needed)
    "rate": ("chế độ", "phụ cấp", "trợ cấp", "mức hưởng", "mức hỗ trợ", "tiền lương", "mức lương",
             "kinh phí hoạt động", "lệ phí", "mức phí", "mức thu", "định mức"),
    "change": ("thấp", "quá thấp", "còn thấp", "cao quá", "quá cao", "nâng", "nâng lên", "tăng",
               "tăng thêm", "giảm", "điều chỉnh", "chênh lệch", "chênh", "ít quá", "quá ít"),
    # phrases that contain a 'change' word without asking for a change
    "neutral": ("tăng cường", "nâng cấp", "giảm tốc", "gờ giảm tốc", "nâng cao", "giảm nghèo",
                "tăng ca", "tăng giá"),
    # the ward's own recognitions, which contain 'công nhận' and ask no rule to be made: mediators (Luật
    # Hòa giải ở cơ sở 2013, Điều 8), poor households (Nghị định 07/2021/NĐ-CP), cultured families (Nghị
    # định 86/2023/NĐ-CP); a longer keyword found where 'công nhận' is hides it
    "ward": ("công nhận hòa giải viên", "công nhận tổ trưởng tổ hòa giải", "công nhận tổ hòa giải",
             "công nhận hộ nghèo", "công nhận hộ cận nghèo", "công nhận hộ thoát nghèo",
             "công nhận gia đình văn hóa"),
    # an investment asked for: often the ward's, sometimes a higher level's (a weak sign)
    "investment": ("đầu tư", "bố trí kinh phí", "bố trí ngân sách", "cấp kinh phí", "bố trí vốn",
                   "nguồn vốn", "hỗ trợ kinh phí"),
}
# A higher level's road or works named after one of these is an address, not the subject:
# "cơ sở ve chai dọc tỉnh lộ" is about pollution, "ổ gà trên tỉnh lộ" is about the road.
ADDRESS_WORDS: tuple[str, ...] = ("dọc", "ven", "cặp", "cạnh", "sát", "gần", "bên", "mặt tiền", "khu vực")


# Known compounds whose last word may begin a keyword: a keyword found from inside one of them, where
# the compound began earlier, is not read ("trung tâm hành chính công nhận hồ sơ" holds no 'công nhận',
# "khu đất công nhận được đơn" none either). Used by toolkit.rules.keywords for every index (Phân công's
# rules, the signs of a higher level); a keyword wholly inside a compound is still read.
COMPOUNDS: tuple[str, ...] = (
    "hành chính công", "phục vụ hành chính công", "dịch vụ công", "tài sản công", "đất công", "đầu tư công",
    "nợ công", "việc công", "của công", "chi tiêu công", "nhà ở công vụ", "xe công", "nhà công vụ",
    "ngày công", "tiền công", "nhân công", "thi công",
)


# --- what is asked (issue 28) ---------------------------------------------------------------
# A keyword that contains one of these words names what the petition asks the ward to do
# (certify, register, pay, contribute, support or list): a rule of a ward department found
# by such a keyword decides before a rule found only by the place or object the petition
# mentions ('xin sao y giấy tạm trú' is a certification, 'vận động mỗi hộ góp tiền lắp
# camera' a contribution from households). Used by toolkit.rules.routing.
REQUEST_ACTS: tuple[str, ...] = (
    # certify, register
    "chứng thực", "sao y", "công chứng", "trích lục", "khai sinh", "khai tử", "kết hôn", "đăng ký",
    # pay, contribute
    "đóng góp", "quyên góp", "vận động", "ủng hộ", "góp", "đóng tiền", "thu tiền", "nộp tiền", "thu chi",
    "đóng quỹ", "thu quỹ", "mức thu", "khoản thu", "biên lai", "lệ phí", "mỗi hộ",
    # support, list
    "hỗ trợ", "cứu trợ", "danh sách", "bình xét",
    # a damage the ward is asked to help with (who gets relief is decided in the ward)
    "thiệt hại", "tốc mái", "sập", "lốc xoáy",
)
# An act said to be done already ('dân đã góp tiền …') is the story, not what is asked.
DONE_WORDS: tuple[str, ...] = ("đã",)

# What is asked, read by clause (issue 28, table 7 round; toolkit.rules.asked): the clause that begins
# with one of these words, up to the end of its sentence, is the act the petition asks for; the rest of
# the text describes (places, objects, what happened). A keyword found in the act asked decides before a
# keyword found only in the description; the description breaks ties and, when a rule for another
# department found clearly more there, the route is a guess naming both. An ask word said to be done
# already ('đã kiến nghị nhiều lần') begins no act.
ASKED_CLAUSE_WORDS: tuple[str, ...] = ASK_WORDS + ("đề xuất",)
# ... a purpose clause inside it ('xin hỗ trợ con giống để chăn nuôi') is why, not what: weighed with
# the description, below the act;
PURPOSE_WORDS: tuple[str, ...] = ("để", "nhằm")
# ... and a keyword right after one of these inside it is where the act is to happen ('hướng dẫn ngay
# tại nhà văn hóa'): an address, which decides nothing while another rule found something.
LOCATIVE_WORDS: tuple[str, ...] = ("tại", "ở")
# punctuation that ends a sentence, and so the act asked
CLAUSE_ENDS = ".!?;"


# --- two structures of departments (docs/ARCHITECTURE.md, "Documents") ---------------------------------
# Until 30 June 2025 a ward had civil servants by title (Thông tư 13/2019/TT-BNV): DEPARTMENTS
# and RULES above, which the 2024 sample keeps as history. From 1 July 2025 (two-level local
# government) a ward or commune has the specialised bodies of Nghị định 150/2025/NĐ-CP — the
# Văn phòng HĐND và UBND, the Phòng Kinh tế, Hạ tầng và Đô thị (a xã: Phòng Kinh tế), the
# Phòng Văn hóa - Xã hội — and the Trung tâm Phục vụ hành chính công (Nghị định
# 118/2025/NĐ-CP), beside the police, the military command and the Front.
TWO_LEVEL_FROM = dt.date(2025, 7, 1)

ND150 = "Nghị định 150/2025/NĐ-CP"
SRC150_VP = (f"{ND150}: Văn phòng HĐND và UBND tham mưu công tác tư pháp (hộ tịch, chứng thực, hòa giải ở cơ sở, "
             "phổ biến pháp luật), tiếp công dân, giải quyết khiếu nại, tố cáo")
SRC150_KT = (f"{ND150} (Điều 15): {{kt}} tham mưu về tài chính, ngân sách, quy hoạch, đất đai, xây dựng, "
             "giao thông, môi trường, công thương, nông nghiệp")
SRC150_VHXH = (f"{ND150}: Phòng Văn hóa - Xã hội tham mưu về văn hóa, thông tin, thể thao, giáo dục, y tế, lao động, "
               "người có công, bảo trợ xã hội, trẻ em, chuyển đổi số")
SRC150_HCC = ("Nghị định 118/2025/NĐ-CP: Trung tâm Phục vụ hành chính công cấp xã tiếp nhận hồ sơ và trả kết quả "
              "thủ tục hành chính")
SRC150_CA = SRC_CA
SRC150_QS = "Luật Dân quân tự vệ 2019; Luật Nghĩa vụ quân sự 2015; Luật Quốc phòng 2018: Ban Chỉ huy Quân sự cấp xã"
SRC150_MTTQ = ("Luật Mặt trận Tổ quốc Việt Nam 2015 (sửa đổi 2025): giám sát và phản biện xã hội, tập hợp và phản ánh "
               "kiến nghị của nhân dân, cuộc vận động Toàn dân đoàn kết xây dựng đời sống văn hóa ở khu dân cư, "
               "Quỹ Vì người nghèo; điều lệ các tổ chức chính trị - xã hội")


def _beyond_150(unit: str) -> str:
    return f"Vượt thẩm quyền {unit} (Luật Tổ chức chính quyền địa phương 2025, Luật số 72/2025/QH15): "


def _departments_150(unit: str) -> tuple[tuple[str, str], ...]:
    return (
        ("VP", "Văn phòng HĐND và UBND"),
        # NĐ 150 writes "Phòng Kinh tế, Hạ tầng và Đô thị"; a register separates the items of a list
        # with ',' or ';' (Bộ phận phối hợp), so a name in it never holds a comma
        ("KT", "Phòng Kinh tế - Hạ tầng và Đô thị" if unit == "phường" else "Phòng Kinh tế"),
        ("VHXH", "Phòng Văn hóa - Xã hội"),
        ("HCC", "Trung tâm Phục vụ hành chính công"),
        ("CA", f"Công an {unit}"),
        ("QS", "Ban Chỉ huy Quân sự"),
        ("MTTQ", f"Ủy ban MTTQ Việt Nam {unit}"),
        ("CT", "Chuyển cấp trên"),
    )


# The posts of before and the body of NĐ 150 that carries each one's duties on.
SUCCESSOR: dict[str, str] = {"DC": "KT", "TC": "KT", "TP": "VP", "VHTT": "VHXH"}
# Keywords of the old office rule (310) that are about a procedure at the one-stop desk: in a
# register of NĐ 150 they go to the Trung tâm Phục vụ hành chính công.
_PROCEDURE_WORDS = ("một cửa", "tiếp nhận và trả kết quả", "thủ tục hành chính", "dịch vụ công",
                    "trả kết quả", "giải quyết chậm", "hẹn nhiều lần") + DESK_WORDS


def _rules_150(unit: str) -> tuple[DefaultRule, ...]:
    """RULES re-pointed to the bodies of NĐ 150, each with the duty it rests on; same keywords."""
    beyond = _beyond_150(unit)
    note = {"VP": SRC150_VP, "KT": SRC150_KT.format(kt=dict(_departments_150(unit))["KT"]), "VHXH": SRC150_VHXH, "HCC": SRC150_HCC, "CA": SRC150_CA,
            "QS": SRC150_QS, "MTTQ": SRC150_MTTQ}
    coordinators = {"TP": ("HCC",)}      # civil status and certification: the one-stop centre takes the file
    out: list[DefaultRule] = []
    for r in RULES:
        lead = SUCCESSOR.get(r.lead, r.lead)
        coords = tuple(dict.fromkeys(c for c in (SUCCESSOR.get(c, c) for c in r.coordinators + coordinators.get(
            r.lead, ())) if c != lead))
        if lead == FORWARD_DEPARTMENT:
            reason = r.note.split(": ", 1)[1] if ": " in r.note else r.note
            text = beyond + reason.replace("(Luật Tổ chức chính quyền địa phương)", "")
        else:
            # the laws the old rule named beside the civil servant's title still hold
            text = "; ".join([note[lead]] + [part.replace("phường", unit) for part in r.note.split("; ")[1:]
                                              if TT13 not in part and part not in note[lead]])
        if r.priority == 140:           # Cán bộ - Thủ tục hành chính: the office, the centre helping
            coords = ("HCC",)
        if r.priority == 310:           # the old office rule: attitude and complaints stay with the office ...
            kept = tuple(k for k in r.keywords if k not in _PROCEDURE_WORDS)
            out.append(DefaultRule(310, r.field, kept, "VP", (), r.days, text))
            # ... a procedure at the one-stop desk goes to the centre
            out.append(DefaultRule(315, "", _PROCEDURE_WORDS, "HCC", ("VP",), r.days, SRC150_HCC))
            continue
        out.append(DefaultRule(r.priority, r.field, r.keywords, lead, coords, r.days, text))
    return tuple(out)


@dataclass(frozen=True)
class Structure:
    """The departments and routing rules `doithoai init` seeds for one kind of register."""
    key: str
    title: str                                   # Vietnamese, for messages and docs
    departments: tuple[tuple[str, str], ...]
    rules: tuple[DefaultRule, ...]
    default_department: str = DEFAULT_DEPARTMENT   # code: where unclear petitions go

    @property
    def default_department_name(self) -> str:
        """The value Cấu hình → "Bộ phận nhận kiến nghị chưa rõ" needs in this structure."""
        return dict(self.departments)[self.default_department]


BEFORE_2025 = Structure("truoc-2025", "Công chức chuyên môn theo chức danh (trước 01/7/2025)", DEPARTMENTS, RULES)
ND150_PHUONG = Structure("nd150-phuong", "Cơ quan chuyên môn của phường theo Nghị định 150/2025/NĐ-CP",
                         _departments_150("phường"), _rules_150("phường"))
ND150_XA = Structure("nd150-xa", "Cơ quan chuyên môn của xã theo Nghị định 150/2025/NĐ-CP",
                     _departments_150("xã"), _rules_150("xã"))
STRUCTURES: tuple[Structure, ...] = (BEFORE_2025, ND150_PHUONG, ND150_XA)


def structure_for(day: dt.date, *, xa: bool = False) -> Structure:
    """The structure of a register made on ``day``: NĐ 150 from 1 July 2025 (a xã's or a phường's)."""
    if day < TWO_LEVEL_FROM:
        return BEFORE_2025
    return ND150_XA if xa else ND150_PHUONG


def code_of_name(name: str | None) -> str | None:
    """The code of a department name of any structure ('Văn phòng - Thống kê' -> 'VP'), folded; else None."""
    from toolkit.core import text

    key = text.ascii_fold(name or "")
    if not key:
        return None
    for structure in STRUCTURES:
        for code, dept in structure.departments:
            if text.ascii_fold(dept) == key or text.ascii_fold(code) == key:
                return code
    return None
