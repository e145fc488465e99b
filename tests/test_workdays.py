"""Deadlines in Vietnamese working days (issue 3, point 3)."""

from __future__ import annotations

import datetime as dt

import pytest

from toolkit.core.model import Config
from toolkit.core.workdays import Calendar

D = dt.date

ADD_CASES = [
    # (received, working days, expected deadline, why)
    (D(2024, 6, 10), 1, D(2024, 6, 11), "Monday + 1 = Tuesday (the day after receipt counts first)"),
    (D(2024, 6, 14), 1, D(2024, 6, 17), "Friday + 1 = Monday"),
    (D(2024, 6, 15), 1, D(2024, 6, 17), "received on Saturday"),
    (D(2024, 6, 10), 0, D(2024, 6, 10), "zero days"),
    (D(2024, 6, 10), 15, D(2024, 7, 1), "three weeks"),
    # Tết Nguyên đán 2024: Thursday 08/02 to Wednesday 14/02 off
    (D(2024, 2, 7), 1, D(2024, 2, 15), "Tết 2024: the day before the break + 1"),
    (D(2024, 2, 5), 5, D(2024, 2, 19), "Tết 2024: 6, 7, then 15, 16, 19"),
    (D(2024, 2, 10), 1, D(2024, 2, 15), "received during Tết"),
    (D(2024, 1, 31), 10, D(2024, 2, 21), "Tết 2024 inside a 10-day deadline"),
    # 30/4 - 1/5/2024: Monday 29/4 off in lieu, Saturday 04/05 worked instead
    (D(2024, 4, 26), 1, D(2024, 5, 2), "Friday 26/4 + 1: 29/4, 30/4, 1/5 off"),
    (D(2024, 4, 26), 3, D(2024, 5, 4), "Saturday 04/05/2024 is a make-up working day"),
    (D(2024, 4, 26), 4, D(2024, 5, 6), "then Monday"),
    # Quốc khánh 2024: Monday 2/9 and Tuesday 3/9 off
    (D(2024, 8, 30), 1, D(2024, 9, 4), "Friday 30/8 + 1 skips 2/9 and 3/9"),
    # 2025: 30/4 Wednesday, 1/5 Thursday, 2/5 Friday off (worked Saturday 26/4)
    (D(2025, 4, 29), 1, D(2025, 5, 5), "30/4 - 2/5/2025 off"),
    (D(2025, 4, 25), 1, D(2025, 4, 26), "Saturday 26/04/2025 is a make-up working day"),
    # Tết 2025: 27/01 - 31/01 (Monday to Friday) off
    (D(2025, 1, 24), 1, D(2025, 2, 3), "Tết 2025"),
    # New Year across the year boundary
    (D(2024, 12, 31), 1, D(2025, 1, 2), "1/1 off"),
]


@pytest.mark.parametrize("received,n,exp,why", ADD_CASES)
def test_add_workdays(received, n, exp, why):
    got = Calendar().add_workdays(received, n)
    assert got == exp, why


def test_tet_2024_is_off_every_day():
    cal = Calendar(years=[2024])
    off = [D(2024, 2, d) for d in range(8, 15)]
    assert [cal.is_workday(d) for d in off] == [False] * 7
    assert cal.is_workday(D(2024, 2, 7)) and cal.is_workday(D(2024, 2, 15))


def test_swap_days_from_config():
    saturday = D(2024, 6, 15)
    config = Config(ngay_lam_bu=[saturday], ngay_nghi_them=[D(2024, 6, 17)])
    cal = Calendar.from_config(config)
    exp_got = [
        (cal.is_workday(saturday), True),
        (cal.is_workday(D(2024, 6, 17)), False),
        (cal.add_workdays(D(2024, 6, 14), 1), saturday),
        (cal.add_workdays(D(2024, 6, 14), 2), D(2024, 6, 18)),
        (Calendar().add_workdays(D(2024, 6, 14), 1), D(2024, 6, 17)),
    ]
    for got, exp in exp_got:
        assert got == exp


def test_extra_holiday_wins_over_extra_workday():
    d = D(2024, 6, 15)
    assert Calendar(extra_workdays=[d], extra_holidays=[d]).is_workday(d) is False


def test_datetime_accepted():
    assert Calendar().add_workdays(dt.datetime(2024, 6, 14, 9, 30), 1) == D(2024, 6, 17)


WORKDAYS_BETWEEN = [
    # (a, b, expected): working days in (a, b], negative when b < a
    (D(2024, 6, 10), D(2024, 6, 10), 0),
    (D(2024, 6, 10), D(2024, 6, 14), 4),
    (D(2024, 6, 14), D(2024, 6, 10), -4),
    (D(2024, 6, 14), D(2024, 6, 16), 0),       # weekend
    (D(2024, 2, 7), D(2024, 2, 15), 1),        # Tết
    (D(2024, 4, 26), D(2024, 5, 6), 4),        # 2/5, 3/5, Saturday 4/5, 6/5
]


@pytest.mark.parametrize("a,b,exp", WORKDAYS_BETWEEN)
def test_workdays_between(a, b, exp):
    assert Calendar().workdays_between(a, b) == exp


def test_add_and_between_agree():
    cal = Calendar()
    start = D(2024, 1, 2)
    for n in range(0, 60, 7):
        assert cal.workdays_between(start, cal.add_workdays(start, n)) == n
