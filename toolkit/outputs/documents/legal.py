"""The legal basis a document cites, by its date (docs/ARCHITECTURE.md, "Documents"), and the date of the year's plan.

- Conferences from 1 July 2025 (two-level local government): the Luật Tổ chức chính quyền địa
  phương 2025 (Luật số 72/2025/QH15), then the province's or city's own guidance that staff type in
  Cấu hình › Căn cứ của tỉnh/thành phố, then the ward's working rules.
- Earlier conferences (the seed plan, Hà Nội): Điều 12 Nghị định số 32/2021/NĐ-CP, as the seed plan.
- What staff typed in Cấu hình › Căn cứ ban hành Kế hoạch is cited as typed, whatever the date: a
  register keeps what it says.
"""

from __future__ import annotations

import datetime as dt

from toolkit.core import model

TWO_LEVEL_FROM = dt.date(2025, 7, 1)
LAW_2025 = ("Luật Tổ chức chính quyền địa phương số 72/2025/QH15 ngày 16 tháng 6 năm 2025 của Quốc hội")
DECREE_32 = ("Điều 12 Nghị định số 32/2021/NĐ-CP ngày 29/3/2021 của Chính phủ quy định chi tiết và biện pháp thi "
             "hành Nghị quyết số 97/2019/QH14 ngày 27/11/2019 của Quốc hội về thí điểm tổ chức mô hình chính "
             "quyền đô thị tại thành phố Hà Nội")
WORK_RULES = "Quy chế làm việc của UBND phường"
PLAN_LEAD_DAYS = 30      # the plan is signed by 30 days before the year's first conference (tasks.PLAN_TASKS)


def _typed(values) -> list[str]:
    items = values if isinstance(values, list) else str(values or "").split(";")
    return [str(i).strip().strip(";,.").strip() for i in items if str(i).strip().strip(";,.")]


def plan_bases(cfg: model.Config, when: dt.date) -> list[str]:
    """The bases of a plan whose conferences begin on ``when``."""
    typed = _typed(cfg.can_cu_ke_hoach)
    if typed:
        return typed
    if when >= TWO_LEVEL_FROM:
        return [LAW_2025, *_typed(getattr(cfg, "can_cu_tinh", [])), WORK_RULES]
    return [DECREE_32, WORK_RULES]


def plan_date(cfg: model.Config, year: int, first: dt.date | None, calendar, today: dt.date) -> dt.date:
    """The plan's date: Cấu hình › Ngày ban hành Kế hoạch for ``year`` (a date in that year, or in the
    December before it); else ``PLAN_LEAD_DAYS`` before the year's first conference (the working day
    before, when that is a day off); else today, but never after the year it plans."""
    typed = [d for d in (getattr(cfg, "ngay_ban_hanh_ke_hoach", None) or [])
             if isinstance(d, dt.date) and (d.year == year or (d.year == year - 1 and d.month == 12))]
    if typed:
        return max(typed)
    if first is not None:
        day = first - dt.timedelta(days=PLAN_LEAD_DAYS)
        while not calendar.is_workday(day):
            day -= dt.timedelta(days=1)
        return day
    return min(today, dt.date(year, 12, 31))
