"""Compare python-calamine and openpyxl (read_only, data_only) on a ~20k-row workbook.

Run:  python bench/read_compare.py [ROWS]
Prints a small table (best of 3, seconds). Not a test: timings depend on the machine.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import time

import openpyxl

from toolkit.xlsx import reading

from toolkit.core import schema


def make_workbook(rows: int) -> bytes:
    wb = openpyxl.Workbook(write_only=True)
    for sheet in schema.DATA_SHEETS:
        ws = wb.create_sheet(sheet.name)
        ws.append([c.header for c in sheet.columns])
        if sheet is schema.KIEN_NGHI:
            for i in range(rows):
                ws.append([f"KN-2024-06-{i:05d}", "HN-2024-06", dt.date(2024, 6, 1 + i % 28),
                           f"Nguyễn Văn Người {i}", f"TDP{i % 20 + 1:02d}", "Đất đai",
                           "Đề nghị giải quyết dứt điểm việc cấp giấy chứng nhận quyền sử dụng đất " * 2,
                           "Trả lời bằng văn bản", "DC", "VP", dt.date(2024, 7, 1), "Đang xử lý",
                           None, None, None, None, None])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def with_calamine(data: bytes) -> int:
    tables, _names, _findings = reading.read_tables(data)
    return len(tables["kien_nghi"].rows)


def with_openpyxl(data: bytes) -> int:
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    n = 0
    for sheet in schema.DATA_SHEETS:
        ws = wb[sheet.name]
        for row in ws.iter_rows(values_only=True):
            if sheet is schema.KIEN_NGHI and any(v is not None for v in row):
                n += 1
    wb.close()
    return n - 1


def best_of(fn, data, repeat=3) -> tuple[float, int]:
    times, result = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn(data)
        times.append(time.perf_counter() - t0)
    return min(times), result


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    data = make_workbook(rows)
    print(f"workbook: {rows} petition rows, {len(data) / 1e6:.1f} MB")
    print(f"{'reader':<44}{'seconds':>10}{'rows':>8}")
    for label, fn in (("python-calamine (reading.read_tables, full)", with_calamine),
                      ("openpyxl read_only data_only (values only)", with_openpyxl)):
        seconds, n = best_of(fn, data)
        print(f"{label:<44}{seconds:>10.2f}{n:>8}")


if __name__ == "__main__":
    main()
