"""The watcher reacts to a department saving its own file (issue 14, point 2): the register's pass
runs, the answer reaches the register, and the pass's own writes of department files start no pass."""

from __future__ import annotations

import time

import pytest

from test_replies import TODAY, answers, register_row, register_rows, type_answer
from test_reading import write_workbook
from test_watch_real import QUIET, CountingPass, Lines, real_watcher, wait_until
from toolkit.outputs import department_files

pytestmark = pytest.mark.slow


def test_a_department_save_runs_the_register_pass_and_own_writes_do_not(tmp_path):
    folder = tmp_path / "so"
    folder.mkdir()
    register = write_workbook(folder / "doi-thoai-2024.xlsx", register_rows())
    dc = department_files.file_for(register, "DC")
    passes, log = CountingPass(today=TODAY), Lines()
    with real_watcher(folder, passes, log):
        assert wait_until(lambda: dc.exists() and passes.of(register.name), 60)
        time.sleep(QUIET)
        settled = len(passes.starts_of(register.name))
        time.sleep(QUIET)
        assert len(passes.starts_of(register.name)) == settled          # no pass from its own writes
        type_answer(dc, "KN-2024-06-001", **answers())                   # the department saves
        assert wait_until(lambda: _status(register) == "Đã trả lời bằng văn bản", 60), log.lines
        time.sleep(QUIET)
        after = len(passes.starts_of(register.name))
        time.sleep(QUIET)
        assert len(passes.starts_of(register.name)) == after
    assert any("DC.xlsx" not in line and "Tạo 2 tệp trả lời" in line for line in log.lines)


def _status(register):
    try:
        return register_row(register, "KN-2024-06-001")["Trạng thái"]
    except Exception:   # noqa: BLE001 - mid-save: the next poll reads it
        return None
