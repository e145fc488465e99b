"""Scans of a sheet's raw XML that python-calamine cannot do for us.

- Far cells: calamine lays a sheet out as one dense grid from A1 to its last
  cell, so a stray value at XFD1048576 asks for a grid of 17 billion cells and
  aborts the process. ``tame_far_cells`` drops such cells (a finding each) from
  a copy of the file before calamine sees it, or raises ``GridTooLarge`` when
  the table itself is too big.
- Formulas: calamine reads only cached values, so a formula saved without one
  (written by openpyxl, never opened in Excel) would look blank, and an error
  cell's text is lost; ``cell_overrides`` finds both.
"""

from __future__ import annotations

import io
import re
import zipfile


from toolkit.core import schema
from toolkit.core.findings import Finding
from toolkit.xlsx import sheettokens

MAX_GRID_CELLS = 20_000_000               # rows x columns calamine may lay out densely for one sheet
FAR_ROW_GAP = 10_000                      # empty rows after which a lone cell is "far from the table"
FAR_COL_GAP = 100                         # same, in columns
MAX_FAR_FINDINGS = 20


class GridTooLarge(Exception):
    """The table itself (not a stray cell) needs a grid over MAX_GRID_CELLS; args[0] says how big."""


PENDING = object()   # marker: formula without cached value



def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> zip member of its XML (toolkit.xlsx.patch.sheet_parts); {} when unreadable."""
    from toolkit.xlsx.patch import sheet_parts as parts

    try:
        return parts(zf)
    except Exception:   # noqa: BLE001 - then we simply cannot scan formulas
        return {}


def cell_overrides(zf: zipfile.ZipFile, part: str | None, xml: bytes | None = None) -> dict[tuple[int, int], object]:
    """(row, col) -> PENDING for formulas without cached value, or the error text of error cells."""
    if not part:
        return {}
    if xml is None:
        try:
            xml = zf.read(part)
        except KeyError:
            return {}
    # <formula1> of a dropdown is not a formula cell: look for the <f> element itself.
    # (b"f>" first: a cheap literal test that every sheet with a formula passes.)
    if (b"f>" not in xml or sheettokens.FORMULA.search(xml) is None) and b't="e"' not in xml:
        return {}
    out: dict[tuple[int, int], object] = {}
    for m in sheettokens.CELL.finditer(xml):
        attrs, body = m.group(1), m.group(2) or b""
        is_err = sheettokens.ERROR_TYPE.search(attrs) is not None
        has_f = sheettokens.FORMULA.search(body) is not None
        if not (is_err or has_f):
            continue
        pos = sheettokens.cell_position(attrs)
        if pos is None:
            continue
        v = sheettokens.VALUE.search(body)
        cached = v.group(1).decode("utf-8", "replace").strip() if v else ""
        if has_f and not cached:
            out[pos] = PENDING
        elif is_err:
            out[pos] = cached or "#N/A"
    return out


def _last_row(xml: bytes) -> int:
    window = 1 << 16
    while True:
        rows = sheettokens.NUMBERED_ROW.findall(xml, max(0, len(xml) - window))
        if rows or window >= len(xml):
            return int(rows[-1]) if rows else 0
        window *= 8


def _grid_upper_bound(xml: bytes) -> int:
    """A cheap upper bound of the rows x columns calamine lays out for this sheet."""
    rows = _last_row(xml)
    if rows * 16_384 <= MAX_GRID_CELLS:      # small enough whatever the columns: no scan
        return rows * 16_384
    if sheettokens.WIDE_REF[3].search(xml):
        return rows * 16_384
    if rows * 702 <= MAX_GRID_CELLS:
        return rows * 702
    return rows * (702 if sheettokens.WIDE_REF[2].search(xml) else 26)


def too_wide(xml: bytes) -> bool:
    """True when calamine might lay this sheet out as a grid over MAX_GRID_CELLS (``tame_far_cells`` it first)."""
    return _grid_upper_bound(xml) > MAX_GRID_CELLS


def _kept_extent(positions: list[int], gap: int) -> int:
    """The last position before the first run of more than ``gap`` empty ones."""
    kept = 0
    for p in sorted(set(positions)):
        if kept and p - kept > gap:
            break
        kept = p
    return kept


def _drop_far_cells(xml: bytes, sheet: schema.Sheet, findings: list[Finding]) -> bytes:
    """Cells far away from the table (XFD1048576...) would make calamine lay out a
    grid of billions of cells and abort: drop them, with a finding for each."""
    cells = []
    for m in sheettokens.CELL.finditer(xml):
        pos = sheettokens.cell_position(m.group(1))
        if pos and m.group(2):
            cells.append(pos)
    max_row = _kept_extent([r for r, _c in cells], FAR_ROW_GAP)
    max_col = _kept_extent([c for _r, c in cells], FAR_COL_GAP)
    if max_row * max_col > MAX_GRID_CELLS:
        raise GridTooLarge(f"sheet {sheet.name} có {max_row:,} dòng × {max_col} cột".replace(",", "."))
    far = sorted((r, c) for r, c in cells if r > max_row or c > max_col)
    for r, c in far[:MAX_FAR_FINDINGS]:
        findings.append(Finding("far-cell-ignored", sheet=sheet.name, row=r, col=c))

    def keep(m: re.Match) -> bytes:
        pos = sheettokens.cell_position(m.group(1))
        if pos and (pos[0] > max_row or pos[1] > max_col):
            return b""
        return m.group(0)

    return sheettokens.DIMENSION.sub(b"", sheettokens.CELL.sub(keep, xml))


def tame_far_cells(data: bytes, titles: dict[str, schema.Sheet]) -> tuple[bytes, list[Finding]]:
    """``data`` with far-away cells of the sheets to read removed (unchanged when there are none)."""
    findings: list[Finding] = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = sheet_parts(zf)
        fixed: dict[str, bytes] = {}
        for title, sheet in titles.items():
            part = parts.get(title)
            try:
                xml = zf.read(part) if part else b""
            except KeyError:
                continue
            if too_wide(xml):
                fixed[part] = _drop_far_cells(xml, sheet, findings)
        if not fixed:
            return data, findings
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in zf.infolist():
                dst.writestr(info, fixed.get(info.filename) or zf.read(info))
    return out.getvalue(), findings
