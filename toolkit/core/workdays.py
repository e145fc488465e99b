"""Vietnamese working days: deadlines and days left / days late.

A working day is Monday to Friday that is not a public holiday, plus the
Saturdays/Sundays the government announces as make-up working days.

Sources, in order of precedence:

1. ``extra_holidays`` (Cấu hình › Ngày nghỉ thêm): days off announced locally;
2. ``extra_workdays`` (Cấu hình › Ngày làm bù): weekend days to work;
3. the ``holidays`` package for Vietnam: Tết Dương lịch, the whole Tết
   Nguyên đán break (e.g. 08–14/02/2024), Giỗ Tổ Hùng Vương, 30/4, 1/5,
   Quốc khánh 2/9 (and the day next to it), the in-lieu days off and the
   make-up Saturdays it knows (``weekend_workdays``, e.g. 04/05/2024).

Nothing the package already covers is repeated here.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable

import holidays

_ONE_DAY = dt.timedelta(days=1)


class Calendar:
    """Working-day arithmetic for a Vietnamese public office."""

    def __init__(self, extra_workdays: Iterable[dt.date] = (), extra_holidays: Iterable[dt.date] = (),
                 years: Iterable[int] | None = None):
        self.extra_workdays = frozenset(_as_date(d) for d in extra_workdays)
        self.extra_holidays = frozenset(_as_date(d) for d in extra_holidays)
        self._holidays: set[dt.date] = set()
        self._names: dict[dt.date, str] = {}
        self._weekend_workdays: set[dt.date] = set()
        self._years: set[int] = set()
        self._add_cache: dict[tuple[dt.date, int], dt.date] = {}
        # Overdue checks count (deadline, today) for every open petition, day by day;
        # deadlines repeat (same conference, same N), so remember each span.
        self._between_cache: dict[tuple[dt.date, dt.date], int] = {}
        for year in years or ():
            self._load(int(year))

    @classmethod
    def from_config(cls, config, *, years: Iterable[int] | None = None) -> "Calendar":
        """Calendar with the swap days announced in Cấu hình (model.Config); ``years`` loaded now."""
        return cls(extra_workdays=getattr(config, "ngay_lam_bu", None) or (),
                   extra_holidays=getattr(config, "ngay_nghi_them", None) or (), years=years)

    # -- holiday data --------------------------------------------------------

    def _load(self, year: int) -> None:
        if year in self._years:
            return
        self._years.add(year)
        table = holidays.country_holidays("VN", years=year)
        for day, name in table.items():
            self._holidays.add(day)
            self._names[day] = name
        for day in getattr(table, "weekend_workdays", ()) or ():
            self._weekend_workdays.add(day)

    def holiday_name(self, d: dt.date) -> str | None:
        """Name of the public holiday on ``d`` (English, from the package), or None."""
        d = _as_date(d)
        self._load(d.year)
        return self._names.get(d)

    # -- queries -------------------------------------------------------------

    def is_workday(self, d: dt.date) -> bool:
        d = _as_date(d)
        if d in self.extra_holidays:
            return False
        if d in self.extra_workdays:
            return True
        if d.year not in self._years:
            self._load(d.year)
        if d in self._holidays:
            return False
        if d in self._weekend_workdays:
            return True
        return d.weekday() < 5

    def add_workdays(self, start: dt.date, n: int) -> dt.date:
        """``start`` + ``n`` working days; the first day counted is the day after ``start``.

        ``n == 0`` returns ``start``; a negative ``n`` counts backwards.
        """
        start = _as_date(start)
        n = int(n)
        key = (start, n)
        cached = self._add_cache.get(key)
        if cached is not None:
            return cached
        step = _ONE_DAY if n >= 0 else -_ONE_DAY
        day = start
        remaining = abs(n)
        while remaining:
            day += step
            if self.is_workday(day):
                remaining -= 1
        self._add_cache[key] = day
        return day

    def workdays_between(self, a: dt.date, b: dt.date) -> int:
        """Working days in (a, b] when b >= a; minus the working days in (b, a] otherwise.

        ``workdays_between(today, deadline)`` = days left;
        ``workdays_between(deadline, today)`` = days late.
        """
        a, b = _as_date(a), _as_date(b)
        if a == b:
            return 0
        sign = 1
        if b < a:
            a, b, sign = b, a, -1
        count = self._between_cache.get((a, b))
        if count is None:
            count = 0
            day = a + _ONE_DAY
            while day <= b:
                if self.is_workday(day):
                    count += 1
                day += _ONE_DAY
            self._between_cache[(a, b)] = count
        return sign * count


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise TypeError(f"not a date: {value!r}")
