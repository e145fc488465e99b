"""Summary computations shared by every renderer (docs/ARCHITECTURE.md, "One pass, from read to render").

``build`` turns a :class:`model.Dataset` and its findings into a
:class:`Summary`: plain tables (:class:`Table`) that the summary workbook
(tong-hop.xlsx), the generated sheets inside the workbook, the dashboard and
the documents all draw the same way, plus per-conference figures
(:class:`ConferenceFigures`) for the documents.

Rules (written here because docs/ARCHITECTURE.md is silent on them):

- Rows of Kiến nghị / Đại biểu that have an *error* finding are left out of
  every count; ``Summary.left_out`` lists them with the reason, and the key
  numbers say how many.
- *answered*, *forwarded*, *open* and *overdue* are ``toolkit.core.status``'s
  predicates, asked of canonical values (a status typed in lower case or without
  diacritics means the same; forwarded includes a petition whose Bộ phận chủ trì
  is "Chuyển cấp trên").
- Days left / late are working days when a ``calendar`` (anything with
  ``workdays_between(a, b)``) is given, calendar days otherwise. In the
  open-petition list the number is signed: positive = days left, negative =
  days late.
- A delegate counts as *invited* to a conference when Được mời or Có mặt is
  ticked; when nobody on a conference's list has Được mời ticked, everyone
  listed counts as invited (staff who do not use that column).
- Quota: invited Đại diện Nhân dân per residential group per conference,
  against the group's own min/max or Cấu hình's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from toolkit.core import findings as fnd
from toolkit.core import model, references, schema, values
from toolkit.core.status import is_answered, is_forwarded, is_open, is_overdue, status_of  # noqa: F401
from toolkit.rules import tasks
from toolkit.core.text import fold, header_key, vn_sort_key
from toolkit.outputs import reply_tables
from toolkit.outputs.tables import (  # noqa: F401  (renderers read them as summaries.X)
    DATE, INT, NUMBER, PERCENT, TEXT, AttendanceRow, ConferenceFigures, LateRow, LeftOutRow, MonthCountRow,
    QuotaRow, Summary, Table, WorkdayCalendar,
)
from toolkit.rules.routing import GUESS_MARK

KN = schema.KIEN_NGHI
DB = schema.DAI_BIEU

NO_FIELD = "(Chưa phân loại)"
NO_DEPARTMENT = "(Chưa giao bộ phận)"
NO_GROUP = "(Không thuộc tổ)"
NO_CONFERENCE = "(Chưa ghi hội nghị)"
TOTAL = "Tổng cộng"
CONTENT_MAX = 120

STATE_OK = "Đủ"
STATE_LOW = "Thiếu"
STATE_HIGH = "Thừa"

# What a status means is asked of toolkit.core.status (one reading, canonical values); the
# names stay importable from here for the renderers.



# --- helpers -----------------------------------------------------------------

def shorten(text: str, limit: int = CONTENT_MAX) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def days_between(a: dt.date, b: dt.date, calendar: WorkdayCalendar | None = None) -> int:
    """Signed days from a to b (working days with a calendar)."""
    if calendar is None:
        return (b - a).days
    if b >= a:
        return int(calendar.workdays_between(a, b))
    return -int(calendar.workdays_between(b, a))




def is_route_guess(p: model.Petition) -> bool:
    """Bộ phận chủ trì is only the toolkit's guess (routing.GUESS_MARK): the clerk must confirm it."""
    return isinstance(p.can_cu, str) and p.can_cu.startswith(GUESS_MARK)


def answer_route(p: model.Petition) -> str:
    """'at_conference', 'written' or 'forwarded' (status first, then Hình thức trả lời)."""
    status = status_of(p)
    if status == schema.STATUS_AT_CONFERENCE:
        return "at_conference"
    if is_forwarded(p):
        return "forwarded"
    if status == schema.STATUS_WRITTEN:
        return "written"
    if p.hinh_thuc == schema.FORM_AT_CONFERENCE:      # canonical (core.canonical)
        return "at_conference"
    if p.hinh_thuc == schema.FORM_FORWARD:
        return "forwarded"
    return "written"


