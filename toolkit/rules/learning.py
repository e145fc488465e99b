"""Routing learnt from the register's own history (issue 17): "giống KN-…".

When the Phân công rules are silent or weak (toolkit.rules.routing), the department
is proposed from petitions whose department a person typed or confirmed:

- in this workbook: Bộ phận chủ trì typed by a person (not what the toolkit
  last wrote, per the state sheet). A department the toolkit wrote never
  teaches, even once its Trạng thái moved on, so the toolkit does not learn
  from itself and a second pass over an unchanged workbook changes nothing;
- in earlier years' workbooks placed beside it (other .xlsx files in the same
  folder, read once per file version and kept on disk in their ket-qua folder,
  toolkit.rules.learncache): Căn cứ phân công "Nhập tay", or any petition moved
  past "Mới tiếp nhận" (the department took it on).

The model is a naive Bayes classifier over Nội dung's syllables and syllable
bigrams, folded (case, tone placement) and without diacritics, each counted
once per petition; pure Python, deterministic (ties go to the department
first seen), trained in one pass. A proposal is *confident* when the
department's posterior probability is at least :data:`MIN_POSTERIOR` and the
most similar petition of that department shares at least :data:`MIN_OVERLAP`
of the petition's informative words (IDF-weighted), so "giống KN-…" always
names a petition that really is alike.

:func:`guess_findings` turns the rows the toolkit could only guess
(routing.GUESS_MARK) into warnings asking the clerk to confirm them.
"""

from __future__ import annotations

import functools
import hashlib
import heapq
import json
import math
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from toolkit.core import schema, text
from toolkit.core.findings import Finding
from toolkit.core.model import Dataset
from toolkit.rules import learncache
from toolkit.rules.keywords import ascii_word, tokens
from toolkit.rules.routing import GUESS_MARK, Router

MIN_POSTERIOR = 0.7        # the department's share of the posterior probability
MIN_OVERLAP = 0.4          # IDF-weighted share of the petition's words the similar petition has
MIN_EXAMPLES = 2           # a department needs this many examples before it is proposed
MAX_EXAMPLES = 50_000      # most recent first: the workbook, then neighbours newest first
MAX_NEIGHBOURS = 10        # earlier workbooks read from the folder
NEIGHBOUR_MAX_BYTES = 200 * 1024 * 1024
_ALPHA = 0.5               # additive smoothing
_RARE_DF = 0.05            # words in more than this share of petitions are not used to find the similar one
NEAREST_SCAN = 1_500       # postings read (rarest words first) when looking for the similar petition
NEAREST_CANDIDATES = 30    # candidates compared in full
# What a neighbour teaches (_read_examples) is kept on disk under this version
# (toolkit.rules.learncache): bump it when _read_examples changes what it returns.
EXAMPLES_VERSION = 1
_EXAMPLE_KEYS = ("ma", "noi_dung", "chu_tri", "trang_thai", "can_cu")

@dataclass(frozen=True)
class Example:
    content: str
    department: str            # name as typed or confirmed
    ident: str                 # Mã kiến nghị (or where it is) cited as "giống …"


@dataclass(frozen=True)
class Guess:
    department: str
    posterior: float
    example: str               # the most similar petition of that department
    overlap: float
    confident: bool


def features(content: str) -> list[str]:
    """Syllables and bigrams of Nội dung, folded and without diacritics, each once, in order."""
    return list(_features(content))


@functools.lru_cache(maxsize=1 << 16)
def _features(content: str) -> tuple[str, ...]:
    # A register repeats the same Nội dung (one row per delegate who raised it): memoised.
    words = [ascii_word(w) if not w.isascii() else w for w in tokens(content)[0]]
    words = [w for w in words if not w.isdigit()]
    return tuple(dict.fromkeys(words + [f"{a} {b}" for a, b in zip(words, words[1:])]))


