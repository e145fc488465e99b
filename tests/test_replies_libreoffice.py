"""End to end (issue 14, point 6): real LibreOffice under Xvfb plays two departments and the clerk at
once — the register, DC.xlsx and VP.xlsx each open in its own window, saved in turn — while the watcher
runs real passes. Nothing is written while a file is held; once they are closed the register holds every
answer, nothing typed is lost, and the conflicting answer is reported."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time

import openpyxl
import pytest

from test_replies import TODAY, VALIDATE, by_id, register_row, register_rows
from test_reading import write_workbook
from test_watch_real import QUIET, CountingPass, Lines, real_watcher, sha, wait_until
from test_watching_libreoffice import office  # noqa: F401 - the module's LibreOffice
from toolkit.outputs import department_files
from toolkit.core import schema
from toolkit.xlsx.locks import lock_files

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]

DC_001 = "Phường đã hướng dẫn các hộ bổ sung trích đo địa chính; dự kiến cấp giấy chứng nhận trước ngày 30/08/2024."
DC_002 = "Đã đo đạc lại ranh giới ngày 02/07/2024, hai hộ thống nhất mốc giới mới."
VP_001 = "Văn phòng đã gửi thông báo kết quả cho các hộ ngõ 5 ngày 04/07/2024."
VP_003 = "Đã phối hợp Công ty Môi trường bổ sung 02 thùng rác tại đầu ngõ, thu gom lúc 18h00 từ ngày 05/07/2024."
CLERK_NEW = "Xin cấp đổi sổ đỏ bị rách cho hộ số 11 ngõ 5."


def serial(day: dt.date) -> int:
    return (day - dt.date(1899, 12, 30)).days


def cells(row: int, day: dt.date, result: str, number: str, who: str) -> dict:
    c = {k: department_files.COL_INDEX[k] for k in ("ngay_tra_loi", "hinh_thuc", "ket_qua", "so_van_ban", "nguoi_tra_loi")}
    col = openpyxl.utils.get_column_letter
    return {f"{col(c['ngay_tra_loi'])}{row}": serial(day), f"{col(c['hinh_thuc'])}{row}": schema.FORM_WRITTEN,
            f"{col(c['ket_qua'])}{row}": result, f"{col(c['so_van_ban'])}{row}": number,
            f"{col(c['nguoi_tra_loi'])}{row}": who}


def test_two_departments_and_the_clerk_in_libreoffice(office, tmp_path):  # noqa: F811
    folder = tmp_path / "so"
    folder.mkdir()
    register = write_workbook(folder / "doi-thoai-2024.xlsx", register_rows())
    dc, vp = department_files.file_for(register, "DC"), department_files.file_for(register, "VP")
    passes, log = CountingPass(today=TODAY), Lines()
    with real_watcher(folder, passes, log, lock_poll_ms=300):
        assert wait_until(lambda: dc.exists() and vp.exists() and passes.of(register.name), 60), log.lines
        time.sleep(QUIET)
        for name, path in (("clerk", register), ("dc", dc), ("vp", vp)):
            office.call("open", path=str(path), hidden=False, name=name, hang=120)
        assert all(lock_files(p) for p in (register, dc, vp))

        held: dict = {}
        office.call("select", name="dc")
        office.call("set_cells", sheet=department_files.SHEET, cells={**cells(3, dt.date(2024, 7, 3), DC_001, "45/UBND-ĐC",
                                                                        "Lê Văn Địa"),
                                                             **cells(4, dt.date(2024, 7, 3), DC_002, "46/UBND-ĐC",
                                                                     "Lê Văn Địa")})
        office.call("store", hang=120)
        held[dc] = sha(dc)
        office.call("select", name="vp")
        vp_rows = by_id(vp)
        row_001 = 3 + list(vp_rows).index("KN-2024-06-001")
        row_003 = 3 + list(vp_rows).index("KN-2024-06-003")
        office.call("set_cells", sheet=department_files.SHEET, cells={**cells(row_001, dt.date(2024, 7, 4), VP_001,
                                                                        "12/UBND-VP", "Nguyễn Thị Thu"),
                                                             **cells(row_003, dt.date(2024, 7, 4), VP_003,
                                                                     "13/UBND-VP", "Nguyễn Thị Thu")})
        office.call("store", hang=120)
        held[vp] = sha(vp)
        office.call("select", name="clerk")
        office.call("add_record", sheet=schema.KIEN_NGHI.name, key=schema.KIEN_NGHI.col("nguoi_kien_nghi"),
                    values={"Mã kiến nghị": "KN-2024-06-004", "Hội nghị": "HN-2024-06",
                            "Người kiến nghị": "Vũ Quang Minh", "Lĩnh vực": "Đất đai", "Nội dung": CLERK_NEW},
                    dates={"Ngày tiếp nhận": "2024-06-21"})
        started = len(passes.starts_of(register.name))   # counted before the save: its pass may start at once
        office.call("store", hang=120)
        held[register] = sha(register)

        # the saves run passes; every file is held, so none is written
        assert wait_until(lambda: len(passes.starts_of(register.name)) > started, 60), log.lines
        time.sleep(QUIET)
        assert {p: sha(p) for p in held} == held, "a file was written while LibreOffice held it"
        assert any("đang mở" in line for line in log.lines), log.lines

        for name in ("vp", "dc", "clerk"):          # closed in turn
            office.call("select", name=name)
            office.call("close", hang=60)
            time.sleep(1)
        assert wait_until(lambda: _done(register, dc), 90), log.lines
        time.sleep(QUIET)

    row = register_row(register, "KN-2024-06-001")
    assert row["Kết quả trả lời"] == f"{DC_001}\nPhối hợp - Văn phòng - Thống kê: {VP_001}"
    assert row["Ngày trả lời"] == dt.datetime(2024, 7, 3) and row["Trạng thái"] == "Đã trả lời bằng văn bản"
    second = register_row(register, "KN-2024-06-002")
    assert second["Kết quả trả lời"] == "Văn phòng đã hòa giải xong."              # the clerk's text wins
    third = register_row(register, "KN-2024-06-003")
    assert third["Kết quả trả lời"] == VP_003 and third["Trạng thái"] == "Đã trả lời bằng văn bản"
    assert register_row(register, "KN-2024-06-004")["Nội dung"] == CLERK_NEW            # the clerk's row kept
    wb = openpyxl.load_workbook(register, read_only=True)
    errors = [r for r in wb[schema.LOI_NHAP.name].iter_rows(values_only=True) if "reply-conflict" in r]
    wb.close()
    assert len(errors) == 1 and DC_002 in errors[0][8] and "Văn phòng đã hòa giải xong." in errors[0][8]
    dc_rows, vp_rows = by_id(dc), by_id(vp)
    assert dc_rows["KN-2024-06-001"]["Kết quả trả lời"] == DC_001 and dc_rows["KN-2024-06-002"]["Số văn bản"] \
        == "46/UBND-ĐC"
    assert "KN-2024-06-004" in dc_rows                                    # the new assignment reached DC's file
    assert vp_rows["KN-2024-06-003"]["Người trả lời"] == "Nguyễn Thị Thu"
    for path in (register, dc, vp):          # saved by LibreOffice, then patched by the pass
        out = subprocess.run([sys.executable, str(VALIDATE), str(path)], capture_output=True, text=True)
        assert out.returncode == 0, out.stdout + out.stderr


def _done(register, dc) -> bool:
    try:
        return (register_row(register, "KN-2024-06-003")["Trạng thái"] == "Đã trả lời bằng văn bản"
                and "KN-2024-06-004" in by_id(dc) and not lock_files(register) and not lock_files(dc))
    except Exception:   # noqa: BLE001 - mid-save: the next poll reads it
        return False