class _Names:
    """Resolve codes or names typed by staff to display names (toolkit.core.references), in sheet order."""

    def __init__(self, names: references.Names, records: Iterable):
        self.blank = names.blank
        self._names = names
        self.order: list[str] = []
        for r in records:
            name = r.ten or r.ma
            if name and name not in self.order:
                self.order.append(name)

    def __call__(self, typed: str) -> str:
        return self._names.name(typed)

    def sorted(self, names: Iterable[str]) -> list[str]:
        names = set(names)
        known = [n for n in self.order if n in names]
        rest = sorted((n for n in names if n not in self.order and n != self.blank), key=vn_sort_key)
        return known + rest + ([self.blank] if self.blank in names else [])


def _ordered(values: Iterable[str], preferred: Iterable[str], blank: str) -> list[str]:
    values = set(values)
    pref = [v for v in preferred if v in values]
    rest = sorted((v for v in values if v not in pref and v != blank), key=vn_sort_key)
    return pref + rest + ([blank] if blank in values else [])


def _field_of(p: model.Petition) -> str:
    return p.linh_vuc.strip() if p.linh_vuc and p.linh_vuc.strip() else NO_FIELD


def _list_values(dataset: model.Dataset, key: str) -> list[str]:
    return list(dataset.lists.get(key) or schema.LISTS[key][1])


def _error_rows(report: fnd.Report | None, sheet: schema.Sheet) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    if report is None:
        return out
    for f in report.errors:
        if f.row is None or f.sheet is None or header_key(f.sheet) != sheet.match_key:
            continue
        reasons = out.setdefault(f.row, [])
        reason = f.type.title + (f" ({f.column})" if f.column else "")
        if reason not in reasons:
            reasons.append(reason)
    return out


@dataclass
class _Prepared:
    petitions: list[model.Petition]
    delegates: list[model.Delegate]
    left_out: Table
    left_out_petitions: int
    left_out_delegates: int
    departments: _Names
    groups: _Names


def _prepare(dataset: model.Dataset, report: fnd.Report | None) -> _Prepared:
    bad_p = _error_rows(report, schema.KIEN_NGHI)
    bad_d = _error_rows(report, schema.DAI_BIEU)
    petitions = [p for p in dataset.petitions if p.row not in bad_p]
    delegates = [d for d in dataset.delegates if d.row not in bad_d]
    rows = []
    for sheet, bad, records in ((schema.KIEN_NGHI, bad_p, dataset.petitions),
                                (schema.DAI_BIEU, bad_d, dataset.delegates)):
        present = {r.row for r in records}
        for row in sorted(r for r in bad if r in present):
            rows.append(LeftOutRow(sheet.name, row, "; ".join(bad[row])))
    n_p = len(dataset.petitions) - len(petitions)
    n_d = len(dataset.delegates) - len(delegates)
    if rows:
        note = (f"{n_p} kiến nghị và {n_d} đại biểu có lỗi nên chưa được tính vào tổng hợp. "
                "Sửa các lỗi này trong sổ Excel rồi lưu lại để được tính.")
    else:
        note = "Mọi dòng đều được tính vào tổng hợp."
    table = Table("Dòng chưa được tính vào tổng hợp", ["Sheet", "Dòng", "Lý do"], rows, note,
                  kinds=[TEXT, INT, TEXT], key="left_out")
    return _Prepared(petitions, delegates, table, n_p, n_d,
                     _Names(references.department_names(dataset, NO_DEPARTMENT), dataset.departments),
                     _Names(references.group_names(dataset, NO_GROUP), dataset.groups))


def _count_table(title: str, first: str, names: list[str], petitions_by: dict[str, list[model.Petition]],
                 today: dt.date, key: str, note: str = "") -> Table:
    rows = []
    for name in names:
        ps = petitions_by.get(name, [])
        answered = sent_up = still_open = late = 0
        for p in ps:       # one look at each petition: answered, forwarded, else open (and maybe overdue)
            if is_answered(p):
                answered += 1
            elif is_forwarded(p):
                sent_up += 1
            else:
                still_open += 1
                late += is_overdue(p, today)
        rows.append([name, len(ps), answered, sent_up, still_open, late])
    footer = [TOTAL] + [sum(r[i] for r in rows) for i in range(1, 6)]
    return Table(title, [first, "Số kiến nghị", "Đã trả lời", "Chuyển cấp trên", "Đang xử lý", "Quá hạn"],
                 rows, note, footer, [TEXT, INT, INT, INT, INT, INT], key)


