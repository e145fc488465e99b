"""Is a petition answered, forwarded, open, overdue: the ward pass's own predicates (toolkit.core.status).

docs/ARCHITECTURE.md, "One reading" and "The province roll-up": answered = a closed status;
forwarded = not answered, and Trạng thái says it was forwarded or Bộ phận chủ trì is the
ward's "Chuyển cấp trên" department (``Petition.sent_up``, set when the records are built);
open = neither; overdue = open and Hạn xử lý before the as-of day. The records come from
``core.records.build``, which resolves every list value to its canonical entry, so a status
typed in lower case or without diacritics counts the same here as on the ward's dashboard.

The roll-up asks only this module; the answers are ``core.status``'s.
"""

from __future__ import annotations

import datetime as dt

from toolkit.core import status
from toolkit.core.model import Petition

# Stored with the roll-up's data: another value makes the store read every file again. Bump it
# whenever what a ward's read yields changes (these predicates, rollup.ward, rollup.timeline).
VERSION = "2"


def is_answered(p: Petition) -> bool:
    return status.is_answered(p)


def is_forwarded(p: Petition) -> bool:
    return status.is_forwarded(p)


def is_open(p: Petition) -> bool:
    return status.is_open(p)


def is_overdue(open_: bool, han: dt.date | None, as_of: dt.date) -> bool:
    """Overdue from the stored flags: open, with a Hạn xử lý before ``as_of``."""
    return bool(open_) and han is not None and han < as_of
