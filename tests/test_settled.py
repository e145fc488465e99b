"""Settled decisions (docs/ARCHITECTURE.md, "Settled decisions"): a decision once made is history,
and a pass is a fixed point.

- a copy of the register kept beside it (a backup, "so - Copy.xlsx") re-routes nothing, no petition
  cites itself as its own precedent, and the copy is named in one warning;
- adding, editing, reordering or deleting one petition changes no other petition's toolkit values
  (property test over edits of the sample register);
- two passes in a row: the second writes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SAMPLE
from toolkit.core import schema
from toolkit.pipeline import passes

KN = schema.KIEN_NGHI
TODAY = dt.date(2024, 12, 20)
OWNED = ("ma", "chu_tri", "phoi_hop", "han", "trang_thai", "can_cu")


def toolkit_values(path: Path) -> dict[str, tuple]:
    """Mã kiến nghị -> the toolkit-owned cells of that petition, as the file holds them."""
    ws = openpyxl.load_workbook(path)[KN.name]
    cols = {c.value: c.column for c in ws[1] if c.value}
    out = {}
    for r in range(2, ws.max_row + 1):
        ma = ws.cell(r, cols[KN.col("ma")]).value
        if ma:
            out[ma] = tuple(ws.cell(r, cols[KN.col(k)]).value for k in OWNED)
    return out


def settled(values: tuple) -> bool:
    return values[4] not in (None, schema.STATUS_NEW)


@pytest.fixture(scope="module")
def passed(tmp_path_factory) -> Path:
    """The sample after its first pass."""
    path = tmp_path_factory.mktemp("goc") / "so.xlsx"
    shutil.copy2(SAMPLE, path)
    passes.run(path, today=TODAY, render=False)
    return path


def fresh_copy(passed: Path, tmp_path: Path) -> Path:
    target = tmp_path / "so.xlsx"
    shutil.copy2(passed, target)
    return target


def test_a_copy_of_the_register_beside_it_re_routes_nothing(passed, tmp_path):
    path = fresh_copy(passed, tmp_path)
    before = toolkit_values(path)
    shutil.copy2(path, tmp_path / "so - Copy.xlsx")            # the clerk's backup, in the same folder
    result = passes.run(path, today=TODAY, render=False)
    assert toolkit_values(path) == before
    copies = [f for f in result.report if f.code == "neighbour-copy"]
    assert [f.value for f in copies] == ["so - Copy.xlsx"] and "bản sao" in copies[0].message
    # no petition cites itself ("Giống KN-… " on KN-… itself)
    for ma, values in toolkit_values(path).items():
        cited = re.findall(r"Giống (KN-\d{4}-\d{2}-\d{3})", values[5] or "")
        assert ma not in cited
    again = passes.run(path, today=TODAY, render=False)
    assert (again.written, again.changes) == (False, 0)


def test_last_years_file_holding_the_same_petitions_does_not_move_settled_ones(passed, tmp_path):
    # last year's file has the same Nội dung under other Mã, all sent to another department by hand
    path = fresh_copy(passed, tmp_path)
    before = toolkit_values(path)
    wb = openpyxl.load_workbook(path)
    ws = wb[KN.name]
    cols = {c.value: c.column for c in ws[1] if c.value}
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, cols[KN.col("ma")]).value:
            ws.cell(r, cols[KN.col("ma")]).value = f"KN-2023-01-{r:03d}"
            ws.cell(r, cols[KN.col("chu_tri")]).value = "Công an phường"
            ws.cell(r, cols[KN.col("can_cu")]).value = schema.MANUAL_BASIS
    wb.save(tmp_path / "doi-thoai-2023.xlsx")
    passes.run(path, today=TODAY, render=False)
    after = toolkit_values(path)
    for ma, values in before.items():
        if settled(values):
            assert after[ma] == values, ma
        assert "doi-thoai-2023" not in (after[ma][5] or "")


# --- property: one petition's edit touches no other petition --------------------------------

def _rows(ws, cols):
    return [r for r in range(2, ws.max_row + 1) if ws.cell(r, cols[KN.col("noi_dung")]).value]


def apply(path: Path, op: str, pick: int, text: str) -> str | None:
    """One clerk's edit; returns the Mã of the petition it touched (None for an added one)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[KN.name]
    cols = {c.value: c.column for c in ws[1] if c.value}
    rows = _rows(ws, cols)
    status = cols[KN.col("trang_thai")]
    unsettled = [r for r in rows if ws.cell(r, status).value == schema.STATUS_NEW
                 and not ws.cell(r, cols[KN.col("ngay_tra_loi")]).value]
    touched = None
    if op == "add":
        r = ws.max_row + 1
        ws.cell(r, cols[KN.col("hoi_nghi")], "HN-2024-11")
        ws.cell(r, cols[KN.col("ngay_tiep_nhan")], dt.datetime(2024, 11, 22))
        ws.cell(r, cols[KN.col("nguoi_kien_nghi")], "Phan Văn Thử")
        ws.cell(r, cols[KN.col("noi_dung")], text)
    elif op == "edit":          # a still-new petition's words: the learner never learns from it
        r = unsettled[pick % len(unsettled)]
        touched = ws.cell(r, cols[KN.col("ma")]).value
        ws.cell(r, cols[KN.col("noi_dung")]).value = text
    elif op == "status":        # a clerk moves one petition on: it settles, nothing else moves
        r = rows[pick % len(rows)]
        touched = ws.cell(r, cols[KN.col("ma")]).value
        ws.cell(r, status).value = schema.STATUS_WORKING
    elif op == "delete":
        r = unsettled[pick % len(unsettled)]
        touched = ws.cell(r, cols[KN.col("ma")]).value
        ws.delete_rows(r)
    elif op == "reorder":       # two rows swap places (a sort)
        a, b = rows[pick % len(rows)], rows[(pick * 7 + 3) % len(rows)]
        for c in range(1, ws.max_column + 1):
            ws.cell(a, c).value, ws.cell(b, c).value = ws.cell(b, c).value, ws.cell(a, c).value
    wb.save(path)
    return touched


