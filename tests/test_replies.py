"""Departments answer in their own files (issue 14, points 1 and 2): phan-hoi/<stem>/<Mã bộ phận>.xlsx
made and refreshed by each pass, answers merged into the register.

The department's own edits are made with openpyxl here: that is the department's program saving its
file, not the toolkit writing (the toolkit only creates with xlsxwriter and patches via write_back).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from conftest import VALIDATE
from test_reading import valid_rows, write_workbook
from toolkit.pipeline import passes
from toolkit.outputs import department_files
from toolkit.core import schema

TODAY = dt.date(2024, 7, 10)
KN = schema.KIEN_NGHI.name


def register_rows() -> dict:
    rows = valid_rows()
    rows["phan_cong"].append({"uu_tien": 2, "linh_vuc": "Môi trường - Vệ sinh", "chu_tri": "VP", "han": 5})
    base = {"hoi_nghi": "HN-2024-06", "ngay_tiep_nhan": dt.date(2024, 6, 20), "to_dan_pho": "TDP01"}
    rows["kien_nghi"] = [
        {**base, "ma": "KN-2024-06-001", "nguoi_kien_nghi": "Trần Văn Cường", "linh_vuc": "Đất đai",
         "noi_dung": "Đề nghị sớm cấp sổ đỏ cho các hộ ngõ 5."},
        {**base, "ma": "KN-2024-06-002", "nguoi_kien_nghi": "Đỗ Thu Hà", "linh_vuc": "Đất đai",
         "noi_dung": "Tranh chấp ranh giới đất giữa hai hộ số 7 và số 9.", "ket_qua": "Văn phòng đã hòa giải xong."},
        {**base, "ma": "KN-2024-06-003", "nguoi_kien_nghi": "Nguyễn Thị Dung", "linh_vuc": "Môi trường - Vệ sinh",
         "noi_dung": "Rác thải tập kết ở đầu ngõ gây ô nhiễm."},
    ]
    return rows


@pytest.fixture
def register(tmp_path) -> Path:
    path = tmp_path / "so" / "doi-thoai-2024.xlsx"
    path.parent.mkdir()
    write_workbook(path, register_rows())
    return path


def run(path: Path, today: dt.date = TODAY):
    return passes.run(path, today=today, render=False)


def sheet_rows(path: Path, sheet: str = department_files.SHEET) -> list[tuple]:
    wb = openpyxl.load_workbook(path)
    try:
        return [tuple(r) for r in wb[sheet].iter_rows(min_row=3, values_only=True)]
    finally:
        wb.close()


def by_id(path: Path, sheet: str = department_files.SHEET) -> dict[str, dict]:
    head = [c.header for c in department_files.COLUMNS]
    out = {}
    for r in sheet_rows(path, sheet):
        if r and r[0]:
            out[r[0]] = dict(zip(head, r))
    return out


def register_row(path: Path, ma: str) -> dict:
    wb = openpyxl.load_workbook(path)
    try:
        ws = wb[KN]
        head = [c.value for c in ws[1]]
        for row in ws.iter_rows(min_row=2, values_only=True):
            if row[0] == ma:
                return dict(zip(head, row))
    finally:
        wb.close()
    raise KeyError(ma)


def type_answer(path: Path, ma: str, **values) -> None:
    """The department types into its file and saves (openpyxl here plays Excel)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[department_files.SHEET]
    target = None
    for r in range(3, ws.max_row + 1):
        if ws.cell(r, 1).value == ma:
            target = r
            break
    if target is None:
        target = ws.max_row + 1
        ws.cell(target, 1).value = ma
    for key, value in values.items():
        ws.cell(target, department_files.COL_INDEX[key]).value = value
    wb.save(path)
    wb.close()


def answers(**kw):
    base = {"ngay_tra_loi": dt.datetime(2024, 7, 3), "hinh_thuc": schema.FORM_WRITTEN, "so_van_ban": "45/UBND-ĐC",
            "ket_qua": "Phường đã hướng dẫn các hộ bổ sung trích đo địa chính; dự kiến cấp giấy chứng nhận trước "
                       "ngày 30/08/2024.", "nguoi_tra_loi": "Lê Văn Địa"}
    base.update(kw)
    return base


# --- 1. the files ------------------------------------------------------------------------------------


