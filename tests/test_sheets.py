"""Generated sheets are updated in place: exactly the wanted values, links and styles."""

from __future__ import annotations

import datetime as dt

import openpyxl

from toolkit import schema
from toolkit.sheets import Applier, Generated, same_grid


def rebuild(wb, gen):
    applier = Applier.__new__(Applier)
    applier.changed = False
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


def test_hidden_state_sheet_stays_very_hidden():
    wb = openpyxl.Workbook()
    gen = Generated(schema.DA_DIEN, [[c.header for c in schema.DA_DIEN.columns], ["KN-1", "VP"]], {},
                    (18, 14, 40), set(), set(), hidden="veryHidden")
    rebuild(wb, gen)
    assert wb[schema.DA_DIEN.name].sheet_state == "veryHidden"
