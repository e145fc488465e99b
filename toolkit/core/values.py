"""Pure cell-value parsers (no I/O).

Each ``parse_*`` returns the parsed value or raises ``ValueError``. Blank cells
are the caller's business (the reader turns them into ``None`` first).
Accepted spellings are the ones Vietnamese office staff actually type in
Excel: dates as dd/mm/yyyy (and friends), Excel serial numbers, phone numbers
that lost their leading zero, yes/no as x / có / không / 1 / 0 / TRUE.
"""

from __future__ import annotations

import datetime as dt
import re

from toolkit.core import text
from toolkit.core.errors import UsageError

EXCEL_ERRORS = frozenset({
    "#REF!", "#N/A", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!",
    "#SPILL!", "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
})

_EXCEL_EPOCH = dt.date(1899, 12, 30)    # serial 1 = 1900-01-01 (Excel's 1900 leap-year bug included)
_MAX_SERIAL = 2_958_465                 # 9999-12-31
MIN_YEAR, MAX_YEAR = 1900, 2100

_DMY = re.compile(r"^(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{4}|\d{2})$")
_YMD = re.compile(r"^(\d{4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})$")
_MIDNIGHT = re.compile(r"^(.*?)[ T]0?0:00(:00(\.0+)?)?$")
_TIME = re.compile(r"^(\d{1,2})\s*(?::|h|g|giờ|gio)\s*(\d{1,2})?\s*(?::\s*(\d{1,2}))?\s*(?:phút|phut|p|')?$", re.I)
_AMPM = re.compile(r"^(.*?)\s*(am|pm|sa|ch|sáng|chiều|chieu|sang)$", re.I)
_EMAIL = re.compile(r"^[A-Za-z0-9._%+\-']+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")
_LIST_SPLIT = re.compile(r"[;,\n]")

_TRUE = frozenset({"x", "co", "1", "true", "yes", "y", "v", "✓", "✔", "☑", "dung", "co mat", "da moi", "ok"})
_FALSE = frozenset({"khong", "0", "false", "no", "n", "✗", "✘", "☐", "sai", "vang", "vang mat"})


class LongText(str):
    """Text longer than Excel's 32,767 characters (already cut to the limit)."""


MEMO_MAX_CHARS = 200   # longer text is rarely typed twice: not worth remembering a cell's result


def is_excel_error(v: object) -> bool:
    """True for Excel error values such as #REF! or #N/A (as text)."""
    # Every error value starts with '#': most text is passed over without a copy.
    return isinstance(v, str) and "#" in v and v.strip().upper() in EXCEL_ERRORS


def _is_number(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _as_text(v: object) -> str:
    if not isinstance(v, str):
        raise ValueError(f"not text: {v!r}")
    return text.clean(v, multiline=False)


def _checked_date(year: int, month: int, day: int) -> dt.date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"year out of range: {year}")
    return dt.date(year, month, day)   # raises ValueError for 31/02


def _serial_to_date(serial: float) -> dt.date:
    if serial != serial or not 1 <= serial <= _MAX_SERIAL:   # NaN or out of range
        raise ValueError(f"not a date serial: {serial!r}")
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))


def parse_date(v: object) -> dt.date:
    """Excel date/datetime, serial number, or text dd/mm/yyyy, d/m/yy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd."""
    if isinstance(v, dt.datetime):
        return _checked_date(v.year, v.month, v.day)
    if isinstance(v, dt.date):
        return _checked_date(v.year, v.month, v.day)
    if _is_number(v):
        if isinstance(v, float) and v != int(v) and v < 1:
            raise ValueError(f"a time, not a date: {v!r}")
        d = _serial_to_date(v)
        return _checked_date(d.year, d.month, d.day)
    s = _as_text(v)
    m = _MIDNIGHT.match(s)          # "2024-06-15 00:00:00" pasted from elsewhere
    if m:
        s = m.group(1).strip()
    m = _DMY.match(s)
    if m:
        day, month, year = (int(g) for g in m.groups())
        if len(m.group(3)) == 2:
            year += 2000 if year < 50 else 1900
        return _checked_date(year, month, day)
    m = _YMD.match(s)
    if m:
        year, month, day = (int(g) for g in m.groups())
        return _checked_date(year, month, day)
    raise ValueError(f"not a date: {v!r}")


