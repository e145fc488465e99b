"""Routing learnt from the register's settled history: "giống KN-…".

When the Phân công rules are silent or weak (toolkit.rules.routing), the department
is proposed from *settled* assignments only (docs/ARCHITECTURE.md, "Settled decisions"):

- in this workbook: a Bộ phận chủ trì typed by a person (not what the toolkit last
  wrote, per the state sheet), or one the toolkit wrote and that was kept through a
  status change (the state sheet records the status the toolkit wrote, and the cell's
  Trạng thái has moved past "Mới tiếp nhận" since). The toolkit's own unconfirmed
  guesses never teach, so a second pass over an unchanged workbook changes nothing;
- in other registers (earlier years): the examples the pass gathered and hands in
  (toolkit.pipeline.precedents reads the files beside the register, keeps a cache,
  and leaves out a copy of the register itself). This module does no file I/O.

Leave-one-out: a petition is never its own precedent. An example with the petition's
Mã, or with the same Nội dung (a copy of the register, a backup or last year's file
holds the same petitions), is left out of the model and of "giống …" when that
petition is routed. The answer does not depend on the order of the rows: examples are
ordered by source, then Mã and content, before the model is built, and every tie
goes to the smaller name.

The model is a naive Bayes classifier over Nội dung's syllables and syllable
bigrams, folded (case, tone placement) and without diacritics, each counted
once per petition; pure Python, deterministic, trained in one pass. A proposal is
*confident* when the department's posterior probability is at least
:data:`MIN_POSTERIOR` and the most similar petition of that department shares at
least :data:`MIN_OVERLAP` of the petition's informative words (IDF-weighted), so
"giống …" always names a petition that really is alike.

:func:`guess_findings` turns the rows the toolkit could only guess
(routing.GUESS_MARK) into warnings asking the clerk to confirm them.
"""

from __future__ import annotations

import functools
import heapq
import math
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from toolkit.core import schema, text
from toolkit.core.findings import Finding
from toolkit.core.model import Dataset
from toolkit.core.status import is_settled
from toolkit.rules.keywords import ascii_word, tokens
from toolkit.rules.routing import GUESS_MARK, Router

MIN_POSTERIOR = 0.7        # the department's share of the posterior probability
MIN_OVERLAP = 0.4          # IDF-weighted share of the petition's words the similar petition has
MIN_EXAMPLES = 2           # a department needs this many examples before it is proposed
MAX_EXAMPLES = 50_000      # most recent first: the workbook, then neighbours newest first
_ALPHA = 0.5               # additive smoothing
_RARE_DF = 0.05            # words in more than this share of petitions are not used to find the similar one
NEAREST_SCAN = 1_500       # postings read (rarest words first) when looking for the similar petition
NEAREST_CANDIDATES = 30    # candidates compared in full


