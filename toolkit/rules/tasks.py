"""Công việc: each conference's preparation tasks, their due dates and the legal timeline.

The sheet is staff-owned and optional (schema.CONG_VIEC). Each pass:

- resolves Hạn (a date or a rule relative to the conference, see
  ``toolkit.core.duerules``) into the toolkit-owned column Ngày đến hạn
  (:func:`resolve_all`): move a conference and its tasks follow;
- checks the tasks (:func:`findings`): Hạn that is neither a date nor a rule,
  a relative Hạn whose conference has no date, a task without a department,
  an open task past its date, a done date in the future, and the legal
  timeline of the plan — the announcement at least ``Thông báo trước hội
  nghị`` days before the conference (its Hạn and, once done, its Ngày hoàn
  thành), the result report within ``Hạn báo cáo kết quả`` days after (the
  next working day when that day is off), and every conference with at least
  one announcement task and one result-report task (a finding on its row of
  Hội nghị; not while the sheet holds no task at all);
- gives the dashboard its countdown (:func:`countdown`) and Tổng hợp its task
  table (:func:`task_rows`).

Which task is the announcement and which the result report is read from the
task's text (folded, without diacritics): "thông báo" (and not "báo cáo") is
an announcement, "báo cáo kết quả" a result report — the words of the plan's
section III, which ``init`` seeds (:data:`PLAN_TASKS`).

A task is *done* when Ngày hoàn thành holds a date; *open* otherwise. Days
left and days late on tasks are calendar days ("theo lịch"), like the legal
periods.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from toolkit.core import records, references, schema, values
from toolkit.rules.assign import CellChange
from toolkit.core.duerules import Due, notice_deadline, report_deadline, resolve
from toolkit.core.findings import Finding
from toolkit.core.model import Conference, Dataset, Task
from toolkit.core.text import ascii_fold, vn_sort_key

CV = schema.CONG_VIEC

ANNOUNCEMENT = "announcement"
RESULT_REPORT = "report"

# The plan's section III, per conference: (department code in defaults.DEPARTMENTS, task, Hạn).
# "{notice}" and "{report}" are Cấu hình's legal periods, filled in when seeding.
PLAN_TASKS: tuple[tuple[str, str, str], ...] = (
    ("VP", "Dự thảo Kế hoạch tổ chức hội nghị đối thoại, trình Chủ tịch UBND phường ký ban hành", "-30"),
    ("TC", "Dự trù kinh phí phục vụ hội nghị", "-21"),
    ("MTTQ", "Nắm tình hình Nhân dân, tâm tư nguyện vọng liên quan đến nội dung đối thoại", "-10"),
    ("VHTT", "Thông báo trên đài truyền thanh về chương trình, nội dung, thời gian và địa điểm đối thoại",
     "-{notice}"),
    ("VP", "Phát hành giấy mời đại biểu", "-{invite}"),
    ("VP", "Báo cáo tình hình kinh tế - xã hội, quốc phòng - an ninh phục vụ hội nghị", "-3 ngày làm việc"),
    ("VHTT", "Chuẩn bị khẩu hiệu", "-2"),
    ("VP", "Chuẩn bị cơ sở vật chất, tài liệu phục vụ hội nghị", "-1"),
    ("VHTT", "Chuẩn bị âm thanh (âm ly, loa đài) phục vụ hội nghị", "-1"),
    ("CA", "Bảo đảm an ninh trật tự tại địa điểm tổ chức đối thoại", "0"),
    ("VHTT", "Viết tin bài tuyên truyền trên cổng thông tin điện tử của phường", "+2"),
    ("VP", "Báo cáo kết quả hội nghị đối thoại gửi cấp trên", "+{report}"),
    ("TC", "Hướng dẫn thanh quyết toán kinh phí hội nghị", "+20"),
    ("VP", "Đôn đốc các bộ phận trả lời kiến nghị chưa trả lời tại hội nghị", "+30"),
)

DONE = "Đã xong"
LATE = "Quá hạn"
OPEN = "Đang làm"
NO_DATE = "Chưa có hạn"
NO_DEPARTMENT = "(Chưa giao bộ phận)"


def kind(text: str) -> str | None:
    """ANNOUNCEMENT, RESULT_REPORT or None, from the task's words."""
    folded = " ".join(ascii_fold(text or "").split())
    if "bao cao ket qua" in folded:
        return RESULT_REPORT
    if "thong bao" in folded and "bao cao" not in folded:
        return ANNOUNCEMENT
    return None


