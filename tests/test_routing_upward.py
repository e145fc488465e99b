"""A petition addressed upward never routes silently inside the ward (issue 17b).

toolkit.rules.upward finds the signs (a higher level asked to act, a project, land taken
back, a rule or a rate to change; an investment asked for as a weak sign); the router
turns a ward department's keyword route into a guess the clerk confirms.
"""

from __future__ import annotations

import datetime as dt

import pytest

from toolkit.core import schema
from toolkit.core.model import Department, Petition
from toolkit.pipeline import passes
from toolkit.rules.learning import Example, History
from toolkit.rules.routing import GUESS_MARK, Router
from toolkit.rules.upward import Upward, as_address

from test_learning import _add_petitions
from test_routing import default_departments, default_rules, name


def route(content, *, history=None, departments=None, field=""):
    router = Router(default_rules(), departments or default_departments(), history=history)
    return router.route(Petition(row=5, noi_dung=content, linh_vuc=field))


# (Nội dung, lead, flagged, coordinator expected or None)
CASES = [
    # strong signs: Chuyển cấp trên leads the guess, the subject's department coordinates
    ("Khu dân cư nhiều tuyến đường cũ, đề nghị thành phố bố trí ngân sách chỉnh trang.", "CT", True, "TC"),
    ("Dự án nâng cấp đường Lê Lợi chậm, đề nghị đẩy nhanh.", "CT", True, "DC"),
    ("Chế độ cho Chủ tịch Hội Phụ nữ phường còn thấp, đề nghị nâng lên.", "CT", True, "MTTQ"),
    ("Nhà văn hóa tổ 5 bị thu hồi làm đường, dân nhận đền bù mà chưa có chỗ xây lại.", "CT", True, "VHTT"),
    ("Đề nghị cấp trên quy định cụ thể việc cấp giấy chứng nhận quyền sử dụng đất.", "CT", True, "DC"),
    ("de nghi thanh pho bo tri ngan sach sua duong ngo", "CT", True, "DC"),      # typed without diacritics
    # a weak sign only: the ward department keeps it, marked as a guess
    ("Tổ dân phố chưa có loa, đề nghị đầu tư hệ thống loa.", "VHTT", True, None),
    # no sign: as before, confident
    ("Ngõ 12 có nhiều ổ gà, trời mưa đọng nước.", "DC", False, None),
    ("Đề nghị nâng cấp đường ngõ 7 cho bà con đi lại.", "DC", False, None),        # 'nâng cấp' is no rate change
    ("Đề nghị tăng cường tuần tra ban đêm ở tổ 4.", "CA", False, None),           # nor 'tăng cường'
    # a higher level's road named as an address: the ward's subject leads, as a guess
    ("Cơ sở ve chai dọc quốc lộ 1 xả nước thải gây ô nhiễm.", "DC", True, None),
    # ... but the road itself is the subject: still sent up, confidently
    ("Quốc lộ 1 đoạn qua phường có nhiều ổ gà.", "CT", False, None),
    # no rule at all, a strong sign: the guess is Chuyển cấp trên, not the default department
    ("Dự án khu tái hòa nhập kéo dài, dân sống dở dang.", "CT", True, None),
    ("Xin hỏi về việc nuôi ong ở tổ 9.", "VP", True, None),
]


@pytest.mark.parametrize("content,exp_lead,exp_flag,exp_coord", CASES)
def test_signs_of_a_higher_level_make_a_ward_route_a_guess(content, exp_lead, exp_flag, exp_coord):
    a = route(content)
    assert (a.lead, a.basis.startswith(GUESS_MARK)) == (name(exp_lead), exp_flag), a.basis
    if exp_coord:
        assert name(exp_coord) in a.coordinators, a


def test_the_guess_says_why_in_vietnamese():
    a = route("Dự án nâng cấp đường Lê Lợi chậm, đề nghị đẩy nhanh.")
    assert "'dự án'" in a.basis and "vượt thẩm quyền phường" in a.basis
    assert "Hãy xác nhận Bộ phận chủ trì" in a.basis


def test_a_typed_linh_vuc_is_the_clerks_choice_and_stays():
    a = route("Đề nghị thành phố bố trí ngân sách sửa đường ngõ.", field="Giao thông - Hạ tầng")
    assert a.lead == name("DC") and not a.basis.startswith(GUESS_MARK)


def test_the_wards_own_practice_decides_when_it_is_confident():
    typed = [Example(f"Đề nghị thành phố bố trí ngân sách sửa đường ngõ {i}", name("DC"), f"KN-2023-01-{i:03d}")
             for i in range(1, 9)]
    a = route("Đề nghị thành phố bố trí ngân sách sửa đường ngõ 3", history=History(typed))
    assert a.lead == name("DC") and a.basis.startswith("Giống KN-2023-01-"), a.basis


