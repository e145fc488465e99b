"""Every check, table-driven: one change to a valid workbook -> exactly the expected findings."""

from __future__ import annotations

import datetime as dt

import pytest

from test_reading import TODAY, load_findings, mutate, padded, valid_rows, write_workbook
from toolkit.pipeline import loading
from toolkit.rules import checks
from toolkit.xlsx import reading
from toolkit.core import records, schema

KN, DB, HN, TDP, CH, PC, BP = "Kiến nghị", "Đại biểu", "Hội nghị", "Tổ dân phố", "Cấu hình", "Phân công", "Bộ phận"
PEOPLE = schema.CATEGORY_PEOPLE


def _config_index(key: str) -> int:
    return [i.key for i in schema.CONFIG_ITEMS].index(key)


CASES = [
    # (id, sheet key, row index, changes, expected [(code, sheet, excel row, column)])
    ("required-missing", "kien_nghi", 0, {"noi_dung": None}, [("required-missing", KN, 2, "Nội dung")]),
    ("date-invalid", "kien_nghi", 0, {"ngay_tiep_nhan": "31/02/2024"}, [("date-invalid", KN, 2, "Ngày tiếp nhận")]),
    ("date-invalid-text", "hoi_nghi", 0, {"ngay": "tháng 6"}, [("date-invalid", HN, 2, "Ngày tổ chức")]),
    ("time-invalid", "hoi_nghi", 0, {"gio": "25:00"}, [("time-invalid", HN, 2, "Giờ")]),
    ("number-invalid", "to_dan_pho", 0, {"toi_thieu": "năm"}, [("number-invalid", TDP, 2, "Số đại biểu tối thiểu")]),
    ("phone-invalid", "dai_bieu", 1, {"dien_thoai": "09123"}, [("phone-invalid", DB, 3, "Điện thoại")]),
    ("phone-no-zero-ok", "dai_bieu", 1, {"dien_thoai": 987654321}, []),
    ("email-invalid", "bo_phan", 0, {"email": "vanphong"}, [("email-invalid", BP, 2, "Email")]),
    ("bool-invalid", "dai_bieu", 0, {"co_mat": "chắc có"}, [("bool-invalid", DB, 2, "Có mặt")]),
    ("excel-error", "kien_nghi", 1, {"noi_dung": "#VALUE!"}, [("excel-error-value", KN, 3, "Nội dung")]),
    ("legacy-font", "kien_nghi", 1, {"noi_dung": "Ph¶n ¸nh vÒ rÌc th¶i"}, [("legacy-font-text", KN, 3, "Nội dung")]),
    ("not-in-list", "kien_nghi", 1, {"linh_vuc": "Môi trường"}, [("value-not-in-list", KN, 3, "Lĩnh vực")]),
    ("list-no-diacritics-ok", "kien_nghi", 1, {"linh_vuc": "moi truong - ve sinh"}, []),
    ("list-case-ok", "dai_bieu", 0, {"thanh_phan": "đại diện nhân dân"}, []),
    ("not-in-list-gender", "dai_bieu", 0, {"gioi_tinh": "M"}, [("value-not-in-list", DB, 2, "Giới tính")]),
    ("not-in-list-status", "kien_nghi", 1, {"trang_thai": "Xong"}, [("value-not-in-list", KN, 3, "Trạng thái")]),
    ("date-in-future", "kien_nghi", 1, {"ngay_tiep_nhan": dt.date(2025, 3, 1)},
     [("date-in-future", KN, 3, "Ngày tiếp nhận")]),
    ("answer-before-receipt", "kien_nghi", 0, {"ngay_tra_loi": dt.date(2024, 6, 1)},
     [("answer-before-receipt", KN, 2, "Ngày trả lời")]),
    ("birth-year-young", "dai_bieu", 0, {"nam_sinh": 2010}, [("birth-year-implausible", DB, 2, "Năm sinh")]),
    ("birth-year-old", "dai_bieu", 0, {"nam_sinh": 1900}, [("birth-year-implausible", DB, 2, "Năm sinh")]),
    ("group-required", "dai_bieu", 0, {"to_dan_pho": None}, [("group-required", DB, 2, "Tổ dân phố")]),
    ("group-not-needed-for-officials", "dai_bieu", 2, {"to_dan_pho": None}, []),
    ("delegate-duplicate", "dai_bieu", 1, {"ho_ten": "trần văn  CƯỜNG", "to_dan_pho": "TDP01"},
     [("delegate-duplicate", DB, 3, "Họ và tên")]),
    ("same-name-other-group-ok", "dai_bieu", 1, {"ho_ten": "Trần Văn Cường"}, []),
    ("unknown-conference", "kien_nghi", 1, {"hoi_nghi": "HN-2024-07"}, [("unknown-conference", KN, 3, "Hội nghị")]),
    ("conference-by-name-ok", "kien_nghi", 1, {"hoi_nghi": "hội nghị đối thoại 6 tháng đầu năm 2024"}, []),
    ("unknown-group", "kien_nghi", 1, {"to_dan_pho": "TDP09"}, [("unknown-group", KN, 3, "Tổ dân phố")]),
    ("group-by-name-no-accents-ok", "kien_nghi", 1, {"to_dan_pho": "to dan pho so 2"}, []),
    ("unknown-department", "kien_nghi", 1, {"chu_tri": "Phòng Kinh tế"},
     [("unknown-department", KN, 3, "Bộ phận chủ trì")]),
    ("unknown-coordinator", "phan_cong", 0, {"phoi_hop": "VP; XX"}, [("unknown-department", PC, 2, "Bộ phận phối hợp")]),
    ("department-by-name-ok", "phan_cong", 0, {"chu_tri": "Văn phòng - Thống kê"}, []),
    ("duplicate-id", "kien_nghi", 1, {"ma": "kn-2024-06-001"}, [("duplicate-id", KN, 3, "Mã kiến nghị")]),
    ("closed-without-date", "kien_nghi", 0, {"ngay_tra_loi": None}, [("closed-without-answer", KN, 2, "Ngày trả lời")]),
    ("closed-without-anything", "kien_nghi", 1, {"trang_thai": "Đã giải quyết xong"},
     [("closed-without-answer", KN, 3, "Kết quả trả lời"), ("closed-without-answer", KN, 3, "Ngày trả lời")]),
    ("forwarded-needs-no-answer", "kien_nghi", 1, {"trang_thai": "Đã chuyển cấp trên"}, []),
    ("notice-too-late", "hoi_nghi", 0, {"ngay_thong_bao": dt.date(2024, 6, 18)},
     [("notice-too-late", HN, 2, "Ngày thông báo")]),
    ("group-quota-low", "to_dan_pho", 0, {"toi_thieu": 3}, [("group-quota-low", TDP, 2, "Mã tổ")]),
    ("quota-counts-people-only", "dai_bieu", 1, {"thanh_phan": "Công chức chuyên môn"}, []),
    ("group-quota-high", "to_dan_pho", 0, {"toi_da": 0, "toi_thieu": 0}, [("group-quota-high", TDP, 2, "Mã tổ")]),
    ("config-invalid", "cau_hinh", _config_index("thong_bao_truoc"), {"gia_tri": "bảy"},
     [("config-invalid", CH, 2 + _config_index("thong_bao_truoc"), "Thông báo trước hội nghị (ngày)")]),
    ("config-min-above-max", "cau_hinh", _config_index("so_dai_bieu_toi_thieu"), {"gia_tri": 9},
     [("config-invalid", CH, 2 + _config_index("so_dai_bieu_toi_thieu"), "Số đại biểu tối thiểu mỗi tổ")]),
]


