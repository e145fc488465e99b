from __future__ import annotations

import hashlib

from clirun import doithoai
from toolkit.starter import sample
from toolkit.core import schema


def test_check_text_lists_each_mistake_with_its_cell(sample_copy):
    before = hashlib.sha256(sample_copy.read_bytes()).hexdigest()
    ran = doithoai("check", sample_copy)
    assert ran.code == 1
    for sheet_key, row, col_key, _code in sample.DELIBERATE_MISTAKES:
        sheet = schema.sheet(sheet_key)
        assert f"== {sheet.name} ==" in ran.out
    assert "Kiến nghị!M24" in ran.out          # the impossible date, by cell
    assert "Tổng cộng:" in ran.out
    assert hashlib.sha256(sample_copy.read_bytes()).hexdigest() == before   # check never writes


def test_check_json_lists_findings_as_data(sample_copy):
    ran = doithoai("check", sample_copy, "--format", "json")
    assert ran.code == 1
    data = ran.json()
    got = {(f["sheet"], f["row"], f["column"], f["code"]) for f in data
           if f["code"] not in ("petition-overdue", "task-overdue")}   # both depend on today
    exp = {(schema.sheet(s).name, r, schema.sheet(s).col(c), code) for s, r, c, code in sample.DELIBERATE_MISTAKES}
    assert got == exp
    assert set(data[0]) >= {"code", "severity", "sheet", "row", "column", "cell", "value", "message"}


def test_check_clean_workbook_exits_0(tmp_path):
    target = tmp_path / "moi.xlsx"
    assert doithoai("init", target).code == 0
    ran = doithoai("check", target)
    assert ran.code == 0, ran.text
    assert "0 lỗi" in ran.out and "Không có lỗi phải sửa" in ran.out
    # What a fresh register needs before its documents can be signed: a warning at each Cấu hình cell.
    for label, row in (("Tên đơn vị", 2), ("Cơ quan cấp trên", 3), ("Địa danh", 4), ("Chủ tịch", 5)):
        assert f"Cấu hình!B{row}: [Cảnh báo] Cấu hình chưa ghi '{label}'" in ran.out


def test_check_unreadable_file_exits_2_with_advice(tmp_path):
    bad = tmp_path / "hong.xlsx"
    bad.write_text("Họ và tên,Năm sinh\nA,1970\n", encoding="utf-8")
    ran = doithoai("check", bad)
    assert ran.code == 2
    assert ".xlsx" in ran.err and "Lưu" in ran.err
    ran = doithoai("check", bad, "--format", "json")
    assert ran.code == 2 and ran.json()["error"]


def test_check_missing_file_exits_2(tmp_path):
    ran = doithoai("check", tmp_path / "khong-co.xlsx")
    assert ran.code == 2
    assert "Không tìm thấy tệp" in ran.err


def test_check_on_a_folder_names_its_workbooks_and_points_to_watch(tmp_path, sample_copy):
    folder = sample_copy.parent
    for command in (["check"], ["run"], ["check", "--format", "json"]):
        ran = doithoai(*command, folder)
        assert ran.code == 2
        said = ran.json()["message"] if "json" in command else ran.err
        assert "là thư mục, không phải sổ Excel" in said
        assert sample_copy.name in said and f'doithoai watch "{folder}"' in said


def test_usage_errors_are_vietnamese(tmp_path):
    ran = doithoai("check", "--format", "xml", tmp_path / "a.xlsx")
    assert ran.code == 2
    assert "chọn một trong: text, json" in ran.err
    ran = doithoai("check")
    assert ran.code == 2 and "thiếu SỔ.xlsx" in ran.err
