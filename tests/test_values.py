"""Cell-value parsers: what staff type, what the toolkit understands."""

import datetime as dt

import pytest

from toolkit.core import values

D = dt.date


@pytest.mark.parametrize("raw, exp", [
    (dt.datetime(2024, 6, 15, 0, 0), D(2024, 6, 15)),
    (D(2024, 6, 15), D(2024, 6, 15)),
    (45458, D(2024, 6, 15)),              # Excel serial number
    (45458.0, D(2024, 6, 15)),
    (45458.75, D(2024, 6, 15)),           # serial with a time part
    ("15/06/2024", D(2024, 6, 15)),
    ("5/6/2024", D(2024, 6, 5)),
    ("5/6/24", D(2024, 6, 5)),
    ("15-06-2024", D(2024, 6, 15)),
    ("15.06.2024", D(2024, 6, 15)),
    ("2024-06-15", D(2024, 6, 15)),
    (" 15 / 06 / 2024 ", D(2024, 6, 15)),
    ("2024-06-15 00:00:00", D(2024, 6, 15)),
    ("29/02/2024", D(2024, 2, 29)),
    ("1/1/99", D(1999, 1, 1)),
])
def test_parse_date_accepts(raw, exp):
    got = values.parse_date(raw)
    assert got == exp


@pytest.mark.parametrize("raw", [
    "31/02/2024", "29/02/2023", "32/01/2024", "15/13/2024", "hôm qua", "", "2024", "15/06",
    0, -5, 0.5, True, "06/15/2024", "01/01/1800", 99999999,
])
def test_parse_date_refuses(raw):
    with pytest.raises(ValueError):
        values.parse_date(raw)


@pytest.mark.parametrize("raw, exp", [
    (dt.time(8, 0), dt.time(8, 0)),
    (dt.datetime(1899, 12, 30, 14, 30), dt.time(14, 30)),
    (0.5, dt.time(12, 0)),
    ("8:00", dt.time(8, 0)),
    ("08:30", dt.time(8, 30)),
    ("14:00:00", dt.time(14, 0)),
    ("8h30", dt.time(8, 30)),
    ("8h", dt.time(8, 0)),
    ("8 giờ 30", dt.time(8, 30)),
    ("2:00 PM", dt.time(14, 0)),
    ("2 giờ chiều", dt.time(14, 0)),
    (8, dt.time(8, 0)),
])
def test_parse_time_accepts(raw, exp):
    assert values.parse_time(raw) == exp


@pytest.mark.parametrize("raw", ["25:00", "8:75", "sáng", "", 1.5, 30])
def test_parse_time_refuses(raw):
    with pytest.raises(ValueError):
        values.parse_time(raw)


@pytest.mark.parametrize("raw, exp", [(5, 5), (5.0, 5), ("5", 5), (" 7 ", 7), ("5.0", 5), ("-2", -2)])
def test_parse_int_accepts(raw, exp):
    assert values.parse_int(raw) == exp


@pytest.mark.parametrize("raw", [5.5, "năm", "5 người", "", True, "1.000"])
def test_parse_int_refuses(raw):
    with pytest.raises(ValueError):
        values.parse_int(raw)


@pytest.mark.parametrize("raw, exp", [(1965, 1965), (1965.0, 1965), ("1965", 1965), (D(1965, 3, 2), 1965),
                                      ("02/03/1965", 1965)])
def test_parse_year_accepts(raw, exp):
    assert values.parse_year(raw) == exp


@pytest.mark.parametrize("raw", [65, "sáu lăm", 12345])
def test_parse_year_refuses(raw):
    with pytest.raises(ValueError):
        values.parse_year(raw)


@pytest.mark.parametrize("raw, exp", [
    ("0912345678", "0912345678"),
    (912345678, "0912345678"),            # Excel dropped the leading zero
    (912345678.0, "0912345678"),
    ("0912 345 678", "0912345678"),
    ("0912.345.678", "0912345678"),
    ("0912-345-678", "0912345678"),
    ("+84 912 345 678", "0912345678"),
    ("+84912345678", "0912345678"),
    ("84912345678", "0912345678"),
    ("(024) 3382 1234", "02433821234"),    # Hà Nội landline, 11 digits
    (2433821234, "02433821234"),
    ("0352 111 222", "0352111222"),
])
def test_parse_phone_accepts(raw, exp):
    assert values.parse_phone(raw) == exp


@pytest.mark.parametrize("raw", ["091234567", "09123456789", "abc", "0112345678", "+1 202 555 0100",
                                 "0912345678 / 0987654321", 12.5, ""])
def test_parse_phone_refuses(raw):
    with pytest.raises(ValueError):
        values.parse_phone(raw)


@pytest.mark.parametrize("raw, exp", [
    ("x", True), ("X", True), ("có", True), ("Có", True), ("co", True), ("1", True), (1, True), (True, True),
    ("TRUE", True), ("yes", True), ("✓", True), ("có\u0301"[:2], True),
    ("không", False), ("Không", False), ("khong", False), ("0", False), (0, False), (False, False),
    ("FALSE", False), ("no", False),
])
def test_parse_bool_accepts(raw, exp):
    assert values.parse_bool(raw) is exp


@pytest.mark.parametrize("raw", ["có lẽ", "2", 2, "?"])
def test_parse_bool_refuses(raw):
    with pytest.raises(ValueError):
        values.parse_bool(raw)


@pytest.mark.parametrize("raw, exp", [
    ("VP; DC", ["VP", "DC"]),
    ("VP, DC", ["VP", "DC"]),
    ("VP\nDC", ["VP", "DC"]),
    (" VP ;; DC ; ", ["VP", "DC"]),
    ("", []),
    (None, []),
    (5, ["5"]),
])
def test_parse_list(raw, exp):
    assert values.parse_list(raw) == exp


@pytest.mark.parametrize("raw, exp", [
    ("vanphong@hacau.gov.vn", "vanphong@hacau.gov.vn"),
    (" a.b@x.vn ", "a.b@x.vn"),
    ("mailto:a@x.vn", "a@x.vn"),
])
def test_parse_email_accepts(raw, exp):
    assert values.parse_email(raw) == exp


@pytest.mark.parametrize("raw", ["vanphong", "a@b", "a@@b.vn", "a b@x.vn", "a..b@x.vn", 5])
def test_parse_email_refuses(raw):
    with pytest.raises(ValueError):
        values.parse_email(raw)


@pytest.mark.parametrize("raw, exp", [
    ("#REF!", True), ("#N/A", True), ("#VALUE!", True), ("#DIV/0!", True), ("#NAME?", True),
    ("#NULL!", True), ("#NUM!", True), ("#SPILL!", True), ("#CALC!", True), ("#GETTING_DATA", True),
    (" #ref! ", True), ("#1", False), ("REF", False), (None, False), (5, False),
])
def test_is_excel_error(raw, exp):
    assert values.is_excel_error(raw) is exp