def _group_by(items, key_fn) -> dict:
    out: dict = {}
    for item in items:
        out.setdefault(key_fn(item), []).append(item)
    return out


def _invited_sets(delegates: list[model.Delegate]) -> dict[str, list[model.Delegate]]:
    """Conference code -> delegates counted as invited (see module doc)."""
    by_conf = _group_by(delegates, lambda d: d.hoi_nghi or NO_CONFERENCE)
    out = {}
    for conf, ds in by_conf.items():
        if any(d.duoc_moi for d in ds):
            out[conf] = [d for d in ds if d.duoc_moi or d.co_mat]
        else:
            out[conf] = list(ds)
    return out


# --- the full summary -------------------------------------------------------------

def build(dataset: model.Dataset, report: fnd.Report | None, *, today: dt.date,
          calendar: WorkdayCalendar | None = None) -> Summary:
    """The full summary, one named step per table."""
    prep = _prepare(dataset, report)
    ps = prep.petitions
    s = Summary(kind="full", today=today, left_out=prep.left_out)
    by_dept = _group_by(ps, lambda p: prep.departments(p.chu_tri))
    depts = prep.departments.sorted(by_dept)
    s.by_field = _by_field_table(dataset, ps, today)
    s.by_department = _count_table("Kiến nghị theo bộ phận chủ trì", "Bộ phận chủ trì", depts, by_dept,
                                   today, "by_department")
    s.dept_status = _department_status_table(dataset, ps, depts, by_dept)
    s.by_group = _by_group_table(prep.groups, ps, today)
    s.overdue_by_department = _overdue_by_department_table(depts, by_dept, today, calendar)
    s.open_petitions = _open_petitions_table(ps, prep.departments, today, calendar)
    invited = _invited_sets(prep.delegates)
    codes = _conference_codes(dataset, invited)
    s.quota = _quota_table(dataset, prep.groups, invited, codes)
    s.attendance = _attendance_table(dataset, invited, codes)
    s.conferences, s.conferences_table = _conference_figures(dataset, ps, invited, codes, today)
    rep = report or fnd.Report()
    s.findings_table = findings_table(rep)
    s.numbers = _key_figures(prep, rep, len(codes), today)
    s.key_numbers = _key_numbers_table(s.numbers, prep.left_out.note, today)
    answered = reply_tables.tables(getattr(dataset, "replies", None))
    if answered:
        s.replies_by_department, s.latest_answers = (Table(**t) for t in answered)
    s.tasks, s.countdown = _tasks(dataset, today, calendar)
    return s


def _tasks(dataset: model.Dataset, today: dt.date, calendar) -> tuple[Table | None, object | None]:
    """Công việc's table and the dashboard's countdown (toolkit.rules.tasks), when the sheet is there."""
    rows = tasks.task_rows(dataset, today)
    if rows is None:
        return None, None
    table = Table("Công việc chuẩn bị và sau hội nghị", list(tasks.TASK_HEADERS), rows,
                  note="Hạn tính theo ngày lịch, trừ khi ghi \"ngày làm việc\"; Còn lại: số ngày đến hạn "
                       "(âm là đã quá hạn).", kinds=list(tasks.TASK_KINDS), key="tasks")
    return table, tasks.countdown(dataset, today, calendar)


def _unit(calendar: WorkdayCalendar | None) -> str:
    return "ngày làm việc" if calendar is not None else "ngày"


def _by_field_table(dataset: model.Dataset, ps: list[model.Petition], today: dt.date) -> Table:
    by_field = _group_by(ps, _field_of)
    fields = _ordered(by_field, _list_values(dataset, "linh_vuc"), NO_FIELD)
    return _count_table("Kiến nghị theo lĩnh vực", "Lĩnh vực", fields, by_field, today, "by_field")


