"""Safe write-back: locks, changed files, no-op passes, backups, retries,
formulas and their cached values untouched, staff text that never becomes a
formula, and what an openpyxl round trip used to drop now kept byte for byte."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
import python_calamine
import xlsxwriter

from conftest import EXCEL_MADE

import toolkit.xlsx.atomic as atomic
import toolkit.xlsx.writeback as writeback
from toolkit.core import a1
from toolkit.xlsx import patch as xlsxpatch
from toolkit.xlsx.locks import lock_files
from toolkit.core.text import EXCEL_CELL_MAX
from toolkit.xlsx.writeback import backups, cleanup_temp_files, sha256_bytes, temp_files, write_back

NAME = "doi-thoai-2024.xlsx"


def make_workbook(path: Path, rows: int = 6) -> Path:
    """A small petitions workbook saved with cached formula values (as Excel does)."""
    wb = xlsxwriter.Workbook(str(path))
    date = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws = wb.add_worksheet("Kiến nghị")
    headers = ["Mã kiến nghị", "Ngày tiếp nhận", "Người kiến nghị", "Nội dung", "Số ngày", "Kiểm tra"]
    ws.write_row(0, 0, headers)
    for i in range(1, rows + 1):
        ws.write_string(i, 0, f"KN-2024-06-{i:03d}")
        ws.write_datetime(i, 1, dt.datetime(2024, 6, i), date)
        ws.write_string(i, 2, f"Nguyễn Văn {chr(64 + i)}")
        ws.write_string(i, 3, "Đường ngõ 12 bị sụt lún, đề nghị sửa chữa")
        ws.write_number(i, 4, i * 2)
    ws.data_validation(1, 4, rows, 4, {"validate": "integer", "criteria": ">=", "value": 0})
    ws.write_comment(1, 2, "Hộ nghèo")
    calc = wb.add_worksheet("Tính")
    calc.write_formula("A1", "=SUM('Kiến nghị'!E2:E7)", None, 42)
    calc.write_formula("A2", '="Tổng: "&A1', None, "Tổng: 42")
    calc.write_formula("A3", "=A1>10", None, True)
    calc.write_formula("A4", "=1/0", None, "#DIV/0!")
    calc.write_formula("A5", "=A1*2", None, 84)
    wb.close()
    return path


@pytest.fixture()
def book(tmp_path) -> Path:
    return make_workbook(tmp_path / NAME)


def writing(cells: dict[str, object], sheet: str = "Kiến nghị"):
    """An ``apply`` that writes ``{"F2": value}`` into ``sheet`` through the package patcher."""
    def apply(data: bytes) -> bytes | None:
        edit = xlsxpatch.StaffEdit(sheet, {a1.parse_cell(ref): xlsxpatch.Write(v) for ref, v in cells.items()})
        return xlsxpatch.patch(data, staff=[edit])
    return apply


def mark_checked(data: bytes) -> bytes | None:
    return writing({f"F{row}": "✓" for row in range(2, 8)})(data)


def digest(path: Path) -> str:
    return sha256_bytes(path.read_bytes())


def calamine(path: Path) -> dict[str, list]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


# --- locks ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lock, owner",
    [
        ("~$doi-thoai-2024.xlsx", "Excel"),
        ("~$i-thoai-2024.xlsx", "Excel"),  # Excel's truncated form for long names
        (".~lock.doi-thoai-2024.xlsx#", "LibreOffice"),
    ],
)
def test_lock_file_means_no_write(book, lock, owner):
    (book.parent / lock).write_bytes(b"owner")
    before = book.read_bytes()
    result = write_back(book, expected_sha256=sha256_bytes(before), apply=mark_checked)
    assert (result.written, result.reason_code) == (False, "locked")
    assert f"Sổ đang mở trong {owner} ({lock})" in result.reason
    assert "sẽ ghi khi đóng sổ" in result.reason
    assert book.read_bytes() == before
    assert result.sha256 == sha256_bytes(before)
    assert temp_files(book.parent) == [] and backups(book) == []


def test_lock_files_lists_only_this_workbooks_locks(tmp_path):
    path = tmp_path / NAME
    for other in ("~$khac.xlsx", ".~lock.khac.xlsx#", "~$oi-thoai-2024.xlsx.bak"):
        (tmp_path / other).write_bytes(b"")
    assert lock_files(path) == []
    (tmp_path / ".~lock.doi-thoai-2024.xlsx#").write_bytes(b"")
    (tmp_path / "~$doi-thoai-2024.xlsx").write_bytes(b"")
    assert sorted(p.name for p in lock_files(path)) == [".~lock.doi-thoai-2024.xlsx#", "~$doi-thoai-2024.xlsx"]


def test_lock_appearing_while_applying_means_no_write(book):
    before = book.read_bytes()

    def opened_meanwhile(data):
        (book.parent / f".~lock.{book.name}#").write_text("x")
        return mark_checked(data)

    result = write_back(book, expected_sha256=sha256_bytes(before), apply=opened_meanwhile)
    assert result.reason_code == "locked"
    assert book.read_bytes() == before
    assert temp_files(book.parent) == []


# --- changed files, no-ops, failures ----------------------------------------------


def test_file_changed_since_read_means_no_write(book):
    read = digest(book)
    make_workbook(book, rows=8)  # a clerk saved again meanwhile
    saved = book.read_bytes()
    result = write_back(book, expected_sha256=read, apply=mark_checked)
    assert (result.written, result.reason_code) == (False, "changed")
    assert "chưa ghi vào sổ" in result.reason
    assert book.read_bytes() == saved


def test_file_saved_while_applying_means_no_write(book):
    read = digest(book)

    def saved_meanwhile(data):
        make_workbook(book, rows=9)
        return mark_checked(data)

    result = write_back(book, expected_sha256=read, apply=saved_meanwhile)
    assert result.reason_code == "changed"
    assert len(calamine(book)["Kiến nghị"]) == 10  # the clerk's version, untouched
    assert temp_files(book.parent) == [] and backups(book) == []


def test_apply_returning_none_leaves_file_byte_identical(book):
    before = book.read_bytes()
    result = write_back(book, expected_sha256=sha256_bytes(before), apply=lambda data: None)
    assert (result.written, result.reason_code) == (False, "unchanged")
    assert book.read_bytes() == before
    assert backups(book) == [] and temp_files(book.parent) == []


def test_failing_apply_leaves_file_byte_identical(book):
    before = book.read_bytes()

    def broken(data):
        mark_checked(data)
        raise RuntimeError("bug in an applier")

    with pytest.raises(RuntimeError):
        write_back(book, expected_sha256=sha256_bytes(before), apply=broken)
    assert book.read_bytes() == before
    assert temp_files(book.parent) == [] and backups(book) == []


def test_data_must_be_the_bytes_that_were_hashed(book):
    with pytest.raises(ValueError):
        write_back(book, expected_sha256=digest(book), apply=mark_checked, data=b"other")


def test_apply_sees_the_bytes_that_were_hashed(book):
    data = book.read_bytes()
    seen = []
    result = write_back(
        book, expected_sha256=sha256_bytes(data), data=data,
        apply=lambda d: seen.append(sha256_bytes(d)) or mark_checked(d),
    )
    assert result.written and seen == [sha256_bytes(data)]


def test_write_keeps_staff_values_and_file_mode(book):
    os.chmod(book, 0o664)
    before = calamine(book)
    result = write_back(book, expected_sha256=digest(book), apply=mark_checked)
    assert result.written and result.sha256 == digest(book)
    after = calamine(book)
    assert [row[:5] for row in after["Kiến nghị"]] == [row[:5] for row in before["Kiến nghị"]]
    assert [row[5] for row in after["Kiến nghị"][1:]] == ["✓"] * 6
    wb = openpyxl.load_workbook(book)
    assert wb["Kiến nghị"]["C2"].comment.text.startswith("Hộ nghèo")
    assert len(wb["Kiến nghị"].data_validations.dataValidation) == 1
    if os.name != "nt":
        assert (book.stat().st_mode & 0o777) == 0o664


# --- backups and retries -------------------------------------------------------------


def test_backups_rotate_keeping_the_last_20(book):
    versions = []
    for i in range(23):
        versions.append(book.read_bytes())

        result = write_back(book, expected_sha256=digest(book), apply=writing({"F2": f"lượt {i}"}))
        assert result.written and result.backup.read_bytes() == versions[-1]
    kept = backups(book)
    assert len(kept) == 20
    assert [p.read_bytes() for p in kept] == versions[-20:]
    assert kept[0].parent == book.parent / "sao-luu" / book.stem


def test_replace_retried_on_permission_error(book, monkeypatch):
    real_replace = os.replace
    refusals = []

    def held_by_excel(src, dst):
        if Path(dst) == book and len(refusals) < 2:
            refusals.append(dst)
            raise PermissionError(13, "The process cannot access the file")
        return real_replace(src, dst)

    monkeypatch.setattr(writeback.os, "replace", held_by_excel)
    sleeps = []
    result = write_back(book, expected_sha256=digest(book), apply=mark_checked, sleep=sleeps.append)
    assert result.written
    assert len(refusals) == 2 and len(sleeps) == 2 and sleeps[1] > sleeps[0]
    assert temp_files(book.parent) == []


def test_replace_gives_up_after_attempts(book, monkeypatch):
    real_replace = os.replace

    def always_held(src, dst):
        if Path(dst) == book:
            raise PermissionError(13, "The process cannot access the file")
        return real_replace(src, dst)

    monkeypatch.setattr(writeback.os, "replace", always_held)
    before = book.read_bytes()
    sleeps = []
    result = write_back(book, expected_sha256=sha256_bytes(before), apply=mark_checked,
                        attempts=4, sleep=sleeps.append)
    assert (result.written, result.reason_code) == (False, "busy")
    assert "thử lại" in result.reason
    assert len(sleeps) == 3
    assert book.read_bytes() == before and temp_files(book.parent) == []


def test_temp_files_of_dead_runs_are_cleaned(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    pid = int(dead.stdout)
    host = atomic._host_tag()
    abandoned = tmp_path / f".~doithoai-{host}-{pid}-abc.tmp"
    mine = tmp_path / f".~doithoai-{host}-{os.getpid()}-def.tmp"
    abandoned.write_bytes(b"partial")
    mine.write_bytes(b"in progress")
    assert cleanup_temp_files(tmp_path) == [abandoned]
    assert temp_files(tmp_path) == [mine]


# --- formulas ----------------------------------------------------------------------------


def _part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read(name)


def test_formulas_and_their_cached_values_are_never_touched(book):
    before = calamine(book)
    assert before["Tính"] == [[42.0], ["Tổng: 42"], [True], [""], [84.0]]
    formulas = _part(book, "xl/worksheets/sheet2.xml")
    # a formula cell in a toolkit column is left as it is, too
    assert write_back(book, expected_sha256=digest(book),
                      apply=writing({"A1": "x", "A2": "y"}, sheet="Tính")) .reason_code == "unchanged"
    assert write_back(book, expected_sha256=digest(book), apply=mark_checked).written
    assert _part(book, "xl/worksheets/sheet2.xml") == formulas
    assert calamine(book)["Tính"] == before["Tính"]
    wb = openpyxl.load_workbook(book)
    assert [wb["Tính"][f"A{i}"].value for i in range(1, 6)] == [
        "=SUM('Kiến nghị'!E2:E7)", '="Tổng: "&A1', "=A1>10", "=1/0", "=A1*2",
    ]
    assert wb.calculation.fullCalcOnLoad is True      # Excel and LibreOffice recalculate on open
    assert write_back(book, expected_sha256=digest(book), apply=writing({"F3": "Lỗi"})).written
    assert calamine(book)["Tính"] == before["Tính"]


# --- staff text ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, exp",
    [
        ("=1+1", "=1+1"),
        ("+84912345678", "+84912345678"),
        ("-5 hộ", "-5 hộ"),
        ("@SUM(A1)", "@SUM(A1)"),
        ("=HYPERLINK(\"http://x\")", "=HYPERLINK(\"http://x\")"),
        ("Nguyễn\x07 Văn\x00 A", "Nguyễn Văn A"),
        ("<b>&amp;</b> _x0041_", "<b>&amp;</b> _x0041_"),
        ("a" * 40_000, "a" * EXCEL_CELL_MAX),
        ("dòng 1\ndòng 2", "dòng 1\ndòng 2"),
        ("  lề  ", "  lề  "),
    ],
)
def test_text_is_stored_as_text(book, value, exp):
    assert write_back(book, expected_sha256=digest(book), apply=writing({"F2": value})).written
    assert calamine(book)["Kiến nghị"][1][5] == exp
    wb = openpyxl.load_workbook(book)
    cell = wb["Kiến nghị"]["F2"]
    # Excel's escape keeps a literal _xHHHH_ (calamine and Excel undo it; openpyxl shows it raw)
    assert (cell.value.replace("_x005F_", "_"), cell.data_type) == (exp, "s")
    assert cell.quotePrefix == (exp[:1] in "=+-@")       # Excel's ' prefix: F2+Enter keeps it text
    # a later pass that changes something else keeps it text
    assert write_back(book, expected_sha256=digest(book), apply=writing({"F3": "x"})).written
    assert calamine(book)["Kiến nghị"][1][5] == exp


def test_numbers_dates_and_blanks_are_written_as_such(book):
    day = dt.date(2024, 6, 3)
    assert write_back(book, expected_sha256=digest(book),
                      apply=writing({"F2": 5, "F3": 2.5, "F4": day, "F5": True, "E2": None})).written
    ws = openpyxl.load_workbook(book)["Kiến nghị"]
    assert [ws[f"F{r}"].value for r in range(2, 6)] == [5, 2.5, dt.datetime(2024, 6, 3), True]
    assert ws["F4"].number_format == "dd/mm/yyyy"
    assert ws["E2"].value is None and ws["E3"].value == 4


# --- what an openpyxl round trip dropped is now written past, byte for byte ----------------


def _openpyxl_round_trip(data: bytes) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data), rich_text=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _all_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return b"".join(zf.read(n) for n in zf.namelist() if n.endswith((".xml", ".vml", ".rels")))


def _sparkline(ws, wb):
    ws.write_row(0, 0, [1, 2, 3])
    ws.add_sparkline("D1", {"range": "Sheet1!A1:C1"})


def _data_bar(ws, wb):
    ws.write_column(0, 0, [1, 2, 3])
    ws.conditional_format("A1:A3", {"type": "data_bar", "data_bar_2010": True})


def _textbox(ws, wb):
    ws.insert_textbox("B2", "Ghi chú của cán bộ")


def _button(ws, wb):
    ws.insert_button("B2", {"caption": "Bấm"})


def _dynamic_array(ws, wb):
    ws.write_column(0, 0, [3, 1, 2])
    ws.write_dynamic_array_formula("B1", "=SORT(A1:A3)")


def _header_image(ws, wb):
    image = EXCEL_MADE / "image01.xlsx"
    with zipfile.ZipFile(image) as zf:
        data = zf.read("xl/media/image1.png")
    ws.set_header("&L&G", {"image_left": "logo.png", "image_data_left": io.BytesIO(data)})


@pytest.mark.parametrize(
    "build, lost",
    [
        (_sparkline, b"sparklineGroup"),
        (_data_bar, b"x14:conditionalFormatting"),
        (_textbox, b"Ghi ch"),
        (_button, b'ObjectType="Button"'),
        (_dynamic_array, b"XLDAPR"),
        (_header_image, b"legacyDrawingHF"),
    ],
)
@pytest.mark.filterwarnings("ignore:.*is not supported and will be removed:UserWarning")   # openpyxl, on purpose
def test_what_openpyxl_dropped_is_kept(tmp_path, build, lost):
    path = tmp_path / NAME
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Kiến nghị")
    build(ws, wb)
    wb.close()
    data = path.read_bytes()
    assert lost in _all_xml(data)
    assert lost not in _all_xml(_openpyxl_round_trip(data))      # why the old write-back refused these
    result = write_back(path, expected_sha256=sha256_bytes(data), apply=writing({"J9": "✓"}))
    assert result.written, result.reason
    assert lost in _all_xml(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(path) as new:
        assert new.namelist()[:len(old.namelist())] == old.namelist()
        changed = [n for n in old.namelist() if old.read(n) != new.read(n)]
    assert set(changed) <= {"xl/worksheets/sheet1.xml", "xl/styles.xml", "xl/workbook.xml"}, changed
    assert openpyxl.load_workbook(path)["Kiến nghị"]["J9"].value == "✓"


@pytest.mark.parametrize("data", [b"", b"not a zip", b"\xd0\xcf\x11\xe0" + b"\0" * 100])
def test_not_a_workbook_is_refused(data):
    with pytest.raises(xlsxpatch.PatchRefused):
        xlsxpatch.patch(data, staff=[xlsxpatch.StaffEdit("Kiến nghị", {(1, 1): xlsxpatch.Write("x")})])


def test_shared_formulas_as_excel_writes_them_keep_their_values(tmp_path):
    # Excel stores a filled-down formula once (<f t="shared">); openpyxl expands it.
    path = tmp_path / NAME
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Kiến nghị")
    for i in range(5):
        ws.write_number(i, 0, i + 1)
        ws.write_formula(i, 1, f"=A{i + 1}*2", None, (i + 1) * 2)
    wb.close()
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    xml = xml.replace("<f>A1*2</f>", '<f t="shared" ref="B1:B5" si="0">A1*2</f>')
    for i in range(2, 6):
        xml = xml.replace(f"<f>A{i}*2</f>", '<f t="shared" si="0"/>')
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    before = calamine(path)["Kiến nghị"]
    assert [r[1] for r in before] == [2.0, 4.0, 6.0, 8.0, 10.0]

    result = write_back(path, expected_sha256=digest(path), apply=writing({"C1": "✓"}))
    assert result.written
    assert [r[:2] for r in calamine(path)["Kiến nghị"]] == before
    assert openpyxl.load_workbook(path)["Kiến nghị"]["B4"].value == "=A4*2"


def test_a_refused_patch_leaves_the_workbook_byte_identical_and_says_why(tmp_path):
    path = tmp_path / NAME
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Kiến nghị")
    ws.write_row(0, 0, ["Mã kiến nghị", "Nội dung", "Kiểm tra"])
    ws.merge_range("C2:C4", "gộp")           # a clerk merged cells of the Kiểm tra column
    summary = wb.add_worksheet("Tổng hợp")
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": "='Kiến nghị'!$A$2:$A$4"})
    summary.insert_chart("B2", chart)        # and put a chart on a sheet doithoai rewrites
    wb.close()
    before = path.read_bytes()

    def apply(data):
        return xlsxpatch.patch(data, staff=[xlsxpatch.StaffEdit("Kiến nghị", {(3, 3): xlsxpatch.Write("✓")})],
                               generated=[xlsxpatch.GeneratedSheet("Tổng hợp", [["Lĩnh vực"]])])

    result = write_back(path, expected_sha256=sha256_bytes(before), apply=apply)
    assert (result.written, result.reason_code) == (False, "unsupported")
    assert path.read_bytes() == before and temp_files(tmp_path) == [] and backups(path) == []
    assert "trang «Tổng hợp»" in result.reason and "sang trang khác" in result.reason
    assert "ô C3 trên trang «Kiến nghị»" in result.reason and "ô gộp" in result.reason    # both reasons at once
    assert "Chưa ghi được vào sổ (sổ giữ nguyên)" in result.reason
