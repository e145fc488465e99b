"""The date a document is signed, when staff typed one in Cấu hình (DESIGN.md §11: "dated by the event it
belongs to, each overridable in the register").

Each kind reads its own Cấu hình item, a list of dates separated by ";" (a history of signing days is
harmless: each document takes the one that belongs to it, and a stale one is never used):

- báo cáo tháng (``Ngày ký báo cáo tháng``): the report of month M takes a typed date from the 16th of M to
  the 15th of M+1 (the days around a month's end when its report is signed); else the month's end.
- phiếu chuyển (``Ngày ký phiếu chuyển``): the latest typed date not before the slip's own date (the day
  its newest petition came in), so a date typed for the last round never dates the next one.
- công văn đôn đốc (``Ngày ký công văn đôn đốc``): the latest typed date at most
  ``URGING_STALE_DAYS`` before the day it is made; the letter counts days overdue as of that date.

The Kế hoạch's own item (``Ngày ban hành Kế hoạch``) and the result report's Hội nghị column
(``Ngày báo cáo``) are read where those documents are dated (``legal.plan_date``, ``common.document_date``).
"""

from __future__ import annotations

import datetime as dt

from toolkit.core import model

URGING_STALE_DAYS = 30


def typed(cfg: model.Config, key: str) -> list[dt.date]:
    return sorted(d for d in (getattr(cfg, key, None) or []) if isinstance(d, dt.date))


def month_end(year: int, month: int, calendar) -> dt.date:
    """The month's last day, or the next working day when that is a weekend or holiday."""
    day = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    while not calendar.is_workday(day):
        day += dt.timedelta(days=1)
    return day


def month_report(cfg: model.Config, year: int, month: int, calendar) -> dt.date:
    """The date of the report of ``month``/``year``: typed (16th of the month to 15th of the next), else its end."""
    start = dt.date(year, month, 16)
    end = dt.date(year + month // 12, month % 12 + 1, 15)
    chosen = [d for d in typed(cfg, "ngay_ky_bao_cao_thang") if start <= d <= end]
    return chosen[-1] if chosen else month_end(year, month, calendar)


def slip(cfg: model.Config, received: dt.date) -> dt.date:
    """The date of a phiếu chuyển whose newest petition came in on ``received``."""
    chosen = [d for d in typed(cfg, "ngay_ky_phieu_chuyen") if d >= received]
    return chosen[-1] if chosen else received


def urging_letter(cfg: model.Config, today: dt.date) -> dt.date:
    """The date of the công văn đôn đốc made on ``today`` (and the day its overdue figures are counted to)."""
    oldest = today - dt.timedelta(days=URGING_STALE_DAYS)
    chosen = [d for d in typed(cfg, "ngay_ky_cong_van_don_doc") if d >= oldest]
    return chosen[-1] if chosen else today