def _department_status_table(dataset: model.Dataset, ps: list[model.Petition], depts: list[str],
                             by_dept: dict[str, list[model.Petition]]) -> Table:
    statuses = _ordered({status_of(p) for p in ps}, _list_values(dataset, "trang_thai"), "")
    rows = []
    for d in depts:
        counts = [sum(1 for p in by_dept[d] if status_of(p) == st) for st in statuses]
        rows.append([d] + counts + [sum(counts)])
    footer = [TOTAL] + [sum(r[i] for r in rows) for i in range(1, len(statuses) + 2)]
    return Table("Kiến nghị theo bộ phận và trạng thái", [KN.col("chu_tri")] + statuses + ["Tổng"],
                 rows, "", footer, [TEXT] + [INT] * (len(statuses) + 1), "dept_status")


def _by_group_table(grp: _Names, ps: list[model.Petition], today: dt.date) -> Table:
    by_grp = _group_by(ps, lambda p: grp(p.to_dan_pho))
    return _count_table("Kiến nghị theo tổ dân phố", KN.col("to_dan_pho"), grp.sorted(by_grp), by_grp,
                        today, "by_group")


def _overdue_by_department_table(depts: list[str], by_dept: dict[str, list[model.Petition]], today: dt.date,
                                 calendar: WorkdayCalendar | None) -> Table:
    rows = []
    for d in depts:
        open_ps = [p for p in by_dept[d] if is_open(p)]
        late = [max(1, days_between(p.han, today, calendar)) for p in open_ps if is_overdue(p, today)]
        if not open_ps:
            continue
        rows.append([d, len(open_ps), len(late), max(late) if late else 0,
                     round(sum(late) / len(late), 1) if late else 0])
    rows.sort(key=lambda r: (-r[2], -r[3], depts.index(r[0])))
    unit = _unit(calendar)
    footer = [TOTAL, sum(r[1] for r in rows), sum(r[2] for r in rows),
              max((r[3] for r in rows), default=0), None]
    return Table(
        "Kiến nghị quá hạn theo bộ phận", ["Bộ phận chủ trì", "Đang xử lý", "Quá hạn",
                                            f"Quá hạn lâu nhất ({unit})", f"Quá hạn trung bình ({unit})"],
        rows, f"Tính đến ngày {values.date_text(today, with_time=False)}.", footer, [TEXT, INT, INT, INT, NUMBER],
        "overdue_by_department")


def _open_petitions_table(ps: list[model.Petition], dept: _Names, today: dt.date,
                          calendar: WorkdayCalendar | None) -> Table:
    unit = _unit(calendar)
    open_rows = []
    for p in ps:
        if not is_open(p):
            continue
        days = days_between(today, p.han, calendar) if p.han else None
        if p.han is None:
            state = "Chưa có hạn"
        elif p.han < today:
            days = min(-1, days)   # late on a weekend after a Friday deadline is 1 day late, not 0
            state = f"Quá hạn {-days} {unit}"
        elif days == 0:
            state = "Đến hạn hôm nay"
        else:
            state = f"Còn {days} {unit}"
        open_rows.append(([p.ma, p.hoi_nghi, p.nguoi_kien_nghi, shorten(p.noi_dung), dept(p.chu_tri), p.han,
                           days, state], (p.han is None, p.han or dt.date.max, p.ma, p.row)))
    open_rows.sort(key=lambda x: x[1])
    return Table(
        "Kiến nghị đang xử lý và quá hạn",
        [KN.col("ma"), KN.col("hoi_nghi"), KN.col("nguoi_kien_nghi"), KN.col("noi_dung"), KN.col("chu_tri"),
         KN.col("han"), "Số ngày còn lại/quá hạn", "Tình trạng"],
        [r for r, _k in open_rows],
        f"Số ngày dương là số {unit} còn lại, số âm là số {unit} đã quá hạn "
        f"(tính đến {values.date_text(today, with_time=False)}).",
        None, [TEXT, TEXT, TEXT, TEXT, TEXT, DATE, INT, TEXT], "open_petitions")


