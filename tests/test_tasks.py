"""Công việc: Hạn as a date or a rule relative to the conference, Ngày đến hạn written by a
pass, and the legal timeline checks at their cells."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

import badfiles as B
from toolkit.core import duerules, schema
from toolkit.pipeline import passes
from toolkit.rules import tasks
from toolkit.core.duerules import Due
from toolkit.core.workdays import Calendar

D = dt.date
CV = schema.CONG_VIEC
CAL = Calendar()


@pytest.mark.parametrize("typed, exp", [
    ("-7", Due(days=-7)),
    ("+10", Due(days=10)),
    (10, Due(days=10)),                      # Excel turns a typed +10 into the number 10
    (-7.0, Due(days=-7)),
    ("0", Due(days=0)),
    ("-7 ngày", Due(days=-7)),
    ("7 ngày trước", Due(days=-7)),
    ("10 ngay sau", Due(days=10)),
    ("-5 ngày làm việc", Due(days=-5, workdays=True)),
    ("+3 NLV", Due(days=3, workdays=True)),
    ("  − 7  ", Due(days=-7)),               # a typographic minus pasted from Word
    ("15/06/2024", Due(date=D(2024, 6, 15))),
    (D(2024, 6, 15), Due(date=D(2024, 6, 15))),
    (45464, Due(date=D(2024, 6, 21))),       # a date serial, not 45,463 days
])
def test_due_rules_parse(typed, exp):
    assert duerules.parse_due(typed) == exp


@pytest.mark.parametrize("typed", ["tuần sau", "-7 ngày sau", "+7 ngày trước", "31/02/2024", "", "x"])
def test_due_rules_refuse_what_is_neither(typed):
    with pytest.raises(ValueError):
        duerules.parse_due(typed)


# HN on Friday 21/06/2024; 15/06 is a Saturday, 30/04-01/05 and 2-3/09 are public holidays.
@pytest.mark.parametrize("rule, conference, exp", [
    ("-7", D(2024, 6, 21), D(2024, 6, 14)),                 # calendar days, a Friday
    ("-6", D(2024, 6, 21), D(2024, 6, 14)),                 # Saturday 15/06: back to Friday (still >= 6 days)
    ("+1", D(2024, 6, 21), D(2024, 6, 24)),                 # Saturday 22/06: on to Monday (BLDS Điều 148)
    ("+10", D(2024, 6, 21), D(2024, 7, 1)),                 # Monday 01/07
    ("-5 ngày làm việc", D(2024, 6, 21), D(2024, 6, 14)),   # 5 working days back
    ("-7 ngày làm việc", D(2024, 6, 21), D(2024, 6, 12)),   # the weekend is skipped
    ("+3 ngày làm việc", D(2024, 8, 30), D(2024, 9, 6)),    # Quốc khánh 02-03/09 skipped
    ("+3", D(2024, 8, 30), D(2024, 9, 4)),                  # calendar: Monday 02/09 is a holiday
    ("0", D(2024, 6, 22), D(2024, 6, 22)),                  # the conference day itself, even a Saturday
    ("15/06/2024", D(2024, 6, 21), D(2024, 6, 15)),         # a date is a date
])
def test_rules_resolve_in_calendar_or_working_days(rule, conference, exp):
    assert duerules.resolve(duerules.parse_due(rule), conference, CAL) == exp


def test_a_relative_rule_without_a_conference_date_is_unresolved():
    assert duerules.resolve(Due(days=-7), None, CAL) is None
    assert duerules.resolve(Due(date=D(2024, 6, 1)), None, CAL) == D(2024, 6, 1)


# --- a real workbook through a pass ------------------------------------------------------

CONF = {"ma": "HN-2024-06", "ten": "Hội nghị đối thoại 6 tháng đầu năm 2024", "ngay": D(2024, 6, 21),
        "gio": dt.time(8, 0), "dia_diem": "Hội trường UBND phường"}
NOTICE = "Thông báo trên đài truyền thanh về thời gian, địa điểm đối thoại"
REPORT = "Báo cáo kết quả hội nghị đối thoại gửi cấp trên"


def _book(tmp_path, tasks_rows, conference=CONF) -> "Path":  # noqa: F821
    rows = B.base_rows()
    rows["hoi_nghi"] = [dict(conference)]
    rows["cong_viec"] = tasks_rows
    return B.save(tmp_path, B.build_workbook(rows))


def _task_findings(result):
    return sorted((f.sheet, f.row, f.column, f.code) for f in result.report
                  if f.sheet in (CV.name, schema.HOI_NGHI.name))


def _due_column(path):
    ws = openpyxl.load_workbook(path)[CV.name]
    col = [c.value for c in ws[1]].index(CV.col("ngay_den_han")) + 1
    return [ws.cell(r, col).value.date() if ws.cell(r, col).value else None for r in range(2, ws.max_row + 1)]


def test_a_pass_writes_ngay_den_han_and_tasks_follow_a_moved_conference(tmp_path):
    path = _book(tmp_path, [
        {"hoi_nghi": "HN-2024-06", "cong_viec": NOTICE, "bo_phan": "Văn hóa - Thông tin", "han": "-7"},
        {"hoi_nghi": "HN-2024-06", "cong_viec": "Báo cáo tình hình kinh tế - xã hội", "bo_phan": "Văn phòng - Thống kê",
         "han": "-5 ngày làm việc"},
        {"hoi_nghi": "HN-2024-06", "cong_viec": REPORT, "bo_phan": "Văn phòng - Thống kê", "han": "+10"},
        {"hoi_nghi": "HN-2024-06", "cong_viec": "Khẩu hiệu", "bo_phan": "Văn hóa - Thông tin", "han": "12/06/2024"},
    ])
    today = D(2024, 6, 1)
    result = passes.run(path, today=today, render=False)
    assert result.written, result.write_reason
    assert _due_column(path) == [D(2024, 6, 14), D(2024, 6, 14), D(2024, 7, 1), D(2024, 6, 12)]

    # The conference moves a week later (staff edit Ngày tổ chức): the relative tasks follow, the date stays.
    wb = openpyxl.load_workbook(path)
    ws = wb[schema.HOI_NGHI.name]
    ws.cell(2, [c.value for c in ws[1]].index(schema.HOI_NGHI.col("ngay")) + 1).value = dt.datetime(2024, 6, 28)
    wb.save(path)
    assert passes.run(path, today=today, render=False).written
    assert _due_column(path) == [D(2024, 6, 21), D(2024, 6, 21), D(2024, 7, 8), D(2024, 6, 12)]
    # Nothing new: the next pass writes nothing.
    again = passes.run(path, today=today, render=False)
    assert not again.written and again.write_reason_code == "unchanged"


def test_legal_timeline_and_task_findings_at_their_cells(tmp_path):
    path = _book(tmp_path, [
        # announcement due only 4 days before (Monday 17/06), and done 3 days before
        {"hoi_nghi": "HN-2024-06", "cong_viec": NOTICE, "bo_phan": "Văn hóa - Thông tin", "han": "-4",
         "ngay_hoan_thanh": D(2024, 6, 18)},
        # result report planned 15 days after (limit 10: 01/07/2024)
        {"hoi_nghi": "HN-2024-06", "cong_viec": REPORT, "bo_phan": "Văn phòng - Thống kê", "han": "+15"},
        # no department, open and past its date
        {"hoi_nghi": "HN-2024-06", "cong_viec": "Chuẩn bị khẩu hiệu", "han": "-2"},
        # a rule that is not one
        {"hoi_nghi": "HN-2024-06", "cong_viec": "Âm thanh", "bo_phan": "Văn hóa - Thông tin", "han": "tuần sau"},
        # done: never overdue
        {"hoi_nghi": "HN-2024-06", "cong_viec": "Giấy mời", "bo_phan": "Văn phòng - Thống kê", "han": "-7",
         "ngay_hoan_thanh": D(2024, 6, 13)},
    ])
    result = passes.check(path, today=D(2024, 6, 25))
    cv = CV.name
    assert _task_findings(result) == sorted([
        (cv, 2, CV.col("han"), "task-notice-late"),
        (cv, 2, CV.col("ngay_hoan_thanh"), "task-notice-late"),
        (cv, 3, CV.col("han"), "task-report-late"),
        (cv, 4, CV.col("bo_phan"), "task-no-department"),
        (cv, 4, CV.col("ngay_hoan_thanh"), "task-overdue"),
        (cv, 5, CV.col("han"), "due-invalid"),
    ])
    messages = {(f.row, f.code): f.message for f in result.report if f.sheet == cv}
    assert "cần ít nhất 7 ngày" in messages[(2, "task-notice-late")]
    assert "chậm nhất ngày 01/07/2024" in messages[(3, "task-report-late")]
    assert "quá hạn 6 ngày" in messages[(4, "task-overdue")]
    assert "-7 (7 ngày trước hội nghị)" in messages[(5, "due-invalid")]


def test_every_conference_needs_an_announcement_and_a_result_report(tmp_path):
    path = _book(tmp_path, [
        {"hoi_nghi": "HN-2024-06", "cong_viec": "Chuẩn bị khẩu hiệu", "bo_phan": "Văn hóa - Thông tin", "han": "-2"},
    ])
    result = passes.check(path, today=D(2024, 6, 1))
    got = [(f.sheet, f.row, f.column, f.code, f.extra["other"]) for f in result.report
           if f.code == "conference-task-missing"]
    assert got == [(schema.HOI_NGHI.name, 2, schema.HOI_NGHI.col("ma"), "conference-task-missing",
                    "thông báo trên đài truyền thanh"),
                   (schema.HOI_NGHI.name, 2, schema.HOI_NGHI.col("ma"), "conference-task-missing",
                    "báo cáo kết quả hội nghị")]


def test_unknown_conference_or_department_and_undated_conference(tmp_path):
    undated = dict(CONF, ngay=None)
    path = _book(tmp_path, [
        {"hoi_nghi": "HN-2024-07", "cong_viec": NOTICE, "bo_phan": "Văn hóa - Thông tin", "han": "-7"},
        {"hoi_nghi": "HN-2024-06", "cong_viec": REPORT, "bo_phan": "Phòng Không Có", "han": "+10"},
    ], conference=undated)
    result = passes.check(path, today=D(2024, 6, 1))
    codes = {(f.row, f.code) for f in result.report if f.sheet == CV.name}
    assert (2, "unknown-conference") in codes
    assert (3, "unknown-department") in codes
    assert (3, "task-due-unknown") in codes


def test_a_workbook_without_the_sheet_has_no_task_findings(tmp_path):
    rows = B.base_rows()
    wb = B.build_workbook(rows)
    del wb[CV.name]
    path = B.save(tmp_path, wb)
    result = passes.check(path, today=D(2024, 12, 31))
    assert result.report.codes() == []
    assert tasks.countdown(result.dataset, D(2024, 6, 1), CAL) is None
    assert tasks.task_rows(result.dataset, D(2024, 6, 1)) is None


def test_init_seeds_the_plans_tasks_for_each_conference(tmp_path):
    from toolkit.starter import create

    path = create.create_workbook(tmp_path / "moi.xlsx", today=D(2025, 1, 6))
    result = passes.check(path, today=D(2025, 1, 6))
    assert result.report.errors == []
    by_conf: dict[str, list] = {}
    for t in result.dataset.tasks:
        by_conf.setdefault(t.hoi_nghi, []).append(t)
    assert sorted(by_conf) == ["HN-2025-06", "HN-2025-11"]
    for code, items in by_conf.items():
        depts = {t.bo_phan for t in items}
        assert {"Văn phòng - Thống kê", "Văn hóa - Thông tin", "Tài chính - Kế toán", "Công an phường",
                "MTTQ và các đoàn thể"} <= depts
        kinds = [tasks.kind(t.cong_viec) for t in items]
        assert tasks.ANNOUNCEMENT in kinds and tasks.RESULT_REPORT in kinds
        words = " ".join(t.cong_viec.lower() for t in items)
        for must in ("giấy mời", "kinh tế - xã hội", "cơ sở vật chất", "đài truyền thanh", "khẩu hiệu",
                     "âm thanh", "cổng thông tin", "dự trù kinh phí", "quyết toán", "an ninh trật tự",
                     "tình hình nhân dân", "đôn đốc", "báo cáo kết quả", "dự thảo kế hoạch"):
            assert must in words, (code, must)
        assert all(t.ngay_den_han for t in items)   # every rule resolves against the planned date
