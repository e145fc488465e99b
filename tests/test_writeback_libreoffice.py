"""A workbook saved by real LibreOffice goes through a write-back and back
through LibreOffice with every value intact."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import uuid
from pathlib import Path

import openpyxl
import pytest
import python_calamine
import xlsxwriter

from packagecheck import owned_changes_only, validate
from conftest import need_program
from toolkit.xlsx import patch as xlsxpatch
from toolkit.xlsx.writeback import sha256_bytes, temp_files, write_back

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.slow,
]


@pytest.fixture(autouse=True)
def _libreoffice():
    need_program("soffice")


def soffice_convert(source: Path, outdir: Path, tmp_path: Path) -> Path:
    """Open ``source`` in headless LibreOffice and save it as .xlsx into ``outdir``."""
    profile = tmp_path / f"lo-profile-{uuid.uuid4().hex}"
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = [
        "soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
        "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(outdir), str(source),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    result = outdir / (source.stem + ".xlsx")
    assert result.exists(), (out, err)
    return result


def calamine(path: Path) -> dict[str, list]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def make_source(path: Path) -> None:
    wb = xlsxwriter.Workbook(str(path))
    date = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws = wb.add_worksheet("Kiến nghị")
    ws.write_row(0, 0, ["Mã kiến nghị", "Ngày tiếp nhận", "Người kiến nghị", "Nội dung", "Số hộ", "Kiểm tra"])
    people = ["Nguyễn Văn Ánh", "Trần Thị Hoà", "Lê Đức Thọ", "Phạm Thuỳ Dương"]
    for i, name in enumerate(people, start=1):
        ws.write_string(i, 0, f"KN-2024-06-{i:03d}")
        ws.write_datetime(i, 1, dt.datetime(2024, 6, 3 + i), date)
        ws.write_string(i, 2, name)
        ws.write_string(i, 3, "=Đề nghị nạo vét cống" if i == 4 else "Ngõ 5 ngập úng khi mưa lớn")
        ws.write_number(i, 4, i * 10)
    ws.data_validation(1, 4, 4, 4, {"validate": "integer", "criteria": ">=", "value": 0})
    calc = wb.add_worksheet("Thống kê")
    calc.write_formula("A1", "=SUM('Kiến nghị'!E2:E5)", None, 100)
    calc.write_formula("A2", "=COUNTA('Kiến nghị'!A2:A5)&\" kiến nghị\"", None, "4 kiến nghị")
    wb.close()


def test_libreoffice_saved_workbook_round_trips(tmp_path):
    source = tmp_path / "nguon" / "doi-thoai-2024.xlsx"
    source.parent.mkdir()
    make_source(source)
    book = soffice_convert(source, tmp_path / "so", tmp_path)  # saved by LibreOffice
    data = book.read_bytes()
    before = calamine(book)
    assert before["Thống kê"] == [[100.0], ["4 kiến nghị"]]

    def apply(data):
        checks = xlsxpatch.StaffEdit("Kiến nghị", {(row, 6): xlsxpatch.Write("✓") for row in range(2, 6)})
        summary = xlsxpatch.GeneratedSheet("Tổng hợp", [["Tổng số kiến nghị", 4],
                                                         ["=SUM(A1:A9)"]])   # staff-derived text, must stay text
        return xlsxpatch.patch(data, staff=[checks], generated=[summary])

    result = write_back(book, expected_sha256=sha256_bytes(data), data=data, apply=apply)
    assert result.written, result.reason
    assert temp_files(book.parent) == []
    owned_changes_only(data, book.read_bytes(), patched={"Kiến nghị": {f"F{r}" for r in range(2, 6)}},
                       generated={"Tổng hợp"})
    validate(book)
    written = calamine(book)
    assert [r[:5] for r in written["Kiến nghị"]] == [r[:5] for r in before["Kiến nghị"]]
    assert written["Thống kê"] == before["Thống kê"]  # next pass reads the formulas right

    again = soffice_convert(book, tmp_path / "lai", tmp_path)  # opened and saved by LibreOffice
    after = calamine(again)
    assert [r[:5] for r in after["Kiến nghị"]] == [r[:5] for r in before["Kiến nghị"]]
    assert [r[5] for r in after["Kiến nghị"][1:]] == ["✓"] * 4
    assert after["Thống kê"] == [[100.0], ["4 kiến nghị"]]
    assert after["Tổng hợp"] == [["Tổng số kiến nghị", 4.0], ["=SUM(A1:A9)", ""]]
    wb = openpyxl.load_workbook(again)
    assert wb["Thống kê"]["A1"].value == "=SUM('Kiến nghị'!E2:E5)"
    assert wb["Kiến nghị"]["D5"].value == "=Đề nghị nạo vét cống"
    assert wb["Kiến nghị"]["D5"].data_type == "s"
    assert len(wb["Kiến nghị"].data_validations.dataValidation) == 1
    assert wb["Kiến nghị"]["B2"].number_format.lower().startswith("dd/mm/yy")
