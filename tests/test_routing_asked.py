"""What is asked decides before the place it mentions (issue 28, the miss patterns).

Each case is written the way a citizen says it and checked in both structures of departments:
the posts of before July 2025 and the bodies of Nghị định 150/2025/NĐ-CP. Before issue 28 the
police rule took civil-status requests, rental rooms named as an address and camera fund
drives; money raised from households went to culture or the police; social policy worded
around a place followed the place; a storm-damage support list went beyond the ward.
"""

from __future__ import annotations

import pytest

from toolkit.core import defaults
from toolkit.core.model import Petition
from toolkit.rules.routing import GUESS_MARK, Router

from routing_tables import structure_parts

OLD, NEW = defaults.BEFORE_2025, defaults.ND150_PHUONG

# (Nội dung, lead before 2025, lead of NĐ 150, may it be flagged for confirmation)
CASES = {
    "police over-eager": [
        ("Xin phường chứng thực bản sao sổ tạm trú để làm hồ sơ cho con đi học.", "TP", "VP", False),
        ("Làm giấy khai sinh cho con mà cán bộ bảo phải lên công an hỏi nơi cư trú trước, đề nghị hướng dẫn.",
         "TP", "VP", False),
        ("Xin sao y giấy tờ nhà trọ để nộp hồ sơ vay vốn.", "TP", "VP", False),
        ("Nhà trọ số 5 của cô Lan để nước thải chảy tràn ra hẻm, hôi thối.", "DC", "KT", False),
        ("Tổ trưởng vận động mỗi hộ góp 300 nghìn để lắp camera an ninh đầu ngõ.", "TC", "KT", False),
        ("Danh sách gọi khám sức khỏe nghĩa vụ quân sự có tên người đã chuyển đi, công an phường cũng không rõ.",
         "QS", "QS", False),
        ("Tổ công nghệ số cộng đồng hướng dẫn cài VNeID và định danh điện tử cho người già còn sơ sài.",
         "VHTT", "VHXH", True),
    ],
    "an address does not decide": [
        ("Nhà tôi ở đường tỉnh lộ 70 nhà số 3, cống trước cửa bị nghẹt lâu ngày.", "DC", "KT", False),
        ("Khu nhà trọ số 12 không có bình chữa cháy, lối thoát hiểm bị khóa.", "CA", "CA", False),
        ("Tỉnh lộ 70 đoạn qua phường có nhiều ổ gà.", "CT", "CT", False),          # the road itself
    ],
    "money from households": [
        ("Khu phố thu mỗi hộ 50 nghìn tổ chức Trung thu, văn nghệ, đề nghị công khai khoản thu.", "TC", "KT", False),
        ("Ban nhân dân thôn vận động đóng góp lắp camera mà chưa công khai thu chi.", "TC", "KT", False),
        ("Dân đã góp tiền mua bóng đèn mà đường ngõ vẫn chưa được đấu nối điện chiếu sáng.", "DC", "KT", False),
    ],
    "social policy worded around a place": [
        ("Nghĩa trang liệt sĩ của phường xuống cấp, cỏ mọc um tùm, đề nghị tu sửa.", "VHXH", "VHXH", False),
        ("Hố nước sâu ở bãi đất trống cuối xóm, trẻ em hay ra tắm, năm ngoái đã có cháu chết đuối.",
         "VHXH", "VHXH", False),
        ("Trạm y tế phường mở cửa không đúng giờ làm việc đã niêm yết.", "VHXH", "VHXH", False),
        ("Nghĩa trang nhân dân của tổ đã kín chỗ, không còn đất chôn cất.", "DC", "KT", False),   # the place itself
    ],
    "storm-damage lists are the ward's": [
        ("Danh sách hỗ trợ nhà tốc mái sau bão chưa công khai, Nhà nước hỗ trợ mà dân không biết mình có tên không.",
         "VHXH", "VHXH", False),
        ("Nhà bị sập sau lũ, đề nghị xã hướng dẫn hồ sơ nhận tiền Nhà nước hỗ trợ.", "VHXH", "VHXH", False),
        ("Đề nghị thành phố tăng mức hỗ trợ cho nhà bị thiệt hại do bão.", "CT", "CT", False),   # a rate: beyond
    ],
    # issue 28, table 5: the Front had 2 rows and half of them were lost to the acts they mention
    "the Front asked": [
        ("Đề nghị Mặt trận phường giám sát việc thu tiền vệ sinh của tổ dân phố, thu rồi không thấy công khai.",
         "MTTQ", "MTTQ", False),
        ("Xin Quỹ Vì người nghèo hỗ trợ cho mẹ tôi, bà là người có công, nhà dột nát.", "MTTQ", "MTTQ", False),
        ("Đề nghị Ban Thanh tra nhân dân kiểm tra việc chia tiền hỗ trợ hộ nghèo ở tổ.", "MTTQ", "MTTQ", False),
        ("Tổ dân phố chưa có ban giám sát đầu tư của cộng đồng cho công trình nâng cấp cống thoát nước.",
         "MTTQ", "MTTQ", True),
        ("Mỗi hộ phải đóng tiền vệ sinh mà không biết chi vào đâu.", "TC", "KT", False),    # no body asked
    ],
    "the desk asked": [
        ("Đề nghị trung tâm hành chính công bố trí ghế ngồi chờ cho người khuyết tật và người già.",
         "VP", "HCC", False),
        ("Đề nghị bộ phận một cửa nhận hồ sơ khai sinh cả sáng thứ Bảy.", "VP", "HCC", False),
        ("Xin đăng ký khai sinh cho con tôi, cháu mới sinh tháng trước.", "TP", "VP", False),  # the procedure itself
    ],
    "an address of two words": [
        ("Nhiều người đổ rác ở khu vực bờ kè sông, đề nghị phường xử lý.", "DC", "KT", True),
        ("Quán nhậu ở khu vực tỉnh lộ 10 gây ồn đến nửa đêm.", "CA", "CA", True),
        ("Bờ kè sông bị sạt một đoạn dài, đề nghị sửa chữa.", "CT", "CT", False),        # the works itself
    ],
    "a higher level's, named as such": [
        ("Bảng giá đất mới của tỉnh làm tiền chuyển mục đích tăng gấp mấy lần.", "CT", "CT", False),
        ("Nhà tập thể cũ của xí nghiệp xuống cấp, tường nứt, đề nghị cải tạo.", "CT", "CT", False),
        ("Mộ các liệt sĩ trong nghĩa trang xã bị cỏ mọc um tùm, đề nghị tu sửa.", "VHXH", "VHXH", False),
    ],
    # issue 28, table 5's held-out misses: the place's word won over the duty
    "relief asked, the flood only named": [
        ("Đợt lũ tháng trước làm nhà tôi ngập nửa mét, tủ lạnh hỏng hết, tới giờ vẫn chưa nhận được hỗ trợ.",
         "VHXH", "VHXH", False),
        ("Nhà ngập sau mưa lũ mà chưa được hỗ trợ đồng nào, đề nghị xã xem lại danh sách.", "VHXH", "VHXH", False),
        ("Mưa lớn là hẻm nhà tôi ngập, nước tràn vào nhà, đề nghị nạo vét cống.", "DC", "KT", False),   # the drain
    ],
    "mediation asked, the quarrel only named": [
        ("Hàng xóm mở nhạc ồn ào suốt ngày, tôi muốn nhờ tổ hòa giải nói chuyện giúp.", "TP", "VP", False),
        ("Đề nghị tổ hòa giải mời hai nhà tranh chấp lối đi ngồi lại với nhau.", "TP", "VP", False),
        ("Quán karaoke hát ồn ào đến nửa đêm, đề nghị công an xử lý.", "CA", "CA", False),   # no mediation asked
    ],
    "the ward's own recognitions": [
        ("Thôn đã bầu người mới, đề nghị xã sớm công nhận hòa giải viên để tổ hòa giải hoạt động.", "TP", "VP", False),
        ("Đề nghị cấp trên công nhận thêm chế độ cho người có công.", "CT", "CT", True),     # a rule: beyond
    ],
    "a higher level's works named as such": [
        ("Cảng cá bị bồi lắng, tàu thuyền không vào được, đề nghị nạo vét.", "CT", "CT", False),
        ("Khu neo đậu tránh trú bão của xã thiếu phao neo, mùa bão tàu va nhau.", "CT", "CT", False),
        ("Mương thoát nước trong xóm bị bồi lắng, đề nghị nạo vét.", "DC", "KT", False),        # the ward's drain
    ],
    "words no rule knew": [
        ("Đất nhà tôi mua từ năm 2005, nộp hồ sơ mà vẫn chưa được cấp giấy chứng nhận.", "DC", "KT", False),
        ("Đề nghị xã tổ chức tập huấn kỹ thuật trồng cây ăn quả cho bà con.", "DC", "KT", False),
        ("Cháu nhà tôi học giỏi, xin Hội xét học bổng Vừ A Dính cho cháu.", "MTTQ", "MTTQ", False),
        ("Nhà trường xét học bổng cho học sinh nghèo không công khai.", "VHXH", "VHXH", False),
        ("Hồ sơ chuyển nhượng xe máy giờ nộp ở đâu sau khi sáp nhập phường?", "VP", "HCC", True),
    ],
}


