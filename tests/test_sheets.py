"""Generated sheets are updated in place: exactly the wanted values, links and styles."""

from __future__ import annotations

import datetime as dt

import openpyxl

from toolkit import schema
from toolkit.sheets import Applier, Generated, same_grid


def rebuild(wb, gen):
    applier = Applier.__new__(Applier)
    applier.changed = False
    applier._styles, applier._restyled = {}, {}
    applier._replace_sheet(wb, gen)
    return applier.changed


def test_update_in_place_matches_the_wanted_grid_exactly():
    wb = openpyxl.Workbook()
    first = Generated(schema.LOI_NHAP, [["Tiêu đề"], ["A", "B", "C"], [1, "=cộng", dt.date(2024, 6, 21)],
                                        [2, "x", None], [3, "y", "z"]],
                      {(3, 2): "'Kiến nghị'!G3", (5, 2): "'Kiến nghị'!G5"}, (10, 10, 10), {2}, {1})
    assert rebuild(wb, first)
    ws = wb[schema.LOI_NHAP.name]
    assert ws["B3"].value == "=cộng" and ws["B3"].data_type == "s"     # staff text stays text
    assert ws["B3"].quotePrefix and not ws["A3"].quotePrefix and not ws["C3"].quotePrefix   # Excel's ' prefix
    assert ws["B3"].hyperlink.location == "'Kiến nghị'!G3"
    assert not rebuild(wb, first)                                        # same content: untouched

    second = Generated(schema.LOI_NHAP, [["Tiêu đề"], ["A", "B"], [1, "khác"]], {(3, 1): "'Đại biểu'!A3"},
                       (10, 10), {2}, {1})
    assert rebuild(wb, second)
    got = [list(row) for row in ws.iter_rows(values_only=True)]
    assert same_grid(got, second.grid)
    assert ws.max_row == 3
    links = {c.coordinate: c.hyperlink.location for row in ws.iter_rows() for c in row if c.hyperlink}
    assert links == {"A3": "'Đại biểu'!A3"}
    assert ws["A2"].font.bold and ws["A3"].border.left.style == "thin"


def test_generated_cells_are_styled_by_kind_after_a_save(tmp_path):
    # Styles are copied from the first cell of each kind: every cell must still
    # carry its own kind's look, and a later change to one cell (a link) must
    # not leak into the others.
    wb = openpyxl.Workbook()
    grid = [["Tiêu đề"], ["A", "B", "C"]] + [[i, f"dòng {i}", dt.date(2024, 6, i)] for i in range(1, 6)]
    rebuild(wb, Generated(schema.LOI_NHAP, grid, {(4, 2): "'Kiến nghị'!G4"}, (10, 10, 10), {2}, {1}))
    wb.save(tmp_path / "s.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx")[schema.LOI_NHAP.name]
    exp = {"A1": (True, None, "General"), "B2": (True, "solid", "General")}
    for r in range(3, 8):
        exp[f"B{r}"] = (False, None, "General")
        exp[f"C{r}"] = (False, None, schema.DATE_FORMAT)
    got = {ref: (bool(ws[ref].font.bold), ws[ref].fill.fill_type, ws[ref].number_format) for ref in exp}
    assert got == exp
    assert all(ws[f"B{r}"].alignment.wrap_text and ws[f"B{r}"].border.left.style == "thin" for r in range(3, 8))
    assert ws["B4"].font.underline == "single" and ws["B5"].font.underline is None


def test_hidden_state_sheet_stays_very_hidden():
    wb = openpyxl.Workbook()
    gen = Generated(schema.DA_DIEN, [[c.header for c in schema.DA_DIEN.columns], ["KN-1", "VP"]], {},
                    (18, 14, 40), set(), set(), hidden="veryHidden")
    rebuild(wb, gen)
    assert wb[schema.DA_DIEN.name].sheet_state == "veryHidden"
