"""Words in Nội dung, matched the way staff type them: folded syllables, keywords with or
without diacritics, and an index that finds every keyword of many rules in one scan.
Used by the Phân công router, the signs of a petition addressed upward and the router
learnt from the register's history."""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from functools import lru_cache

from toolkit.core import defaults, text

# A "word" character for boundaries: letters/digits and combining marks
# (folded text may end a syllable with a combining tone mark, e.g. 'câṕ').
WORD_CHARS = r"\w\u0300-\u036f"
# Share of words with diacritics above which Nội dung counts as typed with them.
ACCENTED_SHARE = 0.4
# Bare letters of common words: a one-syllable keyword with diacritics spelling one of
# them is only matched in text typed with diacritics (see the module docstring).
AMBIGUOUS_ASCII = frozenset("""
    an ba ban bi bo bon cho co con cong cu da dau de den di do doi du duoc ga gio hai hoi khi
    khong la lam le len lon lua ma mo moi mot nam nha nhu nuoc ngoi nguoi o phi ra sau the thi
    to toi tren tu tuoi va vao ve vi xe ke bay cau dat
""".split())



# --- folding ---------------------------------------------------------------------------

@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    return text.fold(word)


@lru_cache(maxsize=65536)
def ascii_word(word: str) -> str:
    return text.strip_diacritics(fold_word(word))


SPLIT = re.compile(rf"([{WORD_CHARS}]+)")


class Gaps:
    """The separators between words, normalised on demand: '' for spaces, else the punctuation."""

    __slots__ = ("parts",)

    def __init__(self, parts: list[str]):
        self.parts = parts

    def __getitem__(self, j: int) -> str:       # the gap before word j
        g = self.parts[2 * j]
        return "".join(g.split()) if g.strip() else ""


def tokens(value: str) -> tuple[list[str], Gaps]:
    """Words (NFC, casefolded) and the gaps before them."""
    parts = SPLIT.split(text.nfc(value).casefold())
    return parts[1::2], Gaps(parts)


# Every word seen, folded with and without diacritics: a long Nội dung has a few hundred words, most
# of them seen before, and two dictionary lookups per word (in C, through map) cost less than
# testing and folding each (the lists grow to the register's vocabulary; cleared past a bound).
_FOLDED: dict[str, str] = {}
_BARE: dict[str, str] = {}
_WORDS_MAX = 1 << 18


def _learn(words: list[str]) -> None:
    if len(_FOLDED) > _WORDS_MAX:
        _FOLDED.clear()
        _BARE.clear()
    for w in words:
        if w not in _FOLDED:
            _FOLDED[w] = w if w.isascii() else fold_word(w)
            _BARE[w] = w if w.isascii() else ascii_word(w)


def fold_all(words: list[str]) -> tuple[list[str], list[str]]:
    """(folded, without diacritics) for each word; ASCII words are already both."""
    try:
        folded = list(map(_FOLDED.__getitem__, words))
        asciified = list(map(_BARE.__getitem__, words))
    except KeyError:
        _learn(words)
        folded = list(map(_FOLDED.__getitem__, words))
        asciified = list(map(_BARE.__getitem__, words))
    return folded, asciified


def accented(folded: list[str], asciified: list[str]) -> bool:
    # letters: the words that are not numbers (a number is the same folded or bare, so it never
    # counts as marked)
    letters = len(asciified) - sum(map(str.isdigit, asciified))
    if not letters:
        return False
    marked = sum(map(operator.ne, folded, asciified))
    return marked >= max(1, ACCENTED_SHARE * letters)


def is_accented(value: str) -> bool:
    """True when the text was typed with Vietnamese diacritics (most of its words carry them)."""
    return accented(*fold_all(tokens(value)[0]))


@dataclass(frozen=True)
class Keyword:
    text: str                    # as typed in Phân công
    folded: tuple[str, ...]      # words, folded with diacritics
    asciified: tuple[str, ...]   # words, without diacritics
    gaps: tuple[str, ...]        # punctuation between consecutive words ('' = spaces)
    plain: bool                  # typed without diacritics
    rule: int                    # index of its rule in priority order

    @classmethod
    def make(cls, keyword: str, rule: int) -> "Keyword | None":
        words, gaps = tokens(keyword)
        if not words:
            return None
        folded = tuple(fold_word(w) for w in words)
        asciified = tuple(ascii_word(w) for w in words)
        return cls(text.clean(keyword, multiline=False), folded, asciified,
                   tuple(gaps[j] for j in range(1, len(words))), folded == asciified, rule)