def _conference_codes(dataset: model.Dataset, invited: dict[str, list[model.Delegate]]) -> list[str]:
    """Hội nghị in sheet order, then codes typed on delegates only."""
    codes = [c.ma for c in dataset.conferences if c.ma]
    return codes + sorted((c for c in invited if c not in codes and c != NO_CONFERENCE), key=vn_sort_key)


def _quota_table(dataset: model.Dataset, grp: _Names, invited: dict[str, list[model.Delegate]],
                 codes: list[str]) -> Table:
    cfg = dataset.config
    people = fold(schema.CATEGORY_PEOPLE)
    rows = []
    for code in codes:
        reps = [d for d in invited.get(code, []) if fold(d.thanh_phan) == people]
        reps_by_grp = _group_by(reps, lambda d: grp(d.to_dan_pho))
        for g in (g for g in dataset.groups if g.ten or g.ma):
            name = g.ten or g.ma
            members = reps_by_grp.get(name, [])
            lo = g.toi_thieu if g.toi_thieu is not None else cfg.so_dai_bieu_toi_thieu
            hi = g.toi_da if g.toi_da is not None else cfg.so_dai_bieu_toi_da
            n = len(members)
            state = STATE_LOW if n < lo else STATE_HIGH if n > hi else STATE_OK
            rows.append(QuotaRow(code, name, n, sum(1 for d in members if d.co_mat), lo, hi, state))
    return Table("Đại biểu Nhân dân mỗi tổ dân phố so với định mức",
                 [DB.col("hoi_nghi"), DB.col("to_dan_pho"), DB.col("duoc_moi"), DB.col("co_mat"), "Tối thiểu",
                  "Tối đa", "Đánh giá"],
                 rows, "Định mức lấy theo sheet Tổ dân phố, nếu trống thì theo Cấu hình.",
                 None, [TEXT, TEXT, INT, INT, INT, INT, TEXT], "quota")


def _attendance_table(dataset: model.Dataset, invited: dict[str, list[model.Delegate]], codes: list[str]) -> Table:
    categories = _list_values(dataset, "thanh_phan")
    rows = []
    for code in codes:
        by_cat = _group_by(invited.get(code, []), lambda d: d.thanh_phan or "(Chưa ghi thành phần)")
        for cat in _ordered(by_cat, categories, "(Chưa ghi thành phần)"):
            members = by_cat[cat]
            n_in, n_pr = len(members), sum(1 for d in members if d.co_mat)
            rows.append(AttendanceRow(code, cat, n_in, n_pr, (n_pr / n_in) if n_in else 0.0))
    return Table("Tham dự theo thành phần", [DB.col("hoi_nghi"), DB.col("thanh_phan"), DB.col("duoc_moi"),
                                             DB.col("co_mat"), "Tỷ lệ có mặt"], rows, "", None,
                 [TEXT, TEXT, INT, INT, PERCENT], "attendance")


def _conference_figures(dataset: model.Dataset, ps: list[model.Petition], invited: dict[str, list[model.Delegate]],
                        codes: list[str], today: dt.date) -> tuple[dict[str, ConferenceFigures], Table]:
    conf_names = {c.ma: c for c in dataset.conferences}
    ps_by_conf = _group_by(ps, lambda p: p.hoi_nghi or NO_CONFERENCE)
    figures: dict[str, ConferenceFigures] = {}
    rows = []
    for code in codes + sorted(c for c in ps_by_conf if c not in codes):
        c = conf_names.get(code)
        ds = invited.get(code, [])
        cps = ps_by_conf.get(code, [])
        routes = [answer_route(p) for p in cps]
        fig = ConferenceFigures(
            ma=code, ten=c.ten if c else "", ngay=c.ngay if c else None, gio=c.gio if c else None,
            dia_diem=c.dia_diem if c else "", chu_tri=c.chu_tri if c else "", thu_ky=c.thu_ky if c else "",
            invited=len(ds), present=sum(1 for d in ds if d.co_mat), petitions=len(cps),
            at_conference=routes.count("at_conference"), written=routes.count("written"),
            forwarded=routes.count("forwarded"), answered=sum(map(is_answered, cps)),
            open=sum(map(is_open, cps)), overdue=sum(is_overdue(p, today) for p in cps))
        figures[code] = fig
        rows.append([code, fig.ten, fig.ngay, fig.invited, fig.present, fig.petitions,
                     fig.at_conference, fig.written, fig.forwarded])
    table = Table(
        "Kết quả từng hội nghị",
        ["Mã hội nghị", "Tên hội nghị", "Ngày tổ chức", "Đại biểu được mời", "Đại biểu có mặt",
         "Kiến nghị tiếp nhận", "Trả lời tại hội nghị", "Trả lời bằng văn bản", "Chuyển cấp trên"],
        rows, "", None, [TEXT, TEXT, DATE] + [INT] * 6, "conferences")
    return figures, table