def seed_rows(conference_codes, config, department_name=None) -> list[dict]:
    """Công việc rows (column key -> value) for each conference: the plan's tasks.

    ``department_name(code)``: the workbook's name of a default department (default: defaults' names).
    """
    from toolkit.core import defaults

    names = dict(defaults.DEPARTMENTS)
    name_of = department_name or names.get

    def name(code: str) -> str:
        """The plan names the posts of before: in a register of another structure, their successor body."""
        return name_of(code) or name_of(defaults.SUCCESSOR.get(code, "")) or names[code]
    periods = {"notice": getattr(config, "thong_bao_truoc", 7), "report": getattr(config, "han_bao_cao", 10),
               "invite": getattr(config, "giay_moi_truoc", 7)}
    rows = []
    for code in conference_codes:
        for dept, task, rule in PLAN_TASKS:
            rows.append({"hoi_nghi": code, "cong_viec": task, "bo_phan": name(dept),
                         "han": rule.format(**periods)})
    return rows


# --- resolving Hạn ---------------------------------------------------------------------


def _conference(ds: Dataset, task: Task) -> Conference | None:
    return references.resolve_conference(ds, task.hoi_nghi) if task.hoi_nghi else None


def resolve_all(ds: Dataset, calendar) -> list[CellChange]:
    """Set each task's ``ngay_den_han`` to its resolved date; the cells of Ngày đến hạn that differ."""
    table = ds.tables.get(CV.key)
    if table is None:
        return []
    read = {r.row: r.values.get("ngay_den_han") for r in table.rows}
    changes = []
    for task in ds.tasks:
        conf = _conference(ds, task)
        due = task.han if isinstance(task.han, Due) else None
        wanted = resolve(due, conf.ngay if conf else None, calendar)
        current = read.get(task.row)
        if isinstance(current, dt.datetime):
            current = current.date()
        if wanted != current and not records.is_unknown(task, "ngay_den_han"):
            changes.append(CellChange(CV.key, task.row, "ngay_den_han", wanted, current))
        task.ngay_den_han = wanted
    return changes


# --- checks ----------------------------------------------------------------------------


def _finding(ds: Dataset, code: str, sheet: schema.Sheet, row: int | None, key: str | None,
             value: object = None, **extra) -> Finding:
    table = ds.tables.get(sheet.key)
    col = table.columns.get(key) if table is not None and key else None
    if isinstance(value, dt.date):
        value = values.date_text(value, with_time=False)
    return Finding(code, sheet=sheet.name, row=row, column=sheet.col(key) if key else None, col=col,
                   value=value, extra=extra)


def _blank(task: Task, key: str) -> bool:
    return task.raw.get(key) is None


def _department(ds: Dataset, typed: str) -> str:
    dept = references.resolve_department(ds, typed) if typed else None
    return dept.ten if dept is not None and dept.ten else (typed or "")


