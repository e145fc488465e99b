"""Each document's title and date line, read from the .docx: the date comes from the
workbook where it says one (Hội nghị's Ngày thông báo, days before / after the
conference from Cấu hình), the date line can stay blank for hand signing, and no
title repeats "hội nghị đối thoại"."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from docx import Document

import docsample as S
from toolkit.outputs import documents, summaries

LONG_NAME = "Hội nghị đối thoại giữa Chủ tịch UBND phường với Nhân dân 6 tháng đầu năm 2024"
CONF_DAY = dt.date(2024, 6, 15)   # docsample's HN-2024-06; its Ngày thông báo is 05/06/2024


def make(kind, tmp_path, *, today=S.TODAY, config=None, conference=None, **opts):
    ds = S.dataset()
    if config:
        ds.config = dataclasses.replace(ds.config, **config)
    if conference:
        ds.conferences = [dataclasses.replace(c, **conference) if c.ma == S.CONF else c for c in ds.conferences]
    summary = summaries.build(ds, None, today=today)
    out = documents.render_report(kind, ds, summary, tmp_path, today=today, **opts)
    return Document(str(out[0]))


def date_line(doc) -> str:
    right = doc.tables[0].rows[0].cells[1]
    return [p.text for p in right.paragraphs if p.text][-1]


def title(doc) -> list[str]:
    """The centred, bold lines between the header table and the body."""
    lines = []
    for p in doc.paragraphs:
        if not p.text.strip():
            continue
        if p.alignment is not None and p.alignment == 1 and all(r.bold for r in p.runs if r.text.strip()):
            lines.append(p.text)
        elif lines:
            break
    return lines


def test_report_title_says_the_round_once(tmp_path):
    doc = make("ketqua", tmp_path, conference={"ten": LONG_NAME}, session=S.CONF)
    lines = title(doc)
    assert lines == ["BÁO CÁO", "Kết quả hội nghị đối thoại giữa Chủ tịch UBND phường Hà Cầu",
                     "với Nhân dân trên địa bàn 6 tháng đầu năm 2024"]
    assert " ".join(lines).lower().count("hội nghị đối thoại") == 1
    assert " ".join(lines).lower().count("với nhân dân") == 1


@pytest.mark.parametrize("today, expected", [
    (dt.date(2024, 6, 20), "Hà Cầu, ngày 20 tháng 6 năm 2024"),    # within Hạn báo cáo (10 days): today
    (dt.date(2024, 6, 1), "Hà Cầu, ngày 15 tháng 6 năm 2024"),     # a draft before the conference: its day
    (dt.date(2026, 12, 2), "Hà Cầu, ngày 25 tháng 6 năm 2024"),    # made after the deadline: its due day
])
def test_report_date(tmp_path, today, expected):
    assert date_line(make("ketqua", tmp_path, today=today, session=S.CONF)) == expected


def test_report_date_typed_on_the_conference_row_wins(tmp_path):
    doc = make("ketqua", tmp_path, today=dt.date(2026, 12, 2), conference={"ngay_bao_cao": dt.date(2024, 6, 19)},
               session=S.CONF)
    assert date_line(doc) == "Hà Cầu, ngày 19 tháng 6 năm 2024"


def test_invitation_title_and_date_from_the_notice_day(tmp_path):
    doc = make("giaymoi", tmp_path, today=dt.date(2026, 12, 2), conference={"ten": LONG_NAME}, session=S.CONF)
    assert title(doc)[:2] == ["GIẤY MỜI", "Dự hội nghị đối thoại giữa Chủ tịch UBND phường Hà Cầu với Nhân dân"]
    assert date_line(doc) == "Hà Cầu, ngày 05 tháng 6 năm 2024"
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "với Nhân dân trên địa bàn 6 tháng đầu năm 2024." in body
    assert body.lower().count("hội nghị đối thoại giữa chủ tịch") == body.count("GIẤY MỜI") * 2   # title + one line


def test_invitation_without_notice_day_is_dated_days_before_from_configuration(tmp_path):
    doc = make("giaymoi", tmp_path, today=dt.date(2026, 12, 2), config={"giay_moi_truoc": 10},
               conference={"ngay_thong_bao": None}, session=S.CONF)
    assert date_line(doc) == "Hà Cầu, ngày 05 tháng 6 năm 2024"   # 15/06 - 10 days


def test_announcement_title_and_date(tmp_path):
    doc = make("thongbao", tmp_path, today=dt.date(2026, 12, 2), session=S.CONF)
    assert title(doc) == ["THÔNG BÁO", "Về việc tổ chức hội nghị đối thoại giữa Chủ tịch UBND phường Hà Cầu "
                                       "với Nhân dân"]
    assert date_line(doc) == "Hà Cầu, ngày 05 tháng 6 năm 2024"
    doc = make("thongbao", tmp_path, today=dt.date(2026, 12, 2), config={"thong_bao_truoc": 3},
               conference={"ngay_thong_bao": None}, session=S.CONF)
    assert date_line(doc) == "Hà Cầu, ngày 12 tháng 6 năm 2024"


def test_slip_is_dated_when_its_petitions_came_in_and_month_report_at_the_month_end(tmp_path):
    slip = make("phieuchuyen", tmp_path, department="DC", today=dt.date(2026, 12, 2))
    assert title(slip)[0] == "PHIẾU CHUYỂN"
    assert date_line(slip) == "Hà Cầu, ngày 15 tháng 6 năm 2024"          # the conference day of its petitions
    month = make("thang", tmp_path, month=(2024, 7), today=dt.date(2026, 12, 2))
    assert title(month)[0] == "BÁO CÁO" and title(month)[1:] == ["Tình hình tiếp nhận, giải quyết kiến nghị của Nhân dân", "tháng 07 năm 2024"]
    assert date_line(month) == "Hà Cầu, ngày 31 tháng 7 năm 2024"          # a Wednesday
    june = make("thang", tmp_path, month=(2024, 6), today=dt.date(2026, 12, 2))
    assert date_line(june) == "Hà Cầu, ngày 01 tháng 7 năm 2024"           # 30/06/2024 is a Sunday: next working day


@pytest.mark.parametrize("kind, opts", [("ketqua", {"session": S.CONF}), ("giaymoi", {"session": S.CONF}),
                                        ("thongbao", {"session": S.CONF}), ("phieuchuyen", {"department": "DC"}),
                                        ("thang", {"month": (2024, 7)})])
def test_date_line_left_blank_for_hand_signing(tmp_path, kind, opts):
    doc = make(kind, tmp_path, config={"de_trong_ngay_ky": True}, **opts)
    assert date_line(doc) == "Hà Cầu, ngày …… tháng …… năm ……"
    assert not re.search(r"ngày \d", date_line(doc))


def _set_config(path, label, value):
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb["Cấu hình"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == label)
    if value is None:
        ws.delete_rows(row[0].row)
    else:
        row[1].value = value
    wb.save(path)


def test_from_the_workbook_via_the_command_line(sample_copy, tmp_path):
    from clirun import doithoai

    ran = doithoai("report", sample_copy, "--kind", "giaymoi", "--session", "HN-2024-06", "--out", tmp_path)
    assert ran.code == 0, ran.text
    doc = Document(str(tmp_path / "giay-moi-HN-2024-06.docx"))
    assert date_line(doc) == "Hà Cầu, ngày 11 tháng 6 năm 2024"   # the sample's Ngày thông báo

    _set_config(sample_copy, "Để trống ngày ký văn bản", "Có")
    ran = doithoai("report", sample_copy, "--kind", "ketqua", "--session", "HN-2024-06", "--out", tmp_path)
    assert ran.code == 0, ran.text
    doc = Document(str(tmp_path / "bao-cao-ket-qua-HN-2024-06.docx"))
    assert date_line(doc) == "Hà Cầu, ngày …… tháng …… năm ……"
    assert title(doc)[2] == "với Nhân dân trên địa bàn 6 tháng đầu năm 2024"


def test_a_workbook_made_before_these_items_existed_gets_no_new_warning(sample_copy):
    from toolkit.pipeline import passes

    _set_config(sample_copy, "Để trống ngày ký văn bản", None)
    _set_config(sample_copy, "Gửi giấy mời trước hội nghị (ngày)", None)
    checked = passes.check(sample_copy, today=dt.date(2024, 12, 10))
    assert not [f for f in checked.report if f.code == "config-item-missing"]
    assert checked.dataset.config.de_trong_ngay_ky is False and checked.dataset.config.giay_moi_truoc == 7


def test_a_yes_no_item_that_is_neither_is_an_error_in_the_cell(sample_copy):
    from toolkit.pipeline import passes

    _set_config(sample_copy, "Để trống ngày ký văn bản", "hôm nay")
    checked = passes.check(sample_copy, today=dt.date(2024, 12, 10))
    bad = [f for f in checked.report if f.code == "config-invalid"]
    assert bad and "Có hoặc Không" in bad[0].message and bad[0].ref.startswith("Cấu hình!B")


# --- dates typed in Cấu hình for the documents that have no row of their own (issue 24, point 5) ---

@pytest.mark.parametrize("typed, expected", [
    ([dt.date(2024, 8, 2)], "Hà Cầu, ngày 02 tháng 8 năm 2024"),      # signed in the first days of August
    ([dt.date(2024, 7, 26)], "Hà Cầu, ngày 26 tháng 7 năm 2024"),     # or before the month ends
    ([dt.date(2024, 7, 26), dt.date(2024, 8, 2)], "Hà Cầu, ngày 02 tháng 8 năm 2024"),   # the later one
    ([dt.date(2024, 8, 20), dt.date(2024, 7, 10)], "Hà Cầu, ngày 31 tháng 7 năm 2024"),  # August's, June's: not July's
    ([], "Hà Cầu, ngày 31 tháng 7 năm 2024"),
])
def test_month_report_date_typed_in_configuration(tmp_path, typed, expected):
    doc = make("thang", tmp_path, month=(2024, 7), today=dt.date(2026, 12, 2),
               config={"ngay_ky_bao_cao_thang": typed})
    assert date_line(doc) == expected


@pytest.mark.parametrize("typed, expected", [
    ([dt.date(2024, 6, 20)], "Hà Cầu, ngày 20 tháng 6 năm 2024"),
    ([dt.date(2024, 6, 10)], "Hà Cầu, ngày 15 tháng 6 năm 2024"),     # before its petitions came in: not used
    ([dt.date(2023, 12, 1), dt.date(2024, 6, 18)], "Hà Cầu, ngày 18 tháng 6 năm 2024"),
])
def test_slip_date_typed_in_configuration(tmp_path, typed, expected):
    doc = make("phieuchuyen", tmp_path, department="DC", today=dt.date(2026, 12, 2),
               config={"ngay_ky_phieu_chuyen": typed})
    assert date_line(doc) == expected


def _letter(tmp_path, typed):
    ds = S.dataset()
    ds.config = dataclasses.replace(ds.config, ngay_ky_cong_van_don_doc=typed)
    summary = summaries.build(ds, None, today=S.TODAY)
    out = documents.render_report("dondoc", ds, summary, tmp_path, today=S.TODAY, department="DC")
    return Document(str(out[0]))


def test_urging_letter_dated_as_typed_counts_overdue_to_that_day(tmp_path):
    # DC leads two open petitions: KN-2024-06-001 due 05/07/2024 and KN-2024-06-006 due 10/07/2024 (docsample).
    doc = _letter(tmp_path, [dt.date(2024, 7, 8)])
    assert date_line(doc) == "Hà Cầu, ngày 08 tháng 7 năm 2024"
    listed = [r.cells[1].text for r in doc.tables[1].rows[1:]]
    assert listed == ["KN-2024-06-001"]              # on 08/07 the other was not yet due
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "08/07/2024" in body and "20/07/2024" not in body


def test_urging_letter_ignores_a_stale_typed_date(tmp_path):
    doc = _letter(tmp_path, [dt.date(2024, 6, 1)])      # more than 30 days before the day it is made
    assert date_line(doc) == "Hà Cầu, ngày 20 tháng 7 năm 2024"
    assert sorted(r.cells[1].text for r in doc.tables[1].rows[1:]) == ["KN-2024-06-001", "KN-2024-06-006"]


def test_signing_dates_typed_in_the_workbook_reach_every_document_a_pass_makes(sample_copy):
    """The three Cấu hình items, typed in the committed sample as a clerk would (text cells), saved, passed."""
    import openpyxl
    from toolkit.pipeline import passes

    wb = openpyxl.load_workbook(sample_copy)
    ws = wb["Cấu hình"]
    rows = {r[0].value: r[0].row for r in ws.iter_rows(min_row=2)}
    for label, value in (("Ngày ký báo cáo tháng", "20/12/2024"), ("Ngày ký phiếu chuyển", "14/12/2024"),
                         ("Ngày ký công văn đôn đốc", "28/11/2024")):
        ws.cell(rows[label], 2, value)           # init lists the items, blank
    wb.save(sample_copy)
    result = passes.run(sample_copy, today=dt.date(2024, 12, 10))
    assert not [f for f in result.report if f.code == "config-invalid"]
    out = sample_copy.parent / "ket-qua" / sample_copy.stem
    texts = {p.name: S.all_text(p) for p in out.rglob("*.docx")}
    assert "Hà Cầu, ngày 20 tháng 12 năm 2024" in texts["bao-cao-thang-2024-12.docx"]   # the month of the pass
    slips = [t for n, t in texts.items() if n.startswith("phieu-chuyen")]
    assert slips and all("Hà Cầu, ngày 14 tháng 12 năm 2024" in t for t in slips)
    letters = [t for n, t in texts.items() if n.startswith("giay-don-doc")]
    assert letters and all("ngày 28 tháng 11 năm 2024" in t for t in letters)
