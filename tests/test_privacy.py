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
    ("ketqua", "bà Hoa, sinh năm 1956, gọi 0912 345 678", "bà Hoa, sinh năm [năm sinh đã ẩn], gọi [số điện thoại đã ẩn]"),
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


@hypothesis.settings(max_examples=400, deadline=None)
@hypothesis.given(hypothesis.strategies.text(alphabet="0123456789 .-+84SNsinhnămNĂMıİſ:\n", max_size=40))
def test_masking_with_its_quick_checks_masks_what_the_two_patterns_mask(text):
    """The digit and word checks that skip the patterns on most texts never skip a match."""
    exp = privacy._BIRTH.sub(lambda m: m.group(1) + m.group(2) + privacy.BIRTH_MASK,
                             privacy._MOBILE.sub(privacy.PHONE_MASK, text))
    assert privacy.mask_personal(text) == exp
