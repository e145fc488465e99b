"""Properties: valid generated rows give no finding; one corrupted cell gives exactly one finding, there."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_reading import TODAY, valid_rows, write_workbook
from toolkit.pipeline import loading
from toolkit.core import schema, text

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Minh", "Quang", "Thu", "Đức", "Ngọc", "Hữu"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Khánh", "Lan", "Mạnh", "Nga", "Phúc", "Quyên",
         "Sơn", "Thủy", "Uyên", "Việt", "Xuân", "Yến", "Hòa", "Thúy"]
PHRASES = ["Đề nghị sửa chữa đường ngõ {n} bị xuống cấp.", "Rác thải tập kết tại tổ {n} chưa được thu gom.",
           "Xin hướng dẫn thủ tục cấp giấy chứng nhận quyền sử dụng đất.", "Đèn chiếu sáng ngõ {n} hỏng đã lâu.",
           "Đề nghị giải quyết chế độ cho người có công, hồ sơ nộp từ tháng {n}."]
FIELDS = list(schema.LISTS["linh_vuc"][1])
STATUSES = list(schema.LISTS["trang_thai"][1])
FORMS = list(schema.LISTS["hinh_thuc"][1])
GROUPS = [None, "TDP01", "Tổ dân phố số 2", "tdp02", "to dan pho so 1"]
DEPTS = [None, "VP", "DC", "Văn phòng - Thống kê", "dia chinh - xay dung - do thi - moi truong"]
CATEGORIES = [c for c in schema.LISTS["thanh_phan"][1] if c != schema.CATEGORY_PEOPLE]

name = st.builds(lambda a, b, c: f"{a} {b} {c}", st.sampled_from(SURNAMES), st.sampled_from(MIDDLE),
                 st.sampled_from(GIVEN))
spelling = st.sampled_from([lambda s: s, str.upper, str.lower, text.strip_diacritics])
day = st.dates(dt.date(2024, 1, 1), dt.date(2024, 12, 31))


def _as_typed(d: dt.date, how: int):
    return [d, d.strftime("%d/%m/%Y"), f"{d.day}/{d.month}/{d.year % 100:02d}", d.isoformat(),
            (d - dt.date(1899, 12, 30)).days][how]


@st.composite
def petition(draw, i: int = 0):
    received = draw(day)
    status = draw(st.sampled_from(STATUSES))
    row = {
        "hoi_nghi": draw(st.sampled_from(["HN-2024-06", "hn-2024-11"])),
        "ngay_tiep_nhan": _as_typed(received, draw(st.integers(0, 4))),
        "nguoi_kien_nghi": draw(name),
        "to_dan_pho": draw(st.sampled_from(GROUPS)),
        "linh_vuc": draw(st.one_of(st.none(), st.sampled_from(FIELDS).map(draw(spelling)))),
        "noi_dung": draw(st.sampled_from(PHRASES)).format(n=draw(st.integers(1, 99))),
        "hinh_thuc": draw(st.one_of(st.none(), st.sampled_from(FORMS))),
        "chu_tri": draw(st.sampled_from(DEPTS)),
        "phoi_hop": draw(st.one_of(st.none(), st.just("VP; DC"), st.just("VP"))),
        "trang_thai": draw(spelling)(status),
    }
    if status in schema.STATUS_CLOSED:
        answered = received + dt.timedelta(days=draw(st.integers(0, 14)))
        row["ngay_tra_loi"] = _as_typed(min(answered, TODAY), draw(st.integers(0, 4)))
        row["ket_qua"] = "Đã trả lời, giao bộ phận chuyên môn kiểm tra."
    return row


@st.composite
def official(draw):
    return {"ho_ten": draw(name), "thanh_phan": draw(st.sampled_from(CATEGORIES)),
            "gioi_tinh": draw(st.sampled_from([None, "Nam", "Nữ", "nu"])),
            "nam_sinh": draw(st.one_of(st.none(), st.integers(1950, 1995), st.integers(1950, 1995).map(str))),
            "dien_thoai": draw(st.one_of(st.none(), st.integers(900000000, 999999999),
                                         st.just("0912 345 678"), st.just("+84 912.345.678"))),
            "hoi_nghi": "HN-2024-06", "co_mat": draw(st.sampled_from([None, "x", "X", "có", "không", 1, 0]))}


def _dataset(petitions, officials):
    rows = valid_rows()
    for i, p in enumerate(petitions):
        p["ma"] = f"KN-2024-P-{i:03d}"
    rows["kien_nghi"] += petitions
    seen = {text.fold(d["ho_ten"]) for d in rows["dai_bieu"]}
    for d in officials:
        if text.fold(d["ho_ten"]) not in seen:
            seen.add(text.fold(d["ho_ten"]))
            rows["dai_bieu"].append(d)
    return rows


def _findings(rows):
    with tempfile.TemporaryDirectory() as tmp:
        path = write_workbook(Path(tmp) / "p.xlsx", rows)
        return list(loading.load(path, today=TODAY).report)


PROFILE = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROFILE
@given(st.lists(petition(), max_size=12), st.lists(official(), max_size=8))
def test_valid_generated_rows_give_no_findings(petitions, officials):
    assert [(f.code, f.ref, f.value) for f in _findings(_dataset(petitions, officials))] == []


CORRUPTIONS = [   # (sheet key, column key, bad value, expected code)
    ("kien_nghi", "ngay_tiep_nhan", "31/02/2024", "date-invalid"),
    ("kien_nghi", "ngay_tiep_nhan", "#REF!", "excel-error-value"),
    ("kien_nghi", "noi_dung", None, "required-missing"),
    ("kien_nghi", "linh_vuc", "Chuyện khác", "value-not-in-list"),
    ("kien_nghi", "hoi_nghi", "HN-1999-01", "unknown-conference"),
    ("kien_nghi", "to_dan_pho", "Tổ 99", "unknown-group"),
    ("kien_nghi", "chu_tri", "Phòng Kinh tế", "unknown-department"),
    ("kien_nghi", "ngay_tiep_nhan", "01/06/2025", "date-in-future"),
    ("dai_bieu", "gioi_tinh", "Khác", "value-not-in-list"),
    ("dai_bieu", "dien_thoai", "12345", "phone-invalid"),
    ("dai_bieu", "co_mat", "chưa rõ", "bool-invalid"),
    ("dai_bieu", "nam_sinh", "năm mươi", "number-invalid"),
    ("dai_bieu", "nam_sinh", 2015, "birth-year-implausible"),
]


@PROFILE
@given(st.lists(petition(), min_size=1, max_size=8), st.lists(official(), min_size=1, max_size=5),
       st.sampled_from(CORRUPTIONS), st.data())
def test_one_corrupted_cell_gives_exactly_one_finding_there(petitions, officials, corruption, data):
    rows = _dataset(petitions, officials)
    sheet_key, col_key, bad, code = corruption
    index = data.draw(st.integers(0, len(rows[sheet_key]) - 1))
    if code == "date-in-future":
        rows[sheet_key][index].pop("ngay_tra_loi", None)        # would also be answer-before-receipt
        rows[sheet_key][index].pop("ket_qua", None)
        rows[sheet_key][index]["trang_thai"] = "Đang xử lý"
    rows[sheet_key][index][col_key] = bad
    found = _findings(rows)
    sheet = schema.sheet(sheet_key)
    assert [(f.code, f.sheet, f.row, f.column) for f in found] == [
        (code, sheet.name, 2 + index, sheet.col(col_key))]
    assert found[0].cell is not None