def contains(kw: Keyword, part: Keyword) -> bool:
    """True when the words of ``part`` appear, in a row, among the words of ``kw`` (without diacritics
    when either was typed without them)."""
    a, b = (kw.asciified, part.asciified) if (kw.plain or part.plain) else (kw.folded, part.folded)
    n = len(b)
    return any(a[i:i + n] == b for i in range(len(a) - n + 1))


def starts_with(kw: Keyword, part: Keyword) -> bool:
    """True when ``kw`` begins with the words of ``part`` ('đề nghị Mặt trận' begins with 'đề nghị')."""
    a, b = (kw.asciified, part.asciified) if (kw.plain or part.plain) else (kw.folded, part.folded)
    return len(a) > len(b) and a[:len(b)] == b


class Index:
    """Keywords by first word: single words map straight to their hits."""

    def __init__(self):
        self.single: dict[str, list[tuple[int, str]]] = {}
        # keywords of several words by first word, then by second word
        self.multi: dict[str, dict[str, list[tuple[list[str], tuple[str, ...], int, str]]]] = {}
        self.first: set[str] = set()      # every keyword's first word: the only places a hit can start

    def add(self, words: tuple[str, ...], kw: Keyword) -> None:
        if len(words) == 1:
            self.single.setdefault(words[0], []).append((kw.rule, kw.text))
        else:
            self.multi.setdefault(words[0], {}).setdefault(words[1], []).append(
                (list(words), kw.gaps, kw.rule, kw.text))
        self.first.add(words[0])

    def __bool__(self) -> bool:
        return bool(self.single or self.multi)

    def scan(self, seq: list[str], gaps: Gaps, hits: list) -> None:
        single, multi, first = self.single, self.multi, self.first
        # most words of a long Nội dung start no keyword: find those that do in one comprehension
        last = len(seq) - 1
        for i in [i for i, word in enumerate(seq) if word in first]:
            word = seq[i]
            found = single.get(word)
            if found:
                for rule, name in found:
                    hits.append((i, 1, rule, name))
            seconds = multi.get(word)
            candidates = seconds.get(seq[i + 1]) if seconds and i < last else None
            if candidates:
                for target, kgaps, rule, name in candidates:
                    n = len(target)
                    if seq[i:i + n] == target and all(gaps[i + 1 + j] == g for j, g in enumerate(kgaps)):
                        hits.append((i, n, rule, name))


_LAST: list = [None, None]       # the last text split and its split: the router's index and the signs of a
                                 # petition addressed upward read the same Nội dung one after the other


def _split(content: str) -> tuple:
    if _LAST[0] == content:
        return _LAST[1]
    words, gaps = tokens(content)
    folded, asciified = fold_all(words)
    split = (gaps, folded, asciified, accented(folded, asciified))
    _LAST[0], _LAST[1] = content, split
    return split