@dataclass(frozen=True)
class Example:
    content: str
    department: str            # name as typed or confirmed
    ident: str                 # Mã kiến nghị (or where it is) cited as "giống …"
    source: int = 0            # 0: this register; 1, 2, …: the registers beside it, newest first


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

    Examples are ordered (source, Mã, content, department) first, so the model does not
    depend on the order of the rows. Identical examples (same Nội dung, same department)
    count for the model each time and are kept once for "giống …", with every Mã they
    came from (the smallest one not left out is cited)."""

    def __init__(self, examples: Iterable[Example]):
        self.departments: list[str] = []
        self._dept_index: dict[str, int] = {}
        self._counts: list[Counter] = []
        self._docs: list[int] = []
        self._df: Counter = Counter()
        self._n = 0                                                # examples counted
        # distinct: ([(Mã, folded Nội dung)] of the examples it stands for, department, features)
        self._examples: list[tuple[list[tuple[str, str]], int, frozenset]] = []
        self._distinct: dict[tuple[int, tuple[str, ...]], int] = {}
        self._by_feats: dict[tuple[str, ...], list[int]] = {}       # features -> distinct examples
        self._by_ident: dict[str, Counter] = {}                     # Mã -> {distinct example: times}
        self._postings: dict[str, list[int]] | None = None         # built on the first prediction
        self.idents: set[str] = set()
        names: dict[str, str] = {}          # folded name -> first spelling
        ordered = sorted(examples, key=lambda e: (e.source, e.ident, e.content, e.department))
        for ex in ordered[:MAX_EXAMPLES]:
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
                self._examples.append(([], d, frozenset(feats)))
                self._by_feats.setdefault(feats, []).append(i)
            self._examples[i][0].append((ex.ident, _content_key(ex.content)))
            self._by_ident.setdefault(ex.ident, Counter())[i] += 1
        self._totals = [sum(c.values()) for c in self._counts]
        self._vocab = len(self._df)
        self._denoms = [math.log(t + _ALPHA * self._vocab) for t in self._totals]
        self._logp_memo: dict[str, list[float]] = {}

    def __len__(self) -> int:
        return self._n

    def _idf(self, f: str) -> float:
        return math.log((1 + self._n) / (1 + self._df[f])) + 1.0

    def _left_out(self, content: str, every: tuple[str, ...], exclude: str | None) -> dict[int, int]:
        """Distinct example -> how many of its examples are the petition itself (same Nội dung, or its Mã)."""
        key = _content_key(content)
        candidates = set(self._by_feats.get(every, ()))      # the same Nội dung has the same features
        if exclude:
            candidates.update(self._by_ident.get(exclude, ()))
        out: dict[int, int] = {}
        for i in candidates:
            k = sum(1 for ident, ck in self._examples[i][0] if ck == key or (exclude and ident == exclude))
            if k:
                out[i] = k
        return out

    def predict(self, content: str, *, exclude: str | None = None) -> Guess | None:
        """The department the history proposes for ``content`` (None: nothing to learn from).

        Never the petition itself: examples with the same Nội dung, or with the Mã ``exclude``,
        are left out (leave-one-out)."""
        if not self._n:
            return None
        every = _features(content)
        feats = [f for f in every if f in self._df]
        if not feats:
            return None
        left = self._left_out(content, every, exclude)
        n = self._n - sum(left.values())
        if n <= 0:
            return None
        docs = list(self._docs)
        if not left:
            scores = [math.log(k / n) if k else -math.inf for k in docs]
            for f in feats:
                for d, lp in enumerate(self._logp(f)):
                    scores[d] += lp
        else:
            totals = list(self._totals)
            minus: dict[int, Counter] = {}
            for i, k in left.items():
                _ids, d, ex_feats = self._examples[i]
                docs[d] -= k
                totals[d] -= k * len(ex_feats)
                m = minus.setdefault(d, Counter())
                for f in ex_feats:
                    m[f] += k
            scores = []
            for d, counts in enumerate(self._counts):
                if docs[d] <= 0:
                    scores.append(-math.inf)
                    continue
                if d not in minus:
                    scores.append(math.log(docs[d] / n) + sum(self._logp(f)[d] for f in feats))
                    continue
                denom = math.log(totals[d] + _ALPHA * self._vocab)
                m = minus[d]
                s = math.log(docs[d] / n)
                for f in feats:
                    s += math.log(counts.get(f, 0) - m.get(f, 0) + _ALPHA) - denom
                scores.append(s)
        top = max(range(len(scores)), key=lambda d: (scores[d], _neg(self.departments[d])))
        peak = scores[top]
        if peak == -math.inf:
            return None
        posterior = 1.0 / sum(math.exp(s - peak) for s in scores if s != -math.inf)
        example, overlap = self._nearest(feats, top, left, exclude, content, unknown=len(every) - len(feats))
        if example is None:
            return None
        confident = (posterior >= MIN_POSTERIOR and overlap >= MIN_OVERLAP and docs[top] >= MIN_EXAMPLES)
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
            for i, (_ids, _d, feats) in enumerate(self._examples):
                for f in feats:
                    self._postings.setdefault(f, []).append(i)
        return self._postings

    def _cited(self, i: int, left: dict[int, int], exclude: str | None, content: str) -> str | None:
        """The Mã of distinct example ``i`` to cite: the smallest one that is not the petition itself."""
        entries = self._examples[i][0]
        if left.get(i, 0) >= len(entries):
            return None
        key = _content_key(content)
        return min((ident for ident, ck in entries if ident != exclude and ck != key), default=None)

    def _nearest(self, feats: list[str], dept: int, left: dict[int, int], exclude: str | None, content: str,
                 unknown: int = 0) -> tuple[str | None, float]:
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
                if examples[i][1] == dept and left.get(i, 0) < len(examples[i][0]):
                    partial[i] = partial.get(i, 0.0) + w
        best, best_score, best_ident = None, 0.0, ""
        for i, _p in heapq.nsmallest(NEAREST_CANDIDATES, partial.items(), key=lambda kv: (-kv[1], kv[0])):
            ex_feats = self._examples[i][2]
            full = sum(w for f, w in weights.items() if f in ex_feats)   # common words count too
            ident = self._cited(i, left, exclude, content)
            if ident is None:
                continue
            if full > best_score or (full == best_score and best is not None and ident < best_ident):
                best, best_score, best_ident = i, full, ident
        if best is None:
            return None, 0.0
        return best_ident, best_score / total


def _content_key(content: str) -> str:
    """Two Nội dung are the same petition's when they read the same (case, spacing, tone placement)."""
    return text.fold(content or "")


