"""Outputs made incrementally equal outputs made from scratch (issue 26).

A pass after a clerk adds one petition rebuilds only the outputs whose inputs changed and keeps
the others; what it leaves in ket-qua must be what a pass on the same final workbook makes in an
empty folder. Compared by content, in the manner of XlsxWriter's golden tests, with the noise
listed here on purpose:

- .xlsx: every sheet's name and cell values (openpyxl) and the number of charts per sheet;
  ignored: docProps (creation time), styles, column widths, chart anchors;
- .docx: the text of every paragraph and table cell, in order (python-docx); ignored: docProps,
  the package's zip timestamps;
- files that are not outputs: the fingerprints, the page's version beacons, the journal;
- index.html: the page with its timestamps and data version removed (``Cập nhật lúc``, the
  version in the meta tag, the body, the footer and the reload script), and the journal's own
  parts (the history sections and the history links on the Mã kiến nghị), which say what changed
  between saves: a folder made from scratch has seen one save, not two.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from conftest import SAMPLE
from toolkit.core import schema
from toolkit.outputs.folder import FINGERPRINTS
from toolkit.pipeline import passes
from toolkit.starter import sample

TODAY = sample.SAMPLE_TODAY
KN = schema.KIEN_NGHI

# not outputs: the fingerprints, the page's version beacons, the journal (its history of saves)
IGNORED_FILES = {FINGERPRINTS, "version.json", "version.js", "nhat-ky.sqlite", "nhat-ky.sqlite-wal",
                 "nhat-ky.sqlite-shm"}


def add_petition(path: Path) -> None:
    """A clerk types a petition at the bottom of Kiến nghị and saves (openpyxl)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[KN.name]
    cols = {c.value: c.column for c in ws[1]}
    row = ws.max_row + 1
    for key in ("hoi_nghi", "ngay_tiep_nhan"):
        ws.cell(row, cols[KN.col(key)]).value = ws.cell(2, cols[KN.col(key)]).value
    for key, value in (("nguoi_kien_nghi", "Nguyễn Văn Thêm"), ("linh_vuc", "Giao thông - Hạ tầng"),
                       ("noi_dung", "Đường ngõ 12 bị sụt lún sau mưa, đề nghị sửa chữa sớm.")):
        ws.cell(row, cols[KN.col(key)]).value = value
    wb.save(path)


def xlsx_content(path: Path) -> list:
    wb = openpyxl.load_workbook(path)
    return [(ws.title, [[c for c in row] for row in ws.iter_rows(values_only=True)], len(ws._charts))
            for ws in wb.worksheets]


def docx_content(path: Path) -> list[str]:
    import docx

    d = docx.Document(str(path))
    out = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            out.append(" | ".join(cell.text for cell in row.cells))
    return out


_PAGE_NOISE = (
    (re.compile(r'<meta name="generator" content="doithoai [^"]*">'), "<meta generator>"),
    (re.compile(r'data-version="[^"]*"'), "data-version"),
    (re.compile(r'<span id="version">[^<]*</span>'), "<span version>"),
    (re.compile(r"var current = \"[^\"]*\";"), "var current;"),
    (re.compile(r"Cập nhật lúc [^<]*</span>"), "Cập nhật lúc</span>"),
    (re.compile(r'<section id="lich-su">.*?</section>\s*<section id="thay-doi">.*?</section>', re.S), ""),
    (re.compile(r'<a class="ma" href="#[^"]*" title="[^"]*">([^<]*)</a>'), r"\1"),
)


def page_content(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    for pattern, repl in _PAGE_NOISE:
        text = pattern.sub(repl, text)
    return text


def content(path: Path):
    if path.suffix == ".xlsx":
        return xlsx_content(path)
    if path.suffix == ".docx":
        return docx_content(path)
    if path.suffix == ".html":
        return page_content(path)
    return path.read_bytes()


def outputs(folder: Path) -> dict[str, Path]:
    return {p.name: p for p in folder.iterdir() if p.is_file() and p.name not in IGNORED_FILES}


@pytest.mark.slow
def test_outputs_after_adding_a_petition_equal_outputs_made_from_scratch(tmp_path):
    (tmp_path / "a").mkdir()
    book = tmp_path / "a" / "so.xlsx"
    shutil.copyfile(SAMPLE, book)
    first = passes.run(book, out_dir=tmp_path / "a" / "out", today=TODAY)
    assert first.output_errors == []
    add_petition(book)
    again = passes.run(book, out_dir=tmp_path / "a" / "out", today=TODAY)
    assert again.written and again.output_errors == []
    rebuilt = {p.name for p in again.rebuilt}
    kept = set(outputs(tmp_path / "a" / "out")) - rebuilt
    assert kept, "adding one petition must keep the outputs it does not touch"
    assert "tong-hop.xlsx" in rebuilt and "index.html" in rebuilt

    fresh_dir = tmp_path / "b"
    fresh_dir.mkdir()
    shutil.copyfile(book, fresh_dir / "so.xlsx")
    fresh = passes.run(fresh_dir / "so.xlsx", out_dir=fresh_dir / "out", today=TODAY)
    assert fresh.write_reason_code == "unchanged" and fresh.output_errors == []

    got, exp = outputs(tmp_path / "a" / "out"), outputs(fresh_dir / "out")
    assert sorted(got) == sorted(exp)
    for name in sorted(exp):
        assert content(got[name]) == content(exp[name]), name


def _edit(path: Path, sheet: schema.Sheet, key: str, value) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet.name]
    col = {c.value: c.column for c in ws[1]}[sheet.col(key)]
    ws.cell(3, col).value = value
    wb.save(path)


@pytest.mark.parametrize("sheet, key, value, remade", [
    (schema.DAI_BIEU, "dien_thoai", "0912000111", False),     # no petition changed: the month is kept as it was
    (KN, "noi_dung", "Đề nghị nạo vét cống thoát nước ngõ 7", True),
])
def test_the_months_export_is_made_again_only_when_its_inputs_changed(tmp_path, monkeypatch, sheet, key, value,
                                                                     remade):
    from toolkit.outputs import documents

    book = tmp_path / "so.xlsx"
    shutil.copyfile(SAMPLE, book)
    first = passes.run(book, out_dir=tmp_path / "out", today=TODAY)
    month = sorted(p.name for p in first.outputs if p.name.startswith(("tong-hop-thang-", "bao-cao-thang-")))
    assert len(month) == 2
    _edit(book, sheet, key, value)
    made = []
    real = documents.thang_context
    monkeypatch.setattr(documents, "thang_context", lambda *a, **kw: made.append(1) or real(*a, **kw))
    again = passes.run(book, out_dir=tmp_path / "out", today=TODAY)
    assert again.output_errors == []
    assert bool(made) is remade          # unchanged inputs: not even the report's context is made
    assert sorted(p.name for p in again.outputs if p.name in month) == month
    if not remade:
        assert not {p.name for p in again.rebuilt} & set(month)
