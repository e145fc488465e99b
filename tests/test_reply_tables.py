"""Per-department answer figures (issue 14, point 5) on the dashboard, in the register's Tổng hợp and
in tong-hop.xlsx, and the latest answers received with their source file."""

from __future__ import annotations

import datetime as dt

import openpyxl

from test_replies import TODAY, answers, register, type_answer  # noqa: F401 - fixture
from toolkit.pipeline import passes
from toolkit.outputs import department_files

HEAD = ["Bộ phận", "Được giao", "Trả lời đúng hạn", "Trả lời chậm", "Chưa trả lời", "Quá hạn", "Trả lời chung chung"]
DC = "Địa chính - Xây dựng - Đô thị - Môi trường"
VP = "Văn phòng - Thống kê"


def _answered(register):   # noqa: F811
    passes.run(register, today=TODAY, render=False)
    dc, vp = department_files.file_for(register, "DC"), department_files.file_for(register, "VP")
    type_answer(dc, "KN-2024-06-001", **answers())                                         # on time (hạn 04/07)
    type_answer(dc, "KN-2024-06-002", **answers(ngay_tra_loi=dt.datetime(2024, 7, 8),      # 2 working days late
                                                 ket_qua="Đã đo đạc lại ranh giới ngày 05/07/2024, hai hộ thống "
                                                         "nhất mốc giới mới."))
    type_answer(vp, "KN-2024-06-003", **answers(ket_qua="Đã tiếp thu, sẽ xem xét giải quyết."))   # vague
    return passes.run(register, today=TODAY)


def test_department_table_counts_each_department(register):  # noqa: F811
    result = _answered(register)
    exp = [[VP, 3, 0, 0, 1, 1, 1], [DC, 2, 1, 1, 0, 0, 0]]      # in the order of sheet Bộ phận
    # Tổng hợp in the register
    wb = openpyxl.load_workbook(register, read_only=True)
    grid = [list(r) for r in wb["Tổng hợp"].iter_rows(values_only=True)]
    wb.close()
    at = next(i for i, r in enumerate(grid) if r[:len(HEAD)] == HEAD)
    got = [r[:len(HEAD)] for r in grid[at + 1:at + 3]]
    assert got == exp
    assert grid[at + 3][:len(HEAD)] == ["Tổng cộng", 5, 1, 1, 1, 1, 1]
    # tong-hop.xlsx
    wb = openpyxl.load_workbook(result.out_dir / "tong-hop.xlsx", read_only=True)
    rows = [list(r) for r in wb["Theo bộ phận"].iter_rows(values_only=True)]
    wb.close()
    at = next(i for i, r in enumerate(rows) if r[:len(HEAD)] == HEAD)
    assert [r[:len(HEAD)] for r in rows[at + 1:at + 3]] == exp
    # the dashboard
    html = (result.out_dir / "index.html").read_text(encoding="utf-8")
    assert 'id="tra-loi-bo-phan"' in html and "Trả lời chung chung" in html


def test_latest_answers_name_their_source_file(register):  # noqa: F811
    result = _answered(register)
    html = (result.out_dir / "index.html").read_text(encoding="utf-8")
    section = html.split('id="tra-loi-moi"')[1].split("</section>")[0]
    source = f"phan-hoi/{register.stem}/DC.xlsx (dòng 4)"
    assert "KN-2024-06-002" in section and source in section
    assert section.index("08/07/2024") < section.index("03/07/2024")      # newest first
    wb = openpyxl.load_workbook(register, read_only=True)
    theo_doi = [list(r) for r in wb["Theo dõi xử lý"].iter_rows(values_only=True)]
    wb.close()
    assert any(f"phan-hoi/{register.stem}/VP.xlsx (dòng 5)" in r for r in theo_doi)