def findings(ds: Dataset, today: dt.date, calendar) -> list[Finding]:
    """Every finding about Công việc (after :func:`resolve_all`)."""
    table = ds.tables.get(CV.key)
    if table is None:
        return []
    cfg = ds.config
    out: list[Finding] = []
    kinds: dict[int, set[str]] = {}          # conference row -> kinds of its tasks
    for t in ds.tasks:
        conf = _conference(ds, t)
        due = t.han if isinstance(t.han, Due) else None
        if due is not None and due.relative and conf is not None and conf.ngay is None:
            out.append(_finding(ds, "task-due-unknown", CV, t.row, "han", due.text(), other=conf.ma))
        if "bo_phan" in table.columns and _blank(t, "bo_phan"):
            out.append(_finding(ds, "task-no-department", CV, t.row, "bo_phan", t.cong_viec[:60]))
        if t.ngay_hoan_thanh and t.ngay_hoan_thanh > today:
            out.append(_finding(ds, "date-in-future", CV, t.row, "ngay_hoan_thanh", t.ngay_hoan_thanh))
        done = t.ngay_hoan_thanh is not None or not _blank(t, "ngay_hoan_thanh")
        if not done and t.ngay_den_han and t.ngay_den_han < today:
            out.append(_finding(ds, "task-overdue", CV, t.row, "ngay_hoan_thanh", t.ngay_den_han,
                                count=(today - t.ngay_den_han).days, other=_department(ds, t.bo_phan) or "?"))
        what = kind(t.cong_viec)
        if conf is None or what is None:
            continue
        kinds.setdefault(conf.row, set()).add(what)
        if conf.ngay is None:
            continue
        done_label = "Ngày đã" if what == ANNOUNCEMENT else "Ngày đã gửi"
        for key, date, label in (("han", t.ngay_den_han, "Hạn"), ("ngay_hoan_thanh", t.ngay_hoan_thanh, done_label)):
            if date is None:
                continue
            if what == ANNOUNCEMENT:
                before = (conf.ngay - date).days
                if before < cfg.thong_bao_truoc:
                    out.append(_finding(ds, "task-notice-late", CV, t.row, key, date, other=label,
                                        count=before, limit=cfg.thong_bao_truoc,
                                        deadline=values.date_text(notice_deadline(conf.ngay, cfg.thong_bao_truoc),
                                                                  with_time=False)))
            else:
                limit = report_deadline(conf.ngay, cfg.han_bao_cao, calendar)
                if date > limit:
                    out.append(_finding(ds, "task-report-late", CV, t.row, key, date, other=label,
                                        count=(date - conf.ngay).days, limit=cfg.han_bao_cao,
                                        deadline=values.date_text(limit, with_time=False)))
    if "hoi_nghi" in ds.tables and ds.tasks:       # an empty sheet: the office does not track tasks here yet
        for conf in ds.conferences:
            if not conf.ma:
                continue
            have = kinds.get(conf.row, set())
            for what, label, rule in ((ANNOUNCEMENT, "thông báo trên đài truyền thanh", f"-{cfg.thong_bao_truoc}"),
                                      (RESULT_REPORT, "báo cáo kết quả hội nghị", f"+{cfg.han_bao_cao}")):
                if what not in have:
                    out.append(_finding(ds, "conference-task-missing", schema.HOI_NGHI, conf.row, "ma", conf.ma,
                                        other=label, limit=rule))
    return out


# --- what the dashboard and Tổng hợp show ----------------------------------------------------


class TaskRow(NamedTuple):
    """A row of the task table (Tổng hợp, tong-hop.xlsx, the dashboard)."""
    hoi_nghi: str
    cong_viec: str
    bo_phan: str
    han: str
    ngay_den_han: dt.date | None
    ngay_hoan_thanh: dt.date | None
    tinh_trang: str
    con_lai: int | None


TASK_HEADERS = ["Hội nghị", "Công việc", "Bộ phận", "Hạn", "Ngày đến hạn", "Ngày hoàn thành", "Tình trạng",
                "Còn lại (ngày, theo lịch)"]
TASK_KINDS = ["text", "text", "text", "text", "date", "date", "text", "int"]


def _status(t: Task, today: dt.date) -> tuple[str, int | None]:
    if t.ngay_hoan_thanh is not None or not _blank(t, "ngay_hoan_thanh"):
        return DONE, None
    if t.ngay_den_han is None:
        return NO_DATE, None
    left = (t.ngay_den_han - today).days
    return (LATE if left < 0 else OPEN), left


