"""The tables a pass draws: :class:`Table` (a title, headers, rows, a note, a footer and
each column's kind), the typed rows renderers read by field, and :class:`Summary`, the
tables of one pass in the order each sheet, workbook and page shows them. Computed by
``toolkit.outputs.summaries``; drawn by the summary workbook, the generated sheets, the
dashboard and the documents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from toolkit.core import schema

# Kinds of a column, for renderers (number formats, alignment).
TEXT, INT, NUMBER, DATE, PERCENT = "text", "int", "number", "date", "percent"


class WorkdayCalendar(Protocol):
    def workdays_between(self, a: dt.date, b: dt.date) -> int: ...


@dataclass
class Table:
    """One table as every renderer draws it.

    ``rows`` hold str / int / float / date / None. ``footer`` is an
    optional totals row drawn in bold (never part of a chart). ``kinds``
    names each column's kind (text/int/number/date/percent; percent values
    are rates 0–1); when missing it is inferred from the values (float ->
    percent).
    """

    title: str
    headers: list[str]
    rows: list[list | tuple]     # a list of cells, or a typed row (NamedTuple) renderers read by field
    note: str = ""
    footer: list | None = None
    kinds: list[str] = field(default_factory=list)
    key: str = ""

    def kind(self, index: int) -> str:
        if index < len(self.kinds):
            return self.kinds[index]
        for row in self.rows + ([self.footer] if self.footer else []):
            value = row[index] if index < len(row) else None
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                return TEXT
            if isinstance(value, int):
                return INT
            if isinstance(value, float):
                return PERCENT
            if isinstance(value, dt.date):
                return DATE
            return TEXT
        return TEXT

    def column(self, header: str) -> list:
        i = self.headers.index(header)
        return [row[i] for row in self.rows]

    def as_dicts(self) -> list[dict]:
        return [dict(zip(self.headers, row)) for row in self.rows]

    def __bool__(self) -> bool:  # an empty table is still a table
        return True


# --- typed rows: the tables a renderer reads field by field ---------------------------

class LeftOutRow(NamedTuple):
    """A row with errors, not counted (Dòng chưa được tính vào tổng hợp)."""
    sheet: str
    row: int
    reason: str


class QuotaRow(NamedTuple):
    """Đại biểu Nhân dân of one residential group at one conference, against the quota."""
    hoi_nghi: str
    to_dan_pho: str
    invited: int
    present: int
    minimum: int
    maximum: int
    state: str


class AttendanceRow(NamedTuple):
    hoi_nghi: str
    thanh_phan: str
    invited: int
    present: int
    rate: float


class MonthCountRow(NamedTuple):
    """One field or department in the monthly tables."""
    name: str
    received: int
    answered: int
    overdue: int


class LateRow(NamedTuple):
    """A petition overdue at the end of the month (or today)."""
    ma: str
    nguoi_kien_nghi: str
    noi_dung: str
    chu_tri: str
    han: dt.date
    days_late: int


@dataclass
class ConferenceFigures:
    """Everything a document needs about one conference."""

    ma: str
    ten: str = ""
    ngay: dt.date | None = None
    gio: dt.time | None = None
    dia_diem: str = ""
    chu_tri: str = ""
    thu_ky: str = ""
    invited: int = 0
    present: int = 0
    petitions: int = 0
    at_conference: int = 0        # answered at the conference
    written: int = 0              # to be answered / answered in writing
    forwarded: int = 0            # forwarded to the upper level
    answered: int = 0             # closed
    open: int = 0
    overdue: int = 0


@dataclass
class Summary:
    kind: str = "full"            # "full" or "month"
    today: dt.date | None = None
    period: str = ""              # "06/2024" for a month summary
    key_numbers: Table | None = None
    by_field: Table | None = None
    by_department: Table | None = None
    dept_status: Table | None = None
    by_group: Table | None = None
    overdue_by_department: Table | None = None
    open_petitions: Table | None = None
    quota: Table | None = None
    attendance: Table | None = None
    conferences_table: Table | None = None
    findings_table: Table | None = None
    left_out: Table | None = None
    replies_by_department: Table | None = None   # toolkit.outputs.reply_tables (the departments' own files)
    latest_answers: Table | None = None
    tasks: Table | None = None            # Công việc (None: the workbook has no such sheet)
    countdown: object | None = None       # toolkit.rules.tasks.Countdown: the next conference, for the dashboard
    conferences: dict[str, ConferenceFigures] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)   # key figures by ASCII key

    def tables(self) -> list[Table]:
        return [t for t in (
            self.key_numbers, self.by_field, self.by_department, self.dept_status, self.by_group,
            self.overdue_by_department, self.open_petitions, self.quota, self.attendance,
            self.conferences_table, self.tasks, self.left_out, self.findings_table, self.replies_by_department,
            self.latest_answers,
        ) if t is not None]

    def layout(self) -> list[tuple[str, list[Table]]]:
        """Standard grouping into sheets (names of the generated sheets where they exist)."""
        groups = [
            (schema.TONG_HOP.name, [self.key_numbers, self.by_field, self.by_department, self.dept_status,
                                    self.replies_by_department, self.by_group, self.conferences_table, self.quota,
                                    self.attendance, self.tasks]),
            (schema.THEO_DOI.name, [self.overdue_by_department, self.open_petitions, self.latest_answers]),
            (schema.LOI_NHAP.name, [self.left_out, self.findings_table]),
        ]
        return [(name, [t for t in tables if t is not None]) for name, tables in groups
                if any(t is not None for t in tables)]
