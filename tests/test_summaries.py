"""Summary tables: what staff read in tong-hop.xlsx, the dashboard and the documents.

``sample_dataset()`` / ``sample_report()`` are shared with test_tonghop.py and
test_dashboard.py (imported from this module).
"""

from __future__ import annotations

import datetime as dt

from toolkit.core import findings as fnd
from toolkit.core import model
from toolkit.outputs import summaries

D = dt.date
TODAY = D(2024, 7, 10)   # a Wednesday
XSS_CONTENT = ("<script>document.title='PWNED'</script> "
               "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\"> xin sửa đường")


class WeekdayCalendar:
    """Working days = Monday–Friday (enough for these tests; holidays are workdays.py's job)."""

    def workdays_between(self, a: dt.date, b: dt.date) -> int:
        return sum(1 for i in range(1, (b - a).days + 1) if (a + dt.timedelta(days=i)).weekday() < 5)


def _delegate(row, name, cat, group, conf, invited=True, present=True):
    return model.Delegate(row, name, thanh_phan=cat, to_dan_pho=group, hoi_nghi=conf,
                          duoc_moi=invited, co_mat=present)


def _petition(row, ma, conf, who, group, field, content, dept, han, status, form="", answered=None,
              received=D(2024, 6, 15)):
    return model.Petition(row, ma, conf, received, who, group, field, content, form, dept, [], han,
                          status, answered)


PEOPLE = "Đại diện Nhân dân"


def sample_dataset() -> model.Dataset:
    ds = model.Dataset()
    ds.config.ten_don_vi = "UBND phường Hà Cầu"
    ds.conferences = [
        model.Conference(2, "HN-2024-06", "Hội nghị đối thoại 6 tháng đầu năm 2024", D(2024, 6, 15),
                         dt.time(8, 0), "Hội trường UBND phường"),
        model.Conference(3, "HN-2024-12", "Hội nghị đối thoại cuối năm 2024", D(2024, 12, 14)),
    ]
    ds.groups = [model.Group(2, "TDP01", "Tổ 1"), model.Group(3, "TDP02", "Tổ 2", toi_thieu=2, toi_da=3),
                 model.Group(4, "TDP03", "Tổ 3", toi_thieu=1, toi_da=1)]
    ds.departments = [model.Department(2, "VP", "Văn phòng - Thống kê"),
                      model.Department(3, "DC", "Địa chính - Xây dựng - Đô thị - Môi trường"),
                      model.Department(4, "VHXH", "Văn hóa - Xã hội"),
                      model.Department(5, "CT", "Chuyển cấp trên")]
    c1 = "HN-2024-06"
    ds.delegates = [
        _delegate(2, "Nguyễn Văn An", PEOPLE, "TDP01", c1),
        _delegate(3, "Trần Thị Bình", PEOPLE, "TDP01", c1, present=False),
        _delegate(4, "Lê Văn Cường", PEOPLE, "TDP01", c1),
        _delegate(5, "Phạm Thị Dung", PEOPLE, "TDP01", c1),
        _delegate(6, "Hoàng Văn Em", PEOPLE, "TDP01", c1),
        _delegate(7, "Đỗ Thị Giang", PEOPLE, "Tổ 2", c1),
        _delegate(8, "Vũ Văn Hải", PEOPLE, "TDP03", c1),
        _delegate(9, "Bùi Thị Lan", PEOPLE, "TDP03", c1, present=False),
        _delegate(10, "Ngô Văn Minh", "Lãnh đạo UBND phường", "", c1),
        _delegate(11, "Đặng Thị Nga", "Công an, Quân sự", "", c1, present=False),
        _delegate(12, "Người Chưa Mời", PEOPLE, "TDP02", c1, invited=False, present=False),
        _delegate(13, "Lỗi Thành Phần", "Khách mời lạ", "", c1),              # row with an error
    ]
    ds.petitions = [
        _petition(2, "KN-2024-06-001", c1, "Nguyễn Văn An", "TDP01", "Đất đai", "Đề nghị cấp giấy chứng nhận",
                  "DC", D(2024, 7, 5), "Đang xử lý"),                                         # overdue
        _petition(3, "KN-2024-06-002", c1, "Trần Thị Bình", "TDP01", "Môi trường - Vệ sinh", "=SUM(A1:A2) rác thải ngõ 5",
                  "DC", D(2024, 7, 15), "Mới tiếp nhận"),                                    # open, in time
        _petition(4, "KN-2024-06-003", c1, "Đỗ Thị Giang", "TDP02", "Chính sách xã hội", "=1+1 trợ cấp",
                  "VHXH", D(2024, 6, 20), "Đã trả lời bằng văn bản", "Trả lời bằng văn bản",
                  answered=D(2024, 6, 19)),
        _petition(5, "KN-2024-06-004", c1, "Vũ Văn Hải", "TDP03", "Chính sách xã hội", "+84 hộ nghèo",
                  "Văn hóa - Xã hội", D(2024, 7, 1), "", ),                                   # blank status, overdue
        _petition(6, "KN-2024-06-005", c1, "@Lê Văn Cường", "TDP01", "Quy hoạch - Bồi thường",
                  "-5 hộ chưa được bồi thường", "CT", D(2024, 7, 1), "Đã chuyển cấp trên", "Chuyển cấp trên"),
        _petition(7, "KN-2024-06-006", c1, "Phạm Thị Dung", "TDP01", "", "Đèn đường hỏng",
                  "", None, "Đã trả lời tại hội nghị", "Trả lời tại hội nghị", answered=D(2024, 6, 15)),
        _petition(8, "KN-2024-06-007", c1, "Hoàng Văn Em", "TDP01", "Giao thông - Hạ tầng", XSS_CONTENT,
                  "DC", D(2024, 7, 26), "Đang xử lý"),                                       # open
        _petition(9, "KN-2024-06-008", c1, "", "TDP09", "Đất đai", "Thiếu người kiến nghị",
                  "DC", D(2024, 7, 1), "Đang xử lý"),                                         # row with errors
    ]
    return ds


