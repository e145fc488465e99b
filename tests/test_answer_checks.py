"""Answer checks (issue 14, point 3): what a department typed, judged before a petition counts as answered.

The table of answers below was written before the checker was tuned: real-sounding answers a ward
department might type, good ones and vague ones. Each row: (result text, form, document number,
expected warning codes).
"""

from __future__ import annotations

import datetime as dt

import pytest

from toolkit.rules import answer_checks

from toolkit.core import schema
from toolkit.core.workdays import Calendar

W, F, C = schema.FORM_WRITTEN, schema.FORM_FORWARD, schema.FORM_AT_CONFERENCE
VAGUE, SHORT, EMPTY, NO_NUMBER = "answer-vague", "answer-too-short", "answer-no-result", "answer-no-document-number"

ANSWERS = [
    # --- good: a decision, a next step with a date, or a reason in law -------------------------------
    ("UBND phường đã chỉ đạo Tổ công tác trật tự đô thị lập biên bản, buộc tháo dỡ mái che lấn chiếm vỉa hè "
     "trước số nhà 12 ngõ 5 Tô Hiệu; đã hoàn thành ngày 18/07/2024.", W, "45/UBND-ĐT", []),
    ("Đã phối hợp Công ty Môi trường đô thị bổ sung 02 thùng rác tại đầu ngõ 12 và điều chỉnh giờ thu gom "
     "sang 18h00 hằng ngày kể từ ngày 01/08/2024.", W, "52/UBND-TNMT", []),
    ("Hồ sơ cấp giấy chứng nhận của hộ ông Nguyễn Văn Hùng còn thiếu trích đo địa chính; phường đã hướng dẫn "
     "hộ gia đình bổ sung, thời hạn giải quyết 15 ngày làm việc kể từ ngày nhận đủ hồ sơ.", W, "61/UBND-ĐC", []),
    ("Không có cơ sở giải quyết vì thửa đất nằm trong chỉ giới quy hoạch mở rộng đường Quang Trung theo Quyết "
     "định số 1234/QĐ-UBND của UBND thành phố; đã trả lời bằng văn bản cho công dân.", W, "70/UBND", []),
    ("Đã sửa chữa 05 bóng đèn chiếu sáng hỏng tại ngõ 68 Phùng Hưng, hoàn thành ngày 10/07/2024.", W, "33/UBND",
     []),
    ("Đồng ý cho Tổ dân phố số 7 sử dụng nhà văn hóa tổ chức lớp học hè từ ngày 15/07 đến 15/08/2024.", W,
     "40/UBND-VHXH", []),
    ("Kiến nghị về cải tạo tuyến cống thoát nước ngõ 3 thuộc thẩm quyền của UBND quận; phường đã chuyển Phòng "
     "Quản lý đô thị quận tại Công văn số 88/UBND-ĐT ngày 05/07/2024.", F, "88/UBND-ĐT", []),
    ("Đã kiểm tra thực tế, hộ kinh doanh karaoke số 21 vi phạm tiếng ồn; đã lập biên bản và xử phạt "
     "2.500.000 đồng, yêu cầu cam kết không tái phạm.", W, "47/UBND-CA", []),
    ("Bà Trần Thị Lan đủ điều kiện hưởng trợ cấp xã hội hằng tháng theo Nghị định 20/2021/NĐ-CP; phường đã lập "
     "hồ sơ trình quận, dự kiến có quyết định trong tháng 8/2024.", W, "55/UBND-VHXH", []),
    ("Đã chỉ đạo Trạm Y tế phường tổ chức tiêm chủng bổ sung cho trẻ tại Tổ dân phố số 3 vào sáng thứ Bảy "
     "ngày 20/07/2024.", W, "57/UBND-YT", []),
    ("Đã chi trả đủ tiền hỗ trợ bồi thường còn thiếu cho 03 hộ dân ngày 12/07/2024, các hộ đã ký nhận.", W,
     "60/UBND-TC", []),
    ("Phường đã lắp đặt biển cấm đỗ xe và gờ giảm tốc tại cổng Trường Tiểu học Văn Yên, hoàn thành ngày "
     "25/07/2024.", W, "62/UBND-ĐT", []),
    ("Công an phường đã tăng cường tuần tra khu vực ngõ 40 từ 22h đến 2h hằng đêm kể từ ngày 08/07/2024; "
     "chưa phát hiện tụ tập gây mất trật tự.", W, "12/CAP", []),
    ("Giải thích cho công dân: lệ phí chứng thực bản sao là 2.000 đồng/trang theo Thông tư 226/2016/TT-BTC, "
     "phường thu đúng quy định, không thu thêm khoản nào khác.", C, "", []),
    ("Đã cấp lại trích lục khai sinh cho cháu Lê Minh Anh ngày 09/07/2024 và trả kết quả tại Bộ phận một cửa.",
     W, "1/TLKS", []),
    ("Đã phát quang cây xanh che khuất đèn tín hiệu tại ngã ba Văn Phú ngày 16/07/2024.", W, "66/UBND", []),
    ("Ban Chỉ huy Quân sự phường đã rà soát, công dân Phạm Văn Tú thuộc diện tạm hoãn gọi nhập ngũ năm 2024 vì "
     "đang học đại học chính quy; đã thông báo cho gia đình.", W, "9/BCHQS", []),
    ("Chuyển Thanh tra quận giải quyết vì nội dung tố cáo liên quan cán bộ thuộc quận quản lý "
     "(Phiếu chuyển số 14/PC-UBND ngày 03/07/2024).", F, "14/PC-UBND", []),
    ("Phường đã bố trí kinh phí 120 triệu đồng trong dự toán năm 2025 để cải tạo sân chơi Tổ dân phố số 9, "
     "thi công trong quý II/2025.", W, "71/UBND-TC", []),
    ("Đã yêu cầu chủ công trình xây dựng số 5 ngõ 2 che chắn, tưới nước chống bụi; kiểm tra lại ngày "
     "19/07/2024 chủ công trình đã thực hiện.", W, "68/UBND-ĐT", []),
    ("MTTQ phường đã tổ chức đối thoại giữa hai hộ tranh chấp lối đi chung ngày 11/07/2024; hai bên thống nhất "
     "giữ nguyên hiện trạng lối đi rộng 1,5 m.", W, "5/MTTQ", []),
    ("Trả lời tại hội nghị: Chủ tịch UBND phường giao Địa chính kiểm tra, xử lý dứt điểm điểm tập kết vật liệu "
     "trái phép trước ngày 30/07/2024.", C, "", []),
    # --- vague: stock phrases without a decision, a next step or a date -------------------------------
    # (answer-too-short is arithmetic, under 30 characters: three rows first marked short by eye are not)
    ("Đã tiếp thu ý kiến của công dân.", W, "46/UBND", [VAGUE]),
    ("Bộ phận đã tiếp thu và sẽ xem xét giải quyết.", W, "47/UBND", [VAGUE]),
    ("Sẽ xem xét.", W, "48/UBND", [VAGUE, SHORT]),
    ("Đang chờ ý kiến của cấp trên.", W, "49/UBND", [VAGUE, SHORT]),
    ("Chuyển bộ phận liên quan xem xét giải quyết theo thẩm quyền.", W, "50/UBND", [VAGUE]),
    ("Đã tiếp thu, sẽ xem xét và báo cáo lãnh đạo phường để có hướng giải quyết phù hợp trong thời gian tới.", W,
     "51/UBND", [VAGUE]),
    ("UBND phường ghi nhận, tiếp thu ý kiến và sẽ xem xét, giải quyết theo quy định của pháp luật.", W, "52/UBND",
     [VAGUE]),
    ("Đang chờ kết quả xác minh, sẽ trả lời sau.", W, "53/UBND", [VAGUE]),
    ("Vấn đề này đang chờ quận xem xét, phường sẽ tiếp tục theo dõi.", W, "54/UBND", [VAGUE]),
    ("Đã chuyển bộ phận liên quan.", W, "55/UBND", [VAGUE, SHORT]),
    ("Da tiep thu y kien va se xem xet giai quyet.", W, "56/UBND", [VAGUE]),
    ("Ghi nhận.", W, "57/UBND", [VAGUE, SHORT]),
    ("Đã nắm được.", W, "58/UBND", [SHORT]),
    ("Đang xử lý.", W, "59/UBND", [VAGUE, SHORT]),
    ("Sẽ xem xét trong thời gian sớm nhất.", W, "60/UBND", [VAGUE]),
    # --- other problems ---------------------------------------------------------------------------------
    ("Đã sửa chữa mặt đường ngõ 15 bị sụt lún, hoàn thành ngày 12/07/2024, đảm bảo đi lại an toàn.", W, "",
     [NO_NUMBER]),
    ("Đã tổ chức kiểm tra và xử phạt 03 trường hợp bán hàng lấn chiếm lòng đường ngày 14/07/2024.", W, None,
     [NO_NUMBER]),
    ("", W, "61/UBND", [EMPTY]),
    ("   ", None, None, [EMPTY]),
    ("OK", W, "62/UBND", [SHORT]),
    ("Sẽ xem xét giải quyết trước ngày 15/08/2024 và trả lời bằng văn bản cho công dân.", W, "63/UBND", []),
    ("Đã tiếp thu; phường đã giao Địa chính đo đạc lại ranh giới thửa đất vào ngày 22/07/2024.", W, "64/UBND", []),
]


