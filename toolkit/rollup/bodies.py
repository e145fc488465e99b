"""``co-quan-tiep-nhan.xlsx`` in DIR: which provincial body receives a forwarded petition, by Lĩnh vực.

Written with sensible defaults on the first roll-up (the bodies of a province
after the 2025 reorganisation: Sở Nông nghiệp và Môi trường, Sở Xây dựng, Sở
Y tế, ...); the province office edits it in Excel (one row per Lĩnh vực, the
body's name in the second column) and every later roll-up reads it back. A
Lĩnh vực not in the table goes to the body of the row "Khác" (else
:data:`FALLBACK`). The file is never rewritten once it exists.
"""

from __future__ import annotations

from pathlib import Path

from toolkit.core import schema, text

FILE_NAME = "co-quan-tiep-nhan.xlsx"
SHEET = "Cơ quan tiếp nhận"
HEADERS = ("Lĩnh vực", "Cơ quan tiếp nhận")
OTHER = "Khác"
FALLBACK = "Văn phòng UBND tỉnh, thành phố"

DEFAULTS: dict[str, str] = {
    "Đất đai": "Sở Nông nghiệp và Môi trường",
    "Xây dựng - Trật tự đô thị": "Sở Xây dựng",
    "Giao thông - Hạ tầng": "Sở Xây dựng",
    "Môi trường - Vệ sinh": "Sở Nông nghiệp và Môi trường",
    "Chính sách xã hội": "Sở Nội vụ",
    "Y tế - Bảo hiểm": "Sở Y tế",
    "Giáo dục": "Sở Giáo dục và Đào tạo",
    "Tư pháp - Hộ tịch": "Sở Tư pháp",
    "Tài chính - Phí, lệ phí": "Sở Tài chính",
    "Văn hóa - Thông tin": "Sở Văn hóa, Thể thao và Du lịch",
    "An ninh trật tự": "Công an tỉnh, thành phố",
    "Quân sự - Quốc phòng": "Bộ Chỉ huy Quân sự tỉnh, thành phố",
    "Cán bộ - Thủ tục hành chính": "Sở Nội vụ",
    "Quy hoạch - Bồi thường": "Sở Nông nghiệp và Môi trường",
    OTHER: FALLBACK,
}
assert set(DEFAULTS) == set(schema.LISTS["linh_vuc"][1])


class Bodies:
    """Lĩnh vực (any spelling) -> receiving body."""

    def __init__(self, table: dict[str, str]):
        self.table = dict(table)
        self._by_key = {text.fold(k): v for k, v in table.items() if v}
        self._loose = {text.ascii_fold(k): v for k, v in table.items() if v}
        self.other = self._by_key.get(text.fold(OTHER), FALLBACK)

    def __call__(self, field: str | None) -> str:
        if not field:
            return self.other
        return self._by_key.get(text.fold(field)) or self._loose.get(text.ascii_fold(field)) or self.other


def write_defaults(path: Path) -> Path:
    import xlsxwriter

    from toolkit.xlsx.atomic import atomic_output

    with atomic_output(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
        ws = wb.add_worksheet(SHEET)
        bold = wb.add_format({"bold": True, "bg_color": "#1F4E79", "font_color": "#FFFFFF", "border": 1})
        ws.write_row(0, 0, HEADERS, bold)
        for i, (field, body) in enumerate(DEFAULTS.items(), start=1):
            ws.write_string(i, 0, field)
            ws.write_string(i, 1, body)
        ws.set_column(0, 0, 32)
        ws.set_column(1, 1, 44)
        ws.freeze_panes(1, 0)
        ws.write_string(len(DEFAULTS) + 2, 0, "Sửa cột Cơ quan tiếp nhận theo tỉnh, thành phố; thêm dòng cho "
                                              "lĩnh vực mới. Lĩnh vực không có trong bảng: chuyển cơ quan của dòng Khác.")
        wb.close()
    return path


def load(out_dir: Path) -> tuple[Bodies, str | None]:
    """The table in ``out_dir`` (written with the defaults when missing), and a problem to report or None."""
    path = Path(out_dir) / FILE_NAME
    if not path.exists():
        write_defaults(path)
        return Bodies(DEFAULTS), None
    try:
        import python_calamine as pc

        from toolkit.xlsx.reading import read_file_bytes

        import io
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(read_file_bytes(path, attempts=2)))
        grid = wb.get_sheet_by_index(0).to_python()
        wb.close()
    except Exception:   # noqa: BLE001 - any unreadable table: the defaults, and say so
        return Bodies(DEFAULTS), (f"Không đọc được bảng {FILE_NAME}; tạm dùng bảng mặc định. Mở tệp bằng Excel, "
                                  "kiểm tra rồi lưu lại dạng .xlsx (hoặc xóa tệp để phần mềm tạo lại bảng mặc định).")
    table: dict[str, str] = {}
    for row in grid[1:]:
        if len(row) < 2 or not isinstance(row[0], str) or not str(row[1] or "").strip():
            continue
        table.setdefault(text.clean(row[0], multiline=False), text.clean(str(row[1]), multiline=False))
    if not table:
        return Bodies(DEFAULTS), (f"Bảng {FILE_NAME} không có dòng nào (Lĩnh vực, Cơ quan tiếp nhận); tạm dùng bảng "
                                  "mặc định. Điền lại bảng, hoặc xóa tệp để phần mềm tạo lại bảng mặc định.")
    return Bodies(table), None