@pytest.mark.slow
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(op=st.sampled_from(["add", "edit", "status", "delete", "reorder"]), pick=st.integers(0, 500),
       text=st.sampled_from(["Đề nghị sửa đèn chiếu sáng ngõ 5 bị hỏng", "Xin cấp bản sao giấy khai sinh",
                             "Cống thoát nước ngõ 12 tắc, mùi hôi", "Đề nghị hỗ trợ hộ nghèo tổ 3"]))
def test_one_petitions_edit_changes_no_other_petition(passed, tmp_path_factory, op, pick, text):
    path = fresh_copy(passed, tmp_path_factory.mktemp("op"))
    before = toolkit_values(path)
    touched = apply(path, op, pick, text)
    first = passes.run(path, today=TODAY, render=False)
    after = toolkit_values(path)
    for ma, values in before.items():
        if ma != touched and ma in after:
            assert after[ma] == values, (op, ma)
    assert len(after) == len(before) + (op == "add") - (op == "delete")
    second = passes.run(path, today=TODAY, render=False)          # a fixed point
    assert (second.written, second.changes) == (False, 0), (op, first.changes)


@pytest.mark.slow
def test_a_register_of_twenty_thousand_petitions_is_a_fixed_point(tmp_path):
    """The bench's workbook generator at 20,000 petitions: the second pass writes nothing."""
    import sys

    from conftest import ROOT

    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    path = tmp_path / "lon.xlsx"
    path.write_bytes(generate.build_workbook_bytes(generate.Size("fixed-point", 500, 20_000)))
    first = passes.run(path, today=generate.TODAY, render=False)
    assert first.written
    second = passes.run(path, today=generate.TODAY, render=False)
    assert (second.written, second.changes) == (False, 0)
