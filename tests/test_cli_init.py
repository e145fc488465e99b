from __future__ import annotations

import openpyxl

from clirun import doithoai
from toolkit.core import schema


def test_init_creates_workbook_with_every_sheet(tmp_path):
    target = tmp_path / "doi-thoai-2025.xlsx"
    ran = doithoai("init", target)
    assert ran.code == 0
    assert "Đã tạo sổ" in ran.out
    names = openpyxl.load_workbook(target, read_only=True).sheetnames
    for sheet in schema.DATA_SHEETS:
        assert sheet.name in names


def test_init_refuses_to_overwrite_and_says_how(tmp_path):
    target = tmp_path / "so.xlsx"
    target.write_bytes(b"staff data")
    ran = doithoai("init", target)
    assert ran.code == 2
    assert "--force" in ran.err
    assert target.read_bytes() == b"staff data"
    assert doithoai("init", target, "--force").code == 0


def test_init_sample_regenerates_the_committed_sample(tmp_path):
    from conftest import SAMPLE

    target = tmp_path / SAMPLE.name
    assert doithoai("init", target, "--sample").code == 0

    def values(path):
        wb = openpyxl.load_workbook(path)
        return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}

    assert values(target) == values(SAMPLE)
