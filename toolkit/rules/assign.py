"""Every toolkit-owned value on Kiến nghị, as a plan of cell changes (no file I/O).

For each petition: Mã kiến nghị, Bộ phận chủ trì, Bộ phận phối hợp, Hạn xử lý,
Trạng thái and Căn cứ phân công. The write-back applies the plan and stores
``plan.state`` in the hidden ``_doithoai`` sheet.

Who owns a cell (docs/ARCHITECTURE.md, "The workbook"), decided with ``dataset.state`` (petition id ->
{column key: text the toolkit last wrote}):

- blank cell -> the toolkit fills it;
- a value equal to what the state says the toolkit wrote -> still the
  toolkit's: while the petition is still "Mới tiếp nhận" it is re-derived, so
  when Lĩnh vực, Nội dung, Ngày tiếp nhận, Hình thức trả lời or the Phân công
  rules change, the department and the deadline follow;
- anything else -> typed by a person: never overwritten.

Settled decisions (docs/ARCHITECTURE.md): a petition whose Trạng thái moved past
"Mới tiếp nhận", that has an answer (date or result), or that its department
answered in its own file (``issued``) is history. Its Bộ phận chủ trì, Bộ phận
phối hợp, Hạn xử lý and Căn cứ phân công are never re-derived: no rule change,
learning or new petition moves them. Only what was never decided is filled (a
blank Hạn xử lý, a blank Căn cứ phân công; a settled row without a department
is routed once, like a new one), Căn cứ records a person's retyped department
("Nhập tay") and a guess confirmed by the status; the state keeps what the
toolkit wrote, so ownership and learning stay the same on every later pass.

Mã kiến nghị is filled once and never renumbered. When a person typed the
lead department, Căn cứ phân công says "Nhập tay"; when the toolkit could only
guess it (routing.GUESS_MARK) and a person has since moved Trạng thái past
"Mới tiếp nhận", the guess counts as confirmed ("Xác nhận qua Trạng thái …"); the coordinators and the
deadline then follow the rules only if the rules point to the same lead,
otherwise no coordinators and the default deadline from Cấu hình.

Values in the state are text: dates dd/mm/yyyy, lists joined by "; ".
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from toolkit.core import schema, text
from toolkit.core.status import is_open, is_settled  # noqa: F401  (is_open: asked as assign.is_open too)
from toolkit.rules import learning
from toolkit.core.model import Dataset, Petition
from toolkit.rules.routing import GUESS_MARK, Router
from toolkit.core.workdays import Calendar

SHEET = schema.KIEN_NGHI.key
LIST_SEP = "; "
ID_PATTERN = re.compile(r"^\s*KN-(\d{4})-(\d{1,2})-(\d+)\s*$", re.IGNORECASE)
PLAN_KEYS = ("chu_tri", "phoi_hop", "han", "trang_thai")     # the state keys this plan writes (with "ma")



@dataclass
class CellChange:
    sheet_key: str
    row: int
    column_key: str
    value: object          # str, dt.date, or None to clear a value the toolkit wrote
    old: object


@dataclass
class Plan:
    changes: list[CellChange] = field(default_factory=list)
    state: dict[str, dict[str, str]] = field(default_factory=dict)
    assigned: int = 0      # petitions whose department or deadline this plan filled or re-derived

    def by_row(self) -> dict[int, dict[str, object]]:
        out: dict[int, dict[str, object]] = {}
        for c in self.changes:
            out.setdefault(c.row, {})[c.column_key] = c.value
        return out


@functools.lru_cache(maxsize=4096)
def _date_text(value: dt.date) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def state_text(value: object) -> str:
    """How a value is written in the state sheet (and compared with it)."""
    kind = type(value)
    if kind is str:              # most cells: first, without the isinstance chain
        return value.strip()
    if value is None:
        return ""
    if kind is dt.date:
        return _date_text(value)
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return _date_text(value)
    if isinstance(value, (list, tuple)):
        return LIST_SEP.join(t for t in (str(v).strip() for v in value) if t)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


_PLAIN = (str, int, float, dt.date, dt.time, list, tuple, bool)
_PLAIN_TYPES = frozenset((type(None), str, int, float, bool, dt.date, dt.datetime, dt.time, list, tuple))
_NONE: frozenset = frozenset()


def _unknown_keys(p: Petition) -> frozenset | set:
    """Keys of formula cells without a cached value: their content is unknown, never touch them."""
    raw = p.raw
    if not isinstance(raw, dict) or _PLAIN_TYPES.issuperset(map(type, raw.values())):
        return _NONE
    return {key for key, v in raw.items() if v is not None and not isinstance(v, _PLAIN)}


def _current(p: Petition, key: str) -> tuple[str, object]:
    """(state text of the cell, the value as the record holds it)."""
    value = getattr(p, key)
    if key == "phoi_hop":
        s = state_text(value)
        return s, (s or None)
    if value is None or value == "" or value == []:
        raw = p.raw.get(key) if isinstance(p.raw, dict) else None
        if raw is not None and state_text(raw):
            return state_text(raw), raw        # typed but unparsable: a person's value
        return "", None
    return state_text(value), value


def _owned_by_person(p: Petition, key: str, unknown, prev: dict[str, str]) -> bool:
    """A pending formula, or a value that is not what the state says the toolkit wrote."""
    if key in unknown:
        return True
    cur = _current(p, key)[0]
    return bool(cur) and prev.get(key) != cur


def format_id(year: int, month: int, number: int) -> str:
    return f"KN-{year:04d}-{month:02d}-{number:03d}"


class _IdMaker:
    """New Mã kiến nghị, continuing after the highest existing number of the month."""

    def __init__(self, existing: list[str]):
        self.used = {s.strip().upper() for s in existing if s and s.strip()}
        self.highest: Counter = Counter()
        for s in existing:
            m = ID_PATTERN.match(s or "")
            if m:
                key = (int(m.group(1)), int(m.group(2)))
                self.highest[key] = max(self.highest[key], int(m.group(3)))

    def next(self, day: dt.date) -> str:
        key = (day.year, day.month)
        n = self.highest[key] + 1
        while format_id(day.year, day.month, n) in self.used:
            n += 1
        self.highest[key] = n
        new = format_id(day.year, day.month, n)
        self.used.add(new)
        return new


def _id_date(p: Petition, dataset: Dataset, today: dt.date) -> dt.date:
    if p.ngay_tiep_nhan:
        return p.ngay_tiep_nhan
    if p.hoi_nghi:
        key = text.fold(p.hoi_nghi)
        for c in dataset.conferences:
            if c.ngay and c.ma and text.fold(c.ma) == key:
                return c.ngay
    return today


def plan(dataset: Dataset, *, today: dt.date, router: Router | None = None,
         calendar: Calendar | None = None, issued: frozenset[str] | set[str] = frozenset()) -> Plan:
    """Every toolkit-owned value on Kiến nghị; only real changes are listed.

    ``issued``: Mã of the petitions a department has answered in its own file (its phiếu
    chuyển was issued and taken up): settled, like a status past new or a typed answer."""
    if router is None:
        router = learning.make_router(dataset)
    calendar = calendar or Calendar.from_config(dataset.config)
    default_days = dataset.config.han_xu_ly_mac_dinh
    if not isinstance(default_days, int) or default_days < 0:
        default_days = schema.CONFIG_BY_KEY["han_xu_ly_mac_dinh"].default

    petitions = dataset.petitions
    unknowns = [_unknown_keys(p) for p in petitions]
    typed_ids = [("" if "ma" in unknown else _current(p, "ma")[0]) for p, unknown in zip(petitions, unknowns)]
    counts = Counter(s.upper() for s in typed_ids if s)
    ids = _IdMaker(typed_ids)
    result = Plan()
    state = dataset.state
    route = router.route_parts
    changes = result.changes

    # -- Mã kiến nghị: first for every row, so that the history cites a petition by the
    # Mã it will have after this pass (a second pass then changes nothing) --------------
    made: list[tuple[str | None, bool]] = []
    for p, typed_id, unknown in zip(petitions, typed_ids, unknowns):
        if "ma" in unknown:
            made.append((None, False))
        elif typed_id:
            made.append((typed_id if counts[typed_id.upper()] == 1 else None, False))   # duplicates: no state
        else:
            made.append((ids.next(_id_date(p, dataset, today)), True))
    learning.bind_ids(router, {p.row: pid or typed_id for p, typed_id, (pid, _g) in zip(petitions, typed_ids, made)})

    for p, typed_id, unknown, (pid, generated) in zip(petitions, typed_ids, unknowns, made):
        row = p.row
        if generated:
            changes.append(CellChange(SHEET, row, "ma", pid, None))
        prev = state.get(pid) if pid and not generated else None
        if not prev:
            prev = {}
        elif not all(type(v) is str for v in prev.values()):    # records give text; a hand-made state may not
            prev = {k: state_text(v) for k, v in prev.items()}
        new_state: dict[str, str] = {}
        if generated or (pid and prev.get("ma") == typed_id):
            new_state["ma"] = pid

        def derive(key: str, value: object) -> bool:
            """Fill/re-derive one cell when the toolkit owns it (blank, or as the state says it
            wrote it; never a pending formula or a person's value); True when it changed."""
            if key in unknown:
                return False
            cur, old = _current(p, key)
            if cur and prev.get(key) != cur:
                return False
            new = state_text(value)
            if new:
                new_state[key] = new
            if new == cur:
                return False
            if isinstance(value, (list, tuple)):
                value = new
            changes.append(CellChange(SHEET, row, key, value if new else None, old))
            return True

        # -- a settled petition (status past new, an answer, or the department answered in its
        # file): its department, deadline and basis are history, never re-derived ---------------
        if (pid in issued or is_settled(p)) and ("chu_tri" in unknown or _current(p, "chu_tri")[0]):
            for key in PLAN_KEYS:
                if key in prev:
                    new_state[key] = prev[key]       # who wrote what stays known (learning, ownership)
            manual = _owned_by_person(p, "chu_tri", unknown, prev)
            settled_basis = None
            if "han" not in unknown and not _current(p, "han")[0] and p.ngay_tiep_nhan:
                lead, _coordinators, days, settled_basis, _rule_row = route(p)     # a first deadline only
                if manual and router.department_name(p.chu_tri) != lead:
                    days = None
                touched = derive("han", calendar.add_workdays(p.ngay_tiep_nhan, default_days if days is None else days))
                result.assigned += touched
            derive("trang_thai", schema.STATUS_NEW)
            if "can_cu" not in unknown:
                cur_basis = state_text(p.can_cu)
                want = cur_basis
                if manual:
                    want = schema.MANUAL_BASIS
                elif not cur_basis:
                    want = settled_basis if settled_basis is not None else route(p)[3]
                elif cur_basis.startswith(GUESS_MARK) and (p.trang_thai or schema.STATUS_NEW) != schema.STATUS_NEW:
                    want = f"{schema.CONFIRMED_BASIS} '{p.trang_thai}'"
                if want != cur_basis:
                    changes.append(CellChange(SHEET, row, "can_cu", want, p.can_cu or None))
            if pid and new_state:
                result.state[pid] = new_state
            continue

        # -- department, deadline, status, basis --------------------------------------
        lead, coordinators, days, basis, _rule_row = route(p)
        manual = _owned_by_person(p, "chu_tri", unknown, prev)
        if manual and router.department_name(p.chu_tri) != lead:
            coordinators, days = (), None
        touched = False
        if not manual:
            touched |= derive("chu_tri", lead)
        derive("phoi_hop", coordinators)
        if days is None:
            days = default_days
        deadline = calendar.add_workdays(p.ngay_tiep_nhan, days) if p.ngay_tiep_nhan else None
        touched |= derive("han", deadline)
        derive("trang_thai", schema.STATUS_NEW)
        if manual:
            basis = schema.MANUAL_BASIS
        elif basis.startswith(GUESS_MARK) and "trang_thai" not in unknown \
                and (p.trang_thai or schema.STATUS_NEW) != schema.STATUS_NEW:
            basis = f"{schema.CONFIRMED_BASIS} '{p.trang_thai}'"
        if "can_cu" not in unknown and state_text(p.can_cu) != basis:
            changes.append(CellChange(SHEET, row, "can_cu", basis, p.can_cu or None))

        if touched:
            result.assigned += 1
        if pid and new_state:
            result.state[pid] = new_state
    return result


def overdue(petition: Petition, today: dt.date, calendar: Calendar) -> int | None:
    """Working days late (>= 1) for an open petition past its Hạn xử lý; None otherwise.

    Counted as the working days after the deadline up to and including today;
    a petition due on Friday is 1 day late on the weekend and on Monday.
    """
    if petition.han is None or not is_open(petition):
        return None
    deadline = petition.han.date() if isinstance(petition.han, dt.datetime) else petition.han
    if today <= deadline:
        return None
    return max(1, calendar.workdays_between(deadline, today))


def days_left(petition: Petition, today: dt.date, calendar: Calendar) -> int | None:
    """Working days from today to Hạn xử lý for an open petition (0 = due today; negative = late)."""
    if petition.han is None or not is_open(petition):
        return None
    deadline = petition.han.date() if isinstance(petition.han, dt.datetime) else petition.han
    return calendar.workdays_between(today, deadline)
