"""Business checks over a typed Dataset: ``validate(dataset) -> Iterator[Finding]``.

Per-cell parsing problems (bad dates, required values…) are found by
``records.build``; this module checks values against lists and other sheets
and the rules of the plan. Conventions:

- A check never fires on a cell whose value is unknown (formula without cached
  value, ``records.is_unknown``) or that already has a parsing finding: "missing"
  checks look at the raw cell being truly blank.
- References to another sheet (conference, group, department) are checked only
  when that sheet was read; a missing sheet is already one structural finding.
- Lookups are ``records.resolve_*`` (code or name, folded, no-diacritics fallback).
- Group quota counts only "Đại diện Nhân dân" delegates whose ``Được mời`` is not
  explicitly "không", per conference that has at least one such delegate.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from collections import defaultdict
from typing import Callable, Iterable, Iterator, NamedTuple

from toolkit.core import records, schema, status, text, values
from toolkit.core.findings import Finding
from toolkit.core.model import Dataset

_LIST_COLUMNS = {   # sheet key -> dataset attribute holding its records
    "phan_cong": "rules",
    "dai_bieu": "delegates",
    "kien_nghi": "petitions",
}


def _finding(ds: Dataset, code: str, sheet_key: str, row: int | None, col_key: str | None,
             value: object = None, **extra) -> Finding:
    sheet = schema.sheet(sheet_key)
    table = ds.tables.get(sheet_key)
    col = table.columns.get(col_key) if table is not None and col_key else None
    column = sheet.col(col_key) if col_key else None
    if isinstance(value, dt.date):
        value = values.date_text(value, with_time=False)
    return Finding(code, sheet=sheet.name, row=row, column=column, col=col, value=value, extra=extra)


def _blank(record: object, key: str) -> bool:
    """True when the cell was truly empty (not unknown, not an unparsable value)."""
    raw = getattr(record, "raw", None)
    if isinstance(raw, dict) and key in raw:
        return raw[key] is None
    return not getattr(record, key, None)


def _suggest(value: str, candidates: Iterable[str]) -> str:
    by_fold: dict[str, str] = {}
    for c in candidates:
        if c:
            by_fold.setdefault(text.ascii_fold(c), c)
    key = text.ascii_fold(value)
    best = difflib.get_close_matches(key, list(by_fold), n=1, cutoff=0.6)
    if best:
        return by_fold[best[0]]
    # Same words in another order ("Vệ sinh môi trường" for "Môi trường - Vệ sinh").
    words = set(re.findall(r"\w+", key))
    scored = []
    for folded, original in by_fold.items():
        theirs = set(re.findall(r"\w+", folded))
        if words and theirs:
            scored.append((len(words & theirs) / len(words | theirs), original))
    score, original = max(scored, default=(0.0, ""))
    return original if score >= 0.6 else ""


@functools.lru_cache(maxsize=256)
def _list_keys(allowed: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    return frozenset(text.fold(a) for a in allowed), frozenset(text.ascii_fold(a) for a in allowed)


def in_list(value: str, allowed: Iterable[str]) -> bool:
    """Folded match, accepting a spelling without diacritics."""
    exact, loose = _list_keys(tuple(allowed))
    return text.fold(value) in exact or text.ascii_fold(value) in loose


def _is_people(category: str) -> bool:
    return bool(category) and text.ascii_fold(category) == text.ascii_fold(schema.CATEGORY_PEOPLE)


# --- Lists and references -------------------------------------------------------------

def _check_list(ds: Dataset, sheet_key: str) -> Iterator[Finding]:
    if sheet_key not in ds.tables:
        return
    sheet = schema.sheet(sheet_key)
    for column in sheet.columns:
        if not column.source or not column.source.startswith("danh_muc."):
            continue
        list_key = column.source.split(".", 1)[1]
        allowed = ds.lists.get(list_key) or list(schema.LISTS[list_key][1])
        verdicts: dict[str, bool] = {}     # a few list values, typed thousands of times
        for rec in getattr(ds, _LIST_COLUMNS[sheet_key]):
            value = getattr(rec, column.key, "")
            if not value:
                continue
            ok = verdicts.get(value) if type(value) is str else None
            if ok is None:
                ok = in_list(value, allowed)
                if type(value) is str:
                    verdicts[value] = ok
            if not ok and not records.is_unknown(rec, column.key):
                yield _finding(ds, "value-not-in-list", sheet_key, rec.row, column.key, value,
                               list_name=schema.list_header(list_key), suggestion=_suggest(value, allowed))


def _names(items, *attrs) -> list[str]:
    return [getattr(i, a) for i in items for a in attrs if getattr(i, a)]


_REFS = (   # (sheet key, record attr, column key, target source, finding code)
    ("dai_bieu", "delegates", "hoi_nghi", "hoi_nghi", "unknown-conference"),
    ("kien_nghi", "petitions", "hoi_nghi", "hoi_nghi", "unknown-conference"),
    ("dai_bieu", "delegates", "to_dan_pho", "to_dan_pho", "unknown-group"),
    ("kien_nghi", "petitions", "to_dan_pho", "to_dan_pho", "unknown-group"),
    ("phan_cong", "rules", "chu_tri", "bo_phan", "unknown-department"),
    ("phan_cong", "rules", "phoi_hop", "bo_phan", "unknown-department"),
    ("kien_nghi", "petitions", "chu_tri", "bo_phan", "unknown-department"),
    ("kien_nghi", "petitions", "phoi_hop", "bo_phan", "unknown-department"),
    ("cong_viec", "tasks", "hoi_nghi", "hoi_nghi", "unknown-conference"),
    ("cong_viec", "tasks", "bo_phan", "bo_phan", "unknown-department"),
)

_RESOLVERS = {
    "hoi_nghi": (records.resolve_conference, "conferences"),
    "to_dan_pho": (records.resolve_group, "groups"),
    "bo_phan": (records.resolve_department, "departments"),
}


def _check_reference(ds: Dataset, sheet_key: str, attr: str, col_key: str, target: str,
                     code: str) -> Iterator[Finding]:
    if sheet_key not in ds.tables or target not in ds.tables:
        return
    resolve, target_attr = _RESOLVERS[target]
    candidates = _names(getattr(ds, target_attr), "ma", "ten")
    found: dict[str, bool] = {}            # typed text -> it names a record of the target sheet
    for rec in getattr(ds, attr):
        if records.is_unknown(rec, col_key):
            continue
        value = getattr(rec, col_key, None)
        for item in (value if isinstance(value, list) else [value]):
            if not item:
                continue
            ok = found.get(item) if type(item) is str else None
            if ok is None:
                ok = resolve(ds, item) is not None
                if type(item) is str:
                    found[item] = ok
            if not ok:
                yield _finding(ds, code, sheet_key, rec.row, col_key, item,
                               suggestion=_suggest(item, candidates))
                break


# --- Petitions -------------------------------------------------------------------------

def check_petitions(ds: Dataset, today: dt.date) -> Iterator[Finding]:
    if "kien_nghi" not in ds.tables:
        return
    first_id: dict[str, int] = {}
    closed: dict[str, bool] = {}
    for p in ds.petitions:
        if p.ma:
            key = text.fold(p.ma)
            if key in first_id:
                yield _finding(ds, "duplicate-id", "kien_nghi", p.row, "ma", p.ma, other_row=first_id[key])
            else:
                first_id[key] = p.row
        for key in ("ngay_tiep_nhan", "ngay_tra_loi"):
            d = getattr(p, key)
            if d is not None and d > today:
                yield _finding(ds, "date-in-future", "kien_nghi", p.row, key, d)
        if p.ngay_tra_loi and p.ngay_tiep_nhan and p.ngay_tra_loi < p.ngay_tiep_nhan:
            yield _finding(ds, "answer-before-receipt", "kien_nghi", p.row, "ngay_tra_loi", p.ngay_tra_loi,
                           other=values.date_text(p.ngay_tiep_nhan, with_time=False))
        is_closed = closed.get(p.trang_thai)
        if is_closed is None:
            is_closed = closed[p.trang_thai] = status.is_answered(p)
        if is_closed:
            for key in ("ngay_tra_loi", "ket_qua"):
                if key in ds.tables["kien_nghi"].columns and _blank(p, key):
                    yield _finding(ds, "closed-without-answer", "kien_nghi", p.row, key, p.trang_thai,
                                   other=schema.KIEN_NGHI.col(key))


# --- Delegates and groups ----------------------------------------------------------------

def _conference_year(ds: Dataset, typed: str, today: dt.date) -> int:
    conf = records.resolve_conference(ds, typed)
    return conf.ngay.year if conf is not None and conf.ngay else today.year


def check_delegates(ds: Dataset, today: dt.date) -> Iterator[Finding]:
    if "dai_bieu" not in ds.tables:
        return
    seen: dict[tuple[str, str, str], int] = {}
    for d in ds.delegates:
        if d.nam_sinh is not None:
            age = _conference_year(ds, d.hoi_nghi, today) - d.nam_sinh
            if not 18 <= age <= 110:
                yield _finding(ds, "birth-year-implausible", "dai_bieu", d.row, "nam_sinh", d.nam_sinh)
        if _is_people(d.thanh_phan) and "to_dan_pho" in ds.tables["dai_bieu"].columns and _blank(d, "to_dan_pho"):
            yield _finding(ds, "group-required", "dai_bieu", d.row, "to_dan_pho", d.thanh_phan)
        if d.ho_ten and d.hoi_nghi:
            conf = records.resolve_conference(ds, d.hoi_nghi)
            group = records.resolve_group(ds, d.to_dan_pho) if d.to_dan_pho else None
            key = (text.fold(d.ho_ten),
                   text.fold(group.ma) if group else text.fold(d.to_dan_pho or ""),
                   text.fold(conf.ma) if conf else text.fold(d.hoi_nghi))
            if key in seen:
                yield _finding(ds, "delegate-duplicate", "dai_bieu", d.row, "ho_ten", d.ho_ten,
                               other=conf.ma if conf else d.hoi_nghi, other_row=seen[key])
            else:
                seen[key] = d.row


def check_quotas(ds: Dataset) -> Iterator[Finding]:
    if "dai_bieu" not in ds.tables or "to_dan_pho" not in ds.tables:
        return
    counts: dict[tuple[int, int], int] = defaultdict(int)   # (conference row, group row) -> people delegates
    conferences = {}
    for d in ds.delegates:
        if not _is_people(d.thanh_phan) or d.duoc_moi is False:
            continue
        conf = records.resolve_conference(ds, d.hoi_nghi)
        group = records.resolve_group(ds, d.to_dan_pho)
        if conf is None or group is None:
            continue
        conferences[conf.row] = conf
        counts[(conf.row, group.row)] += 1
    cfg = ds.config
    raw_rows = {r.row: r for r in ds.tables["to_dan_pho"].rows}

    def unusable(g, key: str) -> bool:   # typed but not a number, or a pending formula: skip the group
        raw = raw_rows.get(g.row)
        return raw is not None and (key in raw.unknown or (raw.values.get(key) is not None and getattr(g, key) is None))

    for conf in sorted(conferences.values(), key=lambda c: c.row):
        for g in ds.groups:
            if (not g.ma and not g.ten) or unusable(g, "toi_thieu") or unusable(g, "toi_da"):
                continue
            n = counts.get((conf.row, g.row), 0)
            low = g.toi_thieu if g.toi_thieu is not None else cfg.so_dai_bieu_toi_thieu
            high = g.toi_da if g.toi_da is not None else cfg.so_dai_bieu_toi_da
            name = g.ten or g.ma
            if n < low:
                yield _finding(ds, "group-quota-low", "to_dan_pho", g.row, "ma", name,
                               count=n, limit=low, other=conf.ma)
            elif n > high:
                yield _finding(ds, "group-quota-high", "to_dan_pho", g.row, "ma", name,
                               count=n, limit=high, other=conf.ma)


# --- Conferences and rules --------------------------------------------------------------------

def check_conferences(ds: Dataset) -> Iterator[Finding]:
    need = ds.config.thong_bao_truoc
    for c in ds.conferences:
        if c.ngay and c.ngay_thong_bao:
            days = (c.ngay - c.ngay_thong_bao).days
            if days < need:
                yield _finding(ds, "notice-too-late", "hoi_nghi", c.row, "ngay_thong_bao", c.ngay_thong_bao,
                               count=days, limit=need)


# Cấu hình items a document cannot be signed without: (item key, where it shows, what to type).
SIGNING_ITEMS = (
    ("ten_don_vi", "tên cơ quan ở đầu văn bản",
     "Ghi đủ tên, ví dụ: UBND phường Hà Đông."),
    ("co_quan_cap_tren", "nơi gửi báo cáo và phiếu chuyển kiến nghị vượt thẩm quyền",
     "Ghi UBND tỉnh hoặc thành phố mà phường báo cáo, ví dụ: UBND thành phố Hà Nội."),
    ("dia_danh", "dòng địa danh, ngày tháng đang là «……»",
     "Ghi tên địa danh, ví dụ: Hà Đông."),
    ("chu_tich", "khối chữ ký chưa có họ tên người ký",
     "Ghi họ và tên Chủ tịch UBND phường."),
)   # a blank Ký hiệu báo cáo is BC-UBND (its default), so documents still have one


def check_signing(ds: Dataset) -> Iterator[Finding]:
    """What a document needs before it can be signed, typed in Cấu hình (a warning at its Giá trị cell)."""
    if "cau_hinh" not in ds.tables:
        return
    cfg = ds.config
    for key, where, hint in SIGNING_ITEMS:
        typed = str(getattr(cfg, key, "") or "").strip()
        if key == "ten_don_vi":      # the default alone names no ward
            missing = text.fold(typed) in ("", text.fold(str(schema.CONFIG_BY_KEY[key].default)))
        else:
            missing = not typed
        if missing:
            item = schema.CONFIG_BY_KEY[key]
            yield _finding(ds, "config-needed-to-sign", "cau_hinh", cfg.rows.get(key), "gia_tri", typed or None,
                           item=item.label, where=where, hint=hint)


def check_rules(ds: Dataset) -> Iterator[Finding]:
    if "phan_cong" in ds.tables and not ds.rules:
        yield _finding(ds, "rules-empty", "phan_cong", None, None)


# --- All of them -------------------------------------------------------------------------------

class _Step(NamedTuple):
    needs: frozenset[str]                      # the sheets whose records the check reads
    rows: str                                  # the sheet whose rows its findings are on
    check: Callable[[], Iterator[Finding]]


def _steps(ds: Dataset, today: dt.date) -> list[_Step]:
    """Every check, in report order."""
    steps = [_Step(frozenset((key, "danh_muc")), key, functools.partial(_check_list, ds, key)) for key in _LIST_COLUMNS]
    steps += [_Step(frozenset((ref[0], ref[3])), ref[0], functools.partial(_check_reference, ds, *ref)) for ref in _REFS]
    steps += [
        _Step(frozenset(("hoi_nghi", "cau_hinh")), "hoi_nghi", functools.partial(check_conferences, ds)),
        _Step(frozenset(("phan_cong",)), "phan_cong", functools.partial(check_rules, ds)),
        _Step(frozenset(("cau_hinh",)), "cau_hinh", functools.partial(check_signing, ds)),
        _Step(frozenset(("dai_bieu", "hoi_nghi", "to_dan_pho")), "dai_bieu", functools.partial(check_delegates, ds, today)),
        _Step(frozenset(("dai_bieu", "hoi_nghi", "to_dan_pho", "cau_hinh")), "to_dan_pho",
              functools.partial(check_quotas, ds)),
        _Step(frozenset(("kien_nghi",)), "kien_nghi", functools.partial(check_petitions, ds, today)),
    ]
    return steps


class Validation:
    """``validate`` in two steps, for a dataset that is still being built (``records.Builder``).

    ``run(pending=...)`` runs now every check that reads none of the pending
    sheets; ``findings()`` runs the others and returns all findings in the
    order ``validate`` yields them.
    """

    def __init__(self, dataset: Dataset, *, today: dt.date | None = None):
        self._steps = _steps(dataset, today or dt.date.today())
        self._done: dict[int, list[Finding]] = {}

    def run(self, *, pending: frozenset[str] | set[str] = frozenset()) -> None:
        for i, step in enumerate(self._steps):
            if i not in self._done and not step.needs & pending:
                self._done[i] = list(step.check())

    def findings(self) -> list[Finding]:
        self.run()
        return [f for i in range(len(self._steps)) for f in self._done[i]]


def validate(dataset: Dataset, *, today: dt.date | None = None) -> Iterator[Finding]:
    """Every business finding of the dataset (after records.build)."""
    today = today or dt.date.today()
    for step in _steps(dataset, today):
        yield from step.check()


def check_rows(dataset: Dataset, sheet_key: str, *, today: dt.date) -> Iterator[Finding]:
    """The findings ``validate`` makes on the rows of one sheet, in its order, by the same steps: what a
    ward's own summary reads to leave a row out, asked by the roll-up without the other sheets' checks."""
    for step in _steps(dataset, today):
        if step.rows == sheet_key:
            yield from step.check()
