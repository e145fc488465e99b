"""A pass killed (SIGKILL) at random moments while it merges department answers and refreshes the
department files (issue 14, point 6) damages neither the register nor a department file, loses
nothing a department typed, and the next pass puts the register right."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import openpyxl
import pytest

from test_pass import staff_values
from test_replies import TODAY, answers, register, register_row, type_answer  # noqa: F401 - fixture
from toolkit.pipeline import loading, passes
from toolkit.outputs import department_files
from toolkit.core import schema
from toolkit.xlsx.atomic import cleanup_temp_files

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)"),
]

KILLS = 25
ANSWER_A = "Phường đã hướng dẫn các hộ bổ sung trích đo địa chính; dự kiến cấp giấy chứng nhận trước ngày 30/08/2024."
ANSWER_B = "Đã cấp giấy chứng nhận cho 05 hộ ngõ 5 ngày 08/07/2024; các hộ đã nhận tại Bộ phận một cửa."

# The child plays the department (its file replaced whole by a save, as Excel does) and the watcher
# (a pass after each save), alternating two answers, so every pass merges and writes.
CHILD = textwrap.dedent(
    """
    import datetime as dt, itertools, os, sys
    from pathlib import Path
    from toolkit.pipeline import passes

    register, dc, a, b = (Path(p) for p in sys.argv[1:5])
    versions = [a.read_bytes(), b.read_bytes()]
    print("ready", flush=True)
    for i in itertools.count():
        temp = dc.with_name(".~phong-ban.tmp")
        temp.write_bytes(versions[i % 2])
        os.replace(temp, dc)
        passes.run(register, today=dt.date(2024, 7, 10) + dt.timedelta(days=i % 2), render=False)
        print("pass", flush=True)
    """
)


def typed(path) -> tuple:
    wb = openpyxl.load_workbook(path)
    try:
        ws = wb[department_files.SHEET]
        return tuple(ws.cell(3, department_files.COL_INDEX[k]).value for k in department_files.ANSWER_KEYS)
    finally:
        wb.close()


def test_pass_killed_during_a_merge_damages_nothing(register, tmp_path):  # noqa: F811
    passes.run(register, today=TODAY, render=False)
    dc = department_files.file_for(register, "DC")
    versions = []
    for text in (ANSWER_A, ANSWER_B):
        type_answer(dc, "KN-2024-06-001", **answers(ket_qua=text))
        saved = tmp_path / f"dc-{len(versions)}.xlsx"
        saved.write_bytes(dc.read_bytes())
        versions.append(saved)
    good = {typed(v) for v in versions}
    original = staff_values(register)
    merged = {schema.KIEN_NGHI.col(k) for k in ("ngay_tra_loi", "hinh_thuc", "ket_qua")}
    rng = random.Random(20240710)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    kills = 0
    while kills < KILLS:
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(register), str(dc), *map(str, versions)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 2.0))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        kills += 1
        after = staff_values(register)                       # the register opens with openpyxl
        for key, value in original.items():
            if key[2] in merged and key[0] == schema.KIEN_NGHI.name:
                assert after[key] in (value, None, dt.datetime(2024, 7, 3), schema.FORM_WRITTEN, ANSWER_A,
                                      ANSWER_B), (kills, key, after[key])
                continue
            assert after[key] == value, (kills, key)
        assert len(loading.load(register).dataset.petitions) == 3       # and with python-calamine
        if dc.exists():                                      # a kill between the child's unlink-free replace
            assert typed(dc) in good, kills                  # what the department typed is whole
        for folder in (register.parent, dc.parent):
            cleanup_temp_files(folder)
        (dc.parent / ".~phong-ban.tmp").unlink(missing_ok=True)
    # the next, undisturbed pass makes the register agree with the department's file
    passes.run(register, today=TODAY, render=False)
    row = register_row(register, "KN-2024-06-001")
    assert row["Kết quả trả lời"] == typed(dc)[2] and row["Trạng thái"] == "Đã trả lời bằng văn bản"
    leftovers = [p.name for f in (register.parent, dc.parent) for p in f.iterdir() if p.name.startswith(".~doithoai")]
    assert leftovers == []
