"""`doithoai history`: who changed what, as text, JSON and a sheet a clerk can filter."""

from __future__ import annotations

import openpyxl
import pytest

from clirun import doithoai
from toolkit.pipeline import passes
from toolkit.starter import sample
from toolkit.core import schema

TODAY = sample.SAMPLE_TODAY
KN = schema.KIEN_NGHI


def col(ws, header):
    return next(c.column for c in ws[1] if c.value == header)


@pytest.fixture
def journalled(sample_copy):
    """The sample after a first pass, then a staff save (LibreOffice lock naming the clerk) closing one petition."""
    passes.run(sample_copy, today=TODAY)
    wb = openpyxl.load_workbook(sample_copy)
    ws = wb[KN.name]
    code = ws.cell(5, col(ws, KN.col("ma"))).value
    old = ws.cell(5, col(ws, KN.col("trang_thai"))).value
    ws.cell(5, col(ws, KN.col("trang_thai"))).value = "Đã giải quyết xong"
    wb.save(sample_copy)
    lock = sample_copy.parent / f".~lock.{sample_copy.name}#"
    lock.write_text("Trần Thị Bình,binh,pc2,02.12.2026 09:15,file:///p;", encoding="utf-8")
    passes.run(sample_copy, today=TODAY)
    lock.unlink()
    return sample_copy, code, old


def test_history_text_names_who_when_and_the_change(journalled):
    path, code, old = journalled
    ran = doithoai("history", path, "--ma", code)
    assert ran.code == 0, ran.text
    assert "Trần Thị Bình (Lưu sổ)" in ran.out
    assert f"Kiến nghị · {code}: Trạng thái: '{old}' → 'Đã giải quyết xong'" in ran.out
    # the toolkit's own fill of that petition is there too, as doithoai's
    assert "doithoai (doithoai ghi kết quả)" in ran.out


def test_history_json_and_since(journalled):
    path, code, _old = journalled
    data = doithoai("history", path, "--ma", code, "--format", "json").json()
    staff = [d for d in data if d["nguon"] == "staff"]
    assert [(d["nguoi"], d["cot"], d["gia_tri_moi"]) for d in staff] == [
        ("Trần Thị Bình", "Trạng thái", "Đã giải quyết xong")]
    later = doithoai("history", path, "--since", "31/12/2099", "--format", "json").json()
    assert later == []


def test_history_xlsx_is_a_filterable_sheet(journalled):
    path, code, _old = journalled
    ran = doithoai("history", path, "--format", "xlsx")
    assert ran.code == 0, ran.text
    target = path.parent / "ket-qua" / path.stem / "nhat-ky.xlsx"
    assert f"Đã tạo: {target}" in ran.out
    ws = openpyxl.load_workbook(target)["Nhật ký"]
    assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:J")
    assert [c.value for c in ws[1]][:4] == ["Thời gian lưu", "Người lưu", "Nguồn", "Sheet"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert any(r[1] == "Trần Thị Bình" and r[4] == code and r[9] == "Đã giải quyết xong" for r in rows)


def test_history_says_what_to_do_without_a_journal_or_with_a_bad_date(sample_copy):
    ran = doithoai("history", sample_copy)
    assert ran.code == 2 and "Chưa có nhật ký" in ran.err and "doithoai run" in ran.err
    passes.run(sample_copy, today=TODAY)
    bad = doithoai("history", sample_copy, "--since", "hôm qua")
    assert bad.code == 2 and "Không hiểu thời gian 'hôm qua'" in bad.err


def test_history_help_is_vietnamese():
    ran = doithoai("history", "--help")
    assert ran.code == 0 and "--ma" in ran.out and "Nhật ký" not in ran.err
