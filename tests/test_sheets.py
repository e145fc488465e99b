"""Generated sheets are written whole through the package patcher: exactly the
wanted values, links and looks; nothing when they already are so."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from packagecheck import validate
from toolkit.core import schema
from toolkit.xlsx import patch as xlsxpatch
from toolkit.pipeline.applier import Generated, same_grid


@pytest.fixture()
def book() -> bytes:
    wb = openpyxl.Workbook()
    wb.active.title = "Kiến nghị"
    wb.active["A1"] = "Mã kiến nghị"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def rebuild(data: bytes, gen: Generated) -> bytes | None:
    return xlsxpatch.patch(data, generated=[gen.patch()])


def with_part(data: bytes, name: str, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            part = src.read(info)
            dst.writestr(info, change(part) if info.filename == name else part)
    return out.getvalue()


def load(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def test_written_sheet_matches_the_wanted_grid_exactly(book, tmp_path):
    first = Generated(schema.LOI_NHAP, [["Tiêu đề"], ["A", "B", "C"], [1, "=cộng", dt.date(2024, 6, 21)],
                                        [2, "x", None], [3, "y", "z"]],
                      {(3, 2): "'Kiến nghị'!G3", (5, 2): "'Kiến nghị'!G5"}, (10, 10, 10), {2}, {1})
    data = rebuild(book, first)
    (tmp_path / "a.xlsx").write_bytes(data)
    validate(tmp_path / "a.xlsx")
    ws = load(data)[schema.LOI_NHAP.name]
    assert ws["B3"].value == "=cộng" and ws["B3"].data_type == "s"     # staff text stays text
    assert ws["B3"].quotePrefix and not ws["A3"].quotePrefix and not ws["C3"].quotePrefix   # Excel's ' prefix
    assert ws["B3"].hyperlink.location == "'Kiến nghị'!G3"
    assert ws["C3"].value == dt.datetime(2024, 6, 21) and ws["C3"].number_format == schema.DATE_FORMAT
    assert ws.freeze_panes == "A3"
    assert ws.sheet_properties.tabColor.rgb == "FF" + schema.LOI_NHAP.tab_color
    assert rebuild(data, first) is None                                  # same content: untouched

    second = Generated(schema.LOI_NHAP, [["Tiêu đề"], ["A", "B"], [1, "khác"]], {(3, 1): "'Đại biểu'!A3"},
                       (10, 10), {2}, {1})
    data = rebuild(data, second)
    ws = load(data)[schema.LOI_NHAP.name]
    got = [list(row) for row in ws.iter_rows(values_only=True)]
    assert same_grid(got, second.grid)
    assert ws.max_row == 3
    links = {c.coordinate: c.hyperlink.location for row in ws.iter_rows() for c in row if c.hyperlink}
    assert links == {"A3": "'Đại biểu'!A3"}
    assert ws["A2"].font.bold and ws["A3"].border.left.style == "thin"


def test_generated_cells_carry_the_look_of_their_kind(book):
    grid = [["Tiêu đề"], ["A", "B", "C"]] + [[i, f"dòng {i}", dt.date(2024, 6, i)] for i in range(1, 6)]
    data = rebuild(book, Generated(schema.LOI_NHAP, grid, {(4, 2): "'Kiến nghị'!G4"}, (10, 10, 10), {2}, {1}))
    ws = load(data)[schema.LOI_NHAP.name]
    exp = {"A1": (True, None, "General"), "B2": (True, "solid", "General")}
    for r in range(3, 8):
        exp[f"B{r}"] = (False, None, "General")
        exp[f"C{r}"] = (False, None, schema.DATE_FORMAT)
    got = {ref: (bool(ws[ref].font.bold), ws[ref].fill.fill_type, ws[ref].number_format) for ref in exp}
    assert got == exp
    assert all(ws[f"B{r}"].alignment.wrap_text and ws[f"B{r}"].border.left.style == "thin" for r in range(3, 8))
    assert ws["B4"].font.underline == "single" and ws["B5"].font.underline is None
    assert ws["A1"].font.sz == 13


def test_hidden_state_sheet_stays_hidden(book):
    gen = Generated(schema.DA_DIEN, [[c.header for c in schema.DA_DIEN.columns], ["KN-1", "VP"]], {},
                    (18, 14, 40), set(), set(), hidden="veryHidden")
    data = rebuild(book, gen)
    assert load(data)[schema.DA_DIEN.name].sheet_state == "veryHidden"
    # LibreOffice saves a very hidden sheet as hidden: still out of staff's way, not a reason to write
    hidden = with_part(data, "xl/workbook.xml", lambda x: x.replace(b'state="veryHidden"', b'state="hidden"'))
    assert xlsxpatch.patch(hidden, generated=[gen.patch(rewrite=False)]) is None
    shown = with_part(data, "xl/workbook.xml", lambda x: x.replace(b' state="veryHidden"', b""))
    assert load(xlsxpatch.patch(shown, generated=[gen.patch(rewrite=False)]))[
        schema.DA_DIEN.name].sheet_state == "veryHidden"


@pytest.mark.parametrize("current, wanted, exp", [
    ([["a", None, None], [None], []], [["a"]], True),                     # trailing blanks and blank rows
    ([["a"], [None], ["b"]], [["a"], [], ["b"]], True),                   # a blank row inside
    ([["a"], [], ["b"]], [["a"], ["b"]], False),                          # ... is still a row
    ([["a"], ["b"]], [["a"]], False),                                     # a row more in the file
    ([["a"]], [["a"], ["b"]], False),                                     # a row less
    ([[0.949152542372881]], [[0.9491525423728814]], True),                # LibreOffice's 15 digits
    ([[dt.datetime(2024, 6, 21)]], [[dt.date(2024, 6, 21)]], True),
    ([["  Văn phòng "]], [["Văn phòng"]], True),                          # text as the toolkit writes it
    ([["x"], ["changed"], ["z"]], [["x"], ["y"], ["z"]], False),
])
def test_same_grid(current, wanted, exp):
    got = same_grid(iter(current), wanted)
    assert got == exp
