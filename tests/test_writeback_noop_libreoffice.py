"""Opening the register in LibreOffice and saving it with no edit must not make a pass write.

Issue 11, point 3 ("No needless write"). The clerk's workbook has been through a
pass (nothing pending: a second pass says "unchanged"). The clerk opens it in
LibreOffice Calc (a real window under Xvfb, driven through UNO), presses Save
(.xlsx kept) without touching anything, and closes it. The next pass must leave
the file byte for byte as LibreOffice saved it.

What LibreOffice 7.4 changes on such a save, as the toolkit sees it (found
with this test's workbook, the committed sample):
- numbers are written with at most 15 significant digits: the attendance rate
  0.9491525423728814 in Tổng hợp (Tham dự theo thành phần, "Tỷ lệ có mặt")
  comes back as 0.949152542372881;
- the very hidden ``_doithoai`` sheet comes back merely hidden
  (``state="hidden"``; LibreOffice has no "very hidden").
Neither is a change staff made; neither may cause a write.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from test_writeback_decorated import TODAY, LibreOffice
from conftest import SAMPLE
from toolkit.pipeline import passes

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_libreoffice_save_without_edit_then_pass_leaves_file_untouched(tmp_path):
    if not SAMPLE.exists():
        pytest.skip("sample workbook not generated yet")
    book = Path(shutil.copy2(SAMPLE, tmp_path / "so.xlsx"))
    first = passes.run(book, today=TODAY, render=False)
    assert first.written, first.write_reason
    settled = passes.run(book, today=TODAY, render=False)
    assert (settled.written, settled.write_reason_code) == (False, "unchanged")  # nothing pending

    with LibreOffice() as lo:
        lo.open(book)
        lo.call("store")    # Ctrl+S, "Keep current format": still .xlsx, no edit at all
        lo.call("close")
    assert not any(tmp_path.glob(".~lock.*"))
    saved = _sha(book)

    result = passes.run(book, today=TODAY, render=False)
    assert (result.written, result.write_reason_code) == (False, "unchanged"), \
        f"a LibreOffice save with no edit made the pass write ({result.write_reason_code}: {result.write_reason})"
    assert _sha(book) == saved