def _route(structure, content):
    departments, rules = structure_parts(structure)
    a = Router(rules, departments).route(Petition(row=5, noi_dung=content))
    return {d.ten: d.ma for d in departments}.get(a.lead, a.lead), a


@pytest.mark.parametrize("pattern,content,old,new,may_flag",
                         [(p, *case) for p, cases in CASES.items() for case in cases],
                         ids=lambda v: v if isinstance(v, str) and len(v) < 40 else None)
def test_what_is_asked_decides(pattern, content, old, new, may_flag):
    for structure, exp in ((OLD, old), (NEW, new)):
        got, a = _route(structure, content)
        assert got == exp, f"{pattern} / {structure.key}: exp {exp} got {got} ({a.basis})"
        if not may_flag:
            assert not a.basis.startswith(GUESS_MARK), (structure.key, a.basis)


def test_the_basis_names_the_keyword_of_what_is_asked():
    _got, a = _route(NEW, "Tổ trưởng vận động mỗi hộ góp 300 nghìn để lắp camera an ninh đầu ngõ.")
    assert "'mỗi hộ góp'" in a.basis and "camera" not in a.basis, a.basis


def test_an_act_said_to_be_done_already_is_the_story_not_the_request():
    # 'đã góp tiền' is what happened; the street light is what is asked
    got, _a = _route(OLD, "Dân đã góp tiền mua bóng đèn mà đường ngõ vẫn chưa có đèn chiếu sáng.")
    assert got == "DC"
    got, _a = _route(OLD, "Đề nghị dân góp tiền mua bóng đèn cho đường ngõ thì phải công khai.")
    assert got == "TC"


