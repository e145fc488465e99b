"""Personal data by one rule (issue 24, point 6; toolkit.outputs.privacy): what each kind of output may
carry, masking in free text, the tables of tong-hop.xlsx."""

from __future__ import annotations

import hypothesis
import pytest

from toolkit.outputs import privacy

NAME, GROUP, PHONE = "Lê Thị Phượng", "Tổ dân phố số 1", "0912345678"


@pytest.mark.parametrize("kind, with_phones, exp", [
    ("giaymoi", False, "Lê Thị Phượng (Tổ dân phố số 1)"),           # an invitation names its addressee
    ("phieuchuyen", False, "Lê Thị Phượng (Tổ dân phố số 1)\nĐT: 0912345678"),   # to call the citizen back
    ("ketqua", False, "Tổ dân phố số 1"),
    ("thang", False, "Tổ dân phố số 1"),
    ("dondoc", False, "Tổ dân phố số 1"),
    ("tonghop", False, "Tổ dân phố số 1"),
    ("thongbao", False, ""),
    ("kehoach", False, ""),
    ("ketqua", True, "Lê Thị Phượng (Tổ dân phố số 1)\nĐT: 0912345678"),    # --with-phones, internal use
    ("dondoc", True, "Lê Thị Phượng (Tổ dân phố số 1)\nĐT: 0912345678"),
])
def test_who_made_a_petition_as_each_kind_may_say_it(kind, with_phones, exp):
    assert privacy.policy(kind, with_phones=with_phones).petitioner(NAME, GROUP, PHONE) == exp


@pytest.mark.parametrize("kind, typed, exp", [
    ("ketqua", "bà Hoa, sinh năm 1956, gọi 0912 345 678",
     "bà [họ tên đã ẩn], sinh năm [năm sinh đã ẩn], gọi [số điện thoại đã ẩn]"),
    ("dondoc", "SN: 1960, ĐT +84912345678", "SN: [năm sinh đã ẩn], ĐT [số điện thoại đã ẩn]"),
    ("thang", "tổng đài 02433824567, năm 2024", "tổng đài 02433824567, năm 2024"),      # an office line, a year
    ("phieuchuyen", "gọi 0912345678, sinh năm 1956", "gọi 0912345678, sinh năm 1956"),  # the slip carries it
    ("ketqua", None, ""),
])
def test_free_text_is_masked_where_the_kind_may_not_carry_it(kind, typed, exp):
    assert privacy.policy(kind).text(typed) == exp


def test_tables_leaving_the_ward_drop_personal_columns_and_mask_the_rest():
    headers = ["Mã kiến nghị", "Người kiến nghị", "Nội dung", "Điện thoại"]
    rows = [["KN-1", NAME, "liên hệ 0987654321", PHONE]]
    got = privacy.public_rows(headers, rows)
    assert got == (["Mã kiến nghị", "Nội dung"], [["KN-1", "liên hệ [số điện thoại đã ẩn]"]])
    findings = privacy.public_rows(["Mức độ", "Vị trí", "Cột", "Giá trị", "Nội dung"],
                                   [["Cảnh báo", "Đại biểu!I5", "Điện thoại", "098 765 432", "sai dạng"]])
    assert findings[1] == [["Cảnh báo", "Đại biểu!I5", "Điện thoại", "", "sai dạng"]]


def test_a_text_repeated_down_a_long_list_is_masked_every_time():
    """public_rows masks each distinct text once (issue 26: a month's 13,000 overdue petitions repeat their
    requests and departments); every row still comes out masked, short rows too."""
    headers = ["Mã kiến nghị", "Nội dung", "Bộ phận chủ trì"]
    rows = [[f"KN-{i}", "Ông Nguyễn Văn An gọi 0987654321", "Văn hóa - Xã hội"] for i in range(3)] + [["KN-9"]]
    exp = [[f"KN-{i}", "Ông [họ tên đã ẩn] gọi [số điện thoại đã ẩn]", "Văn hóa - Xã hội"] for i in range(3)]
    assert privacy.public_rows(headers, rows) == (headers, exp + [["KN-9"]])


