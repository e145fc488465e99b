"""A write-back killed with SIGKILL at any moment never damages the workbook.

A child process loops write_back on a realistic petitions workbook; the test
kills it at random moments (seeded), at least 50 times, and after each kill
the workbook must open with openpyxl with every staff value intact, and at
most one abandoned temp file may exist (the next run removes it).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import openpyxl
import pytest

from conftest import ROOT
import xlsxwriter

from toolkit.xlsx.writeback import backup_folder, cleanup_temp_files, sha256_bytes, temp_files

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)"),
]

ROWS = 600
STAFF_COLUMNS = 15
KILLS = 50

CHILD = textwrap.dedent(
    """
    import itertools, sys
    from pathlib import Path
    ROWS = int(sys.argv[2])
    from toolkit.xlsx import patch as xlsxpatch
    from toolkit.xlsx.writeback import sha256_bytes, write_back

    path = Path(sys.argv[1])
    print("ready", flush=True)
    for i in itertools.count():
        data = path.read_bytes()

        def apply(data, i=i):
            checks = xlsxpatch.StaffEdit("Kiến nghị", {(row, 16): xlsxpatch.Write(f"✓ lượt {i}")
                                                       for row in range(2, ROWS + 2)})
            summary = xlsxpatch.GeneratedSheet("Tổng hợp", [[f"lượt {i} dòng {row}"] for row in range(1, 200)])
            return xlsxpatch.patch(data, staff=[checks], generated=[summary])

        result = write_back(path, expected_sha256=sha256_bytes(data), data=data,
                            apply=apply, keep_backups=3)
        print("written" if result.written else result.reason_code, flush=True)
    """
)


def make_realistic_workbook(path: Path) -> None:
    wb = xlsxwriter.Workbook(str(path))
    date = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws = wb.add_worksheet("Kiến nghị")
    headers = [
        "Mã kiến nghị", "Hội nghị", "Ngày tiếp nhận", "Người kiến nghị", "Tổ dân phố", "Lĩnh vực",
        "Nội dung", "Hình thức trả lời", "Bộ phận chủ trì", "Bộ phận phối hợp", "Hạn xử lý",
        "Trạng thái", "Ngày trả lời", "Kết quả trả lời", "Ghi chú", "Kiểm tra",
    ]
    ws.write_row(0, 0, headers)
    for i in range(1, ROWS + 1):
        ws.write_row(i, 0, [
            f"KN-2024-06-{i:03d}", "HN-2024-1", None, f"Trần Thị Hoà {i}", f"Tổ {i % 17 + 1}",
            "Đô thị", f"Ngõ {i} bị ngập khi mưa, cống thoát nước tắc; đề nghị nạo vét", "Trả lời bằng văn bản",
            "Địa chính - Xây dựng - Đô thị - Môi trường", "Công an phường", None, "Mới tiếp nhận",
            None, "", f"ghi chú {i}",
        ])
        ws.write_datetime(i, 2, dt.datetime(2024, 6, 1 + i % 28), date)
        ws.write_datetime(i, 10, dt.datetime(2024, 7, 1 + i % 28), date)
        ws.write_number(i, 12, i)
    calc = wb.add_worksheet("Thống kê")
    calc.write_formula("A1", f"=COUNTA('Kiến nghị'!A2:A{ROWS + 1})", None, ROWS)
    wb.close()


def staff_values(path: Path) -> list[list]:
    wb = openpyxl.load_workbook(path)  # must open with openpyxl
    ws = wb["Kiến nghị"]
    return [list(row) for row in ws.iter_rows(max_col=STAFF_COLUMNS, values_only=True)]


def test_sigkill_at_random_moments_never_damages_the_workbook(tmp_path):
    path = tmp_path / "doi-thoai-2024.xlsx"
    make_realistic_workbook(path)
    original = staff_values(path)
    script = tmp_path / "loop_write_back.py"
    script.write_text(CHILD, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    rng = random.Random(20240601)
    versions = {sha256_bytes(path.read_bytes())}
    backups = backup_folder(path)

    for _ in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, str(script), str(path), str(ROWS)], stdout=subprocess.PIPE, text=True, env=env,
        )
        try:
            assert child.stdout.readline().strip() == "ready"
            time.sleep(rng.uniform(0.0, 0.9))  # lands anywhere in load/apply/save/replace
            child.send_signal(signal.SIGKILL)
        finally:
            child.wait()
            child.stdout.close()
        assert staff_values(path) == original
        versions.add(sha256_bytes(path.read_bytes()))
        # A killed run leaves at most its own temp file (workbook folder and
        # backup folder); the next run cleans it up, so nothing accumulates.
        assert len(temp_files(tmp_path)) <= 1
        assert len(temp_files(backups)) <= 1

    assert len(versions) > 2, "the child never got to write: kills did not hit write-backs"
    cleanup_temp_files(tmp_path)
    cleanup_temp_files(backups)
    assert temp_files(tmp_path) == [] and temp_files(backups) == []
    for backup in backups.iterdir():  # every backup is a whole workbook too
        assert staff_values(backup) == original
