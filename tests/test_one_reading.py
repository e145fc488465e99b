"""One reading (docs/ARCHITECTURE.md, "One reading"): a list value means the same whatever its
spelling, and every output counts a petition alike.

- a status retyped in lower case, without diacritics or with stray spaces changes no figure in
  Tổng hợp, tong-hop.xlsx, index.html, the department files or the overdue warnings;
- the same per-department counts (answered, forwarded, open, overdue) in every output, and equal
  to what this test computes from the cells it reads (its own reading, not the toolkit's);
- Cấu hình defaults have one home: a fresh register reads back as the defaults.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
import unicodedata
from collections import Counter
from pathlib import Path

import lxml.html
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docsample import all_text
from toolkit.core import defaults, model, schema
from toolkit.pipeline import passes
from toolkit.starter import create

KN = schema.KIEN_NGHI
TODAY = dt.date(2024, 12, 20)
HEADER = ["Bộ phận chủ trì", "Số kiến nghị", "Đã trả lời", "Chuyển cấp trên", "Đang xử lý", "Quá hạn"]

# The test's own reading of a status: accents stripped, lower case, spaces collapsed.
def _plain(s) -> str:
    s = unicodedata.normalize("NFD", str(s or "")).replace("đ", "d").replace("Đ", "D")
    return " ".join("".join(ch for ch in s if not unicodedata.combining(ch)).lower().split())


CLOSED = {"da tra loi tai hoi nghi", "da tra loi bang van ban", "da giai quyet xong"}
FORWARDED = "da chuyen cap tren"


def variant(value: str, how: int) -> str:
    """The same status as a clerk might type it."""
    if how == 0:
        return value.lower()
    if how == 1:
        return value.upper()
    if how == 2:
        return unicodedata.normalize("NFD", value)                       # "Unicode tổ hợp"
    if how == 3:
        return "  " + value.replace(" ", "   ") + " "
    s = unicodedata.normalize("NFD", value).replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in s if not unicodedata.combining(ch))        # no diacritics


def _kn_rows(path: Path):
    ws = openpyxl.load_workbook(path)[KN.name]
    cols = {c.value: c.column for c in ws[1] if c.value}
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, cols[KN.col("noi_dung")]).value:
            yield r, {k: ws.cell(r, cols[KN.col(k)]).value for k in ("ma", "chu_tri", "trang_thai", "han")}


def respell_statuses(path: Path, seed: int) -> int:
    """Retype every status in a variant spelling; returns how many cells changed."""
    wb = openpyxl.load_workbook(path)
    ws = wb[KN.name]
    col = next(c.column for c in ws[1] if c.value == KN.col("trang_thai"))
    rnd = random.Random(seed)
    n = 0
    for r in range(2, ws.max_row + 1):
        cell = ws.cell(r, col)
        if isinstance(cell.value, str) and cell.value.strip():
            new = variant(cell.value, rnd.randrange(5))
            if new != cell.value:
                cell.value = new
                n += 1
    wb.save(path)
    return n


def table_in_grid(rows) -> dict[str, tuple]:
    """The 'Kiến nghị theo bộ phận chủ trì' table of a sheet's rows: department -> figures."""
    rows = [list(r) for r in rows]
    for i, row in enumerate(rows):
        if [str(v) if v is not None else None for v in row[:6]] == HEADER:
            out = {}
            for r in rows[i + 1:]:
                if not r or r[0] in (None, "Tổng cộng"):
                    break
                out[r[0]] = tuple(int(v) for v in r[1:6])
            return out
    raise AssertionError("table not found")


def table_in_html(path: Path) -> dict[str, tuple]:
    doc = lxml.html.parse(str(path))
    for table in doc.iter("table"):
        heads = [th.text_content().strip() for th in table.iter("th")]
        if heads[:6] == HEADER:
            out = {}
            for tr in table.iter("tr"):
                cells = [td.text_content().strip() for td in tr.iter("td")]
                if cells and cells[0] != "Tổng cộng":
                    out[cells[0]] = tuple(int(c) for c in cells[1:6])
            return out
    raise AssertionError("table not found in index.html")


def department_file_leads(folder: Path) -> Counter:
    """Petitions each department's own file lists as its lead role (the open ones)."""
    out: Counter = Counter()
    for f in sorted(folder.glob("*.xlsx")):
        ws = openpyxl.load_workbook(f)["Trả lời"]
        head = next(i for i in range(1, 6) if ws.cell(i, 1).value == "Mã kiến nghị")
        cols = {c.value: c.column for c in ws[head] if c.value}
        for r in range(head + 1, ws.max_row + 1):
            if ws.cell(r, cols["Vai trò"]).value == "Chủ trì":
                out[f.stem] += 1
    return out


