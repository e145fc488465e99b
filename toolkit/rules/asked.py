"""What a petition asks, read by clause (issue 28, the table 7 round).

A citizen's petition usually tells what is the matter, then asks: "Tôi là mẹ đơn thân nuôi con nhỏ,
**xin được hỗ trợ con giống** để chăn nuôi thoát nghèo"; "Chó thả rông …, có quy định phạt mà chẳng
thấy ai bị phạt, **đề nghị phường kiểm tra từng hộ nuôi chó**". The words of the description (a
place, an object, a rule someone mentions) are not what the ward is asked to do.

:func:`read` finds the *act asked*: from an ask word (``defaults.ASKED_CLAUSE_WORDS``: đề nghị, kiến
nghị, xin, mong, nhờ, yêu cầu, đề xuất; not one said to be done already, 'đã kiến nghị') to the end of
its sentence (``defaults.CLAUSE_ENDS``), stopping at a purpose word (``defaults.PURPOSE_WORDS``: 'để',
'nhằm': the purpose is why, not what). Inside the act, a keyword right after a locative word
(``defaults.LOCATIVE_WORDS``: 'tại', 'ở') is where the act is to happen, an address.

The router (:mod:`toolkit.rules.routing`, ``Router._asked_first``) lets a rule found in the act asked
come before rules found only in the description when it found more keyword words
(``routing.ASKED_MARGIN``), as a guess naming both when the whole text read as before points elsewhere;
a rule found only where the act is to happen weighs nothing, one found only in its purpose never routes
confidently — for Phân công's rules and staff's own rules alike. The signs of a higher level
(:mod:`toolkit.rules.upward`) read a rule to make or change ('có quy định', 'ban hành') only in the act
asked. A text with no ask word is read as a whole, as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from toolkit.core import defaults
from toolkit.rules import keywords


@dataclass(frozen=True)
class Clauses:
    """The act(s) asked in one Nội dung, as word indexes of the router's split."""
    spans: tuple[tuple[int, int], ...]     # [start, end): the ask word up to the purpose or sentence end
    placed: frozenset[int]                 # word indexes right after a locative word inside an act
    purposes: tuple[tuple[int, int], ...] = ()   # [start, end): a purpose word up to the sentence end

    def asked(self, pos: int) -> bool:
        """True when the word at ``pos`` is in an act asked and not where it is to happen."""
        return pos not in self.placed and any(s <= pos < e for s, e in self.spans)

    def where(self, pos: int) -> bool:
        """True when the word at ``pos`` names where an act asked is to happen ('tại nhà văn hóa')."""
        return pos in self.placed

    def aside(self, pos: int) -> bool:
        """True when the word at ``pos`` names where an act asked is to happen ('tại nhà văn hóa') or
        why it is asked ('để chăn nuôi'): not the act, not the description either."""
        return pos in self.placed or any(s <= pos < e for s, e in self.purposes)


def _words(phrases: tuple[str, ...]) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    out = []
    for phrase in phrases:
        kw = keywords.Keyword.make(phrase, -1)
        if kw is not None:
            out.append((kw.folded, kw.asciified))
    return tuple(out)


@lru_cache(maxsize=1)
def _lists():
    """For text with and without diacritics: (ask words by first word, purpose words by first word,
    locative words, done words)."""
    out = []
    for plain in (False, True):
        def by_first(phrases):
            table: dict[str, list[tuple[str, ...]]] = {}
            for folded, asciified in _words(phrases):
                w = asciified if plain else folded
                table.setdefault(w[0], []).append(w)
            return table
        out.append((by_first(defaults.ASKED_CLAUSE_WORDS), by_first(defaults.PURPOSE_WORDS),
                    by_first(defaults.LOCATIVE_WORDS), frozenset(w[0] for w in by_first(defaults.DONE_WORDS))))
    return out


def _at(seq: list[str], j: int, table: dict) -> int:
    """Length of the phrase of ``table`` that begins at ``j`` (0: none)."""
    for w in table.get(seq[j], ()):
        if len(w) == 1 or tuple(seq[j:j + len(w)]) == w:
            return len(w)
    return 0


def _ends_before(gaps: keywords.Gaps, seq: list[str], j: int) -> bool:
    """True when a sentence ends between word j - 1 and word j ('1.000' is a number, not an end)."""
    raw = gaps.parts[2 * j]
    if "\n" in raw:
        return True
    if not any(c in raw for c in defaults.CLAUSE_ENDS):
        return False
    return not (raw.strip() == "." and seq[j - 1][-1:].isdigit() and seq[j][:1].isdigit())


_LAST: tuple = (None, None)     # (the last split read, its clauses): one tuple, swapped whole (threads)


def read(split: tuple) -> Clauses | None:
    """The acts asked in the text split as ``split`` (``KeywordIndex.split``); None when no ask word."""
    global _LAST
    last = _LAST
    if last[0] is split:
        return last[1]
    gaps, folded, bare, accented = split
    seq = folded if accented else bare
    asks, purpose, locative, done = _lists()[0 if accented else 1]
    starts = [j for j, w in enumerate(seq) if w in asks]
    spans: list[tuple[int, int]] = []
    purposes: list[tuple[int, int]] = []
    placed: set[int] = set()
    n = len(seq)
    for j in starts:
        k = _at(seq, j, asks)
        if not k or (j and seq[j - 1] in done):
            continue
        e = j + k
        while e < n and not _ends_before(gaps, seq, e):
            w = seq[e]
            if w in purpose and _at(seq, e, purpose) and not _at(seq, e, asks):
                break               # 'để …' is why ('đề nghị' typed without diacritics is 'de nghi', an ask)
            if w in locative:
                m = _at(seq, e, locative)
                if m and e + m < n:
                    placed.add(e + m)
            e += 1
        spans.append((j, e))
        if e < n and not _ends_before(gaps, seq, e):
            end = e + 1
            while end < n and not _ends_before(gaps, seq, end) and not (seq[end] in asks and _at(seq, end, asks)):
                end += 1
            purposes.append((e, end))
    clauses = Clauses(tuple(spans), frozenset(placed), tuple(purposes)) if spans else None
    _LAST = (split, clauses)
    return clauses