def sample_report() -> fnd.Report:
    return fnd.Report([
        fnd.Finding("required-missing", "Kiến nghị", 9, "Người kiến nghị", 4, None),
        fnd.Finding("unknown-group", "Kiến nghị", 9, "Tổ dân phố", 5, "TDP09"),
        fnd.Finding("value-not-in-list", "Đại biểu", 13, "Thành phần", 5, "Khách mời lạ"),
        fnd.Finding("petition-overdue", "Kiến nghị", 2, "Hạn xử lý", 11, "05/07/2024",
                    extra={"count": 5, "other": "DC"}),
    ])


def sample_summary(calendar=None) -> summaries.Summary:
    return summaries.build(sample_dataset(), sample_report(), today=TODAY, calendar=calendar)


# --- tests -----------------------------------------------------------------------

def test_petitions_by_field_in_list_order_with_totals():
    got = sample_summary().by_field
    assert got.headers == ["Lĩnh vực", "Số kiến nghị", "Đã trả lời", "Chuyển cấp trên", "Đang xử lý", "Quá hạn"]
    exp = [
        ["Đất đai", 1, 0, 0, 1, 1],
        ["Giao thông - Hạ tầng", 1, 0, 0, 1, 0],
        ["Môi trường - Vệ sinh", 1, 0, 0, 1, 0],
        ["Chính sách xã hội", 2, 1, 0, 1, 1],
        ["Quy hoạch - Bồi thường", 1, 0, 1, 0, 0],
        ["(Chưa phân loại)", 1, 1, 0, 0, 0],
    ]
    assert got.rows == exp
    assert got.footer == ["Tổng cộng", 7, 2, 1, 4, 2]


