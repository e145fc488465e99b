"""Is a petition answered, forwarded, open: the ward pass's own predicates, in one place for the roll-up.

DESIGN.md §10/§12: answered = a closed status (``outputs.summaries.is_answered``);
forwarded = not answered, and Trạng thái says it was forwarded
(``outputs.summaries.is_forwarded``) or Bộ phận chủ trì resolves to the ward's
"Chuyển cấp trên" department (``core.defaults.FORWARD_DEPARTMENT``, through
``core.references.resolve_department``: its code or its name, with the usual
tolerance); open = neither; overdue = open and Hạn xử lý before the as-of day.

The roll-up asks only this module. When the ward's predicates move (a
``core.status`` module), re-point the functions here and bump
:data:`VERSION`: the store then reads every ward again.
"""

from __future__ import annotations

import datetime as dt

from toolkit.core import defaults, references, schema, text
from toolkit.core.model import Dataset, Department, Petition

# Stored with the roll-up's data: another value makes the store read every file again. Bump it
# whenever what a ward's read yields changes (these predicates, rollup.ward, rollup.timeline).
VERSION = "1"

_FORWARD_KEY = text.fold(schema.FORM_FORWARD)      # "Chuyển cấp trên", the department's default name


def forward_department(dataset: Dataset) -> Department | None:
    """The ward's "Chuyển cấp trên" department (by its default code, else by its default name)."""
    found = references.resolve_department(dataset, defaults.FORWARD_DEPARTMENT)
    if found is None:
        found = references.resolve_department(dataset, schema.FORM_FORWARD)
    return found


def _summaries():
    """The ward's summaries module, imported when a petition is first asked about (the store imports
    this module for :data:`VERSION` on every roll-up, also when no file has to be read)."""
    from toolkit.outputs import summaries

    return summaries


def is_answered(p: Petition) -> bool:
    return _summaries().is_answered(p)


def is_forwarded(dataset: Dataset, p: Petition, forward: Department | None = None) -> bool:
    """Not answered, and forwarded by status or by its lead department (``forward``: the
    dataset's :func:`forward_department`, passed in when asked for many petitions)."""
    if is_answered(p):
        return False
    if _summaries().is_forwarded(p):
        return True
    if not p.chu_tri:
        return False
    lead = references.resolve_department(dataset, p.chu_tri)
    if lead is not None:
        forward = forward if forward is not None else forward_department(dataset)
        return forward is not None and lead is forward
    return text.fold(p.chu_tri) == _FORWARD_KEY


def is_open(dataset: Dataset, p: Petition, forward: Department | None = None) -> bool:
    return not is_answered(p) and not is_forwarded(dataset, p, forward)


def is_overdue(open_: bool, han: dt.date | None, as_of: dt.date) -> bool:
    """Overdue from the stored flags: open, with a Hạn xử lý before ``as_of``."""
    return bool(open_) and han is not None and han < as_of