def _row(ds: Dataset, t: Task, today: dt.date) -> TaskRow:
    status, left = _status(t, today)
    conf = _conference(ds, t)
    han = t.han.text() if isinstance(t.han, Due) else ""
    return TaskRow(conf.ma if conf else t.hoi_nghi, t.cong_viec, _department(ds, t.bo_phan) or NO_DEPARTMENT,
                   han, t.ngay_den_han, t.ngay_hoan_thanh, status, left)


def _order(ds: Dataset, t: Task):
    conf = _conference(ds, t)
    return (conf.ngay or dt.date.max) if conf else dt.date.max, t.ngay_den_han or dt.date.max, t.row


def task_rows(ds: Dataset, today: dt.date) -> list[TaskRow] | None:
    """Every task, by conference date then due date; None when the workbook has no Công việc sheet."""
    if CV.key not in ds.tables:
        return None
    return [_row(ds, t, today) for t in sorted(ds.tasks, key=lambda t: _order(ds, t))]


@dataclass
class Countdown:
    """The next conference and what is left to do before (and after) it."""

    ma: str
    ten: str
    ngay: dt.date
    gio: dt.time | None
    dia_diem: str
    days: int                                    # calendar days to the conference (negative: it was held)
    legal: list[tuple[str, dt.date, int]]        # (what, the legal date, calendar days left)
    by_department: list[tuple[str, list[TaskRow]]] = field(default_factory=list)   # open tasks
    done: int = 0
    open: int = 0
    overdue: int = 0


def _pick(ds: Dataset, today: dt.date) -> Conference | None:
    """The conference the countdown is about: the last one held while its own tasks after it are
    still running (open, and today not past its last task's date: the result report comes
    first), otherwise the next one; when all are held, the latest with a task still open."""
    dated = sorted((c for c in ds.conferences if c.ngay), key=lambda c: (c.ngay, c.row))
    held = [c for c in dated if c.ngay < today]
    upcoming = [c for c in dated if c.ngay >= today]

    def open_dues(conf):
        return [t.ngay_den_han for t in ds.tasks if _conference(ds, t) is conf
                and _status(t, today)[0] in (OPEN, LATE) and t.ngay_den_han]

    if held:
        dues = open_dues(held[-1])
        if dues and today <= max(dues):
            return held[-1]
    if upcoming:
        return upcoming[0]
    for conf in reversed(held):
        if open_dues(conf):
            return conf
    return None


def countdown(ds: Dataset, today: dt.date, calendar) -> Countdown | None:
    """The countdown of the dashboard; None without a Công việc sheet or a dated conference."""
    if CV.key not in ds.tables:
        return None
    conf = _pick(ds, today)
    if conf is None:
        return None
    cfg = ds.config
    if not hasattr(calendar, "is_workday"):
        from toolkit.core.workdays import Calendar

        calendar = Calendar.from_config(cfg)
    notice = notice_deadline(conf.ngay, cfg.thong_bao_truoc)
    report = report_deadline(conf.ngay, cfg.han_bao_cao, calendar)
    legal = [(f"Thông báo trên đài truyền thanh chậm nhất (trước {cfg.thong_bao_truoc} ngày)", notice,
              (notice - today).days),
             (f"Gửi báo cáo kết quả chậm nhất (trong {cfg.han_bao_cao} ngày sau hội nghị)", report,
              (report - today).days)]
    out = Countdown(conf.ma, conf.ten, conf.ngay, conf.gio, conf.dia_diem, (conf.ngay - today).days, legal)
    groups: dict[str, list[TaskRow]] = {}
    for t in sorted(ds.tasks, key=lambda t: _order(ds, t)):
        if _conference(ds, t) is not conf:
            continue
        row = _row(ds, t, today)
        if row.tinh_trang == DONE:
            out.done += 1
            continue
        out.open += 1
        out.overdue += row.tinh_trang == LATE
        groups.setdefault(row.bo_phan, []).append(row)
    out.by_department = sorted(groups.items(), key=lambda kv: (kv[0] == NO_DEPARTMENT, vn_sort_key(kv[0])))
    return out