def test_typed_without_diacritics_too():
    got, _a = _route(NEW, "to truong van dong moi ho gop 300 nghin lap camera an ninh")
    assert got == "KT"
    got, _a = _route(NEW, "xin chung thuc ban sao so tam tru cho con di hoc")
    assert got == "VP"


def test_a_staff_rule_without_acts_is_routed_as_before():
    """Rules staff write in Phân công keep working: acts only reorder keywords that contain them."""
    from toolkit.core.model import Department, Rule

    departments = [Department(2, "A", "Bộ phận A"), Department(3, "B", "Bộ phận B")]
    rules = [Rule(row=2, uu_tien=1, tu_khoa=["camera"], chu_tri="A"),
             Rule(row=3, uu_tien=2, tu_khoa=["lắp đặt"], chu_tri="B")]
    a = Router(rules, departments).route(Petition(row=5, noi_dung="Đề nghị lắp đặt camera ở ngõ 5"))
    assert a.lead == "Bộ phận A"


# issue 28, table 7 round: the act asked (the clause after an ask word) is read apart from what the
# petition describes, from the purpose it gives ('để …') and from where the act is to happen ('tại …').
# (Nội dung, lead before 2025, lead of NĐ 150, flagged for confirmation: True, False or None = either)
ASKED_CLAUSE = {
    "a place or object only described loses to the act asked": [
        # 'công an' is who came by; the drain is what is asked (a guess: the whole text read as before
        # says the police, so both are named)
        ("Công an phường đến xem rồi, đề nghị sửa lại cống thoát nước.", "DC", "KT", True),
        ("Công an phường đã xuống lập biên bản, đề nghị phường nạo vét mương.", "DC", "KT", True),
        ("cong an phuong den xem roi, de nghi sua lai cong thoat nuoc.", "DC", "KT", True),
    ],
    "a purpose clause loses to the act": [
        ("Xin xác nhận hộ nghèo để vay vốn làm ăn.", "VHXH", "VHXH", None),
        # nothing but the purpose names a rule: an honest guess, never a confident route
        ("Tôi là mẹ đơn thân nuôi con nhỏ, xin được hỗ trợ con giống để chăn nuôi thoát nghèo.", "DC", "KT", True),
    ],
    "an address word does not decide": [
        ("Đề nghị bố trí người hướng dẫn cài VNeID tại nhà văn hóa khu phố.", "CA", "CA", False),
        ("Nhiều người già ở phố không biết cài VNeID, đề nghị có người hướng dẫn ngay tại nhà văn hóa phố.",
         "CA", "CA", False),
        ("Nhà văn hóa khu phố xuống cấp, đề nghị phường sửa chữa.", "VHTT", "VHXH", False),   # the place itself
    ],
    "a rule someone mentions is no rule asked for": [
        ("Chó thả rông khắp hẻm, có quy định xử phạt mà không thấy ai bị phạt, đề nghị phường kiểm tra "
         "các hộ nuôi chó.", "DC", "KT", False),
        ("Chó thả rông khắp hẻm, đề nghị thành phố ban hành quy định xử phạt nặng hơn.", "CT", "CT", True),
    ],
    "a text with no ask word routes as before": [
        ("Hẻm 12 ngập sâu mỗi khi mưa lớn, nước tràn vào nhà.", "DC", "KT", False),
        ("Công an phường đến xem rồi mà cống thoát nước vẫn nghẹt.", "CA", "CA", None),
        ("Chó thả rông khắp hẻm, có quy định xử phạt mà không thấy ai bị phạt.", "CT", "CT", True),
    ],
}


