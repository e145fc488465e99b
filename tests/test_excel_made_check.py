"""Workbooks saved by real Microsoft Excel: clear structural findings, never a crash."""

from __future__ import annotations

import shutil

import pytest

from toolkit.pipeline import loading

from toolkit.core import schema

from conftest import EXCEL_MADE as FIXTURES
from packagecheck import rename_first_sheet

FILES = sorted(p for p in FIXTURES.glob("*.xls*"))


def test_fixtures_are_there():
    assert FILES


@pytest.mark.parametrize("src", FILES, ids=[p.name for p in FILES])
def test_excel_made_workbook_gives_sheet_missing_for_every_data_sheet(tmp_path, src):
    path = tmp_path / src.name
    shutil.copyfile(src, path)
    loaded = loading.load(path)
    got = sorted((f.code, f.sheet) for f in loaded.report)
    exp = sorted(("sheet-missing", s.name) for s in schema.DATA_SHEETS if s.required)
    assert got == exp
    assert all("Thiếu sheet" in f.message and "doithoai init" in f.message for f in loaded.report)


@pytest.mark.parametrize("src", FILES, ids=[p.name for p in FILES])
def test_excel_made_sheet_named_like_a_data_sheet_is_read_without_crash(tmp_path, src):
    """Excel's own sheet XML (shared strings, rich text, drawings...) read as 'Kiến nghị'."""
    path = tmp_path / src.name
    path.write_bytes(rename_first_sheet(src.read_bytes(), schema.KIEN_NGHI.name))
    loaded = loading.load(path)
    kn = [f for f in loaded.report if f.sheet == schema.KIEN_NGHI.name]
    assert kn, "the Excel content has no petition header: a structural finding is expected"
    assert {f.code for f in kn} <= {"header-not-found", "column-missing"}
    others = {f.sheet for f in loaded.report if f.code == "sheet-missing"}
    assert others == {s.name for s in schema.DATA_SHEETS if s.required} - {schema.KIEN_NGHI.name}


def test_xlsm_with_button_and_vba_is_read(tmp_path):
    src = FIXTURES / "button07.xlsm"
    path = tmp_path / "nut bam.xlsm"
    shutil.copyfile(src, path)
    loaded = loading.load(path)
    assert loaded.dataset.sheet_names == ["Sheet1"]
    assert loaded.report.codes().count("sheet-missing") == len([s for s in schema.DATA_SHEETS if s.required])
