"""Defaults `doithoai init` seeds: the ward's departments and routing rules.

Staff change them in the workbook (Bộ phận, Phân công); these are only the
starting point. Field names come from ``schema.LISTS['linh_vuc']``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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


# Refined by the routing work (issue 3); keep priorities unique.
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
)
