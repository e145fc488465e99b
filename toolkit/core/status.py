"""What a petition's values mean: the one set of predicates every part asks.

A petition's list values are resolved to their canonical entry once, when the
records are built (``toolkit.core.canonical``): a Trạng thái typed in lower case,
without diacritics or with odd spacing is the same status here. Every check,
summary, dashboard, department file, document and the province roll-up asks
these predicates; nothing else compares a status's text.

- answered: a closed status (``schema.STATUS_CLOSED``);
- forwarded: not answered, and Trạng thái is "Đã chuyển cấp trên" or Bộ phận chủ
  trì is the "Chuyển cấp trên" department (``Petition.sent_up``, set when the
  record is built and whenever a pass changes its department);
- open: neither (still on the ward's clock);
- awaits a slip: not answered and not yet marked sent up (what a phiếu chuyển lists);
- overdue: open and Hạn xử lý before the given day;
- settled: a decision that is history (docs/ARCHITECTURE.md, "Settled decisions"):
  Trạng thái past "Mới tiếp nhận", or an answer (date or result) typed. The toolkit
  never re-derives a settled petition's department, deadline or Căn cứ phân công.
"""

from __future__ import annotations

import datetime as dt
import functools

from toolkit.core import canonical, schema

NEW = schema.STATUS_NEW
WORKING = schema.STATUS_WORKING
CLOSED = frozenset(schema.STATUS_CLOSED)
AT_CONFERENCE = schema.STATUS_AT_CONFERENCE
WRITTEN = schema.STATUS_WRITTEN
RESOLVED = schema.STATUS_RESOLVED
FORWARDED = schema.STATUS_FORWARDED


_KNOWN = frozenset(schema.LISTS["trang_thai"][1])


@functools.lru_cache(maxsize=1024)
def _spelling(value: str) -> str:
    """A status not in the list's spelling (a record built by hand, not by ``records``): the same
    reading as ``core.canonical``, against the toolkit's own entries."""
    found = canonical.Entries(schema.LISTS["trang_thai"][1]).canonical(value)
    return found or value


def status_of(p) -> str:
    """The canonical Trạng thái; a blank one is "Mới tiếp nhận"."""
    s = p.trang_thai
    if not s:
        return NEW
    return s if s in _KNOWN or not isinstance(s, str) else _spelling(s)


def is_answered(p) -> bool:
    return status_of(p) in CLOSED


def is_forwarded(p) -> bool:
    s = status_of(p)
    if s in CLOSED:
        return False
    return s == FORWARDED or bool(getattr(p, "sent_up", False))


def is_open(p) -> bool:
    return not is_answered(p) and not is_forwarded(p)


def awaits_slip(p) -> bool:
    """Its lead department still has to act on it: not answered, and not yet marked "Đã chuyển cấp
    trên". A petition led by "Chuyển cấp trên" is *forwarded* (off the ward's clock) yet still needs
    its phiếu chuyển to the receiving body until the status says it was sent."""
    s = status_of(p)
    return s not in CLOSED and s != FORWARDED


def _day(value) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


def is_overdue(p, today: dt.date) -> bool:
    deadline = _day(p.han)
    return deadline is not None and deadline < today and is_open(p)


def has_answer(p) -> bool:
    return p.ngay_tra_loi is not None or bool((p.ket_qua or "").strip())


def is_settled(p) -> bool:
    """Trạng thái moved past "Mới tiếp nhận", or an answer typed: its routing is history."""
    return status_of(p) != NEW or has_answer(p)