def _key_figures(prep: _Prepared, report: fnd.Report, conferences: int, today: dt.date) -> dict[str, int]:
    ps = prep.petitions
    counts = report.counts()
    return {
        "petitions": len(ps),
        "answered": sum(map(is_answered, ps)),
        "forwarded": sum(map(is_forwarded, ps)),
        "open": sum(map(is_open, ps)),
        "overdue": sum(is_overdue(p, today) for p in ps),
        "route_guesses": sum(1 for p in ps if is_route_guess(p)),
        "delegates": len(prep.delegates),
        "conferences": conferences,
        "errors": counts[fnd.ERROR],
        "warnings": counts[fnd.WARNING],
        "left_out_petitions": prep.left_out_petitions,
        "left_out_delegates": prep.left_out_delegates,
    }


def _key_numbers_table(n: dict[str, int], left_out_note: str, today: dt.date) -> Table:
    return Table("Số liệu chính", ["Chỉ tiêu", "Số lượng"], [
        ["Số hội nghị", n["conferences"]],
        ["Số đại biểu", n["delegates"]],
        ["Số kiến nghị", n["petitions"]],
        ["Đã trả lời", n["answered"]],
        ["Chuyển cấp trên", n["forwarded"]],
        ["Đang xử lý", n["open"]],
        ["Quá hạn", n["overdue"]],
        ["Phân công cần xác nhận", n["route_guesses"]],
        ["Lỗi cần sửa", n["errors"]],
        ["Cảnh báo", n["warnings"]],
        ["Kiến nghị chưa tính do có lỗi", n["left_out_petitions"]],
        ["Đại biểu chưa tính do có lỗi", n["left_out_delegates"]],
    ], f"Tính đến ngày {values.date_text(today, with_time=False)}. " + left_out_note, None, [TEXT, INT],
        "key_numbers")


def findings_table(report: fnd.Report) -> Table:
    """How many errors and warnings of each kind: what tong-hop.xlsx prints. The list itself, one
    finding a row with its message, is the register's own Lỗi nhập liệu sheet (a link to each cell)
    and the dashboard's; printed here too it was most of tong-hop.xlsx on a register with many
    warnings, rewritten whole at every save."""
    counts: dict[str, int] = {}
    for f in report:
        counts[f.code] = counts.get(f.code, 0) + 1
    order = {fnd.ERROR: 0, fnd.WARNING: 1}
    codes = sorted(counts, key=lambda c: (order[fnd.CATALOGUE[c].severity], -counts[c], c))
    rows = [[fnd.SEVERITY_LABEL[fnd.CATALOGUE[c].severity], fnd.CATALOGUE[c].title, c, counts[c]] for c in codes]
    note = ("Không có lỗi." if not rows else
            f"Danh sách từng lỗi, bấm vào để đến ô cần sửa: sheet '{schema.LOI_NHAP.name}' trong sổ. "
            "Sửa các ô được chỉ ra rồi lưu lại; bảng này tự cập nhật.")
    footer = [TOTAL, "", "", sum(counts.values())] if rows else None
    return Table(schema.LOI_NHAP.name, ["Mức độ", "Loại", "Mã lỗi", "Số mục"], rows, note,
                 footer, [TEXT, TEXT, TEXT, INT], "findings")


# --- the monthly summary ----------------------------------------------------------