def test_the_table_is_big_enough():
    assert len(ANSWERS) >= 40
    assert sum(1 for a in ANSWERS if not a[3]) >= 15 and sum(1 for a in ANSWERS if VAGUE in a[3]) >= 12


@pytest.mark.parametrize("result,form,number,exp", ANSWERS, ids=[f"a{i:02d}" for i in range(len(ANSWERS))])
def test_answer_quality(result, form, number, exp):
    got = [p.code for p in answer_checks.judge(result, form=form, number=number,
                                               phrases=answer_checks.DEFAULT_PHRASES, min_length=30)]
    assert sorted(got) == sorted(exp)


def test_staff_can_add_a_stock_phrase():
    text = "Phường cân nhắc phương án phù hợp, chờ ý kiến chỉ đạo."
    assert [p.code for p in answer_checks.judge(text, form=W, number="1/UB", phrases=answer_checks.DEFAULT_PHRASES,
                                                min_length=10)] == []
    more = answer_checks.DEFAULT_PHRASES + ("chờ ý kiến chỉ đạo",)
    assert [p.code for p in answer_checks.judge(text, form=W, number="1/UB", phrases=more, min_length=10)] == [VAGUE]


def test_late_answer_counts_working_days():
    cal = Calendar()
    got = answer_checks.lateness(dt.date(2024, 7, 22), dt.date(2024, 7, 15), cal)   # Monday after a Monday deadline
    assert got == 5
    assert answer_checks.lateness(dt.date(2024, 7, 15), dt.date(2024, 7, 15), cal) is None
    assert answer_checks.lateness(dt.date(2024, 7, 1), None, cal) is None