def test_first_pass_makes_one_file_per_department_with_its_petitions(register):
    result = run(register)
    folder = register.parent / "phan-hoi" / register.stem
    assert sorted(p.name for p in folder.glob("*.xlsx")) == ["DC.xlsx", "VP.xlsx"]
    assert result.replies.created and "Tạo 2 tệp trả lời" in result.line()
    dc, vp = by_id(folder / "DC.xlsx"), by_id(folder / "VP.xlsx")
    exp = {"KN-2024-06-001": "Chủ trì", "KN-2024-06-002": "Chủ trì"}
    assert {k: v["Vai trò"] for k, v in dc.items()} == exp
    assert {k: v["Vai trò"] for k, v in vp.items()} == {"KN-2024-06-001": "Phối hợp", "KN-2024-06-002": "Phối hợp",
                                                     "KN-2024-06-003": "Chủ trì"}
    row = dc["KN-2024-06-001"]
    assert row["Người kiến nghị"] == "Trần Văn Cường" and row["Hạn xử lý"] == dt.datetime(2024, 7, 4)
    assert row["Số ngày còn lại"] == -4          # four working days late on 10/07/2024


def test_department_file_is_styled_protected_and_valid(register):
    run(register)
    path = department_files.file_for(register, "DC")
    wb = openpyxl.load_workbook(path)
    ws = wb[department_files.SHEET]
    assert ws["A1"].value.startswith("Hướng dẫn")
    assert [c.value for c in ws[2]] == [c.header for c in department_files.COLUMNS]
    assert ws.freeze_panes == "B3"
    assert ws.protection.sheet and not ws.protection.password
    assert ws["A3"].protection.locked and ws["A3"].fill.fgColor.rgb.endswith("EDEDED")
    assert ws["G3"].number_format == "dd/mm/yyyy"
    assert ws.column_dimensions["E"].width == pytest.approx(50, abs=1)
    assert ws.column_dimensions["I"].protection.locked is False          # the department's columns are open
    assert ws.column_dimensions["N"].protection.locked is False
    dv = [d for d in ws.data_validations.dataValidation if d.type == "list"]
    assert dv and "Danh mục" in dv[0].formula1 and "J3" in str(dv[0].sqref)
    assert wb[department_files.LISTS_SHEET].sheet_state == "hidden"
    assert [r[0].value for r in wb[department_files.LISTS_SHEET].iter_rows(min_row=2)] == list(schema.LISTS["hinh_thuc"][1])
    wb.close()
    out = subprocess.run([sys.executable, str(VALIDATE), str(path)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


# --- 2. the merge -----------------------------------------------------------------------------------


def test_lead_answer_fills_the_register_and_closes_the_petition(register):
    run(register)
    dc = department_files.file_for(register, "DC")
    type_answer(dc, "KN-2024-06-001", **answers())
    result = run(register)
    assert result.written
    row = register_row(register, "KN-2024-06-001")
    assert row["Ngày trả lời"] == dt.datetime(2024, 7, 3)
    assert row["Hình thức trả lời"] == schema.FORM_WRITTEN
    assert row["Kết quả trả lời"].startswith("Phường đã hướng dẫn các hộ bổ sung")
    assert row["Trạng thái"] == "Đã trả lời bằng văn bản"
    # the department's typed cells are as it typed them; the read-only copy now says it is done
    again = by_id(dc)["KN-2024-06-001"]
    assert again["Người trả lời"] == "Lê Văn Địa" and again["Số văn bản"] == "45/UBND-ĐC"
    assert again["Số ngày còn lại"] == "Đã xong (Đã trả lời bằng văn bản)"
    # a pass with nothing new writes nothing
    before = (register.read_bytes(), dc.read_bytes())
    third = run(register)
    assert not third.written and (register.read_bytes(), dc.read_bytes()) == before


def test_coordinating_answer_is_appended_with_the_department_name(register):
    run(register)
    type_answer(department_files.file_for(register, "DC"), "KN-2024-06-001", **answers())
    type_answer(department_files.file_for(register, "VP"), "KN-2024-06-001",
                **answers(ket_qua="Văn phòng đã gửi thông báo kết quả cho các hộ ngõ 5 ngày 04/07/2024.",
                          so_van_ban="46/UBND-VP"))
    run(register)
    text = register_row(register, "KN-2024-06-001")["Kết quả trả lời"]
    lines = text.split("\n")
    assert lines[0].startswith("Phường đã hướng dẫn")
    assert lines[1] == "Phối hợp - Văn phòng - Thống kê: Văn phòng đã gửi thông báo kết quả cho các hộ ngõ 5 " \
                       "ngày 04/07/2024."


def test_a_value_typed_in_the_register_wins_and_the_difference_is_reported(register):
    run(register)
    dc = department_files.file_for(register, "DC")
    type_answer(dc, "KN-2024-06-002", **answers(ket_qua="Đã đo đạc lại ranh giới ngày 02/07/2024, hai hộ thống "
                                                        "nhất mốc giới mới."))
    result = run(register)
    row = register_row(register, "KN-2024-06-002")
    assert row["Kết quả trả lời"] == "Văn phòng đã hòa giải xong."       # the clerk's text stays
    assert row["Ngày trả lời"] == dt.datetime(2024, 7, 3)                # the blank cells are filled
    found = [f for f in result.report if f.code == "reply-conflict"]
    assert len(found) == 1
    msg = found[0].message
    assert found[0].ref == f"{KN}!N3" or found[0].ref.endswith("!N3")
    assert "Văn phòng đã hòa giải xong." in msg and "hai hộ thống nhất" in msg and "DC.xlsx" in msg and "K4" in msg


def test_bad_rows_in_a_department_file_are_findings_at_their_cells_and_never_reach_the_register(register):
    run(register)
    dc = department_files.file_for(register, "DC")
    type_answer(dc, "KN-2024-06-001", **answers(ngay_tra_loi=dt.datetime(2024, 6, 1)))     # before receipt
    type_answer(dc, "KN-2024-06-099", **answers())                                        # unknown petition
    type_answer(dc, "KN-2024-06-002", **answers(hinh_thuc="Gọi điện thoại"))                # not in the list
    wb = openpyxl.load_workbook(dc)
    ws = wb[department_files.SHEET]
    last = ws.max_row + 1
    ws.cell(last, 1).value = "KN-2024-06-001"                                             # pasted twice
    ws.cell(last, department_files.COL_INDEX["ket_qua"]).value = "Dòng dán thừa"
    wb.save(dc)
    wb.close()
    result = run(register)
    sheet = "Trả lời (DC.xlsx)"
    got = sorted((f.code, f.row, f.column) for f in result.report if f.sheet == sheet)
    exp = sorted([("reply-before-receipt", 3, "Ngày trả lời"), ("reply-unknown-petition", 5, "Mã kiến nghị"),
                  ("value-not-in-list", 4, "Hình thức trả lời"), ("reply-duplicate-row", 6, "Mã kiến nghị")])
    assert got == exp
    for ma in ("KN-2024-06-001", "KN-2024-06-002"):
        row = register_row(register, ma)
        assert row["Ngày trả lời"] is None and row["Hình thức trả lời"] is None
    assert register_row(register, "KN-2024-06-001")["Trạng thái"] == schema.STATUS_NEW


def test_vague_answer_is_copied_but_leaves_the_petition_open(register):
    run(register)
    type_answer(department_files.file_for(register, "DC"), "KN-2024-06-001",
                **answers(ket_qua="Đã tiếp thu, sẽ xem xét giải quyết theo quy định của pháp luật."))
    result = run(register)
    row = register_row(register, "KN-2024-06-001")
    assert row["Trạng thái"] == "Đang xử lý" and row["Kết quả trả lời"].startswith("Đã tiếp thu")
    assert "answer-vague" in result.report.codes()


def test_department_clears_its_answer_and_the_register_follows(register):
    run(register)
    dc = department_files.file_for(register, "DC")
    type_answer(dc, "KN-2024-06-001", **answers())
    run(register)
    type_answer(dc, "KN-2024-06-001", ngay_tra_loi=None, hinh_thuc=None, ket_qua=None, so_van_ban=None,
                nguoi_tra_loi=None)
    run(register)
    row = register_row(register, "KN-2024-06-001")
    assert (row["Ngày trả lời"], row["Kết quả trả lời"], row["Trạng thái"]) == (None, None, schema.STATUS_NEW)


def test_unreadable_department_file_keeps_what_was_merged(register):
    run(register)
    dc = department_files.file_for(register, "DC")
    type_answer(dc, "KN-2024-06-001", **answers())
    run(register)
    dc.write_bytes(b"PK\x03\x04 half saved")
    result = run(register)
    assert "reply-file-unreadable" in result.report.codes()
    row = register_row(register, "KN-2024-06-001")
    assert row["Trạng thái"] == "Đã trả lời bằng văn bản" and row["Kết quả trả lời"].startswith("Phường")
    assert dc.read_bytes() == b"PK\x03\x04 half saved"          # never overwritten


def test_open_department_file_is_read_not_written(register):
    run(register)
    dc = department_files.file_for(register, "DC")
    type_answer(dc, "KN-2024-06-001", **answers())
    lock = dc.parent / ".~lock.DC.xlsx#"
    lock.write_text("Cán bộ Địa chính,may-dc,may-dc,02.07.2024 08:00,file:///home/dc/.config/libreoffice/4;")
    # a new assignment that the file should get
    wb = openpyxl.load_workbook(register)
    ws = wb[KN]
    ws.append(["KN-2024-06-004", "HN-2024-06", dt.datetime(2024, 6, 21), "Vũ Quang Minh", "TDP02", "Đất đai",
               "Xin cấp đổi sổ đỏ bị rách."])
    wb.save(register)
    before = dc.read_bytes()
    result = run(register)
    assert register_row(register, "KN-2024-06-001")["Trạng thái"] == "Đã trả lời bằng văn bản"   # read
    assert dc.read_bytes() == before and result.replies.waiting == [dc]                          # not written
    assert "đang mở" in result.line()
    lock.unlink()
    run(register)
    assert "KN-2024-06-004" in by_id(dc)


def test_reassigned_petition_moves_to_the_no_longer_assigned_sheet_keeping_what_was_typed(register):
    run(register)
    dc = department_files.file_for(register, "DC")
    type_answer(dc, "KN-2024-06-002", ghi_chu="Đang đo đạc")
    wb = openpyxl.load_workbook(register)
    ws = wb[KN]
    head = [c.value for c in ws[1]]
    ws.cell(3, head.index("Bộ phận chủ trì") + 1).value = "VP"       # the clerk reassigns 002 to VP
    wb.save(register)
    result = run(register)
    assert not [f for f in result.report if f.code == "reply-not-assigned"]
    row = by_id(dc)["KN-2024-06-002"]
    assert row["Vai trò"] == department_files.ROLE_GONE and row["Ghi chú"] == "Đang đo đạc"
    gone = openpyxl.load_workbook(dc)[department_files.GONE_SHEET]
    assert [c.value for c in gone[3]][:1] == ["KN-2024-06-002"]
    assert "KN-2024-06-002" in by_id(department_files.file_for(register, "VP"))
    out = subprocess.run([sys.executable, str(VALIDATE), str(dc)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_a_code_not_yet_written_into_the_register_is_not_handed_to_a_department(register):
    run(register)
    wb = openpyxl.load_workbook(register)
    ws = wb[KN]
    ws.append([None, "HN-2024-06", dt.datetime(2024, 6, 21), "Vũ Quang Minh", "TDP02", "Đất đai",
               "Xin cấp đổi sổ đỏ bị rách."])
    wb.save(register)
    lock = register.parent / f"~${register.name}"
    lock.write_bytes(b"\x0bCan bo VP" + b" " * 40)
    result = run(register)                      # the register is open: its new Mã is not written
    assert not result.written and result.write_reason_code == "locked"
    dc = department_files.file_for(register, "DC")
    assert list(by_id(dc)) == ["KN-2024-06-001", "KN-2024-06-002"]
    lock.unlink()
    result = run(register)
    assert result.written and list(by_id(dc)) == ["KN-2024-06-001", "KN-2024-06-002", "KN-2024-06-004"]
    assert register_row(register, "KN-2024-06-004")["Nội dung"] == "Xin cấp đổi sổ đỏ bị rách."


def test_forwarded_answer_closes_as_forwarded_and_stays_with_its_department(register):
    run(register)
    dc = department_files.file_for(register, "DC")
    type_answer(dc, "KN-2024-06-001", **answers(hinh_thuc=schema.FORM_FORWARD, ket_qua=(
        "Nội dung thuộc thẩm quyền UBND quận; phường đã chuyển Phòng Tài nguyên và Môi trường quận tại "
        "Công văn số 88/UBND-ĐC ngày 03/07/2024.")))
    run(register)
    result = run(register)                          # a second pass: nothing re-routed, nothing new
    row = register_row(register, "KN-2024-06-001")
    assert row["Trạng thái"] == schema.STATUS_FORWARDED and row["Kết quả trả lời"].startswith("Nội dung thuộc")
    assert row["Hình thức trả lời"] is None          # would send it to the department "Chuyển cấp trên"
    assert row["Bộ phận chủ trì"] == "Địa chính - Xây dựng - Đô thị - Môi trường"
    assert by_id(dc)["KN-2024-06-001"]["Vai trò"] == department_files.ROLE_LEAD
    assert not result.written and "reply-not-assigned" not in result.report.codes()
