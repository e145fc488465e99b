"""A sheet's values as read against the grid a pass wants there (generated sheets, department files).

Both the register's generated sheets (pipeline.applier) and the departments' files
(outputs.department_files) are rewritten only when their values differ, judged here.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Iterable

from toolkit.core.text import clean


def _norm(value):
    """A value as compared between what a pass wants and what is in the file. Floats count to
    15 significant digits: LibreOffice saves no more, so 0.9491525423728814 comes back as
    0.949152542372881 and must not make the next pass write again."""
    if isinstance(value, float):
        value = float(f"{value:.15g}")
        return int(value) if value.is_integer() else value
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date()
        return value
    if isinstance(value, str):
        return clean(value) or None
    return value


def same_grid(current: Iterable[Iterable], wanted: list[list]) -> bool:
    """Do the values of a sheet (as read) equal the wanted grid? Trailing blanks don't count.
    Compared a row at a time: a sheet that changed is usually told from its first rows."""
    def rows(grid):
        for row in grid:
            out = [_norm(v) for v in row]
            while out and out[-1] is None:
                out.pop()
            yield out

    return all(a == b for a, b in itertools.zip_longest(rows(current), rows(wanted), fillvalue=[]))