@pytest.mark.parametrize("pattern,content,old,new,flag",
                         [(p, *case) for p, cases in ASKED_CLAUSE.items() for case in cases],
                         ids=lambda v: v if isinstance(v, str) and len(v) < 60 else None)
def test_the_act_asked_is_read_apart_from_the_description(pattern, content, old, new, flag):
    got = {}
    for structure, exp in ((OLD, old), (NEW, new)):
        code, a = _route(structure, content)
        got[structure.key] = (code, a.basis.startswith(GUESS_MARK))
        exp_flag = got[structure.key][1] if flag is None else flag
        assert got[structure.key] == (exp, exp_flag), f"{pattern} / {structure.key}: exp {exp} got {code} ({a.basis})"


def test_a_guess_names_the_act_asked_and_the_description():
    _code, a = _route(OLD, "Công an phường đến xem rồi, đề nghị sửa lại cống thoát nước.")
    assert "'cống thoát nước'" in a.basis and "Công an phường" in a.basis, a.basis


def test_a_staff_rule_is_read_by_clause_too():
    """Staff's own rules: the act asked comes first, the description's rule is named beside it."""
    from toolkit.core.model import Department, Rule

    departments = [Department(2, "A", "Bộ phận A"), Department(3, "B", "Bộ phận B")]
    rules = [Rule(row=2, uu_tien=1, tu_khoa=["bến đò"], chu_tri="A"),
             Rule(row=3, uu_tien=2, tu_khoa=["phao cứu sinh"], chu_tri="B")]
    router = Router(rules, departments)
    a = router.route(Petition(row=5, noi_dung="Bến đò đầu thôn đông khách, đề nghị trang bị áo phao cứu sinh."))
    assert (a.lead, a.basis.startswith(GUESS_MARK)) == ("Bộ phận B", True), a.basis
    a = router.route(Petition(row=6, noi_dung="Bến đò đầu thôn đông khách, chưa có áo phao cứu sinh."))
    assert (a.lead, a.basis.startswith(GUESS_MARK)) == ("Bộ phận A", False), a.basis      # no ask word: as before
