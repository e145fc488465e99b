"""The one place for A1 / row / column conversions."""

from __future__ import annotations

import re

MAX_ROW = 1_048_576
MAX_COL = 16_384

_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def col_letter(col: int) -> str:
    """1 -> 'A', 27 -> 'AA'."""
    if not 1 <= col <= MAX_COL:
        raise ValueError(f"column out of range: {col}")
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def col_index(letters: str) -> int:
    """'A' -> 1, 'AA' -> 27."""
    n = 0
    for ch in letters.upper():
        if not "A" <= ch <= "Z":
            raise ValueError(f"not a column: {letters!r}")
        n = n * 26 + (ord(ch) - 64)
    return n


def cell(row: int, col: int) -> str:
    """(14, 7) -> 'G14'."""
    return f"{col_letter(col)}{row}"


def parse_cell(ref: str) -> tuple[int, int]:
    """'G14' -> (14, 7)."""
    m = _A1.match(ref.strip())
    if not m:
        raise ValueError(f"not a cell reference: {ref!r}")
    return int(m.group(2)), col_index(m.group(1))


def quote_sheet(sheet: str) -> str:
    """Sheet name as Excel wants it inside a formula or hyperlink location."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", sheet):
        return sheet
    return "'" + sheet.replace("'", "''") + "'"


def display_ref(sheet: str, row: int | None, col: int | None) -> str:
    """What staff read: 'Kiến nghị!G14' (no quotes), or just the sheet."""
    if row is None:
        return sheet
    if col is None:
        return f"{sheet}!{row}:{row}"
    return f"{sheet}!{cell(row, col)}"


def link_location(sheet: str, row: int | None, col: int | None) -> str:
    """Internal hyperlink target: "'Kiến nghị'!G14"."""
    return f"{quote_sheet(sheet)}!{cell(row or 1, col or 1)}"