def _neg(name: str) -> tuple:
    """Sort key that makes max() prefer the smaller name on a tie."""
    return tuple(-ord(ch) for ch in name) + (0,)


# --- where the examples come from ----------------------------------------------------------

def examples_from_dataset(dataset: Dataset, ids: dict[int, str | None] | None = None) -> list[Example]:
    """This register's settled assignments (module docstring): a Bộ phận chủ trì a person typed,
    or one the toolkit wrote and that was kept through a status change.

    ``ids``: row -> the Mã kiến nghị the petition has after this pass (assign.plan), cited
    as "giống …"; without it, the Mã typed (or the row)."""
    out = []
    for p in dataset.petitions:
        dept = text.clean(str(p.chu_tri or ""), multiline=False)
        if not dept or not (p.noi_dung or "").strip():
            continue
        typed_id = (p.ma or "").strip()
        written = dataset.state.get(typed_id, {}) if typed_id else {}
        by_toolkit = written.get("chu_tri") is not None and text.fold(str(written["chu_tri"])) == text.fold(dept)
        if by_toolkit and not (is_settled(p) and "trang_thai" in written
                               and (p.trang_thai or schema.STATUS_NEW) != schema.STATUS_NEW):
            continue               # the toolkit's own assignment, not (yet) kept through a status change
        ident = (ids or {}).get(p.row) or typed_id or f"dòng {p.row}"
        out.append(Example(p.noi_dung, dept, ident))
    return out


def history_for(dataset: Dataset, others: Iterable[Example] = (), ids: dict[int, str | None] | None = None) -> History:
    """This workbook's settled assignments, then ``others`` (the registers beside it, gathered by the pass)."""
    return History(examples_from_dataset(dataset, ids) + list(others))


def make_router(dataset: Dataset, others: Iterable[Example] = (), *, router: Router | None = None) -> Router:
    """The Router of a pass: Phân công, Cấu hình's department for unclear petitions, and the
    history (built only when a petition needs it; assign.plan binds the Mã it gives).
    ``others``: settled examples of other registers (toolkit.pipeline.precedents)."""
    if router is None:
        router = Router(dataset.rules, dataset.departments, unsure_department=unsure_setting(dataset))
    others = list(others)
    router.learning_source = (dataset, others)
    router.use_history(lambda: history_for(dataset, others))
    return router


def bind_ids(router: Router, ids: dict[int, str | None]) -> None:
    """Let the router's history cite this workbook's petitions by the Mã they get in this pass."""
    source = getattr(router, "learning_source", None)
    if source is not None:
        dataset, others = source
        router.use_history(lambda: history_for(dataset, others, ids))


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
