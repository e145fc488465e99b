"""The mass-deletion guard: a save that removes many rows is flagged everywhere staff look,
and the version before it is kept in sao-luu for good."""

from __future__ import annotations

import openpyxl
import pytest

from toolkit.journal import record as journaling

from toolkit.pipeline import passes

from toolkit.starter import sample

from toolkit.core import schema

from toolkit.xlsx import writeback

TODAY = sample.SAMPLE_TODAY
KN, DB = schema.KIEN_NGHI, schema.DAI_BIEU


@pytest.mark.parametrize("deleted, before, most, share, exp", [
    (0, 80, 20, 20, False),
    (21, 1000, 20, 20, True),     # more than the number
    (20, 1000, 20, 20, False),
    (17, 80, 20, 20, True),       # 21% of the rows
    (16, 80, 20, 20, False),      # 20%: not more than the share
    (2, 5, 20, 20, False),        # a share needs at least 3 rows
    (3, 5, 20, 20, True),
])
def test_threshold(deleted, before, most, share, exp):
    assert journaling.is_mass_deletion(deleted, before, most=most, share=share) is exp


def delete_petitions(path, first: int, count: int, config: dict | None = None) -> None:
    wb = openpyxl.load_workbook(path)
    wb[KN.name].delete_rows(first, count)
    if config:
        ws = wb[schema.CAU_HINH.name]
        rows = {row[0].value: row for row in ws.iter_rows(min_row=2) if row and row[0].value}
        for label, value in config.items():
            if label in rows:          # the item is already in Cấu hình: change its value, as a clerk would
                rows[label][1].value = value
            else:
                ws.append([label, value])
    wb.save(path)


def test_forty_rows_deleted_are_flagged_and_the_version_before_is_pinned(watched):
    path, out = watched
    before = writeback.backups(path)
    assert before, "the first pass backed up the version it saw"
    delete_petitions(path, 2, 40)
    result = passes.run(path, out_dir=out, today=TODAY)

    # console
    line = result.line()
    assert "CẢNH BÁO" in line and "đã xóa 40 trong 80 dòng ở sheet 'Kiến nghị'" in line, line
    # the finding: in the report, in Lỗi nhập liệu, on the dashboard
    found = [f for f in result.report if f.code == "mass-deletion"]
    assert len(found) == 1 and found[0].sheet == KN.name
    pinned = found[0].value
    assert pinned.endswith("-giu-lai.xlsx")
    assert result.written
    ws = openpyxl.load_workbook(path)[schema.LOI_NHAP.name]
    assert any("đã xóa 40 dòng" in str(c.value) for row in ws.iter_rows() for c in row if c.value)
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "đã xóa 40 dòng" in html and pinned in html

    # the pinned backup holds all 80 petitions and is never rotated away
    folder = writeback.backup_folder(path)
    kept = folder / pinned
    assert kept.exists()
    assert openpyxl.load_workbook(kept)[KN.name].max_row >= 81
    for _ in range(25):
        writeback.keep_copy(path, path.read_bytes(), keep=20)
    assert kept.exists() and len(writeback.backups(path)) == 20


def test_the_warning_stays_for_later_passes(watched):
    path, out = watched
    delete_petitions(path, 2, 40)
    passes.run(path, out_dir=out, today=TODAY)
    wb = openpyxl.load_workbook(path)
    wb[KN.name].cell(2, 15).value = "ghi chú mới"
    wb.save(path)
    again = passes.run(path, out_dir=out, today=TODAY)
    assert [f.code for f in again.report if f.code == "mass-deletion"] == ["mass-deletion"]
    assert "CẢNH BÁO" not in again.line()   # said loudly once, listed in Lỗi nhập liệu for a week


def test_limits_come_from_cau_hinh(watched):
    path, out = watched
    labels = {k: schema.CONFIG_BY_KEY[k].label for k in ("xoa_nhieu_so_dong", "xoa_nhieu_ty_le")}
    delete_petitions(path, 2, 10, config={labels["xoa_nhieu_so_dong"]: 5, labels["xoa_nhieu_ty_le"]: 90})
    result = passes.run(path, out_dir=out, today=TODAY)
    assert [f.extra["count"] for f in result.report if f.code == "mass-deletion"] == [10]


def test_a_small_deletion_is_not_flagged(watched):
    path, out = watched
    delete_petitions(path, 2, 3)
    result = passes.run(path, out_dir=out, today=TODAY)
    assert not [f for f in result.report if f.code == "mass-deletion"]
    assert "CẢNH BÁO" not in result.line()


def test_delegates_are_guarded_too(watched):
    path, out = watched
    wb = openpyxl.load_workbook(path)
    wb[DB.name].delete_rows(2, 60)
    wb.save(path)
    result = passes.run(path, out_dir=out, today=TODAY)
    found = [(f.sheet, f.extra["count"]) for f in result.report if f.code == "mass-deletion"]
    assert found == [(DB.name, 60)]
    assert "ở sheet 'Đại biểu'" in result.line()
