"""A fresh register for a ward in the two-level government: `doithoai init` (the library call it makes,
on a given day) and a few rows typed with openpyxl, as a clerk would type them in Excel. Shared by
tests/test_nd30.py and tests/test_two_level.py."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from toolkit.starter import create

UNIT = "UBND phường Hà Đông"
UPPER = "UBND thành phố Hà Nội"
PLACE = "Hà Đông"
CHAIR = "Trần Minh Quân"
PROVINCE_BASIS = "Kế hoạch số 123/KH-UBND ngày 10/01/2026 của UBND thành phố Hà Nội về tiếp xúc, đối thoại"
# Personal data planted where a clerk might type it; documents that may not carry them must not show them.
PHONE = "0912 345 678"
PHONE_DIGITS = "0912345678"
PETITION_PHONE = "0987654321"
BIRTH_YEAR = 1958
ADDRESS = "số 17 ngõ 42 phố Quang Trung"
CITIZEN = "Lê Thị Phượng"
OTHER = "Phạm Văn Khải"
# Typed inside a petition's Nội dung: a neighbour's name, a house number, an identity card number.
NEIGHBOUR = "Hoàng Văn Toàn"
HOUSE = "số nhà 9"
ID_NUMBER = "001058012345"


def _rows(ws) -> dict[str, int]:
    return {str(c.value).strip(): c.column for c in ws[1] if c.value}


def _append(ws, values: dict) -> None:
    cols = _rows(ws)
    row = ws.max_row + 1
    while row > 2 and all(ws.cell(row - 1, c).value is None for c in cols.values()):
        row -= 1
    for header, value in values.items():
        ws.cell(row, cols[header]).value = value


def _set_config(ws, label: str, value) -> None:
    for row in ws.iter_rows(min_row=2):
        if row[0].value == label:
            row[1].value = value
            return
    raise KeyError(label)


def make(folder: Path, *, today: dt.date = dt.date(2026, 3, 2), name: str = "so-2026.xlsx") -> Path:
    """The register, with its first conference's invitations, petitions (some overdue by a month after it)."""
    path = create.create_workbook(Path(folder) / name, today=today)
    wb = openpyxl.load_workbook(path)
    cfg = wb["Cấu hình"]
    for label, value in (("Tên đơn vị", UNIT), ("Cơ quan cấp trên", UPPER), ("Địa danh", PLACE),
                         ("Chủ tịch", CHAIR), ("Căn cứ của tỉnh/thành phố", PROVINCE_BASIS)):
        _set_config(cfg, label, value)
    conf_ws = wb["Hội nghị"]
    first = conf_ws.cell(2, _rows(conf_ws)["Mã hội nghị"]).value
    day = conf_ws.cell(2, _rows(conf_ws)["Ngày tổ chức"]).value
    day = day.date() if isinstance(day, dt.datetime) else day
    _append(wb["Tổ dân phố"], {"Mã tổ": "TDP01", "Tên tổ dân phố": "Tổ dân phố số 1", "Tổ trưởng": "Ngô Văn Tư"})
    _append(wb["Tổ dân phố"], {"Mã tổ": "TDP02", "Tên tổ dân phố": "Tổ dân phố số 2", "Tổ trưởng": "Đinh Thị Mai"})
    delegates = wb["Đại biểu"]
    for i, (who, sex, group, phone) in enumerate(((CITIZEN, "Nữ", "TDP01", PHONE), (OTHER, "Nam", "TDP02", None))):
        _append(delegates, {"STT": i + 1, "Họ và tên": who, "Giới tính": sex, "Năm sinh": BIRTH_YEAR,
                            "Thành phần": "Đại diện Nhân dân", "Tổ dân phố": group, "Địa chỉ": ADDRESS,
                            "Điện thoại": phone, "Hội nghị": first, "Được mời": "x"})
    _append(delegates, {"STT": 3, "Họ và tên": "Vũ Thị Hằng", "Giới tính": "Nữ", "Thành phần": "Đại biểu HĐND phường",
                        "Chức vụ": "Đại biểu HĐND phường", "Hội nghị": first, "Được mời": "x"})
    petitions = wb["Kiến nghị"]
    for who, group, field, text, form in (
        (CITIZEN, "TDP01", "Đất đai",
         f"Đề nghị cấp giấy chứng nhận quyền sử dụng đất cho hộ bà, sinh năm {BIRTH_YEAR}, liên hệ {PETITION_PHONE}.",
         "Trả lời bằng văn bản"),
        (OTHER, "TDP02", "Môi trường - Vệ sinh",
         f"Rác thải tồn đọng trước nhà ông {NEIGHBOUR}, {HOUSE} ngõ 42, đề nghị thu gom. Người ký đơn: "
         f"{OTHER}, CCCD số {ID_NUMBER}.",
         "Trả lời bằng văn bản"),
        (OTHER, "TDP02", "Quy hoạch - Bồi thường", "Đề nghị công khai quy hoạch mở rộng đường Quang Trung.",
         "Chuyển cấp trên"),
        (CITIZEN, "TDP01", None, "Đề nghị lắp thêm đèn chiếu sáng ngõ 42.", "Trả lời bằng văn bản"),
    ):
        _append(petitions, {"Hội nghị": first, "Ngày tiếp nhận": day, "Người kiến nghị": who, "Tổ dân phố": group,
                            "Lĩnh vực": field, "Nội dung": text, "Hình thức trả lời": form})
    wb.save(path)
    return path


def first_conference(path: Path) -> tuple[str, dt.date]:
    wb = openpyxl.load_workbook(path, read_only=True)
    ws = wb["Hội nghị"]
    header = [c.value for c in next(ws.iter_rows(min_row=1, max_row=1))]
    row = next(ws.iter_rows(min_row=2, max_row=2, values_only=True))
    day = row[header.index("Ngày tổ chức")]
    wb.close()
    return row[header.index("Mã hội nghị")], (day.date() if isinstance(day, dt.datetime) else day)


def passed(root: Path) -> tuple[Path, Path, dt.date]:
    """The register made in ``root`` and a pass over it 45 days after its first conference, with its
    outputs in ``root``/run: (register, root, that day)."""
    from toolkit.pipeline import passes

    book = make(root)
    _code, day = first_conference(book)
    today = day + dt.timedelta(days=45)
    passes.run(book, out_dir=root / "run", today=today)
    return book, root, today
