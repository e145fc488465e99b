"""Bad inputs: no workbook a clerk can produce makes `check` or `run` crash, hang,
eat memory, lose data or answer in English.

Table-driven: each case builds its file in code (tests/badfiles.py), then runs
`doithoai check FILE` and `doithoai run FILE --format json` in a child process
(time- and memory-bounded). For every case:
- exit code 0, 1 or 2 (the expected one) and no traceback or Python error name;
- a Vietnamese message that says what to do (a key phrase per case);
- when the file could not be processed, the workbook is byte-identical;
  otherwise every staff value is still there (openpyxl, before vs after).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

import badfiles as B
from toolkit.core import schema

S = schema


@dataclass
class Case:
    name: str
    build: Callable[[Path], Path]
    rc: int                      # expected exit code of both check and run
    phrase: str                  # key Vietnamese phrase `check` must print
    run_phrase: str | None = None  # key phrase in `run`'s JSON (default: phrase when unreadable)
    written: bool | None = None    # run wrote into the workbook (None: not asserted)
    rows: tuple[int, int] | None = (5, 2)   # (delegates, petitions) run must read
    args: tuple[str, ...] = ()
    marks: tuple = ()
    extra: Callable[[Path, dict], None] | None = None

    @property
    def unreadable(self) -> bool:
        return self.rc == 2

    def param(self):
        return pytest.param(self, id=self.name, marks=list(self.marks))


READY = "Sổ đã sẵn sàng"
FIX = "Sửa các lỗi trên trong Excel rồi lưu lại"
SAVE_XLSX = "lưu lại dạng .xlsx"
UNSAFE = "Không xử lý tệp này"


def _output_unwritable(path: Path, result: dict) -> None:
    assert result["outputs"] == [] and result["output_errors"]
    assert "phần của đường dẫn là tệp" in result["output_errors"][0]


CASES = [
    # --- files that are not a usable .xlsx: exit 2, the file untouched
    Case("empty file", B.empty_file, 2, SAVE_XLSX),
    Case("not a zip", B.not_a_zip, 2, SAVE_XLSX),
    Case("truncated zip", B.truncated_zip, 2, "bị cắt cụt",
         marks=(pytest.mark.slow,)),   # check and run each wait out the read's backoff (3 s)
    Case("zip bomb", B.zip_bomb, 2, UNSAFE, marks=(pytest.mark.slow,)),
    Case("xml bomb", B.xml_bomb, 2, UNSAFE),
    Case("password protected", B.encrypted, 2, "bỏ mật khẩu"),
    Case("csv renamed .xlsx", B.csv_renamed, 2, "Lưu thành (Save As)"),
    Case("xls from LibreOffice", B.soffice_converted("xls"), 2, "Lưu thành .xlsx",
         marks=(pytest.mark.libreoffice, pytest.mark.slow)),
    Case("ods from LibreOffice", B.soffice_converted("ods"), 2, "Lưu thành .xlsx",
         marks=(pytest.mark.libreoffice, pytest.mark.slow)),
    Case("file does not exist", B.missing_file, 2, "Kiểm tra lại đường dẫn",
         marks=(pytest.mark.slow,)),   # its folder changed just now: a save may be in progress, so it waits
    # --- structure: findings, the rest still processed
    *[Case(f"missing sheet {sheet.name}", B.missing_sheet(sheet), 1, f"Thiếu sheet '{sheet.name}'",
           rows=(0 if sheet is S.DAI_BIEU else 5, 0 if sheet is S.KIEN_NGHI else 2))
      for sheet in S.DATA_SHEETS if sheet.required],
    Case("English headers", B.edited(B.english_headers), 1, "Không tìm thấy dòng tiêu đề trong sheet 'Đại biểu'",
         rows=(0, 2)),
    Case("misspelt headers", B.edited(B.misspelt_headers), 1, "thiếu cột bắt buộc 'Nội dung'", rows=None),
    Case("title row above the header", B.edited(B.title_row), 0, READY, written=True),
    Case("merged header cells", B.edited(B.merged_header), 0, READY, written=True),
    Case("duplicated headers", B.edited(B.duplicated_header), 1, "Xóa hoặc đổi tên một cột"),
    Case("formulas and error values", B.edited(B.formulas_and_errors), 1,
         "Sửa công thức hoặc nhập giá trị trực tiếp"),
    Case("dates as text", B.edited(B.dates_as_text), 1, "'31/02/2024' không phải ngày hợp lệ",
         rows=(5, len(B.TEXT_DATES))),
    Case("numbers stored as text", B.edited(B.numbers_as_text), 0, READY, written=True),
    Case("phones stored as numbers", B.edited(B.phones_as_numbers), 0, READY, written=True),
    Case("40,000-character cell", B.edited(B.long_cell), 0, "Rút gọn nội dung ô", written=True),
    Case("control characters", B.control_chars, 0, READY, written=True),
    Case("NFD text", B.edited(B.nfd_text), 0, READY, written=True),
    Case("TCVN3-garbled text", B.edited(B.tcvn3_text), 0, "Dùng Unikey chuyển mã sang Unicode"),
    Case("10,000 formatted empty rows", B.edited(B.formatted_empty_rows), 0, READY, written=True,
         marks=(pytest.mark.slow,)),
    Case("hidden rows and sheets", B.edited(B.hidden_rows_and_sheets), 0, READY, written=True),
    Case("sheet names with spaces around", B.edited(B.spaced_sheet_name), 0, READY, written=True),
    Case("cell at XFD1048576", B.edited(B.far_cell), 0, "Ctrl+End", written=True),
    Case("impossible settings in Cấu hình", B.edited(B.impossible_config), 1, "Sửa ô này trong sheet Cấu hình"),
    Case("Phân công with no rules", B.edited(B.empty_assignment), 0, "Thêm quy tắc hoặc chạy doithoai init"),
    Case("Phân công sheet blank", B.edited(B.blank_assignment_sheet), 1,
         "Dòng tiêu đề phải có các cột như 'Ưu tiên'"),
    # --- the workbook is open elsewhere / outputs cannot be written
    Case("open in Excel (~$ owner file)", B.excel_lock, 0, READY, "sẽ ghi khi đóng sổ", written=False),
    Case("open in LibreOffice (.~lock file)", B.libreoffice_lock, 0, READY, "sẽ ghi khi đóng sổ",
         written=False),
    Case("output folder under a file", B.output_parent_is_file, 0, READY, "chọn thư mục khác bằng --out",
         extra=_output_unwritable),
    Case("--out under a file", lambda d: B.write(d, B.base_bytes()), 0, READY, "chọn thư mục khác bằng --out",
         args=("--out", "ket-qua-la-tep/ra"), extra=_output_unwritable),
]

PY_ERROR = re.compile(r"Traceback|[A-Z][A-Za-z]+(Error|Exception)\b|Lỗi không mong đợi|File \"")


def _sha(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def _assert_clean_output(proc, what: str) -> str:
    out = proc.stdout + proc.stderr
    assert not PY_ERROR.search(out), f"{what}: a Python error leaked to staff:\n{out[:3000]}"
    assert proc.returncode in (0, 1, 2), f"{what}: exit code {proc.returncode}\n{out[:3000]}"
    return out


def test_enough_cases():
    assert len(CASES) >= 30
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", [c.param() for c in CASES])
def test_bad_input(case: Case, tmp_path):
    folder = tmp_path / "so"
    folder.mkdir()
    if case.name == "--out under a file":
        (folder / "ket-qua-la-tep").write_text("tệp thường, không phải thư mục")
    path = case.build(folder)
    sha_before = _sha(path)
    staff_before = None if case.unreadable else B.staff_values(path)

    # check: never writes, says what to do
    proc = B.run_cli("check", str(path), cwd=folder)
    out = _assert_clean_output(proc, "check")
    assert proc.returncode == case.rc, out[:3000]
    assert case.phrase in out, out[:3000]
    assert _sha(path) == sha_before, "check changed the workbook"

    # run: the same verdict, a JSON answer with Vietnamese reasons
    proc = B.run_cli("run", str(path), "--format", "json", *case.args, cwd=folder)
    out = _assert_clean_output(proc, "run")
    assert proc.returncode == case.rc, out[:3000]
    result = json.loads(proc.stdout)
    run_phrase = case.run_phrase or (case.phrase if case.unreadable else None)
    if run_phrase:
        assert run_phrase in out, out[:3000]
    if case.unreadable:
        assert set(result) == {"error", "message"}
        assert _sha(path) == sha_before, "an unreadable workbook was changed"
        return
    if case.rows is not None:
        assert (result["rows"]["dai_bieu"], result["rows"]["kien_nghi"]) == case.rows
    if case.written is not None:
        assert result["written"] is case.written, result["write_reason"]
    if not result["written"]:
        assert _sha(path) == sha_before, "a workbook not written to was changed"
        assert result["write_reason"]["message"], "no reason given for not writing"
    if case.extra:
        case.extra(path, result)
    staff_after = B.staff_values(path)
    lost = {k: v for k, v in staff_before.items() if staff_after.get(k) != v}
    assert not lost, f"staff values changed: {dict(list(lost.items())[:10])}"
