"""Real LibreOffice: a workbook it re-saves gives the same findings; its .xls/.ods are refused clearly."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import soffice_convert
from test_reading import TODAY, mutate, valid_rows, write_workbook
from toolkit.pipeline import loading
from toolkit.core.errors import WorkbookUnreadable

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]


def _findings(path):
    loaded = loading.load(path, today=TODAY)
    return sorted((f.code, f.sheet, f.row, f.column, str(f.value)) for f in loaded.report)


def _init_workbook(path):
    create = pytest.importorskip("toolkit.starter.create")
    try:
        create.create_workbook(path, sample=True)
    except ImportError:     # the sample data module may not exist yet: the blank workbook still counts
        if path.exists():
            path.unlink()
        create.create_workbook(path)
    return path


def test_init_workbook_converted_by_libreoffice_gives_same_findings(tmp_path):
    (tmp_path / "src").mkdir()
    src = _init_workbook(tmp_path / "src" / "doi-thoai.xlsx")
    before = _findings(src)
    after = _findings(soffice_convert(src, tmp_path / "lo"))
    assert after == before


def test_workbook_with_mistakes_converted_by_libreoffice_gives_same_findings(tmp_path):
    rows = mutate(valid_rows(), "kien_nghi", 0, ngay_tiep_nhan="31/02/2024", linh_vuc="Môi trường")
    rows = mutate(rows, "dai_bieu", 1, dien_thoai="09123", nam_sinh=2015, to_dan_pho=None)
    rows = mutate(rows, "hoi_nghi", 0, ngay_thong_bao=dt.date(2024, 6, 18))
    rows["kien_nghi"][1]["ngay_tra_loi"] = "=DATE(2024,6,25)"     # openpyxl: no cached value; LibreOffice computes one
    (tmp_path / "src").mkdir()
    src = write_workbook(tmp_path / "src" / "loi.xlsx", rows, header_row=3, start_col=2)
    before = _findings(src)
    assert len(before) >= 6
    after = _findings(soffice_convert(src, tmp_path / "lo"))
    assert after == before


@pytest.mark.parametrize("fmt, exp_value", [("xls", ".xls"), ("ods", ".ods")])
def test_old_formats_saved_by_libreoffice_are_refused_with_advice(tmp_path, fmt, exp_value):
    (tmp_path / "src").mkdir()
    src = write_workbook(tmp_path / "src" / "so.xlsx")
    old = soffice_convert(src, tmp_path / "lo", fmt)
    renamed = old.with_name("so-cu.xlsx")      # staff often just rename the file
    renamed.write_bytes(old.read_bytes())
    for path in (old, renamed):
        with pytest.raises(WorkbookUnreadable) as err:
            loading.load(path)
        assert err.value.finding.code == "file-old-format"
        assert exp_value in err.value.message and "Lưu thành .xlsx" in err.value.message
