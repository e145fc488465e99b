"""The legal timeline of one conference, as the register records it (DESIGN.md §9, §12).

Two legal periods (Cấu hình: "Thông báo trước hội nghị (ngày)", default 7;
"Hạn báo cáo kết quả (ngày)", default 10), read from what the register has:

- Notice: Hội nghị's Ngày thông báo at least N calendar days before Ngày tổ
  chức (the same rule as the ward's check, ``core.duerules.notice_deadline``).
  Met when it is; missed when it is later; unknown when no Ngày thông báo is
  written.
- Result report: the register has no column for the day the report was sent.
  It has the plan's task "Báo cáo kết quả hội nghị ... gửi cấp trên" on
  Công việc (``rules.tasks.kind`` = RESULT_REPORT) and its Ngày hoàn thành.
  Met when that date is on or before the legal last day
  (``core.duerules.report_deadline``: N calendar days after, the next working
  day when that day is off); missed when it is later, or when the task is not
  done and the last day has passed (by the as-of day); pending while the last
  day has not come; unknown when the register has no such task.
- A conference is *held* when it has a Ngày tổ chức on or before the as-of
  day; only held conferences are counted. Its deadlines are *met* when both
  are met, *missed* when one is missed, otherwise not yet known.
"""

from __future__ import annotations

import datetime as dt

from toolkit.core import references
from toolkit.core.duerules import notice_deadline, report_deadline
from toolkit.core.model import Dataset

MET, MISSED, PENDING, UNKNOWN = "met", "missed", "pending", "unknown"
LABEL = {MET: "Đúng hạn", MISSED: "Trễ hạn", PENDING: "Chưa đến hạn", UNKNOWN: "Chưa ghi"}

_CALENDARS: dict[tuple, object] = {}


def _calendar(dataset: Dataset):
    """The ward's working-day calendar, shared by wards with the same swap days (holidays load once)."""
    from toolkit.core.workdays import Calendar

    cfg = dataset.config
    key = (tuple(cfg.ngay_lam_bu or ()), tuple(cfg.ngay_nghi_them or ()))
    found = _CALENDARS.get(key)
    if found is None:
        if len(_CALENDARS) > 256:
            _CALENDARS.clear()
        found = _CALENDARS[key] = Calendar.from_config(cfg)
    return found


def warm(years) -> None:
    """Load before worker processes fork what each would load alone: the task kinds and the calendar
    of a ward without swap days, with the holidays of ``years``."""
    from toolkit.core.workdays import Calendar
    from toolkit.rules import tasks  # noqa: F401 - imported here, inherited by the workers

    _CALENDARS.setdefault(((), ()), Calendar(years=years))


def conference_rows(dataset: Dataset) -> list[dict]:
    """One row per conference with a Mã: its dates, the legal last days, the report task's done date."""
    from toolkit.rules import tasks   # only when a register is read (figures use the statuses below)

    cfg = dataset.config
    calendar = _calendar(dataset)
    sent: dict[int, dt.date | None] = {}
    tracked: set[int] = set()
    for t in dataset.tasks:
        if tasks.kind(t.cong_viec) != tasks.RESULT_REPORT or not t.hoi_nghi:
            continue
        conf = references.resolve_conference(dataset, t.hoi_nghi)
        if conf is None:
            continue
        tracked.add(conf.row)
        if t.ngay_hoan_thanh is not None:
            prev = sent.get(conf.row)
            sent[conf.row] = t.ngay_hoan_thanh if prev is None else min(prev, t.ngay_hoan_thanh)
    rows = []
    for c in dataset.conferences:
        if not c.ma:
            continue
        rows.append({
            "ma": c.ma, "ngay": c.ngay, "ngay_thong_bao": c.ngay_thong_bao,
            "han_thong_bao": notice_deadline(c.ngay, cfg.thong_bao_truoc) if c.ngay else None,
            "han_bao_cao": report_deadline(c.ngay, cfg.han_bao_cao, calendar) if c.ngay else None,
            "ngay_bao_cao": sent.get(c.row), "theo_doi_bao_cao": c.row in tracked,
        })
    return rows


def notice_status(ngay_thong_bao: dt.date | None, han_thong_bao: dt.date | None) -> str:
    if ngay_thong_bao is None or han_thong_bao is None:
        return UNKNOWN
    return MET if ngay_thong_bao <= han_thong_bao else MISSED


def report_status(ngay_bao_cao: dt.date | None, han_bao_cao: dt.date | None, tracked: bool,
                  as_of: dt.date) -> str:
    if han_bao_cao is None:
        return UNKNOWN
    if ngay_bao_cao is not None:
        return MET if ngay_bao_cao <= han_bao_cao else MISSED
    if not tracked:
        return UNKNOWN
    return MISSED if as_of > han_bao_cao else PENDING


def overall(notice: str, report: str) -> str:
    if MISSED in (notice, report):
        return MISSED
    if notice == MET and report == MET:
        return MET
    return PENDING if PENDING in (notice, report) else UNKNOWN
