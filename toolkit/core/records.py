"""Typed records from the reader's tables (``build``), and lookups others reuse.

``build(tables, sheet_names)`` parses every RawRow with ``values`` and gives a
:class:`model.Dataset` plus per-cell findings. A cell that cannot be parsed is
``None`` in its record (its raw value stays in ``record.raw`` for Delegate and
Petition) and gets one finding at its cell. A formula cell without a cached
value (``RawRow.unknown``) is "unknown": ``None``, no finding, and
``record.raw[key] is UNKNOWN`` so business checks skip it.

Lookups (``resolve_conference``, ``resolve_group``, ``resolve_department``)
live in ``toolkit.core.references`` (re-exported here): one resolver for checks,
summaries and documents.

State sheet (``_doithoai``, schema.DA_DIEN, very hidden, owned by the toolkit):
header row 1 = the schema.DA_DIEN headers (``Mã kiến nghị`` and the Kiến nghị
headers of the other schema.STATE_KEYS columns); one row per petition: its Mã
kiến nghị, then in each column the text the toolkit last wrote in that column
of Kiến nghị (dates dd/mm/yyyy, lists joined by "; "); a blank cell means the
toolkit wrote nothing there. Read into ``dataset.state`` as
``{ma: {"ma": ma, column key: value text}}``.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable

from toolkit.core import canonical, schema, text, values
from toolkit.core.findings import Finding
from toolkit.core.duerules import parse_due
from toolkit.core.model import (Conference, Config, Dataset, Delegate, Department, Group, Petition, RawRow,
                           Rule, SheetTable, Task)
from toolkit.core.values import MEMO_MAX_CHARS, LongText

UNKNOWN = object()   # in record.raw: a formula cell without cached value


_PARSERS: dict[str, tuple[Callable[[object], object], str]] = {
    schema.DATE: (values.parse_date, "date-invalid"),
    schema.TIME: (values.parse_time, "time-invalid"),
    schema.INT: (values.parse_int, "number-invalid"),
    schema.YEAR: (values.parse_year, "number-invalid"),
    schema.PHONE: (values.parse_phone, "phone-invalid"),
    schema.EMAIL: (values.parse_email, "email-invalid"),
    schema.BOOL: (values.parse_bool, "bool-invalid"),
    schema.DUE: (parse_due, "due-invalid"),
}


def _display(v: object) -> object:
    if isinstance(v, dt.date):
        return values.date_text(v, with_time=True)
    if isinstance(v, dt.time):
        return v.strftime("%H:%M")
    return v


def _text_of(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(_display(v))


_TEXTUAL = (schema.TEXT, schema.LONGTEXT, schema.CODE)


def parse_value(column: schema.Column, v: object) -> tuple[object, str | None, object]:
    """(typed value, finding code or None, value shown in the finding) of a non-blank cell."""
    if values.is_excel_error(v):
        return None, "excel-error-value", str(v).strip().upper()
    if column.type in _PARSERS:
        parser, code = _PARSERS[column.type]
        try:
            return parser(v), None, None
        except (ValueError, TypeError, OverflowError):
            return None, code, _display(v)
    if column.type == schema.LIST:
        items = values.parse_list(v)
        for item in items:
            if text.looks_legacy_font(item):
                return items, "legacy-font-text", item
        return items, None, None
    s = _text_of(v)
    if isinstance(v, LongText):
        return s, "text-too-long", s[:60] + "…"
    if column.owner != schema.TOOLKIT and text.looks_legacy_font(s):
        return s, "legacy-font-text", s[:80]
    return s, None, None


class _Reader:
    """Typed values of one table's rows, one finding at most per cell.

    A cell's result depends only on its column and value, and codes, names,
    dates and list values repeat thousands of times, so results are memoised
    per column (text up to MEMO_MAX_CHARS; numbers and dates keyed with their
    type, since True == 1 == 1.0 in Python). ``fields``: the keys to keep in
    the typed values (every column is still parsed for its findings).
    """

    def __init__(self, table: SheetTable, findings: list[Finding], fields=None):
        self.findings = findings
        self.sheet = table.sheet.name
        self.absent: dict[str, object] = {}       # columns missing from the sheet: blank values
        self.absent_lists: list[str] = []
        self.present = []
        for column in table.sheet.columns:
            keep = fields is None or column.key in fields
            is_list = column.type == schema.LIST
            blank = None if is_list else "" if column.type in _TEXTUAL else None
            if column.key not in table.columns:
                if keep and is_list:
                    self.absent_lists.append(column.key)
                elif keep:
                    self.absent[column.key] = blank
                continue
            required = column.required and column.owner != schema.TOOLKIT
            self.present.append((column.key, column, keep, is_list, blank, required,
                                 table.columns[column.key], {}))

    def _finding(self, row: int, column: schema.Column, col: int | None, code: str, value: object) -> None:
        self.findings.append(Finding(code, sheet=self.sheet, row=row, column=column.header, col=col, value=value))

    def row(self, raw: RawRow) -> tuple[dict, dict]:
        """(typed values by key with '' / [] / None for blanks, raw values with UNKNOWN markers)."""
        typed = dict(self.absent)
        for key in self.absent_lists:
            typed[key] = []
        vals = raw.values
        unknown = raw.unknown
        for key, column, keep, is_list, blank, required, col, memo in self.present:
            v = vals.get(key)
            pending = bool(unknown) and key in unknown     # a formula without cached value: no check
            if v is None or pending:
                if v is None and required and not pending:
                    self._finding(raw.row, column, col, "required-missing", None)
                if keep:
                    typed[key] = [] if is_list else blank
                continue
            if type(v) is str:
                result = memo.get(v)
                if result is None:
                    result = parse_value(column, v)
                    if len(v) <= MEMO_MAX_CHARS:
                        memo[v] = result
            else:
                memo_key = (type(v), v)
                try:
                    result = memo.get(memo_key)
                except TypeError:   # not hashable
                    memo_key = result = None
                if result is None:
                    result = parse_value(column, v)
                    if memo_key is not None:
                        memo[memo_key] = result
            value, code, shown = result
            if code is not None:
                self._finding(raw.row, column, col, code, shown)
            if keep:
                if value is None:
                    typed[key] = [] if is_list else blank
                elif is_list:
                    typed[key] = list(value)   # records must not share one memoised list
                else:
                    typed[key] = value
        if unknown:
            raws = {k: (UNKNOWN if k in unknown else v) for k, v in vals.items()}
        else:
            raws = vals
        return typed, raws


# --- Cấu hình -----------------------------------------------------------------------

# A number in Cấu hình (days, delegates per group) above this is a typing slip.
CONFIG_INT_MAX = 1000


def _config(table: SheetTable | None, findings: list[Finding]) -> Config:
    config = Config()      # every item's default (schema.CONFIG_ITEMS)
    if table is None:
        return config
    by_key = {item.match_key: item for item in schema.CONFIG_ITEMS}
    seen: set[str] = set()
    value_col = table.columns.get("gia_tri")
    for raw in table.rows:
        label = raw.values.get("muc")
        item = by_key.get(text.header_key(label)) if label is not None else None
        if item is None or item.key in seen:
            continue
        seen.add(item.key)
        config.rows[item.key] = raw.row
        if "gia_tri" in raw.unknown:
            continue
        v = raw.values.get("gia_tri")
        if v is None:
            continue

        def invalid(reason: str) -> None:
            findings.append(Finding("config-invalid", sheet=table.sheet.name, row=raw.row, column=item.label,
                                    col=value_col, value=_display(v), extra={"reason": reason}))

        if values.is_excel_error(v):
            invalid("ô có giá trị lỗi của Excel")
            continue
        if item.type == schema.INT:
            try:
                n = values.parse_int(v)
            except ValueError:
                invalid("cần một số nguyên")
                continue
            if n < 0:
                invalid("không được âm")
                continue
            if n > CONFIG_INT_MAX:
                invalid(f"quá lớn (tối đa {CONFIG_INT_MAX})")
                continue
            setattr(config, item.key, n)
        elif item.type == schema.BOOL:
            try:
                setattr(config, item.key, values.parse_bool(v))
            except ValueError:
                invalid("ghi Có hoặc Không")
        elif item.type == schema.LIST and item.key.startswith("ngay_"):
            dates, bad = [], []
            for part in ([v] if isinstance(v, (dt.date, int, float)) else values.parse_list(v)):
                try:
                    dates.append(values.parse_date(part))
                except ValueError:
                    bad.append(str(part))
            if bad:
                invalid("ngày không hợp lệ: " + ", ".join(bad))
            setattr(config, item.key, dates)
        elif item.key in schema.CONFIG_LISTS:
            setattr(config, item.key, [p for p in (text.clean(x) for x in str(v).replace("\n", ";").split(";")) if p])
        else:
            setattr(config, item.key, _text_of(v))
    for item in schema.CONFIG_ITEMS:
        if item.key not in seen and not item.optional:
            findings.append(Finding("config-item-missing", sheet=table.sheet.name, value=item.label))
    if config.so_dai_bieu_toi_thieu > config.so_dai_bieu_toi_da:
        item = schema.CONFIG_BY_KEY["so_dai_bieu_toi_thieu"]
        findings.append(Finding("config-invalid", sheet=table.sheet.name,
                                row=config.rows.get(item.key), column=item.label, col=value_col,
                                value=config.so_dai_bieu_toi_thieu,
                                extra={"reason": "lớn hơn số đại biểu tối đa"}))
        config.so_dai_bieu_toi_thieu = item.default
        config.so_dai_bieu_toi_da = schema.CONFIG_BY_KEY["so_dai_bieu_toi_da"].default
    return config


def _lists(table: SheetTable | None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, (_header, defaults) in schema.LISTS.items():
        found: list[str] = []
        if table is not None and key in table.columns:
            seen = set()
            for raw in table.rows:
                v = raw.values.get(key)
                if v is None or values.is_excel_error(v):
                    continue
                s = _text_of(v)
                if text.fold(s) not in seen:
                    seen.add(text.fold(s))
                    found.append(s)
        out[key] = found or list(defaults)
    return out


def _state(table: SheetTable | None) -> dict[str, dict[str, object]]:
    state: dict[str, dict[str, object]] = {}
    if table is None:
        return state
    for raw in table.rows:
        ma = raw.values.get("ma")
        if ma is None:
            continue
        pid = _text_of(ma)
        filled = {"ma": pid}
        for key in schema.STATE_KEYS[1:]:
            v = raw.values.get(key)
            if v is not None:
                v = v if type(v) is str else _text_of(v)
                if v:
                    filled[key] = v
        state[pid] = filled
    return state


# (sheet key, dataset attribute, record class) of the sheets read row by row, in report order.
_ROW_SHEETS = (("hoi_nghi", "conferences", Conference), ("to_dan_pho", "groups", Group),
               ("bo_phan", "departments", Department), ("phan_cong", "rules", Rule),
               ("dai_bieu", "delegates", Delegate), ("kien_nghi", "petitions", Petition),
               ("cong_viec", "tasks", Task))
_PARTS = ("cau_hinh", "danh_muc", "da_dien") + tuple(key for key, _a, _c in _ROW_SHEETS)


class Builder:
    """``build`` in two steps: the sheets already read are typed while a large one is still parsed.

    ``add(tables, pending=...)`` builds every part except the pending sheets
    (a sheet absent from ``tables`` and not pending is missing for good);
    ``finish`` builds the rest and returns what ``build`` returns, with the
    findings in the same order whatever the steps.
    """

    def __init__(self):
        self.dataset = Dataset()
        self._findings: dict[str, list[Finding]] = {}

    def add(self, tables: dict[str, SheetTable], *, pending: frozenset[str] | set[str] = frozenset()) -> Dataset:
        for key in _PARTS:
            if key not in pending and key not in self._findings:
                self._build(key, tables.get(key))
        self.dataset.tables = dict(tables)
        return self.dataset

    def finish(self, tables: dict[str, SheetTable], sheet_names: list[str]) -> tuple[Dataset, list[Finding]]:
        self.add(tables)
        self.dataset.sheet_names = list(sheet_names)
        canonical.canonicalize(self.dataset)        # one reading: list values in the list's spelling
        return self.dataset, [f for key in _PARTS for f in self._findings[key]]

    def _build(self, key: str, table: SheetTable | None) -> None:
        ds, findings = self.dataset, self._findings.setdefault(key, [])
        if key == "cau_hinh":
            ds.config = _config(table, findings)
        elif key == "danh_muc":
            ds.lists = _lists(table)
        elif key == "da_dien":
            ds.state = _state(table)
        elif table is not None:
            _sheet_key, attr, cls = next(r for r in _ROW_SHEETS if r[0] == key)
            out = getattr(ds, attr)
            reader = _Reader(table, findings, cls.__dataclass_fields__)
            with_raw = "raw" in cls.__dataclass_fields__
            for raw in table.rows:
                typed, raws = reader.row(raw)
                if cls is Rule and typed.get("uu_tien") is None:
                    typed["uu_tien"] = 10 ** 6      # no priority: considered last
                if with_raw:
                    out.append(cls(row=raw.row, raw=raws, **typed))
                else:
                    out.append(cls(row=raw.row, **typed))


def build(tables: dict[str, SheetTable], sheet_names: list[str]) -> tuple[Dataset, list[Finding]]:
    """Typed Dataset from the reader's tables, with per-cell findings."""
    return Builder().finish(tables, sheet_names)


def is_unknown(record: object, key: str) -> bool:
    """True when the record's cell is a formula without cached value (do not check it)."""
    raw = getattr(record, "raw", None)
    return isinstance(raw, dict) and raw.get(key) is UNKNOWN


# --- Lookups: toolkit.core.references (one resolver for checks, summaries and documents) ---

from toolkit.core.references import resolve_conference, resolve_department, resolve_group  # noqa: E402,F401
