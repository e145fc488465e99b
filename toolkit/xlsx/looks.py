"""How the toolkit's cells look, in one place for ``init`` (create.py, openpyxl)
and for the pass's write-back (sheets.py, the package patcher).

A column's header says who owns it: dark blue with white text where staff type,
light blue where the toolkit fills blanks, grey where the toolkit owns the
column (Kiểm tra, Căn cứ phân công). A Kiểm tra column a pass adds looks like
one ``init`` made.
"""

from __future__ import annotations

from toolkit.core import schema
from toolkit.xlsx.styles import Font, Look

STAFF_BLUE = "1F4E79"        # staff type here; titles
FILLED_BLUE = "BDD7EE"       # the toolkit fills where blank
TOOLKIT_GREY = "BFBFBF"      # toolkit-owned
HEADER_BORDER = "7F7F7F"     # thin border of the data sheets' header cells
GRID_GREY = "A6A6A6"         # grid of the sheets the toolkit generates (Lỗi nhập liệu, Tổng hợp)
LINK_BLUE = "0563C1"

_HEADER_FILL = {schema.STAFF: (STAFF_BLUE, "FFFFFF"), schema.FILLED: (FILLED_BLUE, "000000"),
                schema.TOOLKIT: (TOOLKIT_GREY, "000000")}


def header_look(owner: str) -> Look:
    """The header cell of a data-sheet column owned by ``owner`` (schema.STAFF / FILLED / TOOLKIT)."""
    fill, text = _HEADER_FILL[owner]
    return Look(font=Font(bold=True, color=text), fill=fill, wrap=True, center=True, border=HEADER_BORDER)


TITLE_LOOK = Look(font=Font(bold=True, size=13, color=STAFF_BLUE))
TABLE_HEADER_LOOK = Look(font=Font(bold=True, color="FFFFFF"), fill=STAFF_BLUE, wrap=True, border=GRID_GREY)
PLAIN_LOOK = Look(wrap=True, border=GRID_GREY)
LINK_LOOK = Look(font=Font(color=LINK_BLUE, underline=True), wrap=True, border=GRID_GREY)