def test_department_by_status_matrix_resolves_codes_and_names():
    got = sample_summary().dept_status
    assert got.headers == ["Bộ phận chủ trì", "Mới tiếp nhận", "Đang xử lý", "Đã trả lời tại hội nghị",
                           "Đã trả lời bằng văn bản", "Đã chuyển cấp trên", "Tổng"]
    exp = [
        ["Địa chính - Xây dựng - Đô thị - Môi trường", 1, 2, 0, 0, 0, 3],
        ["Văn hóa - Xã hội", 1, 0, 0, 1, 0, 2],      # "VHXH" and the typed name count as one
        ["Chuyển cấp trên", 0, 0, 0, 0, 1, 1],
        ["(Chưa giao bộ phận)", 0, 0, 1, 0, 0, 1],
    ]
    assert got.rows == exp
    assert got.footer == ["Tổng cộng", 2, 2, 1, 1, 1, 7]


def test_petitions_by_group():
    got = sample_summary().by_group
    exp = [["Tổ 1", 5, 1, 1, 3, 1], ["Tổ 2", 1, 1, 0, 0, 0], ["Tổ 3", 1, 0, 0, 1, 1]]
    assert got.rows == exp


def test_open_petitions_overdue_first_with_signed_days():
    got = [[r[0], r[5], r[6], r[7]] for r in sample_summary().open_petitions.rows]
    exp = [
        ["KN-2024-06-004", D(2024, 7, 1), -9, "Quá hạn 9 ngày"],
        ["KN-2024-06-001", D(2024, 7, 5), -5, "Quá hạn 5 ngày"],
        ["KN-2024-06-002", D(2024, 7, 15), 5, "Còn 5 ngày"],
        ["KN-2024-06-007", D(2024, 7, 26), 16, "Còn 16 ngày"],
    ]
    assert got == exp


def test_days_count_working_days_with_a_calendar():
    s = sample_summary(calendar=WeekdayCalendar())
    got = [[r[0], r[6], r[7]] for r in s.open_petitions.rows]
    exp = [
        ["KN-2024-06-004", -7, "Quá hạn 7 ngày làm việc"],   # Mon 1/7 -> Wed 10/7
        ["KN-2024-06-001", -3, "Quá hạn 3 ngày làm việc"],   # Fri 5/7 -> Wed 10/7
        ["KN-2024-06-002", 3, "Còn 3 ngày làm việc"],
        ["KN-2024-06-007", 12, "Còn 12 ngày làm việc"],
    ]
    assert got == exp
    assert s.overdue_by_department.rows == [
        ["Văn hóa - Xã hội", 1, 1, 7, 7.0],
        ["Địa chính - Xây dựng - Đô thị - Môi trường", 3, 1, 3, 3.0],
    ]


def test_overdue_by_department_most_late_first():
    got = sample_summary().overdue_by_department
    exp = [
        ["Văn hóa - Xã hội", 1, 1, 9, 9.0],
        ["Địa chính - Xây dựng - Đô thị - Môi trường", 3, 1, 5, 5.0],
    ]
    assert got.rows == exp
    assert got.footer[:4] == ["Tổng cộng", 4, 2, 9]


def test_quota_per_group_uses_group_override_or_config():
    got = [list(r) for r in sample_summary().quota.rows if r.hoi_nghi == "HN-2024-06"]
    exp = [
        ["HN-2024-06", "Tổ 1", 5, 4, 5, 7, "Đủ"],
        ["HN-2024-06", "Tổ 2", 1, 1, 2, 3, "Thiếu"],    # the uninvited delegate does not count
        ["HN-2024-06", "Tổ 3", 2, 1, 1, 1, "Thừa"],
    ]
    assert got == exp


def test_attendance_by_category():
    got = [list(r) for r in sample_summary().attendance.rows]
    exp = [
        ["HN-2024-06", "Lãnh đạo UBND phường", 1, 1, 1.0],
        ["HN-2024-06", "Công an, Quân sự", 1, 0, 0.0],
        ["HN-2024-06", "Đại diện Nhân dân", 8, 6, 0.75],
    ]
    assert got == exp