def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def month_summary(dataset: model.Dataset, year: int, month: int, *, today: dt.date,
                  calendar: WorkdayCalendar | None = None, report: fnd.Report | None = None) -> Summary:
    """Received, answered and overdue in one month, by field and by department.

    Received: Ngày tiếp nhận in the month. Answered: closed with Ngày trả lời
    in the month. Overdue: as of the month's last day (or today, if earlier),
    petitions not answered by then whose deadline had passed.
    """
    first, last = dt.date(year, month, 1), _month_end(year, month)
    ref = min(last, today)
    prep = _prepare(dataset, report)
    dept = prep.departments

    def received(p):
        return p.ngay_tiep_nhan is not None and first <= p.ngay_tiep_nhan <= last

    def answered(p):
        return is_answered(p) and p.ngay_tra_loi is not None and first <= p.ngay_tra_loi <= last

    def overdue(p):
        if p.han is None or p.han >= ref or is_forwarded(p):
            return False
        if p.ngay_tiep_nhan is not None and p.ngay_tiep_nhan > ref:
            return False
        if is_answered(p):
            return p.ngay_tra_loi is not None and p.ngay_tra_loi > ref
        return True

    ps = [p for p in prep.petitions if received(p) or answered(p) or overdue(p)]
    headers_tail = ["Tiếp nhận", "Đã trả lời", "Quá hạn"]

    def table(title, first_header, names, groups, key):
        rows = [MonthCountRow(nm, sum(map(received, groups[nm])), sum(map(answered, groups[nm])),
                              sum(map(overdue, groups[nm]))) for nm in names]
        footer = [TOTAL] + [sum(r[i] for r in rows) for i in (1, 2, 3)]
        return Table(title, [first_header] + headers_tail, rows, "", footer, [TEXT, INT, INT, INT], key)

    by_field = _group_by(ps, _field_of)
    by_dept = _group_by(ps, lambda p: dept(p.chu_tri))
    period = f"{month:02d}/{year}"
    s = Summary(kind="month", today=today, period=period, left_out=prep.left_out)
    s.by_field = table(f"Kiến nghị tháng {period} theo lĩnh vực", "Lĩnh vực",
                       _ordered(by_field, _list_values(dataset, "linh_vuc"), NO_FIELD), by_field, "by_field")
    s.by_department = table(f"Kiến nghị tháng {period} theo bộ phận chủ trì", "Bộ phận chủ trì",
                            dept.sorted(by_dept), by_dept, "by_department")
    n = {"received": sum(map(received, ps)), "answered": sum(map(answered, ps)),
         "overdue": sum(map(overdue, ps)), "left_out_petitions": prep.left_out_petitions}
    s.numbers = n
    s.key_numbers = Table(f"Số liệu tháng {period}", ["Chỉ tiêu", "Số lượng"], [
        ["Kiến nghị tiếp nhận trong tháng", n["received"]],
        ["Kiến nghị đã trả lời trong tháng", n["answered"]],
        [f"Kiến nghị quá hạn (tính đến {values.date_text(ref, with_time=False)})", n["overdue"]],
        ["Kiến nghị chưa tính do có lỗi", n["left_out_petitions"]],
    ], prep.left_out.note, None, [TEXT, INT], "key_numbers")
    late_rows = []
    for p in ps:
        if overdue(p):
            late_rows.append(LateRow(p.ma, p.nguoi_kien_nghi, shorten(p.noi_dung), dept(p.chu_tri), p.han,
                                     max(1, days_between(p.han, ref, calendar))))
    late_rows.sort(key=lambda r: (-r.days_late, r.ma))
    s.open_petitions = Table(f"Kiến nghị quá hạn (tính đến {values.date_text(ref, with_time=False)})",
                             [KN.col("ma"), KN.col("nguoi_kien_nghi"), KN.col("noi_dung"), KN.col("chu_tri"),
                              KN.col("han"), f"Số {'ngày làm việc' if calendar is not None else 'ngày (theo lịch)'} quá hạn"],
                             late_rows, "", None,
                             [TEXT, TEXT, TEXT, TEXT, DATE, INT], "open_petitions")
    return s
