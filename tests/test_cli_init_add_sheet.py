"""`doithoai init --add-sheet "Công việc" FILE`: the optional sheet added to a workbook in use,
by patching the package through the safe write-back — never a re-save."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
import python_calamine

from clirun import doithoai
from conftest import SAMPLE, need_path, soffice_convert
from packagecheck import WORKBOOK_PARTS, parts, rename_first_sheet, validate
from toolkit.pipeline import passes
from toolkit.core import schema
from toolkit.rules import tasks
from toolkit.xlsx import writeback, patch as xlsxpatch

CV = schema.CONG_VIEC


def _old_workbook(folder: Path) -> Path:
    """A workbook made before the sheet existed: the sample without Công việc (openpyxl, as init made it)."""
    need_path(SAMPLE, "the committed sample workbook")
    wb = openpyxl.load_workbook(SAMPLE)
    del wb[CV.name]
    path = folder / "doi-thoai-2024.xlsx"
    wb.save(path)
    return path


def _grid(path: Path, title: str) -> list[list]:
    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    try:
        return wb.get_sheet_by_name(title).to_python()
    finally:
        wb.close()


def _only_new_parts_and_workbook_parts_changed(old: bytes, new: bytes) -> set[str]:
    before, after = parts(old), parts(new)
    changed = {n for n in before if before[n] != after.get(n)}
    assert changed <= WORKBOOK_PARTS, sorted(changed - WORKBOOK_PARTS)
    with zipfile.ZipFile(io.BytesIO(old)) as a, zipfile.ZipFile(io.BytesIO(new)) as b:
        assert b.namelist()[:len(a.namelist())] == a.namelist(), "entry order changed"
    return set(after) - set(before)


def test_old_workbook_keeps_working_and_gets_the_sheet_safely(tmp_path):
    path = _old_workbook(tmp_path)
    old = path.read_bytes()
    before = passes.check(path, today=dt.date(2024, 12, 10))
    assert CV.key not in before.dataset.tables
    assert not [f for f in before.report if f.sheet == CV.name]        # optional: no "sheet missing"

    ran = doithoai("init", "--add-sheet", "Công việc", path)
    assert ran.code == 0, ran.text
    assert "Đã thêm sheet «Công việc»" in ran.out and "28 việc" in ran.out
    new = path.read_bytes()
    added = _only_new_parts_and_workbook_parts_changed(old, new)
    assert len(added) == 1 and added.pop().startswith("xl/worksheets/sheet")
    assert writeback.backups(path)[-1].read_bytes() == old             # the previous version is kept
    validate(path)

    grid = _grid(path, CV.name)
    assert grid[0] == [c.header for c in CV.columns]
    assert [r[0] for r in grid[1:]] == ["HN-2024-06"] * 14 + ["HN-2024-11"] * 14
    assert {r[2] for r in grid[1:]} >= {"Văn phòng - Thống kê", "Văn hóa - Thông tin", "Tài chính - Kế toán",
                                         "Công an phường", "MTTQ và các đoàn thể"}
    # Staff's other sheets read exactly as before.
    for sheet in (schema.DAI_BIEU, schema.KIEN_NGHI, schema.HOI_NGHI):
        assert _grid(path, sheet.name) == python_calamine.CalamineWorkbook.from_filelike(
            io.BytesIO(old)).get_sheet_by_name(sheet.name).to_python()

    # The next pass fills Ngày đến hạn and Kiểm tra there.
    result = passes.run(path, today=dt.date(2024, 6, 1), render=False)
    assert result.written, result.write_reason
    validate(path)
    dataset = passes.check(path, today=dt.date(2024, 6, 1)).dataset
    assert all(t.ngay_den_han for t in dataset.tasks)
    notice = next(t for t in dataset.tasks if tasks.kind(t.cong_viec) == tasks.ANNOUNCEMENT)
    assert notice.ngay_den_han == dt.date(2024, 6, 14)                 # 7 days before 21/06/2024


def test_added_sheet_has_dropdowns_and_date_columns(tmp_path):
    path = _old_workbook(tmp_path)
    assert doithoai("init", "--add-sheet", "cong viec", path).code == 0     # typed without diacritics
    ws = openpyxl.load_workbook(path)[CV.name]
    lists = {str(d.sqref): d.formula1 for d in ws.data_validations.dataValidation}
    assert lists == {"A2:A5000": "'Hội nghị'!$A$2:$A$500", "C2:C5000": "'Bộ phận'!$B$2:$B$500"}
    assert ws.freeze_panes == "A2"
    due = [c.value for c in ws[1]].index(CV.col("ngay_den_han")) + 1
    assert ws.column_dimensions[openpyxl.utils.get_column_letter(due)].number_format.lower().startswith("dd/mm")


@pytest.mark.parametrize("case, code, words", [
    ("exists", 2, "đã có sheet «Công việc»"),
    ("unknown", 2, "chỉ thêm được các sheet"),
    ("not-doithoai", 2, "không phải sổ đối thoại"),
])
def test_refusals_leave_the_workbook_byte_identical(tmp_path, excel_made_dir, case, code, words):
    if case == "exists":
        path = tmp_path / "so.xlsx"
        path.write_bytes(SAMPLE.read_bytes())
    else:
        path = _old_workbook(tmp_path) if case == "unknown" else tmp_path / "table01.xlsx"
        if case == "not-doithoai":
            path.write_bytes((excel_made_dir / "table01.xlsx").read_bytes())
    old = path.read_bytes()
    ran = doithoai("init", "--add-sheet", "Kế hoạch" if case == "unknown" else "Công việc", path)
    assert ran.code == code and words in ran.err, ran.text
    assert path.read_bytes() == old


@pytest.mark.parametrize("name", ["table01.xlsx", "comment01.xlsx", "data_validation01.xlsx", "image01.xlsx",
                                  "defined_name01.xlsx", "button07.xlsm"])
def test_excel_made_workbook_keeps_every_part_when_the_sheet_is_added(tmp_path, excel_made_dir, name):
    path = tmp_path / name
    path.write_bytes(rename_first_sheet((excel_made_dir / name).read_bytes(), "Hội nghị"))
    old = path.read_bytes()
    ran = doithoai("init", "--add-sheet", "Công việc", path)
    assert ran.code == 0, ran.text
    new = path.read_bytes()
    added = _only_new_parts_and_workbook_parts_changed(old, new)
    assert len(added) == 1
    validate(path)
    assert list(xlsxpatch.sheet_parts(new))[-1] == CV.name


@pytest.mark.libreoffice
@pytest.mark.slow
def test_libreoffice_reopens_an_excel_made_workbook_with_the_added_sheet(tmp_path, excel_made_dir):
    path = tmp_path / "table01.xlsx"
    path.write_bytes(rename_first_sheet((excel_made_dir / "table01.xlsx").read_bytes(), "Hội nghị"))
    assert doithoai("init", "--add-sheet", "Công việc", path).code == 0
    again = soffice_convert(path, tmp_path / "lo")
    grid = _grid(again, CV.name)
    assert grid[0][:4] == [c.header for c in CV.columns][:4]
    assert _grid(again, "Hội nghị") == _grid(path, "Hội nghị")      # Excel's table content survives


@pytest.mark.libreoffice
@pytest.mark.slow
def test_libreoffice_reopens_an_old_workbook_with_the_added_tasks(tmp_path):
    path = _old_workbook(tmp_path)
    assert doithoai("init", "--add-sheet", "Công việc", path).code == 0
    assert passes.run(path, today=dt.date(2024, 6, 1), render=False).written
    again = soffice_convert(path, tmp_path / "lo")
    grid = _grid(again, CV.name)
    assert len(grid) == 29
    due = grid[0].index(CV.col("ngay_den_han"))
    assert all(isinstance(r[due], (dt.date, dt.datetime)) for r in grid[1:])
    checked = passes.check(again, today=dt.date(2024, 6, 1))
    assert len(checked.dataset.tasks) == 28
    assert not [f for f in checked.report if f.sheet == CV.name and f.severity == "error"]


def test_add_sheet_is_not_combined_with_force_or_sample(tmp_path):
    path = _old_workbook(tmp_path)
    old = path.read_bytes()
    ran = doithoai("init", "--add-sheet", "Công việc", "--force", path)
    assert ran.code == 2 and "không dùng cùng --sample hay --force" in ran.err
    assert path.read_bytes() == old


def test_a_workbook_open_in_excel_is_left_alone_with_a_clear_message(tmp_path):
    path = _old_workbook(tmp_path)
    old = path.read_bytes()
    (tmp_path / f"~${path.name}").write_bytes(b"\x08Nguyen Van A")
    ran = doithoai("init", "--add-sheet", "Công việc", path)
    assert ran.code == 1 and "Chưa thêm được sheet «Công việc»" in ran.err and "Excel" in ran.err, ran.text
    assert path.read_bytes() == old