@pytest.mark.parametrize("pad", [False, True], ids=["small", "petitions-largest"])
@pytest.mark.parametrize("sheet_key, index, changes, exp", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_check(tmp_path, sheet_key, index, changes, exp, pad):
    rows = mutate(valid_rows(), sheet_key, index, **changes)
    got = load_findings(write_workbook(tmp_path / "a.xlsx", padded(rows) if pad else rows))
    assert got == sorted(exp)


def test_padded_workbooks_take_the_two_step_path(tmp_path):
    seen = []
    path = write_workbook(tmp_path / "a.xlsx", padded(valid_rows()))
    loading.load(path, today=TODAY, meanwhile=lambda ds: seen.append((len(ds.delegates), len(ds.petitions))))
    assert seen == [(5, 0)]


def test_two_step_validation_gives_validate_s_findings_in_its_order(tmp_path):
    """checks.Validation (the other sheets first, petitions after) == checks.validate, order included."""
    rows = valid_rows()
    for sheet_key, index, changes, _exp in [c[1:] for c in CASES]:
        if sheet_key != "cau_hinh":
            rows = mutate(rows, sheet_key, index, **changes)
    path = write_workbook(tmp_path / "a.xlsx", padded(rows))
    tables, names, _structural = reading.read_tables(path.read_bytes())
    dataset, _cell = records.build(tables, names)
    exp = [(f.code, f.sheet, f.row, f.column) for f in checks.validate(dataset, today=TODAY)]
    assert len({e[1] for e in exp}) >= 4

    builder = records.Builder()
    early = builder.add({k: t for k, t in tables.items() if k != "kien_nghi"}, pending={"kien_nghi"})
    assert early.delegates and not early.petitions
    validation = checks.Validation(early, today=TODAY)
    validation.run(pending={"kien_nghi"})
    builder.finish(tables, names)
    got = [(f.code, f.sheet, f.row, f.column) for f in validation.findings()]
    assert got == exp


def test_nearest_value_suggested(tmp_path):
    rows = mutate(valid_rows(), "kien_nghi", 1, linh_vuc="Moi truong", to_dan_pho="Tổ dân phố số 1a", chu_tri="Dia chinh")
    loaded = loading.load(write_workbook(tmp_path / "a.xlsx", rows), today=TODAY)
    got = {f.code: f.message for f in loaded.report}
    assert "Có phải ý bạn là 'Môi trường - Vệ sinh'?" in got["value-not-in-list"]
    assert "danh sách Lĩnh vực" in got["value-not-in-list"]
    assert "'Tổ dân phố số 1'" in got["unknown-group"]


def test_rules_empty_and_config_item_missing(tmp_path):
    rows = valid_rows()
    rows["phan_cong"] = []
    rows["cau_hinh"] = [r for r in rows["cau_hinh"] if r["muc"] != "Địa danh"]
    got = load_findings(write_workbook(tmp_path / "a.xlsx", rows))
    assert got == [("config-item-missing", CH, None, None), ("config-needed-to-sign", CH, None, "Giá trị"),
                   ("rules-empty", PC, None, None)]


@pytest.mark.parametrize("key, typed, exp", [
    ("dia_danh", None, True), ("dia_danh", "Hà Cầu", False),
    ("chu_tich", "  ", True), ("chu_tich", "Nguyễn Văn An", False),
    ("ten_don_vi", "UBND phường", True), ("ten_don_vi", "UBND phường Hà Cầu", False),
    ("co_quan_cap_tren", None, True), ("ky_hieu_bao_cao", None, False),     # blank: its default BC-UBND
])
def test_what_documents_need_to_be_signed_is_a_warning_at_its_cell(tmp_path, key, typed, exp):
    rows = valid_rows()
    label = schema.CONFIG_BY_KEY[key].label
    for r in rows["cau_hinh"]:
        if r["muc"] == label:
            r["gia_tri"] = typed
    row = 2 + [r["muc"] for r in rows["cau_hinh"]].index(label)
    path = write_workbook(tmp_path / "a.xlsx", rows)
    got = [f for f in loading.load(path, today=TODAY).report if f.code == "config-needed-to-sign"]
    assert [(f.sheet, f.row, f.column) for f in got] == ([(CH, row, "Giá trị")] if exp else [])
    if exp:
        assert f"'{label}'" in got[0].message and "Ghi " in got[0].message


def test_missing_danh_muc_uses_default_lists(tmp_path):
    path = write_workbook(tmp_path / "a.xlsx", omit_sheets={"danh_muc"})
    loaded = loading.load(path, today=TODAY)
    assert [f.code for f in loaded.report] == ["sheet-missing"]
    assert loaded.dataset.lists["linh_vuc"] == list(schema.LISTS["linh_vuc"][1])


def test_staff_list_values_are_accepted(tmp_path):
    rows = valid_rows()
    rows["danh_muc"].append({"linh_vuc": "Chợ dân sinh"})
    rows = mutate(rows, "kien_nghi", 1, linh_vuc="chợ dân sinh")
    assert load_findings(write_workbook(tmp_path / "a.xlsx", rows)) == []


def test_finding_carries_cell_value_and_message(tmp_path):
    rows = mutate(valid_rows(), "kien_nghi", 0, ngay_tiep_nhan="31/02/2024")
    (f,) = loading.load(write_workbook(tmp_path / "a.xlsx", rows), today=TODAY).report
    d = f.as_dict()
    assert (d["cell"], d["ref"], d["value"], d["severity"]) == ("C2", "Kiến nghị!C2", "31/02/2024", "error")
    assert "31/02/2024" in d["message"] and "15/06/2024" in d["message"]


def test_nfd_input_gives_the_same_findings_as_nfc(tmp_path):
    rows = mutate(valid_rows(), "kien_nghi", 1, linh_vuc="Môi trường", to_dan_pho="Tổ 9")
    rows = mutate(rows, "dai_bieu", 1, ho_ten="Trần Văn Cường", to_dan_pho="Tổ dân phố số 1")
    nfc = load_findings(write_workbook(tmp_path / "nfc.xlsx", rows))
    nfd = load_findings(write_workbook(tmp_path / "nfd.xlsx", rows, nfd=True))
    assert nfc and nfd == nfc


def test_resolvers_match_code_or_name(tmp_path):
    ds = loading.load(write_workbook(tmp_path / "a.xlsx"), today=TODAY).dataset
    cases = [
        (records.resolve_group, "tdp01", "TDP01"),
        (records.resolve_group, "Tổ dân phố số 2", "TDP02"),
        (records.resolve_group, "TO DAN PHO SO 2", "TDP02"),
        (records.resolve_group, "Tổ 2", "TDP02"),
        (records.resolve_group, "Tổ 7", None),
        (records.resolve_department, "dc", "DC"),
        (records.resolve_department, "Văn phòng – Thống kê".replace("–", "-"), "VP"),
        (records.resolve_conference, " HN-2024-11 ", "HN-2024-11"),
        (records.resolve_conference, "", None),
    ]
    got = [(fn.__name__, typed, getattr(fn(ds, typed), "ma", None)) for fn, typed, _ in cases]
    assert got == [(fn.__name__, typed, exp) for fn, typed, exp in cases]


def test_validate_today_parameter(tmp_path):
    ds = loading.load(write_workbook(tmp_path / "a.xlsx"), today=TODAY).dataset
    early = [f.code for f in checks.validate(ds, today=dt.date(2024, 6, 25))]
    assert early == ["date-in-future"]     # the 02/07/2024 answer is after "today"


def test_state_sheet_read_into_dataset(tmp_path):
    import openpyxl

    path = write_workbook(tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet(schema.DA_DIEN.name)
    ws.sheet_state = "hidden"
    headers = [c.header for c in schema.DA_DIEN.columns]
    ws.append(headers + ["Cột lạ"])
    row = dict.fromkeys(headers)
    row.update({schema.KIEN_NGHI.col("ma"): "KN-2024-06-001", schema.KIEN_NGHI.col("chu_tri"): "DC",
                schema.KIEN_NGHI.col("han"): "04/07/2024"})
    ws.append([row[h] for h in headers] + ["x"])
    wb.save(path)
    loaded = loading.load(path, today=TODAY)
    assert list(loaded.report) == []
    assert loaded.dataset.state == {"KN-2024-06-001": {"ma": "KN-2024-06-001", "chu_tri": "DC",
                                                       "han": "04/07/2024"}}


@pytest.mark.parametrize("typed, exp", [
    ("Vệ sinh môi trường", "Môi trường - Vệ sinh"),   # same words, another order
    ("Đất dai", "Đất đai"),
    ("Chính sách xã hộii", "Chính sách xã hội"),
    ("Thể thao", ""),                                   # nothing close: no guess
])
def test_value_not_in_list_suggests_the_nearest_valid_value(typed, exp):
    from toolkit.rules.checks import _suggest

    got = _suggest(typed, schema.LISTS["linh_vuc"][1])
    assert got == exp