def outputs(path: Path) -> dict:
    result = passes.run(path, today=TODAY)
    out = result.out_dir
    wb = openpyxl.load_workbook(path, data_only=True)
    tonghop = openpyxl.load_workbook(out / "tong-hop.xlsx", data_only=True)
    in_summary = next(table_in_grid(ws.iter_rows(values_only=True)) for ws in tonghop.worksheets
                      if any(list(r[:6]) == HEADER for r in ws.iter_rows(values_only=True)))
    return {
        "sheet": table_in_grid(wb["Tổng hợp"].iter_rows(values_only=True)),
        "tong_hop_sheet_values": [list(r) for r in wb["Tổng hợp"].iter_rows(values_only=True)],
        "theo_doi_values": [list(r) for r in wb["Theo dõi xử lý"].iter_rows(values_only=True)],
        "summary_workbook": in_summary,
        "dashboard": table_in_html(out / "index.html"),
        "department_files": department_file_leads(path.parent / "phan-hoi" / path.stem),
        "overdue_warnings": sum(1 for f in result.report if f.code == "petition-overdue"),
        "errors": {f.row for f in result.report if f.sheet == KN.name and f.severity == "error"},
        "result_reports": {f.name: all_text(f) for f in sorted(out.glob("bao-cao-ket-qua-*.docx"))},
        "per_conference": {r[0]: tuple(r[6:9]) for r in _conference_rows(wb["Tổng hợp"])},
    }


def _conference_rows(ws):
    """'Kết quả từng hội nghị' of the Tổng hợp sheet: (Mã, …, at the conference, in writing, forwarded)."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(rows) if r[:1] == ["Mã hội nghị"])
    for r in rows[at + 1:]:
        if not r[0] or not str(r[0]).startswith("HN-"):
            break
        yield r


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    from conftest import SAMPLE
    path = tmp_path_factory.mktemp("base") / "so.xlsx"
    shutil.copy2(SAMPLE, path)
    return path, outputs(path)


def own_reading(path: Path, left_out: set[int]) -> dict[str, tuple]:
    """Per department: (petitions, answered, forwarded, open, overdue), from the cells as read."""
    figures: dict[str, list[int]] = {}
    for r, v in _kn_rows(path):
        if r in left_out:
            continue
        status = _plain(v["trang_thai"]) or "moi tiep nhan"
        dept = v["chu_tri"] or "(Chưa giao bộ phận)"
        answered = status in CLOSED
        forwarded = not answered and (status == FORWARDED or dept == "Chuyển cấp trên")
        still = not answered and not forwarded
        due = v["han"].date() if isinstance(v["han"], dt.datetime) else v["han"]
        late = still and due is not None and due < TODAY
        f = figures.setdefault(dept, [0, 0, 0, 0, 0])
        for i, x in enumerate((1, answered, forwarded, still, late)):
            f[i] += int(x)
    return {k: tuple(v) for k, v in figures.items()}


def test_every_output_counts_each_department_alike_and_as_the_cells_say(baseline):
    path, got = baseline
    exp = own_reading(path, got["errors"])
    assert got["sheet"] == exp
    assert got["summary_workbook"] == exp
    assert got["dashboard"] == exp
    # each result report says what the Tổng hợp sheet's row of its conference says
    for code, (at_conf, written, forwarded) in got["per_conference"].items():
        text = got["result_reports"][f"bao-cao-ket-qua-{code}.docx"]
        said = re.search(r"trả lời trực tiếp tại hội nghị (\d+); tiếp thu, trả lời bằng văn bản (\d+); chuyển cấp "
                         r"trên giải quyết (\d+)", text)
        assert said and tuple(int(x) for x in said.groups()) == (at_conf, written, forwarded), code
    # the departments' own files list exactly their open petitions as lead (every row, errors or not)
    names = _department_names(path)
    every = own_reading(path, set())
    assert {names[code]: n for code, n in got["department_files"].items()} == \
        {dept: f[3] for dept, f in every.items() if f[3]}
    # check warns once per overdue petition, rows with errors included
    assert got["overdue_warnings"] == sum(f[4] for f in every.values())


def _department_names(path: Path) -> dict[str, str]:
    ws = openpyxl.load_workbook(path)[schema.BO_PHAN.name]
    return {r[0]: r[1] for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}


@pytest.mark.slow
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000))
def test_a_status_spelled_differently_changes_no_figure(baseline, tmp_path_factory, seed):
    path, before = baseline
    copy = tmp_path_factory.mktemp("variant") / "so.xlsx"
    shutil.copy2(path, copy)
    assert respell_statuses(copy, seed) > 50
    after = outputs(copy)
    for key in ("sheet", "summary_workbook", "dashboard", "department_files", "overdue_warnings",
                "tong_hop_sheet_values", "theo_doi_values", "result_reports"):
        assert after[key] == before[key], key
    # and the cells stay as the clerk typed them
    typed = {r: v["trang_thai"] for r, v in _kn_rows(copy)}
    assert any(isinstance(s, str) and s.islower() for s in typed.values())


def test_a_fresh_register_reads_back_as_the_defaults(tmp_path):
    path = tmp_path / "moi.xlsx"
    create.create_workbook(path)
    config = passes.check(path, today=TODAY).dataset.config
    fresh = model.Config()
    for item in schema.CONFIG_ITEMS:
        if item.key == "bo_phan_chua_ro":       # the register's own office (its structure's VP), by name
            office = _department_names(path)[defaults.DEFAULT_DEPARTMENT]
            assert config.bo_phan_chua_ro == office
            continue
        assert getattr(config, item.key) == getattr(fresh, item.key), item.key
