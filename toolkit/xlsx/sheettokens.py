"""The one tokenizer of worksheet XML, for the reader (``toolkit.xlsx.sheetxml``) and the
patcher (``toolkit.xlsx.sheetpatch``, ``toolkit.xlsx.patch``).

Sheet XML is handled as bytes with the regular expressions below, one sheet at a time and
never parsed into a tree, so memory follows the sheet and a 30 MB sheet is scanned in
milliseconds. That is sound on the sheet XML every writer makes (Excel, LibreOffice,
openpyxl, xlsxwriter, the toolkit itself) because:

- a ``<`` in text or in an attribute value is always escaped (``&lt;``), so ``<c``, ``<row``
  or ``<f`` in the bytes is always a tag;
- the start tags matched here (worksheet, sheetData, row, c, f, v, col, dimension,
  mergeCell, extLst) hold only attributes whose values never contain ``>`` (numbers, cell
  references, types, styles);
- an element may carry a namespace prefix (``<x:c>``): the patterns accept one, or are built
  for the sheet's own prefix (``row_tag``, ``sheet_data_tag``, ``col_tag``);
- an attribute is matched after whitespace (``\\s``), so ``r=`` is never found inside
  another attribute's name (``attr=``).

Patterns that run over a whole sheet start with literal bytes, so the regex engine skips
through the text between tags quickly. The tests check what the patcher writes with
independent parsers (expat and lxml in tests/packagecheck.py, the ECMA-376 schema in
tests/ooxml/), never with these patterns.
"""

from __future__ import annotations

import functools
import re

from toolkit.core import a1

# --- elements -----------------------------------------------------------------------------

# A cell element: group 1 its start tag's attributes, group 2 its content (None for <c .../>).
CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
# An <f> element (a formula), never <formula1> of a dropdown.
FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
# An <f> start tag, group 1 its attributes (array formulas, data tables).
FORMULA_TAG = re.compile(rb"<(?:\w+:)?f\b([^>]*)>")
# A cell's cached value, group 1.
VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
# A row start tag that says its number, group 1.
NUMBERED_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*?\sr=\"(\d+)\"")
DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*/>")
DIMENSION_REF = re.compile(rb"<(?:\w+:)?dimension\b[^>]*\sref=\"([^\"]+)\"")
MERGE_REF = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*\sref=\"([^\"]+)\"")
EXT_LST = re.compile(rb"<(?:\w+:)?extLst\b")
# The root element of a worksheet part, group 1 its prefix with the colon ("x:") or None.
WORKSHEET = re.compile(rb"<(\w+:)?worksheet\b")

# A cell reference of 2 or 3 column letters in an r="..." attribute, anywhere in the sheet.
# It starts with literal bytes and does not ask for whitespace before the attribute, so it
# may also find another attribute ending in r: that only makes a bound larger
# (toolkit.xlsx.sheetxml.too_wide, then the exact scan decides).
WIDE_REF = {n: re.compile(rb'r="\$?[A-Z]{%d}\$?\d' % n) for n in (2, 3)}


@functools.lru_cache(maxsize=16)
def row_tag(prefix: bytes) -> re.Pattern:
    """A row start tag of a sheet whose elements carry ``prefix`` (b"" or b"x:"): group 1 its
    attributes, group 2 "/" when the row is empty (<row .../>)."""
    return re.compile(rb"<" + re.escape(prefix) + rb"row\b([^>]*?)(/?)>")


@functools.lru_cache(maxsize=16)
def sheet_data_tag(prefix: bytes) -> re.Pattern:
    """The sheetData start tag, group 1 "/" when it is empty (<sheetData/>)."""
    return re.compile(rb"<" + re.escape(prefix) + rb"sheetData\b[^>]*?(/?)>")


@functools.lru_cache(maxsize=16)
def col_tag(prefix: bytes) -> re.Pattern:
    """A <col> element, group 1 its attributes."""
    return re.compile(rb"<" + re.escape(prefix) + rb"col\b([^>]*)/?>")


# --- attributes, searched in a start tag or in its attributes ------------------------------

CELL_REF = re.compile(rb'\sr="\$?([A-Za-z]{1,3})\$?(\d+)"')     # group 1 column letters, group 2 row
ROW_NUMBER = re.compile(rb'\sr="(\d+)"')
STYLE = re.compile(rb'\ss="(\d+)"')
ERROR_TYPE = re.compile(rb'\st="e"')
CUSTOM_FORMAT = re.compile(rb'\scustomFormat="(?:1|true)"')
SPILLING_TYPE = re.compile(rb'\st="(?:array|dataTable)"')        # an <f> over a range of cells
REF = re.compile(rb'\sref="([^"]+)"')


@functools.lru_cache(maxsize=8)
def number_attr(name: bytes) -> re.Pattern:
    """An attribute ``name`` holding a whole number, group 1 (min, max, style of a <col>)."""
    return re.compile(rb"\s" + re.escape(name) + rb'="(\d+)"')


def cell_position(attrs: bytes, start: int = 0, end: int | None = None) -> tuple[int, int] | None:
    """(row, column) from a cell's ``r`` attribute in ``attrs[start:end]``, or None without one."""
    m = CELL_REF.search(attrs, start, len(attrs) if end is None else end)
    if m is None:
        return None
    return int(m.group(2)), a1.col_index(m.group(1).decode())
