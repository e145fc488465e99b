"""The package check the write-back tests rely on (tests/packagecheck.py) catches each kind of
change a patch must not make, byte for byte, and lets through the ones it may make."""

from __future__ import annotations

import pytest

from packagecheck import elements, staff_cells_kept

HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="A1:B2"/><cols><col min="1" max="1" width="12"/></cols><sheetData>')
ROWS = (b'<row r="1" ht="20" customHeight="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="3"><f>A1&amp;"&gt;"</f>'
        b'<v>x</v></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>a/&gt;</t></is></c><c r="B2"/></row>'
        b'<row r="3" hidden="1"/>')
TAIL = b'</sheetData><mergeCells count="1"><mergeCell ref="C1:D1"/></mergeCells></worksheet>'
OLD = HEAD + ROWS + TAIL


def swap(old: bytes, new: bytes, where: bytes = OLD) -> bytes:
    assert where.count(old) == 1, old
    return where.replace(old, new)


CASES = [
    # (what the patch did, the new sheet XML, the cells doithoai wrote, passes)
    ("nothing", OLD, set(), True),
    ("wrote B2, a cell doithoai owns", swap(b'<c r="B2"/>', b'<c r="B2" t="inlineStr"><is><t>KN-1</t></is></c>'),
     {"B2"}, True),
    ("wrote a cell into the empty row 3", swap(b'<row r="3" hidden="1"/>',
                                              b'<row r="3" hidden="1"><c r="B3"><v>1</v></c></row>'), {"B3"}, True),
    ("added row 4 and grew the dimension", swap(b'<dimension ref="A1:B2"/>', b'<dimension ref="A1:B4"/>',
                                                swap(b'</sheetData>', b'<row r="4"><c r="B4"><v>2</v></c></row>'
                                                     b'</sheetData>')), {"B4"}, True),
    ("changed a staff value", swap(b'<v>0</v>', b'<v>1</v>'), set(), False),
    ("reordered a staff cell's attributes", swap(b'<c r="A1" t="s">', b'<c t="s" r="A1">'), set(), False),
    ("re-escaped a staff text", swap(b'<t>a/&gt;</t>', b'<t>a/></t>'), set(), False),
    ("touched a formula cell", swap(b'<c r="B1" s="3">', b'<c r="B1" s="4">'), set(), False),
    ("dropped a staff cell", swap(b'<c r="B2"/>', b""), set(), False),
    ("changed a row's height", swap(b'ht="20"', b'ht="21"'), {"A1"}, False),
    ("unhid a row", swap(b'<row r="3" hidden="1"/>', b'<row r="3"/>'), set(), False),
    ("changed the columns", swap(b'width="12"', b'width="13"'), set(), False),
    ("dropped a merge", swap(b'<mergeCells count="1"><mergeCell ref="C1:D1"/></mergeCells>', b""), set(), False),
]


@pytest.mark.parametrize("what,new,written,passes", CASES, ids=[c[0] for c in CASES])
def test_the_check_catches_what_a_patch_must_not_change(what, new, written, passes):
    exp = passes
    try:
        staff_cells_kept(OLD, new, written)
        got = True
    except AssertionError:
        got = False
    assert got == exp, what


def test_elements_are_cut_at_their_bytes():
    exp = [(b"c", b'<c r="B2"/>'), (b"row", b'<row r="3" hidden="1"/>'),
           (b"c", b'<c r="A2" t="inlineStr"><is><t>a/&gt;</t></is></c>')]
    spans = {(e.name, e.attrs.get("r")): OLD[e.start:e.end] for e in elements(OLD)}
    got = [(b"c", spans[("c", "B2")]), (b"row", spans[("row", "3")]), (b"c", spans[("c", "A2")])]
    assert got == exp
    starts = {e.attrs.get("r"): OLD[e.start:e.tag_end] for e in elements(OLD) if e.name == "row"}
    assert starts["1"] == b'<row r="1" ht="20" customHeight="1">'