def test_without_a_chuyen_cap_tren_department_the_ward_department_leads_the_guess():
    departments = [d for d in default_departments() if d.ma != "CT"]
    departments = [Department(row=i, ma=d.ma, ten=d.ten) for i, d in enumerate(departments, start=2)]
    a = route("Dự án nâng cấp đường Lê Lợi chậm, đề nghị đẩy nhanh.", departments=departments)
    assert a.lead == name("DC") and a.basis.startswith(GUESS_MARK)


SIGN_CASES = [
    ("đề nghị tỉnh bố trí người riêng cho đài", ("đề nghị tỉnh", "tỉnh bố trí"), ()),
    ("phụ cấp cán bộ xóm thấp quá", ("phụ cấp … thấp",), ()),
    ("phụ cấp cán bộ xóm chậm chi trả", (), ()),                      # a rate, no change asked
    ("đề nghị đầu tư kè", (), ("đầu tư",)),
    ("Dự án chậm", ("dự án",), ()),
    ("du an cham", ("dự án",), ()),
    ("", (), ()),
]


@pytest.mark.parametrize("content,exp_strong,exp_weak", SIGN_CASES)
def test_signs_found(content, exp_strong, exp_weak):
    got = Upward().signs(content)
    assert (got.strong, got.weak) == (exp_strong, exp_weak)


@pytest.mark.parametrize("previous,accented,exp", [
    (["dọc"], True, True), (["cặp"], True, True), (["cấp"], True, False), (["trên"], True, False),
    (["dọc", "đoạn"], True, False), ([], True, False), (["doc"], False, True),
])
def test_address_words(previous, accented, exp):
    assert as_address(previous, accented) is exp


def test_a_pass_sends_a_petition_addressed_upward_up_and_asks_to_confirm(sample_copy):
    """Through a real pass on a copy of the sample workbook: lead, coordinator, warning."""
    kn = schema.KIEN_NGHI
    last = _add_petitions(sample_copy, [("Dự án nâng cấp đường Lê Lợi chậm quá, đề nghị thành phố đẩy nhanh.", {}),
                                        ("Ngõ 12 tổ 3 có nhiều ổ gà, trời mưa đọng nước.", {})])
    result = passes.check(sample_copy, today=dt.date(2024, 12, 2))
    by_row = {p.row: p for p in result.dataset.petitions}
    up, ward = by_row[last - 1], by_row[last]
    assert up.chu_tri == name("CT") and name("DC") in (up.phoi_hop or []), up
    assert up.can_cu.startswith(GUESS_MARK) and "'dự án'" in up.can_cu
    assert ward.chu_tri == name("DC") and not ward.can_cu.startswith(GUESS_MARK)
    warned = {f.row for f in result.report if f.code == "petition-route-guess"}
    assert last - 1 in warned and last not in warned
    assert all(f.column == kn.col("chu_tri") for f in result.report if f.code == "petition-route-guess")


# A sign read across a word boundary does not count: 'công' ends the compound begun before it
# ("hành chính công", "dịch vụ công", "đất công"), so "… công nhận hồ sơ" recognises no rule. A sign
# standing on its own, or a keyword wholly inside a compound, is still read.
COMPOUND_CASES = [
    ("Trung tâm hành chính công nhận hồ sơ đăng ký kinh doanh nhưng trả kết quả chậm.", ()),
    ("trung tam hanh chinh cong nhan ho so nhung tra ket qua cham", ()),
    ("Cổng dịch vụ công nhận hồ sơ trực tuyến hay bị lỗi.", ()),
    ("Khu đất công nhận được nhiều đơn xin thuê, đề nghị phường công khai.", ()),
    ("Đề nghị công nhận tổ dân phố đạt chuẩn văn hóa.", ("công nhận",)),
    ("Hành chính công rất nhanh, đề nghị công nhận tổ dân phố văn hóa.", ("công nhận",)),
]


@pytest.mark.parametrize("content,exp_strong", COMPOUND_CASES)
def test_a_sign_is_not_read_across_a_known_compound(content, exp_strong):
    got = Upward().signs(content)
    assert got.strong == exp_strong


@pytest.mark.parametrize("content,exp_lead", [
    ("Trung tâm hành chính công nhận hồ sơ đăng ký kinh doanh nhưng trả kết quả chậm, đề nghị phường đôn đốc.", "VP"),
    ("Khu đất công nhận được nhiều đơn xin thuê, đề nghị phường công khai.", "DC"),
])
def test_a_procedure_at_the_desk_is_not_sent_up_by_a_word_across_a_compound(content, exp_lead):
    a = route(content)
    assert (a.lead, a.basis.startswith(GUESS_MARK)) == (name(exp_lead), False)
