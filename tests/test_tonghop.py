"""tong-hop.xlsx: content compared with reviewed references (golden files).

The reference is tests/golden/tonghop/<name>.json: sheet names, every cell
value (dates as ISO text) and the charts of each sheet (type, direction,
grouping). Ignored noise, on purpose: docProps (creation time), styles,
column widths, chart positions and sizes. Regenerate after a reviewed
change with DOITHOAI_UPDATE_GOLDEN=1.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import uuid
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import need_program
from toolkit.outputs import summaries, summary_workbook
from test_summaries import TODAY, sample_dataset, sample_report, sample_summary

GOLDEN = Path(__file__).parent / "golden" / "tonghop"
IGNORED = ("docProps/core.xml (created/modified time)", "styles", "column widths", "chart anchors and sizes")


def extract(path: Path) -> dict:
    wb = openpyxl.load_workbook(path)
    out = {"sheets": [], "ignored": list(IGNORED)}
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is None:
                    continue
                v = c.value
                if isinstance(v, (dt.datetime, dt.date)):
                    v = v.date().isoformat() if isinstance(v, dt.datetime) else v.isoformat()
                cells[c.coordinate] = v
        charts = [{"type": ch.tagname, "dir": getattr(ch, "type", None), "grouping": getattr(ch, "grouping", None),
                   "series": len(ch.series)} for ch in ws._charts]
        out["sheets"].append({"name": ws.title, "cells": cells, "charts": charts,
                              "landscape": ws.page_setup.orientation == "landscape",
                              "paper": ws.page_setup.paperSize,
                              # fitToWidth absent means 1 in the file format
                              "fit_width": (ws.page_setup.fitToWidth or 1) if ws.sheet_properties.pageSetUpPr.fitToPage
                              else None})
    return out


def check_golden(name: str, got: dict) -> None:
    ref = GOLDEN / f"{name}.json"
    if os.environ.get("DOITHOAI_UPDATE_GOLDEN") == "1" or not ref.exists():
        if not os.environ.get("DOITHOAI_UPDATE_GOLDEN") and not ref.exists():
            pytest.fail(f"missing reference {ref}; run with DOITHOAI_UPDATE_GOLDEN=1 and review it")
        ref.parent.mkdir(parents=True, exist_ok=True)
        ref.write_text(json.dumps(got, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return
    exp = json.loads(ref.read_text(encoding="utf-8"))
    assert [s["name"] for s in got["sheets"]] == [s["name"] for s in exp["sheets"]]
    for g, e in zip(got["sheets"], exp["sheets"]):
        assert g["charts"] == e["charts"], g["name"]
        assert g["cells"] == e["cells"], g["name"]
        assert (g["landscape"], g["paper"], g["fit_width"]) == (e["landscape"], e["paper"], e["fit_width"])


@pytest.fixture
def workbook(tmp_path) -> Path:
    return summary_workbook.write_summary_workbook(sample_summary(), tmp_path / "tong-hop.xlsx")


def test_summary_workbook_matches_reviewed_reference(workbook):
    check_golden("full", extract(workbook))


def test_month_workbook_matches_reviewed_reference(tmp_path):
    s = summaries.month_summary(sample_dataset(), 2024, 7, today=TODAY, report=sample_report())
    check_golden("month", extract(summary_workbook.write_summary_workbook(s, tmp_path / "thang.xlsx")))


def test_sheets_and_charts_staff_expect(workbook):
    got = extract(workbook)
    assert [s["name"] for s in got["sheets"]] == ["Tổng quan", "Theo lĩnh vực", "Theo bộ phận", "Theo tổ dân phố",
                                                  "Quá hạn", "Đại biểu theo tổ", "Tham dự", "Lỗi nhập liệu"]
    charts = {s["name"]: [(c["type"], c["dir"]) for c in s["charts"]] for s in got["sheets"]}
    assert charts["Tổng quan"] == [("pieChart", None)]
    assert charts["Theo lĩnh vực"] == [("barChart", "bar")]
    assert charts["Theo tổ dân phố"] == [("barChart", "col")]
    assert all(s["landscape"] and s["paper"] == 9 and s["fit_width"] == 1 for s in got["sheets"])


def test_typed_text_starting_with_formula_characters_stays_text(workbook):
    wb = openpyxl.load_workbook(workbook)
    seen = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{ws.title}!{c.coordinate} became a formula"
                if isinstance(c.value, str) and c.value[:1] in "=+-@":
                    seen[c.value] = c.data_type
    assert seen == {"=SUM(A1:A2) rác thải ngõ 5": "s", "+84 hộ nghèo": "s"}
    with zipfile.ZipFile(workbook) as z:
        assert not any("<f>" in z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/"))


def test_write_is_atomic_and_leaves_no_temp_files(tmp_path):
    target = tmp_path / "out" / "tong-hop.xlsx"
    target.parent.mkdir()
    target.write_bytes(b"old")
    summary_workbook.write_summary_workbook(sample_summary(), target)
    assert zipfile.is_zipfile(target)
    assert [p.name for p in target.parent.iterdir()] == ["tong-hop.xlsx"]


@pytest.mark.libreoffice
@pytest.mark.slow
def test_opens_in_libreoffice_without_repair(workbook, tmp_path):
    soffice = need_program("soffice")
    profile = tmp_path / f"lo-{uuid.uuid4().hex}"
    proc = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(workbook)],
        capture_output=True, text=True, timeout=180)
    pdf = tmp_path / "tong-hop.pdf"
    assert pdf.exists(), proc.stdout + proc.stderr
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Tổng quan" in text and "Kiến nghị theo lĩnh vực" in text
    assert "=SUM(A1:A2) rác thải ngõ 5" in text


def test_a_long_open_list_is_left_to_the_register(tmp_path):
    """Issue 26: a register thousands of petitions behind does not rewrite them all into tong-hop.xlsx at every
    save; the workbook names the longest overdue and says where the full list is (Theo dõi xử lý)."""
    limit = summary_workbook.LISTED_OPEN
    s = sample_summary()
    typed = [[f"KN-2024-01-{i:04d}", "HN-2024-06", "Người dân", f"Nội dung {i}", "Văn hóa - Xã hội",
              dt.date(2024, 1, 1) + dt.timedelta(days=i), i - 150, f"Quá hạn {150 - i} ngày"] for i in range(130)]
    s.open_petitions = summaries.Table("Kiến nghị đang xử lý và quá hạn", s.open_petitions.headers, typed,
                                       "Số ngày dương là số ngày còn lại.", None, s.open_petitions.kinds,
                                       "open_petitions")
    book = summary_workbook.write_summary_workbook(s, tmp_path / "tong-hop.xlsx")
    ws = openpyxl.load_workbook(book)["Quá hạn"]
    column_a = [c.value for c in ws["A"] if c.value is not None]
    exp_codes = [f"KN-2024-01-{i:04d}" for i in range(limit)]
    got_codes = [v for v in column_a if str(v).startswith("KN-2024-01-")]
    assert got_codes == exp_codes
    assert f"{limit} kiến nghị quá hạn lâu nhất" in column_a
    note = next(v for v in column_a if "Danh sách đầy đủ" in str(v))
    assert "130 kiến nghị đang xử lý (130 quá hạn)" in note and "“Theo dõi xử lý”" in note
    # the people's names stay out, as in the list before (privacy kind "tonghop")
    assert not any("Người dân" == c.value for row in ws.iter_rows() for c in row)


def test_a_short_open_list_is_listed_whole(workbook):
    ws = openpyxl.load_workbook(workbook)["Quá hạn"]
    exp = [r[0] for r in sample_summary().open_petitions.rows]
    assert [c.value for c in ws["A"] if str(c.value).startswith("KN-")] == exp
    assert not any("Danh sách đầy đủ" in str(c.value) for c in ws["A"])
