"""The raw sheet-XML scans that run before python-calamine sees a sheet.

``too_wide`` is a cheap upper bound: it must never say "fine" for a sheet
calamine would lay out as a grid of billions of cells (that aborts the
process), whatever whitespace or absolute-reference form the writer used, and
should say "fine" for an ordinary tall table (so the exact scan is skipped).
"""

from __future__ import annotations

import pytest

from toolkit.xlsx import sheetxml


def sheet(rows: int, extra_cell: bytes = b"") -> bytes:
    """A sheet of ``rows`` rows of two cells each, ``extra_cell`` inside the first row."""
    body = [b'<row r="1"><c r="A1" t="inlineStr"><is><t>UBND ABC1</t></is></c>' + extra_cell + b"</row>"]
    body += [b'<row r="%d"><c r="A%d"><v>1</v></c><c r="B%d"><v>2</v></c></row>' % (i, i, i)
             for i in range(2, rows + 1)]
    return (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b"<sheetData>" + b"".join(body) + b"</sheetData></worksheet>")


@pytest.mark.parametrize("rows, extra, exp", [
    (100, b'<c r="XFD1"><v>1</v></c>', False),                 # 100 x 16,384 cells: small whatever the width
    (30_000, b"", False),                                       # tall and narrow
    (20_000, b'<c r="AB1"><v>1</v></c>', False),               # 20,000 x 702 columns at most
    (30_000, b'<c r="AB1"><v>1</v></c>', True),                # 30,000 x 702: over the cap, scan exactly
    (30_000, b'<c r="XFD1"><v>1</v></c>', True),               # 30,000 x 16,384
    (30_000, b'<c r="$XFD$1"><v>1</v></c>', True),
    (30_000, b'<c\tr="XFD1"><v>1</v></c>', True),              # other whitespace before the attribute
    (30_000, b'<c\nr="XFD1"><v>1</v></c>', True),
    (30_000, b'<c s="3" r="AAA1"><v>1</v></c>', True),
])
def test_too_wide(rows, extra, exp):
    got = sheetxml.too_wide(sheet(rows, extra))
    assert got == exp


def test_text_that_looks_like_a_reference_is_not_a_wide_cell():
    """'UBND ABC1' in a cell's text is not an r="…" attribute."""
    assert sheetxml.too_wide(sheet(30_000)) is False


def test_a_far_row_makes_the_exact_scan_run():
    xml = sheet(10).replace(b"</sheetData>", b'<row r="1048576"><c r="B1048576"><v>1</v></c></row></sheetData>')
    assert sheetxml.too_wide(xml) is True           # 1,048,576 rows x 26 columns is over the cap