class KeywordIndex:
    """Every keyword of every rule, indexed by its first word: one pass over Nội dung finds them all.

    - ``accented``: keywords with diacritics, by folded words (Nội dung with diacritics);
    - ``plain``: keywords typed without diacritics, compared without diacritics (always);
    - ``ascii``: every keyword without diacritics (Nội dung typed without diacritics).
    """

    def __init__(self, keywords: list[Keyword]):
        self.accented, self.plain, self.ascii = Index(), Index(), Index()
        self.weights: dict[int, int] = {}
        self.previous: dict[int, list[str]] = {}     # rule index -> the two words before each of its hits
        self.typed_accented = False                  # the last Nội dung was typed with diacritics
        self.split: tuple | None = None              # the last Nội dung: gaps, folded and bare words, typed_accented
        self.address_only: set[int] = set()          # rules every hit of which was followed by a house number
        self.before: dict[tuple[int, str], list[str]] = {}   # (rule, keyword) -> the bare word before each hit
        self.at: dict[tuple[int, str], list[int]] = {}       # (rule, keyword) -> the word index of each hit
        for kw in keywords:
            if kw.plain:
                self.plain.add(kw.asciified, kw)
            else:
                self.accented.add(kw.folded, kw)
                if len(kw.asciified) == 1 and kw.asciified[0] in AMBIGUOUS_ASCII:
                    continue        # 'chó' is not 'cho' in 'de nghi cho me toi'
            self.ascii.add(kw.asciified, kw)

    def __bool__(self) -> bool:
        return bool(self.accented or self.plain or self.ascii)

    def find(self, content: str, split: tuple | None = None) -> dict[int, list[str]]:
        """Rule index -> keywords found in ``content``, in order of appearance.

        ``self.weights`` is then rule index -> words of the distinct keywords found
        (the evidence for that rule: 'nghĩa vụ quân sự' counts 4, 'thuế' 1).
        ``split``: ``self.split`` of an earlier call on the same text (not split again)."""
        if split is None:
            split = _split(content)
        gaps, folded, asciified, self.typed_accented = self.split = split
        hits: list[tuple[int, int, int, str]] = []      # (first word, words, rule, keyword)
        if self.typed_accented:
            self.accented.scan(folded, gaps, hits)
            if self.plain:
                self.plain.scan(asciified, gaps, hits)
        else:
            self.ascii.scan(asciified, gaps, hits)
        if hits:
            hits = across_compounds(hits, folded if self.typed_accented else asciified, gaps, self.typed_accented)
        longer = [o for o in hits if o[1] > 1] if len(hits) > 1 else None
        if longer:
            # A keyword inside a longer keyword found at the same place does not count:
            # 'đổ trộm' (dumping) is not 'trộm' (theft). Only a hit of several words holds another;
            # those are looked up by where they start, at most their length before the hit.
            starts: dict[int, list[tuple[int, int]]] = {}
            for o in longer:
                starts.setdefault(o[0], []).append((o[1], o[0] + o[1]))
            reach = max(o[1] for o in longer)
            hits = [h for h in hits if not any(
                n > h[1] and h[0] + h[1] <= end
                for at in range(max(0, h[0] - reach + 1), h[0] + 1) for n, end in starts.get(at, ()))]
        found: dict[int, list[str]] = {}
        weight: dict[int, int] = {}
        previous: dict[int, list[str]] = {}
        before: dict[tuple[int, str], list[str]] = {}
        at: dict[tuple[int, str], list[int]] = {}
        spans: dict[int, list[list[int]]] = {}      # rule -> its hits, overlapping ones merged
        for pos, n, rule, kw in sorted(hits):
            at.setdefault((rule, kw), []).append(pos)
            # the two words before the hit: an address word may have two ('khu vực', 'mặt tiền')
            previous.setdefault(rule, []).append(" ".join(folded[max(0, pos - 2):pos]))
            before.setdefault((rule, kw), []).append(asciified[pos - 1] if pos else "")
            merged = spans.setdefault(rule, [])
            if merged and pos <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], pos + n)
            else:
                merged.append([pos, pos + n])
            names = found.setdefault(rule, [])
            if kw not in names:
                names.append(kw)
                weight[rule] = weight.get(rule, 0) + n
        self.weights, self.previous, self.before, self.at = weight, previous, before, at
        self.address_only = {rule for rule, merged in spans.items()
                             if all(numbered_after(asciified, end) for _start, end in merged)}
        return found


@lru_cache(maxsize=1)
def _compounds() -> tuple[Index, Index]:
    """``defaults.COMPOUNDS`` indexed like keywords: (with diacritics, without)."""
    accented_, bare = Index(), Index()
    for phrase in defaults.COMPOUNDS:
        kw = Keyword.make(phrase, -1)
        if kw is not None:
            accented_.add(kw.folded, kw)
            bare.add(kw.asciified, kw)
    return accented_, bare


def across_compounds(hits: list, seq: list[str], gaps: Gaps, typed_accented: bool) -> list:
    """``hits`` without those that begin inside a known compound begun earlier and run past its end:
    "hành chính công nhận" holds 'hành chính công', not 'công nhận' (``defaults.COMPOUNDS``)."""
    index = _compounds()[0 if typed_accented else 1]
    found: list = []
    index.scan(seq, gaps, found)
    if not found:
        return hits
    return [h for h in hits if not any(s < h[0] < s + n < h[0] + h[1] for s, n, _r, _k in found)]


# What follows a keyword that is only where something is: a house or room number, after the
# road's own number at most ('phòng trọ số 5', 'tỉnh lộ 70 nhà số 3'), compared without diacritics.
_NUMBER_LEADS = (("so",), ("nha", "so"), ("so", "nha"), ("phong", "so"), ("phong",), ("nha",), ("can", "so"))


def numbered_after(bare: list[str], j: int) -> bool:
    """True when the words from ``j`` on are a house or room number: 'số 5', '70 nhà số 3'."""
    def has_digit(w: str) -> bool:
        return any(c.isdigit() for c in w)

    if j < len(bare) and has_digit(bare[j]):
        j += 1
    for lead in _NUMBER_LEADS:
        k = j + len(lead)
        if tuple(bare[j:k]) == lead and k < len(bare) and has_digit(bare[k]):
            return True
    return False
