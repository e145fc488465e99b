"""The roll-up's figures (pandas), from the store's tables and an as-of day (DESIGN.md §12).

Definitions (the predicates are the ward's, ``toolkit.rollup.predicates``; the
legal timeline is ``toolkit.rollup.timeline``):

- conferences: a ward's conferences *held* (Ngày tổ chức on or before as-of);
- deadlines met: held conferences whose notice and result report were both on
  time; missed: held conferences where one of them was late;
- petitions: every Kiến nghị row rolled up (rows with an unreadable cell are
  left out and reported); answered, forwarded, overdue (open with Hạn xử lý
  before as-of); answer rate = answered / petitions;
- topics: Lĩnh vực across wards (the list's own spelling; blank is
  "(Chưa phân loại)"), and the topics raised in three or more wards.

When two files name the same ward (Cấu hình "Tên đơn vị", compared on the
folded key), the most recently saved one is rolled up and the other reported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from toolkit.core import text
from toolkit.rollup import predicates, timeline

TOPIC_WARDS_MIN = 3


@dataclass
class Figures:
    as_of: dt.date
    wards: object            # DataFrame, one row per ward (WARD_COLUMNS)
    topics: object           # DataFrame, one row per Lĩnh vực
    conferences: object      # DataFrame, one row per conference with its legal statuses
    petitions: object        # DataFrame, every petition rolled up, with ``overdue``
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)   # (file left out, ward, file kept)
    cap_tren: list[str] = field(default_factory=list)    # each ward's "Cơ quan cấp trên", as typed

    @property
    def totals(self) -> dict:
        w = self.wards
        return {"wards": int(len(w)), "conferences": int(w["conferences"].sum()) if len(w) else 0,
                "petitions": int(w["petitions"].sum()) if len(w) else 0,
                "answered": int(w["answered"].sum()) if len(w) else 0,
                "overdue": int(w["overdue"].sum()) if len(w) else 0,
                "forwarded": int(w["forwarded"].sum()) if len(w) else 0,
                "deadlines_met": int(w["deadlines_met"].sum()) if len(w) else 0,
                "deadlines_missed": int(w["deadlines_missed"].sum()) if len(w) else 0}

    @property
    def topics_shared(self):
        return self.topics[self.topics["wards"] >= TOPIC_WARDS_MIN]

    @property
    def forwarded(self):
        return self.petitions[self.petitions["forwarded"]]

    @property
    def missed(self):
        return self.conferences[self.conferences["status"] == timeline.MISSED]


WARD_COLUMNS = ["file", "ward", "conferences", "deadlines_met", "deadlines_missed", "petitions", "answered",
                "overdue", "forwarded", "answer_rate"]


def _dates(series) -> list:
    """A DuckDB DATE column (datetime64, NaT for blank) as Python dates, None for blank."""
    import pandas as pd

    stamps = pd.to_datetime(series, errors="coerce")
    return [None if d != d else d for d in stamps.dt.date]      # NaT is the one value unequal to itself


def _sort_keys():
    """``text.vn_sort_key``, each text keyed once (a ward's name or a conference's code repeats)."""
    keys: dict[str, tuple] = {}

    def key(value: str) -> tuple:
        found = keys.get(value)
        if found is None:
            found = keys[value] = text.vn_sort_key(value)
        return found
    return key


def kept_files(wards, mtimes: dict[str, float]) -> tuple[set[str], list[tuple[str, str, str]]]:
    """The files rolled up (one per ward: the most recently saved) and the duplicates left out."""
    by_ward: dict[str, list[str]] = {}
    ward_of = dict(zip(wards["file"], wards["ward"]))
    for file, ward in ward_of.items():
        by_ward.setdefault(text.fold(ward), []).append(file)
    kept, dups = set(), []
    for files in by_ward.values():
        files = sorted(files, key=lambda f: (-mtimes.get(f, 0.0), f))
        kept.add(files[0])
        dups.extend((other, ward_of[files[0]], files[0]) for other in files[1:])
    return kept, sorted(dups)


def compute(wards, conferences, petitions, as_of: dt.date, mtimes: dict[str, float] | None = None) -> Figures:
    """Figures from the store's DataFrames (``Store.frame``)."""
    import pandas as pd

    kept, dups = kept_files(wards, mtimes or {})
    wards = wards[wards["file"].isin(kept)].copy()
    conferences = conferences[conferences["file"].isin(kept)].copy()
    petitions = petitions[petitions["file"].isin(kept)].copy()

    for col in ("ngay", "ngay_thong_bao", "han_thong_bao", "han_bao_cao", "ngay_bao_cao"):
        conferences[col] = pd.Series(_dates(conferences[col]), index=conferences.index, dtype=object)
    conferences["held"] = pd.Series([d is not None and d <= as_of for d in conferences["ngay"]],
                                    index=conferences.index, dtype=bool)
    conferences["notice"] = [timeline.notice_status(a, b) for a, b in
                             zip(conferences["ngay_thong_bao"], conferences["han_thong_bao"])]
    conferences["report"] = [timeline.report_status(a, b, bool(t), as_of) for a, b, t in
                             zip(conferences["ngay_bao_cao"], conferences["han_bao_cao"],
                                 conferences["theo_doi_bao_cao"])]
    conferences["status"] = [timeline.overall(n, r) for n, r in zip(conferences["notice"], conferences["report"])]
    held = conferences[conferences["held"]]

    for col in ("ngay_tiep_nhan", "han", "ngay_tra_loi"):
        petitions[col] = pd.Series(_dates(petitions[col]), index=petitions.index, dtype=object)
    for col in ("answered", "forwarded", "open"):
        petitions[col] = petitions[col].astype(bool)
    overdue = {}                       # (open, Hạn xử lý) repeat: each pair asked of the predicate once
    petitions["overdue"] = pd.Series([overdue[o, h] if (o, h) in overdue else
                                      overdue.setdefault((o, h), predicates.is_overdue(o, h, as_of))
                                      for o, h in zip(petitions["open"], petitions["han"])],
                                     index=petitions.index, dtype=bool)

    per_ward = wards[["file", "ward"]].set_index("file")
    per_ward["conferences"] = held.groupby("file").size()
    per_ward["deadlines_met"] = held[held["status"] == timeline.MET].groupby("file").size()
    per_ward["deadlines_missed"] = held[held["status"] == timeline.MISSED].groupby("file").size()
    counts = petitions.groupby("file").agg(petitions=("dong", "size"), answered=("answered", "sum"),
                                           overdue=("overdue", "sum"), forwarded=("forwarded", "sum"))
    per_ward = per_ward.join(counts)
    number_cols = ["conferences", "deadlines_met", "deadlines_missed", "petitions", "answered", "overdue", "forwarded"]
    per_ward[number_cols] = per_ward[number_cols].fillna(0).astype(int)
    per_ward["answer_rate"] = [a / p if p else None for a, p in zip(per_ward["answered"], per_ward["petitions"])]
    per_ward = per_ward.reset_index()
    sort_key = _sort_keys()
    per_ward["_key"] = [sort_key(w) for w in per_ward["ward"]]
    per_ward = per_ward.sort_values(["_key", "file"]).drop(columns="_key").reset_index(drop=True)[WARD_COLUMNS]

    topics = petitions.groupby("linh_vuc").agg(
        wards=("ward", "nunique"), petitions=("dong", "size"), answered=("answered", "sum"),
        overdue=("overdue", "sum"), forwarded=("forwarded", "sum")).reset_index()
    topics[["wards", "petitions", "answered", "overdue", "forwarded"]] = topics[
        ["wards", "petitions", "answered", "overdue", "forwarded"]].astype(int)
    topics = topics.sort_values(["petitions", "linh_vuc"], ascending=[False, True]).reset_index(drop=True)

    conferences = conferences.sort_values(["ward", "ngay", "ma"], key=lambda s: s.map(
        lambda v: sort_key(v) if isinstance(v, str) else (v or dt.date.min))).reset_index(drop=True)
    return Figures(as_of, per_ward, topics, conferences, petitions.reset_index(drop=True), dups,
                   [c for c in wards["cap_tren"] if isinstance(c, str) and c])
