"""The roll-up's lighter read of a register is the ward's own reading (DESIGN.md §10, §12).

The roll-up keeps only the Kiến nghị columns a figure uses (``reading.read_tables(keep=...)``,
``rollup.ward.USED``): the other columns are read only to know whether a row is filled. Here the
light read is compared with the ward pass's full read of the same bytes, on the committed sample
register, on a register saved by real LibreOffice, on the Excel-made fixtures and on a register
whose rows hold only columns the roll-up does not use: the same rows (Excel row numbers), the same
used values, the same typed petitions.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest

from conftest import EXCEL_MADE, soffice_convert
from toolkit.core import records, schema
from toolkit.rollup import ward
from toolkit.starter.province import make_ward
from toolkit.xlsx import reading

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "workbooks" / "mau" / "doi-thoai-2024.xlsx"
KN = schema.KIEN_NGHI
TODAY = dt.date(2025, 12, 1)


def _both(data: bytes):
    """(full read, light read) of ``data``: the ward pass's tables and the roll-up's."""
    full = reading.read_tables(data, sheets=ward.SHEETS, ahead=False)
    light = reading.read_tables(data, sheets=ward.SHEETS, ahead=False, keep={KN.key: frozenset(ward.USED)})
    return full, light


def _used(table) -> list[tuple]:
    return [(r.row, tuple(r.values.get(k) for k in ward.USED), tuple(sorted(r.unknown & set(ward.USED))))
            for r in table.rows]


def _petitions(tables, names) -> list[tuple]:
    ward._only_used_columns(tables[KN.key])
    dataset, cell_findings = records.build(tables, names)
    got = [(p.row, p.ma, p.hoi_nghi, p.ngay_tiep_nhan, p.linh_vuc, p.chu_tri, p.han, p.trang_thai, p.ngay_tra_loi)
           for p in dataset.petitions]
    return got, sorted((f.code, f.row, f.column) for f in cell_findings if f.sheet == KN.name)


def assert_same_reading(data: bytes) -> int:
    (full, names, found_full), (light, names_light, found_light) = _both(data)
    assert names_light == names
    assert sorted(light) == sorted(full)
    assert [(f.code, f.sheet, f.row) for f in found_light] == [(f.code, f.sheet, f.row) for f in found_full]
    for key in full:
        exp, got = full[key], light[key]
        assert [r.row for r in got.rows] == [r.row for r in exp.rows], key
        assert got.toolkit_only_rows == exp.toolkit_only_rows, key
        if key != KN.key:
            assert [r.values for r in got.rows] == [r.values for r in exp.rows], key
    if KN.key not in full:
        return 0
    assert _used(light[KN.key]) == _used(full[KN.key])
    assert _petitions(light, names) == _petitions(full, names)
    return len(full[KN.key].rows)


def test_the_sample_register_reads_the_same():
    assert assert_same_reading(SAMPLE.read_bytes()) > 0


def test_a_generated_ward_reads_the_same(tmp_path):
    make_ward(tmp_path / "phuong.xlsx", 3, TODAY)
    assert assert_same_reading((tmp_path / "phuong.xlsx").read_bytes()) > 0


def test_rows_holding_only_columns_the_rollup_does_not_use_still_count(tmp_path):
    """A row with only a citizen's name, or only Nội dung, is a petition row in both readings; a row
    of spaces alone is none."""
    path = tmp_path / "so.xlsx"
    shutil.copyfile(SAMPLE, path)
    wb = openpyxl.load_workbook(path)
    ws = wb[KN.name]
    header = next(r for r in range(1, 16) if any(c.value == KN.col("ma") for c in ws[r]))
    col = {c.value: c.column for c in ws[header] if c.value}
    last = ws.max_row
    ws.cell(last + 1, col[KN.col("nguoi_kien_nghi")], "Nguyễn Văn Thử")
    ws.cell(last + 2, col[KN.col("noi_dung")], "Chỉ có nội dung, chưa ghi gì khác")
    ws.cell(last + 3, col[KN.col("nguoi_kien_nghi")], "   ")
    wb.save(path)
    (full, _n, _f), (light, _n2, _f2) = _both(path.read_bytes())
    rows = [r.row for r in light[KN.key].rows]
    assert last + 1 in rows and last + 2 in rows and last + 3 not in rows
    assert assert_same_reading(path.read_bytes()) == len(rows)


@pytest.mark.parametrize("name", sorted(p.name for p in EXCEL_MADE.glob("*.xls*")))
def test_excel_made_files_read_the_same(name):
    assert_same_reading((EXCEL_MADE / name).read_bytes())


@pytest.mark.libreoffice
@pytest.mark.slow
def test_a_register_saved_by_libreoffice_reads_the_same(tmp_path):
    saved = soffice_convert(SAMPLE, tmp_path / "lo")
    assert saved.read_bytes() != SAMPLE.read_bytes()
    assert assert_same_reading(saved.read_bytes()) > 0