class History:
    """Naive Bayes over the examples; see the module docstring.

    Identical examples (same Nội dung, same department) count for the model each
    time but are kept once for "giống …" (the first one, so the most recent)."""

    def __init__(self, examples: Iterable[Example]):
        self.departments: list[str] = []
        self._dept_index: dict[str, int] = {}
        self._counts: list[Counter] = []
        self._docs: list[int] = []
        self._df: Counter = Counter()
        self._n = 0                                                # examples counted
        self._examples: list[tuple[str, int, frozenset]] = []      # distinct: (ident, department, features)
        self._distinct: dict[tuple[int, tuple[str, ...]], int] = {}
        self._postings: dict[str, list[int]] | None = None         # built on the first prediction
        self.idents: set[str] = set()
        self._by_ident: dict[str, int] = {}
        names: dict[str, str] = {}          # folded name -> first spelling
        for ex in examples:
            if self._n >= MAX_EXAMPLES:
                break
            dept = text.clean(ex.department or "", multiline=False)
            feats = _features(ex.content or "")
            if not dept or not feats:
                continue
            dept = names.setdefault(text.fold(dept), dept)
            d = self._dept_index.get(dept)
            if d is None:
                d = self._dept_index[dept] = len(self.departments)
                self.departments.append(dept)
                self._counts.append(Counter())
                self._docs.append(0)
            self._counts[d].update(feats)
            self._docs[d] += 1
            self._df.update(feats)
            self._n += 1
            self.idents.add(ex.ident)
            i = self._distinct.get((d, feats))
            if i is None:
                i = self._distinct[(d, feats)] = len(self._examples)
                self._examples.append((ex.ident, d, frozenset(feats)))
            self._by_ident.setdefault(ex.ident, i)
        self._totals = [sum(c.values()) for c in self._counts]
        self._vocab = len(self._df)
        self._denoms = [math.log(t + _ALPHA * self._vocab) for t in self._totals]
        self._logp_memo: dict[str, list[float]] = {}

    def __len__(self) -> int:
        return self._n

    def _idf(self, f: str) -> float:
        return math.log((1 + self._n) / (1 + self._df[f])) + 1.0

    def predict(self, content: str, *, exclude: str | None = None) -> Guess | None:
        """The department the history proposes for ``content`` (None: nothing to learn from).

        ``exclude``: leave that example out (leave-one-out evaluation of the history)."""
        if not self._n:
            return None
        every = _features(content)
        feats = [f for f in every if f in self._df]
        if not feats:
            return None
        own = self._by_ident.get(exclude) if exclude else None
        own_d, own_feats = (self._examples[own][1], self._examples[own][2]) if own is not None else (-1, frozenset())
        n = self._n - (own is not None)
        if n <= 0:
            return None
        if own is None:
            scores = [math.log(docs / n) for docs in self._docs]
            for f in feats:
                for d, lp in enumerate(self._logp(f)):
                    scores[d] += lp
        else:
            scores = []
            for d, counts in enumerate(self._counts):
                docs, total = self._docs[d], self._totals[d]
                if d == own_d:
                    docs, total = docs - 1, total - len(own_feats)
                if docs <= 0:
                    scores.append(-math.inf)
                    continue
                denom = math.log(total + _ALPHA * self._vocab)
                s = math.log(docs / n)
                for f in feats:
                    c = counts.get(f, 0) - (d == own_d and f in own_feats)
                    s += math.log(c + _ALPHA) - denom
                scores.append(s)
        top = max(range(len(scores)), key=lambda d: (scores[d], -d))
        peak = scores[top]
        if peak == -math.inf:
            return None
        posterior = 1.0 / sum(math.exp(s - peak) for s in scores if s != -math.inf)
        example, overlap = self._nearest(feats, top, own, unknown=len(every) - len(feats))
        if example is None:
            return None
        confident = (posterior >= MIN_POSTERIOR and overlap >= MIN_OVERLAP
                     and self._docs[top] - (top == own_d) >= MIN_EXAMPLES)
        return Guess(self.departments[top], posterior, example, overlap, confident)

    def _logp(self, f: str) -> list[float]:
        """log P(word | department) for each department, smoothed; remembered per word."""
        lp = self._logp_memo.get(f)
        if lp is None:
            lp = self._logp_memo[f] = [math.log(c.get(f, 0) + _ALPHA) - dn
                                       for c, dn in zip(self._counts, self._denoms)]
        return lp

    def _index(self) -> dict[str, list[int]]:
        if self._postings is None:
            self._postings = {}
            for i, (_ident, _d, feats) in enumerate(self._examples):
                for f in feats:
                    self._postings.setdefault(f, []).append(i)
        return self._postings

    def _nearest(self, feats: list[str], dept: int, skip: int | None, unknown: int = 0) -> tuple[str | None, float]:
        """The distinct example of ``dept`` sharing the largest IDF-weighted part of ``feats``.

        Candidates are found through the petition's rarer words (then the rarest ones,
        if it has only common words); at most NEAREST_CANDIDATES are compared in full."""
        postings = self._index()
        weights = {f: self._idf(f) for f in feats}
        # words no example has count against the similarity, as the rarest words
        total = sum(weights.values()) + unknown * (math.log(1 + self._n) + 1.0)
        rare_limit = max(20, int(_RARE_DF * len(self._examples)))
        ordered = sorted(feats, key=lambda f: (len(postings.get(f, ())), f))
        chosen = [f for f in ordered if len(postings.get(f, ())) <= rare_limit] or ordered[:2]
        partial: dict[int, float] = {}
        budget = NEAREST_SCAN                  # postings read in all, rarest words first
        examples = self._examples
        for f in chosen:
            if budget <= 0:
                break
            w = weights[f]
            posting = postings.get(f, ())[:budget]
            budget -= len(posting)
            for i in posting:
                if examples[i][1] == dept and i != skip:
                    partial[i] = partial.get(i, 0.0) + w
        best, best_score = None, 0.0
        for i, _p in heapq.nsmallest(NEAREST_CANDIDATES, partial.items(), key=lambda kv: (-kv[1], kv[0])):
            ex_feats = self._examples[i][2]
            full = sum(w for f, w in weights.items() if f in ex_feats)   # common words count too
            if full > best_score:
                best, best_score = i, full
        if best is None:
            return None, 0.0
        return self._examples[best][0], best_score / total


