"""Signs that a petition is addressed to a higher level (issue 17b).

Most petitions the seeded rules route wrongly and silently name a ward subject —
a road, a drain, a cemetery, the radio — while asking for a decision only a
higher level takes: "Dự án nâng cấp đường … chậm", "đề nghị thành phố bố trí
ngân sách chỉnh trang", "chế độ … còn thấp, đề nghị nâng lên". The subject's
keywords then win and the petition goes to a ward department with no warning.

:class:`Upward` finds the signs (lists in ``defaults.UPWARD_SIGNALS``), with
the same word matching as the Phân công keywords (folded; typed with or without
diacritics):

- *strong*: a higher level named as the one asked to act or as the owner
  ("đề nghị thành phố", "cấp trên", "của tỉnh"), a project with its own
  investor ("dự án", "chủ đầu tư"), land taken back or compensated, a request to
  make, change or recognise a rule ("quy định cụ thể", "công nhận"), a rate or
  entitlement together with a word asking it to change ("phụ cấp … thấp");
- *weak*: an investment asked for ("đầu tư", "bố trí kinh phí"), which the ward
  often makes itself.

The router (toolkit.rules.routing) never turns a sign into a confident route:
a keyword rule for a ward department that meets a strong sign becomes a guess
led by Chuyển cấp trên, with the ward department coordinating; a weak sign
keeps the ward department but marks the guess. Only a person confirms.

:func:`as_address` tells when a higher level's road or works is named only as
where something is ("cơ sở ve chai cặp quốc lộ 22B").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from toolkit.core import defaults, text
from toolkit.rules import asked, keywords

_STRONG = ("actor", "project", "land", "policy")


# Signs that the matter itself is a higher level's (a project with its investor, land taken back,
# a rule or a rate to change), whatever the petition asks the ward to do; a higher level only
# named ("Nhà nước hỗ trợ …") is not one of them.
OWNERSHIP = ("project", "land", "policy", "rate")


@dataclass(frozen=True)
class Signs:
    strong: tuple[str, ...]       # the words found, as listed ('đề nghị thành phố', 'phụ cấp … thấp')
    weak: tuple[str, ...]
    kinds: tuple[tuple[str, str], ...] = ()     # (kind, word) of each strong sign

    def __bool__(self) -> bool:
        return bool(self.strong or self.weak)

    def only(self, kinds: tuple[str, ...]) -> "Signs":
        """The strong signs of these kinds only, no weak sign."""
        kept = tuple(pair for pair in self.kinds if pair[0] in kinds)
        return Signs(tuple(w for _k, w in kept), (), kept)

    def shown(self) -> str:
        words = self.strong or self.weak
        return ", ".join(f"'{w}'" for w in words[:3])


class Upward:
    """Finds the signs of ``defaults.UPWARD_SIGNALS`` in Nội dung."""

    def __init__(self, signals: dict[str, tuple[str, ...]] | None = None):
        self.kinds = list((signals or defaults.UPWARD_SIGNALS).items())
        found = []
        for i, (_kind, words) in enumerate(self.kinds):
            for w in words:
                made = keywords.Keyword.make(w, i)
                if made is not None:
                    found.append(made)
        self._index = keywords.KeywordIndex(found)

    def signs(self, content: str, split: tuple | None = None) -> Signs:
        """``split``: the router's split of the same text, when it has one (not split again)."""
        if not content or not content.strip():
            return Signs((), ())
        found = self._index.find(content, split)
        done = _done_words()
        by_kind = {}
        clauses = None
        for i, words in found.items():
            kind = self.kinds[i][0]
            if kind == "policy":      # 'như nghị quyết đã ban hành' asks nothing to be made
                words = [w for w in words if any(b not in done for b in self._index.before.get((i, w), ("",)))]
                # a rule someone mentions ('có quy định phạt mà chẳng ai bị phạt, đề nghị phường kiểm tra')
                # is no rule asked for: with an act asked in the text, only a rule inside it counts
                clauses = clauses or asked.read(self._index.split)
                if clauses is not None:
                    words = [w for w in words if any(clauses.asked(p) for p in self._index.at.get((i, w), ()))]
            if words:
                by_kind[kind] = words
        kinds = [(kind, w) for kind in _STRONG for w in by_kind.get(kind, ())]
        if by_kind.get("rate") and by_kind.get("change"):
            kinds.append(("rate", f"{by_kind['rate'][0]} … {by_kind['change'][0]}"))
        return Signs(tuple(w for _k, w in kinds), tuple(by_kind.get("investment", ())), tuple(kinds))


@lru_cache(maxsize=1)
def _done_words() -> frozenset[str]:
    return frozenset(text.ascii_fold(w) for w in defaults.DONE_WORDS)


@lru_cache(maxsize=1)
def default_upward() -> Upward:
    return Upward()


@lru_cache(maxsize=16)
def _address_words(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(text.ascii_fold(w) for w in words) | frozenset(text.fold(w) for w in words)


def as_address(previous: list[str], accented: bool) -> bool:
    """True when every hit of a rule is preceded by an address word ('dọc', 'cặp', …).

    ``previous``: the two words before each hit ('' at the start). Text typed
    without diacritics compares without them."""
    if not previous:
        return False
    known = _address_words(defaults.ADDRESS_WORDS)
    fold = text.fold if accented else text.ascii_fold
    # ``previous`` holds the two words before each hit: the last one ('dọc') or both ('khu vực')
    return all(w and (fold(w) in known or fold(w.rsplit(" ", 1)[-1]) in known) for w in previous)
