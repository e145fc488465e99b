"""The one tokenizer of sheet XML (toolkit/xlsx/sheettokens.py) on the forms writers use: a
namespace prefix, other whitespace before an attribute, absolute references, empty elements;
and what it must not take for a tag or an attribute (a dropdown's <formula1>, text that looks
like markup, another attribute ending in r)."""

from __future__ import annotations

import pytest

from toolkit.xlsx import sheettokens


@pytest.mark.parametrize("xml,exp", [
    (b'<c r="B7" s="3"><v>1</v></c>', [(b' r="B7" s="3"', b"<v>1</v>")]),
    (b'<x:c r="B7"><x:v>1</x:v></x:c>', [(b' r="B7"', b"<x:v>1</x:v>")]),
    (b'<c r="B7"/><c r="C7" t="e"><v>#N/A</v></c>', [(b' r="B7"', None), (b' r="C7" t="e"', b"<v>#N/A</v>")]),
    (b'<c r="A1" t="inlineStr"><is><t>&lt;c r="Z9"&gt;</t></is></c>',
     [(b' r="A1" t="inlineStr"', b'<is><t>&lt;c r="Z9"&gt;</t></is>')]),
    (b'<col min="1" max="2"/><cols/>', []),                        # <col>, <cols> are not cells
])
def test_cell_elements(xml, exp):
    got = [(m.group(1), m.group(2)) for m in sheettokens.CELL.finditer(xml)]
    assert got == exp


@pytest.mark.parametrize("attrs,exp", [
    (b' r="B7"', (7, 2)),
    (b' s="1" r="$AB$12"', (12, 28)),
    (b'\tr="XFD1048576"', (1048576, 16384)),
    (b'\nr="c3"', (3, 3)),                       # lower case, as some writers do
    (b' attr="B7"', None),                       # another attribute ending in r
    (b' t="s"', None),
])
def test_cell_position(attrs, exp):
    got = sheettokens.cell_position(attrs)
    assert got == exp


@pytest.mark.parametrize("xml,exp", [
    (b"<c><f>A1*2</f><v>2</v></c>", True),
    (b'<c><f t="shared" si="0"/><v>2</v></c>', True),
    (b"<c><x:f>A1</x:f></c>", True),
    (b"<c><f\n>A1</f></c>", True),
    (b"<dataValidation><formula1>$A$1:$A$5</formula1></dataValidation>", False),
    (b"<c><v>1</v></c>", False),
])
def test_formula(xml, exp):
    got = sheettokens.FORMULA.search(xml) is not None
    assert got == exp


@pytest.mark.parametrize("prefix,xml,exp", [
    (b"", b'<row r="3" spans="1:5" ht="20"><c r="A3"/></row><row r="4"/>',
     [(b' r="3" spans="1:5" ht="20"', b""), (b' r="4"', b"/")]),
    (b"x:", b'<x:row r="3"></x:row><row r="9"/>', [(b' r="3"', b"")]),
    (b"", b"<rowBreaks/><row>", [(b"", b"")]),          # a row without a number; <rowBreaks> is not a row
])
def test_row_tags(prefix, xml, exp):
    got = [(m.group(1), m.group(2)) for m in sheettokens.row_tag(prefix).finditer(xml)]
    assert got == exp


@pytest.mark.parametrize("xml,exp", [
    (b'<row r="1"><c r="A1"/></row><row spans="1:2" r="42"><c r="A42"/></row>', [b"1", b"42"]),
    (b'<x:row r="7"/>', [b"7"]),
    (b"<row>", []),
])
def test_numbered_rows(xml, exp):
    got = sheettokens.NUMBERED_ROW.findall(xml)
    assert got == exp


@pytest.mark.parametrize("xml,exp", [
    (b'<dimension ref="A1:P200"/>', b"A1:P200"),
    (b'<x:dimension ref="A1"/>', b"A1"),
    (b"<sheetData/>", None),
])
def test_dimension_ref(xml, exp):
    m = sheettokens.DIMENSION_REF.search(xml)
    got = m.group(1) if m else None
    assert got == exp


def test_attributes_of_a_start_tag():
    tag = b' r="2" s="14" customFormat="1" t="e"'
    exp = (b"14", True, True, None)
    got = (sheettokens.STYLE.search(tag).group(1), sheettokens.CUSTOM_FORMAT.search(tag) is not None,
           sheettokens.ERROR_TYPE.search(tag) is not None, sheettokens.ROW_NUMBER.search(b' spans="1:2"'))
    assert got == exp
    col = b' min="2" max="4" width="9" style="7"'
    assert [sheettokens.number_attr(k).search(col).group(1) for k in (b"min", b"max", b"style")] == [b"2", b"4", b"7"]
    assert sheettokens.number_attr(b"max").search(b' xmax="4"') is None