# --- where the examples come from ----------------------------------------------------------

def _confirmed_status(status: object) -> bool:
    s = text.fold(str(status or ""))
    return bool(s) and s != text.fold(schema.STATUS_NEW)


def examples_from_dataset(dataset: Dataset, ids: dict[int, str | None] | None = None) -> list[Example]:
    """Petitions of this workbook whose Bộ phận chủ trì a person typed (module docstring).

    ``ids``: row -> the Mã kiến nghị the petition has after this pass (assign.plan), cited
    as "giống …"; without it, the Mã typed (or the row)."""
    out = []
    for p in dataset.petitions:
        dept = text.clean(str(p.chu_tri or ""), multiline=False)
        if not dept or not (p.noi_dung or "").strip():
            continue
        typed_id = (p.ma or "").strip()
        written = dataset.state.get(typed_id, {}).get("chu_tri") if typed_id else None
        if written is not None and text.fold(str(written)) == text.fold(dept):
            continue               # what the toolkit wrote: it never learns from itself
        ident = (ids or {}).get(p.row) or typed_id or f"dòng {p.row}"
        out.append(Example(p.noi_dung, dept, ident))
    return out


def _neighbour_files(path: Path) -> list[Path]:
    try:
        siblings = [f for f in path.parent.iterdir()
                    if f.suffix.lower() == ".xlsx" and not f.name.startswith(("~$", "."))
                    and f.resolve() != path.resolve() and f.is_file()]
    except OSError:
        return []
    siblings.sort(key=lambda f: f.name, reverse=True)      # "2024" before "2023": newest year first
    return siblings[:MAX_NEIGHBOURS]


_NEIGHBOUR_CACHE: dict[tuple[str, int, int], list[Example]] = {}


def examples_version() -> str:
    """The version of what a neighbour teaches: :data:`EXAMPLES_VERSION` and the names
    _read_examples looks for, so a renamed column or status also invalidates the disk cache."""
    sheet = schema.KIEN_NGHI
    names = [EXAMPLES_VERSION, sheet.name, sheet.match_key, [sheet.col(k) for k in _EXAMPLE_KEYS],
             schema.MANUAL_BASIS, schema.STATUS_NEW]
    digest = hashlib.sha256(json.dumps(names, ensure_ascii=False).encode("utf-8")).hexdigest()
    return f"{EXAMPLES_VERSION}-{digest[:16]}"


def examples_from_file(path: Path) -> list[Example]:
    """Confirmed petitions of another doithoai workbook (Nhập tay, or Trạng thái past new); [] if unreadable.

    Remembered per file version in this process and on disk (learncache), so a fresh
    process reads the workbook only when it changed."""
    try:
        st = path.stat()
    except OSError:
        return []
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key in _NEIGHBOUR_CACHE:
        return _NEIGHBOUR_CACHE[key]
    out: list[Example] = []
    if st.st_size <= NEIGHBOUR_MAX_BYTES:
        version = examples_version()
        rows = learncache.load(path, st, version)
        if rows is not None:
            out = [Example(*row) for row in rows]
        else:
            try:
                found = _read_examples(path)
            except Exception:   # noqa: BLE001 - another person's file, any shape: it simply teaches nothing
                found = None
            if found is None:                   # not a register: no cache is kept for it
                learncache.forget(path)
            else:
                learncache.store(path, st, version, ((e.content, e.department, e.ident) for e in found))
            out = found or []
    if len(_NEIGHBOUR_CACHE) > 64:
        _NEIGHBOUR_CACHE.clear()
    _NEIGHBOUR_CACHE[key] = out
    return out