def parse_time(v: object) -> dt.time:
    """Excel time, a fraction of a day, or text 8:30, 08:30:00, 8h30, 8h, 8 giờ 30, 2:00 PM."""
    if isinstance(v, dt.datetime):
        return v.time().replace(microsecond=0)
    if isinstance(v, dt.time):
        return v.replace(microsecond=0)
    if isinstance(v, dt.timedelta):
        seconds = round(v.total_seconds())
        if 0 <= seconds < 86400:
            return dt.time(seconds // 3600, seconds % 3600 // 60, seconds % 60)
        raise ValueError(f"not a time: {v!r}")
    if _is_number(v):
        if 0 <= v < 1:
            seconds = round(v * 86400)
            if seconds >= 86400:
                seconds = 86399
            return dt.time(seconds // 3600, seconds % 3600 // 60, seconds % 60)
        if isinstance(v, int) and 0 <= v <= 23:      # "8" typed as a number: 8 o'clock
            return dt.time(v, 0)
        raise ValueError(f"not a time: {v!r}")
    s = _as_text(v)
    pm = False
    m = _AMPM.match(s)
    if m:
        s = m.group(1)
        pm = text.ascii_fold(m.group(2)) in ("pm", "ch", "chieu")
    if s.isdigit() and len(s) <= 2:
        s += ":00"
    m = _TIME.match(s)
    if not m:
        raise ValueError(f"not a time: {v!r}")
    hour, minute, second = int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)
    if pm and hour < 12:
        hour += 12
    return dt.time(hour, minute, second)   # raises for 25:00, 8:75


def parse_int(v: object) -> int:
    """A whole number: 5, 5.0, '5', ' 5 ', '1.000' is refused (a thousand, or one?)."""
    if _is_number(v):
        if isinstance(v, float) and (v != v or v != int(v)):
            raise ValueError(f"not a whole number: {v!r}")
        return int(v)
    s = _as_text(v)
    m = re.fullmatch(r"([+-]?\d+)(?:[.,]0{1,2})?", s)   # "1.000" (a thousand?) is ambiguous
    if not m:
        raise ValueError(f"not a whole number: {v!r}")
    return int(m.group(1))


def parse_year(v: object) -> int:
    """A four-digit year; a full date typed in a year column gives its year."""
    if isinstance(v, dt.date):
        return v.year
    try:
        year = parse_int(v)
    except ValueError:
        if isinstance(v, str):
            return parse_date(v).year
        raise
    if not 1000 <= year <= 9999:
        raise ValueError(f"not a year: {v!r}")
    return year


def parse_phone(v: object) -> str:
    """Normalise a Vietnamese phone number to 0xxxxxxxxx (mobile, 10 digits) or 02xxxxxxxxx (landline, 11)."""
    if _is_number(v):
        if isinstance(v, float) and (v != v or v != int(v)):
            raise ValueError(f"not a phone number: {v!r}")
        digits = str(int(v))
    else:
        s = _as_text(v)
        if not re.fullmatch(r"\+?[\d\s.\-()]+", s):
            raise ValueError(f"not a phone number: {v!r}")
        plus = s.startswith("+")
        digits = re.sub(r"\D", "", s)
        if plus:
            if not digits.startswith("84"):
                raise ValueError(f"foreign phone number: {v!r}")
            digits = "0" + digits[2:]
    if digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    elif not digits.startswith("0") and (len(digits) == 9 or (len(digits) == 10 and digits.startswith("2"))):
        digits = "0" + digits          # the number lost its leading zero in Excel
    if len(digits) == 10 and digits[1] in "35789":
        return digits
    if len(digits) == 11 and digits.startswith("02"):
        return digits
    raise ValueError(f"not a phone number: {v!r}")


def parse_bool(v: object) -> bool:
    """x, có, co, 1, TRUE, yes, ✓ -> True; không, khong, 0, FALSE, no -> False."""
    if isinstance(v, bool):
        return v
    if _is_number(v):
        if v == 1:
            return True
        if v == 0:
            return False
        raise ValueError(f"not yes/no: {v!r}")
    key = text.ascii_fold(_as_text(v)).strip(" .")
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(f"not yes/no: {v!r}")


def parse_list(v: object) -> list[str]:
    """Split on ';', ',' and new lines; items cleaned, empty items dropped."""
    if v is None:
        return []
    if isinstance(v, (list, tuple)):
        items = [str(x) for x in v]
    else:
        if _is_number(v) and float(v) == int(v):
            v = int(v)
        items = _LIST_SPLIT.split(str(v))
    return [t for t in (text.clean(i, multiline=False) for i in items) if t]


def parse_email(v: object) -> str:
    """A plausible e-mail address (trimmed; a 'mailto:' prefix is dropped)."""
    s = _as_text(v)
    if s.lower().startswith("mailto:"):
        s = s[7:].strip()
    if not _EMAIL.fullmatch(s) or ".." in s:
        raise ValueError(f"not an e-mail address: {v!r}")
    return s


# --- months and dates as staff read them ----------------------------------------------

DATE_FORMAT = "%d/%m/%Y"
DATETIME_FORMAT = "%d/%m/%Y %H:%M"


def date_text(value: object, with_time: bool | None = None) -> str:
    """A date as staff read it everywhere (dd/mm/yyyy), "" for anything else.

    A datetime shows its time (hh:mm) when ``with_time`` is True, never when False,
    and unless it is midnight when None.
    """
    if isinstance(value, dt.datetime):
        show = with_time if with_time is not None else value.time() != dt.time()
        return value.strftime(DATETIME_FORMAT if show else DATE_FORMAT)
    if isinstance(value, dt.date):
        return value.strftime(DATE_FORMAT)
    return ""


def parse_month(value: object) -> tuple[int, int]:
    """(year, month) from "YYYY-MM", a (year, month) pair or a date; UsageError (bad-month) otherwise."""
    if isinstance(value, dt.date):
        return value.year, value.month
    try:
        if isinstance(value, (tuple, list)) and len(value) == 2:
            year, month = int(value[0]), int(value[1])
        else:
            year, month = (int(x) for x in str(value).strip().split("-"))
        dt.date(year, month, 1)
    except (ValueError, TypeError):
        shown = f"{value[0]}-{value[1]}" if isinstance(value, (tuple, list)) and len(value) == 2 else value
        raise UsageError(f"Tháng '{shown}' không đúng dạng. Ghi theo dạng YYYY-MM, ví dụ 2024-06.",
                         code="bad-month") from None
    return year, month