def test_everyone_listed_counts_as_invited_when_nobody_ticked_invited():
    ds = sample_dataset()
    for d in ds.delegates:
        d.duoc_moi = None
    s = summaries.build(ds, sample_report(), today=TODAY)
    assert s.conferences["HN-2024-06"].invited == 11   # every valid row (row 13 has an error)
    assert s.conferences["HN-2024-06"].present == 7


def test_conference_figures_for_documents():
    fig = sample_summary().conferences["HN-2024-06"]
    got = {k: getattr(fig, k) for k in ("invited", "present", "petitions", "at_conference", "written",
                                          "forwarded", "answered", "open", "overdue")}
    exp = {"invited": 10, "present": 7, "petitions": 7, "at_conference": 1, "written": 5, "forwarded": 1,
           "answered": 2, "open": 4, "overdue": 2}
    assert got == exp
    assert fig.dia_diem == "Hội trường UBND phường"
    assert sample_summary().conferences["HN-2024-12"].petitions == 0


def test_rows_with_errors_are_left_out_and_explained():
    s = sample_summary()
    assert [list(r) for r in s.left_out.rows] == [
        ["Kiến nghị", 9, "Thiếu thông tin bắt buộc (Người kiến nghị); Tổ dân phố không tồn tại (Tổ dân phố)"],
        ["Đại biểu", 13, "Giá trị ngoài danh sách (Thành phần)"],
    ]
    assert "1 kiến nghị và 1 đại biểu" in s.left_out.note
    got = dict(s.key_numbers.rows)
    assert got["Số kiến nghị"] == 7
    assert got["Quá hạn"] == 2
    assert got["Lỗi cần sửa"] == 3 and got["Cảnh báo"] == 1
    assert got["Kiến nghị chưa tính do có lỗi"] == 1
    assert got["Đại biểu chưa tính do có lỗi"] == 1


def test_findings_table_counts_each_kind_errors_first():
    # the summary prints how many of each kind; the list itself is the register's Lỗi nhập liệu sheet
    # (issue 26: with thousands of warnings the list was most of tong-hop.xlsx, rewritten at every save)
    t = sample_summary().findings_table
    assert t.headers == ["Mức độ", "Loại", "Mã lỗi", "Số mục"]
    exp = [["Lỗi", "Thiếu thông tin bắt buộc", "required-missing", 1],
           ["Lỗi", "Tổ dân phố không tồn tại", "unknown-group", 1],
           ["Lỗi", "Giá trị ngoài danh sách", "value-not-in-list", 1],
           ["Cảnh báo", "Quá hạn", "petition-overdue", 1]]
    assert t.rows == exp
    assert t.footer == ["Tổng cộng", "", "", 4]
    assert "Lỗi nhập liệu" in t.note


def test_month_summary_received_answered_overdue():
    s = summaries.month_summary(sample_dataset(), 2024, 6, today=TODAY, report=sample_report())
    assert s.period == "06/2024"
    got = dict(s.key_numbers.rows)
    assert got["Kiến nghị tiếp nhận trong tháng"] == 7
    assert got["Kiến nghị đã trả lời trong tháng"] == 2
    assert got["Kiến nghị quá hạn (tính đến 30/06/2024)"] == 0
    july = summaries.month_summary(sample_dataset(), 2024, 7, today=TODAY, report=sample_report())
    assert [list(r) for r in july.by_department.rows] == [
        ["Địa chính - Xây dựng - Đô thị - Môi trường", 0, 0, 1],
        ["Văn hóa - Xã hội", 0, 0, 1],
    ]
    assert [r[0] for r in july.open_petitions.rows] == ["KN-2024-06-004", "KN-2024-06-001"]


def test_shorten_keeps_short_text_and_cuts_long_text():
    exp_got = [("ngắn", summaries.shorten("ngắn")), (119, len(summaries.shorten("x" * 300)) - 1)]
    for exp, got in exp_got:
        assert got == exp
