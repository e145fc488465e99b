"""Hạn of a task on Công việc: a date, or a number of days relative to the conference.

What staff may type in Hạn (folded: case, diacritics and spaces do not matter):

- a date: ``15/06/2024`` (or an Excel date) — the task is due that day;
- a signed number of days: ``-7`` (7 days before the conference), ``+10`` (10
  days after), ``0`` (the conference day). A number without a sign counts
  after the conference, because Excel turns a typed ``+10`` into ``10``;
- the same with words: ``-7 ngày``, ``7 ngày trước``, ``10 ngày sau``;
- working days, said explicitly: ``-5 ngày làm việc``, ``+3 NLV``.

Days are **calendar days** unless "ngày làm việc" is written, as in the legal
texts the plan follows: the law counts a period given "in days" in calendar
days (Bộ luật Dân sự 2015, Điều 144–148) and says "ngày làm việc" where it
means working days; Cấu hình's "Thông báo trước hội nghị (ngày)" and "Hạn báo
cáo kết quả (ngày)" are such periods, and the existing notice check counts them
in calendar days. When a calendar-day date falls on a day off, a task before
the conference moves back to the working day before it (so "at least N days
before" still holds) and a task after the conference moves on to the next
working day (Bộ luật Dân sự 2015, Điều 148: a period whose last day is a day
off ends on the next working day). Working-day rules use
``toolkit.core.workdays.Calendar`` (Tết, holidays, Cấu hình's swaps).

A number larger than :data:`MAX_DAYS` is not a rule but an Excel date serial.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from toolkit.core import values
from toolkit.core.text import ascii_fold

MAX_DAYS = 366
_ONE_DAY = dt.timedelta(days=1)
_RULE = re.compile(
    r"^(?P<sign>[+\-\u2212\u2013])?\s*(?P<n>\d{1,3})\s*(?P<unit>ngay\s*lam\s*viec|nlv|ngay\s*lich|ngay)?\s*"
    r"(?P<unit2>lam\s*viec)?\s*(?P<side>truoc|sau)?\s*(?:hoi\s*nghi)?$")


class Due(NamedTuple):
    """A parsed Hạn: a fixed ``date``, or ``days`` relative to the conference."""

    date: dt.date | None = None
    days: int | None = None
    workdays: bool = False

    @property
    def relative(self) -> bool:
        return self.date is None

    def text(self) -> str:
        """How documents and the dashboard say it."""
        if self.date is not None:
            return values.date_text(self.date, with_time=False)
        if self.days == 0:
            return "ngày hội nghị"
        unit = "ngày làm việc" if self.workdays else "ngày"
        side = "trước" if self.days < 0 else "sau"
        return f"{abs(self.days)} {unit} {side} hội nghị"


def parse_due(value: object) -> Due:
    """A Hạn cell as typed (text, number or date); ValueError when it is neither a date nor a rule."""
    if isinstance(value, bool):
        raise ValueError(f"not a due rule: {value!r}")
    if isinstance(value, (dt.date, dt.datetime)):
        return Due(date=values.parse_date(value))
    if isinstance(value, (int, float)):
        if float(value).is_integer() and abs(value) <= MAX_DAYS:
            return Due(days=int(value))
        return Due(date=values.parse_date(value))
    raw = str(value).strip()
    folded = " ".join(ascii_fold(raw).replace(".", " ").split())
    m = _RULE.match(folded)
    if m is None:
        return Due(date=values.parse_date(raw))     # ValueError when not a date either
    n = int(m.group("n"))
    if n > MAX_DAYS:
        raise ValueError(f"too many days: {raw!r}")
    sign, side = m.group("sign"), m.group("side")
    before = sign in ("-", "\u2212", "\u2013")
    if side == "truoc":
        if sign and not before:
            raise ValueError(f"both after and before: {raw!r}")
        before = True
    elif side == "sau" and before:
        raise ValueError(f"both before and after: {raw!r}")
    unit = (m.group("unit") or "").replace(" ", "")
    workdays = unit in ("ngaylamviec", "nlv") or bool(m.group("unit2"))
    return Due(days=-n if before else n, workdays=workdays)


def resolve(due: Due | None, conference_day: dt.date | None, calendar) -> dt.date | None:
    """The date a task is due; None when the rule is relative and the conference has no date.

    ``calendar``: a ``toolkit.core.workdays.Calendar`` (``is_workday``, ``add_workdays``).
    """
    if due is None:
        return None
    if due.date is not None:
        return due.date
    if conference_day is None:
        return None
    if due.workdays:
        return calendar.add_workdays(conference_day, due.days)
    day = conference_day + dt.timedelta(days=due.days)
    if due.days < 0:
        while not calendar.is_workday(day):
            day -= _ONE_DAY
    elif due.days > 0:
        while not calendar.is_workday(day):
            day += _ONE_DAY
    return day


def notice_deadline(conference_day: dt.date, days: int) -> dt.date:
    """The last day the announcement may go out: ``days`` calendar days before the conference
    (the same count as the check on Hội nghị's Ngày thông báo)."""
    return conference_day - dt.timedelta(days=abs(days))


def report_deadline(conference_day: dt.date, days: int, calendar) -> dt.date:
    """The last day the result report may be sent: ``days`` calendar days after (next working day if off)."""
    return resolve(Due(days=abs(days)), conference_day, calendar)