def _read_examples(path: Path) -> list[Example] | None:
    """The confirmed petitions of the register at ``path``; None when it is not a register
    (no Kiến nghị sheet with Nội dung and Bộ phận chủ trì in its first rows)."""
    import python_calamine as pc

    sheet = schema.KIEN_NGHI
    wb = pc.CalamineWorkbook.from_path(os.fspath(path))
    try:
        title = next((n for n in wb.sheet_names if text.header_key(n) == sheet.match_key), None)
        if title is None:
            return None
        grid = wb.get_sheet_by_name(title).to_python(skip_empty_area=False)
    finally:
        wb.close()
    wanted = {sheet.col(k): k for k in _EXAMPLE_KEYS}
    keys = {text.header_key(h): k for h, k in wanted.items()}
    for hi, row in enumerate(grid[:10]):
        cols = {keys[text.header_key(v)]: j for j, v in enumerate(row)
                if isinstance(v, str) and text.header_key(v) in keys}
        if "noi_dung" in cols and "chu_tri" in cols:
            break
    else:
        return None
    manual = text.fold(schema.MANUAL_BASIS)
    out = []
    same: dict[str, str] = {}           # one string per Nội dung: a register repeats them
    for i, row in enumerate(grid[hi + 1:], start=hi + 2):
        def cell(k):
            j = cols.get(k)
            v = row[j] if j is not None and j < len(row) else None
            return "" if v is None else str(v).strip()
        content, dept = cell("noi_dung"), cell("chu_tri")
        if not content or not dept:
            continue
        if text.fold(cell("can_cu")) == manual or _confirmed_status(cell("trang_thai")):
            content, dept = same.setdefault(content, content), same.setdefault(dept, dept)
            out.append(Example(content, dept, cell("ma") or f"{path.stem} dòng {i}"))
    return out


def history_for(dataset: Dataset, path: Path | None = None, ids: dict[int, str | None] | None = None) -> History:
    """This workbook's typed departments, then the confirmed ones of the workbooks beside ``path``."""
    examples = examples_from_dataset(dataset, ids)
    if path is not None:
        for f in _neighbour_files(Path(path)):
            examples.extend(examples_from_file(f))
    return History(examples)


def make_router(dataset: Dataset, path: Path | None = None, *, router: Router | None = None) -> Router:
    """The Router of a pass: Phân công, Cấu hình's department for unclear petitions, and the
    history (built only when a petition needs it; assign.plan binds the Mã it gives)."""
    if router is None:
        router = Router(dataset.rules, dataset.departments, unsure_department=unsure_setting(dataset))
    router.learning_source = (dataset, None if path is None else Path(path))
    router.use_history(lambda: history_for(dataset, path))
    return router


def bind_ids(router: Router, ids: dict[int, str | None]) -> None:
    """Let the router's history cite this workbook's petitions by the Mã they get in this pass."""
    source = getattr(router, "learning_source", None)
    if source is not None:
        dataset, path = source
        router.use_history(lambda: history_for(dataset, path, ids))


def unsure_setting(dataset: Dataset) -> str | None:
    return getattr(dataset.config, "bo_phan_chua_ro", None)


def guess_findings(dataset: Dataset) -> list[Finding]:
    """A warning on Bộ phận chủ trì of every petition whose Căn cứ phân công is a guess."""
    sheet = schema.KIEN_NGHI
    table = dataset.tables.get(sheet.key)
    col = table.col_index("chu_tri") if table else None
    out = []
    for p in dataset.petitions:
        if is_guess(p.can_cu):
            out.append(Finding("petition-route-guess", sheet.name, p.row, sheet.col("chu_tri"), col,
                               p.chu_tri or "", {"other": p.chu_tri or "chưa giao"}))
    return out


def is_guess(basis: object) -> bool:
    return str(basis or "").startswith(GUESS_MARK)