@pytest.mark.parametrize("typed, exp", [
    # names: after a form of address, or said in full with a family name
    ("Ông Nguyễn Văn An phản ánh", "Ông [họ tên đã ẩn] phản ánh"),
    ("đề nghị kiểm tra nhà bà Trần Thị Lan.", "đề nghị kiểm tra nhà bà [họ tên đã ẩn]."),
    ("Nguyễn Văn An và Trần Văn Bình cùng ký đơn", "[họ tên đã ẩn] và [họ tên đã ẩn] cùng ký đơn"),
    ("Cháu Lê Minh Khôi bị ngã.\nBà Hoa đã báo", "Cháu [họ tên đã ẩn] bị ngã.\nBà [họ tên đã ẩn] đã báo"),
    ("cho anh Hùng, chị Mai", "cho anh [họ tên đã ẩn], chị [họ tên đã ẩn]"),
    # spacing as typed: several spaces, a non-breaking space, a name split over two lines; a name read once
    ("gặp  ông   Lê  Văn\nTám hôm qua", "gặp  ông   [họ tên đã ẩn] hôm qua"),
    ("nhà\u00a0bà\u00a0Lan ở cuối ngõ", "nhà\u00a0bà\u00a0[họ tên đã ẩn] ở cuối ngõ"),
    ("ông Nguyễn Văn An, Nguyễn Thị Bình", "ông [họ tên đã ẩn], [họ tên đã ẩn]"),
    ("xin gặp Bà Hoa", "xin gặp Bà Hoa"),                      # capitalised mid-sentence: "Bà …" may be a place
    # kept: places named after people, posts, a city, two-word place names, a place called "Bà …"
    ("sửa đường Lê Hồng Phong và phố Trần Hưng Đạo", "sửa đường Lê Hồng Phong và phố Trần Hưng Đạo"),
    ("học sinh trường Nguyễn Trãi", "học sinh trường Nguyễn Trãi"),
    ("kiến nghị ông Tổ trưởng và bà Chủ tịch Hội Phụ nữ", "kiến nghị ông Tổ trưởng và bà Chủ tịch Hội Phụ nữ"),
    ("về TP. Hồ Chí Minh, Hà Nội, theo tư tưởng Hồ Chí Minh", "về TP. Hồ Chí Minh, Hà Nội, theo tư tưởng Hồ Chí Minh"),
    ("Đoàn khách từ Bà Rịa - Vũng Tàu", "Đoàn khách từ Bà Rịa - Vũng Tàu"),
    ("UBND phường Hà Cầu và Công an phường", "UBND phường Hà Cầu và Công an phường"),
    # house numbers (the lane and street stay), identity numbers; a group's number and a lane are not personal
    ("trước số nhà 15 ngõ 20 phố Vạn Phúc", "trước số nhà [số nhà đã ẩn] ngõ 20 phố Vạn Phúc"),
    ("nhà số 12B, căn hộ 1204 và phòng trọ số 5", "nhà số [số nhà đã ẩn], căn hộ [số nhà đã ẩn] và phòng trọ số [số nhà đã ẩn]"),
    ("tại số 15/3 ngõ 20", "tại số [số nhà đã ẩn] ngõ 20"),
    ("CCCD số 001058012345, CMND: 012345678", "CCCD số [số giấy tờ đã ẩn], CMND: [số giấy tờ đã ẩn]"),
    ("Tổ dân phố số 5 ngõ 3 và ngõ 12", "Tổ dân phố số 5 ngõ 3 và ngõ 12"),
    ("mã hồ sơ 001058012345", "mã hồ sơ 001058012345"),
])
def test_names_addresses_and_papers_in_free_text(typed, exp):
    got = privacy.policy("ketqua").text(typed)
    assert got == exp
    assert privacy.policy("phieuchuyen").text(typed) == typed           # the department sees what was typed
    assert privacy.policy("ketqua", with_phones=True).text(typed) == typed


@hypothesis.settings(max_examples=400, deadline=None)
@hypothesis.given(hypothesis.strategies.text(alphabet="0123456789 .-+84SNsinhnămNĂMıİſ:\n", max_size=40))
def test_the_quick_digit_check_never_skips_a_phone_number(text):
    """The check that skips the phone pattern on most texts never skips a match."""
    assert privacy.mask_phones(text) == privacy._MOBILE.sub(privacy.PHONE_MASK, text)
