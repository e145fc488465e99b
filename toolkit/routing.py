"""Which department follows up a petition, and why (DESIGN.md §2 "Assign").

Rules come from the Phân công sheet (:class:`model.Rule`), considered by
Ưu tiên (small first; ties by row):

1. Lĩnh vực: the first rule whose Lĩnh vực equals the petition's (folded:
   case, spacing, tone placement; a no-diacritics spelling also matches).
2. Từ khóa: the first rule with a keyword found in Nội dung as a whole word
   or phrase. A rule that has both a Lĩnh vực and keywords matches either way
   (its Lĩnh vực in step 1, its keywords in step 2).
3. The default department (Văn phòng - Thống kê unless told otherwise).

Keyword matching works on folded words (NFC, case, old/new tone placement).
When Nội dung is typed with diacritics, a keyword with diacritics matches
only the same accented word ('cấp' never matches 'cập'). When Nội dung is
typed without diacritics ('duong bi ngap'), keywords are compared without
diacritics too. A keyword typed without diacritics is always compared
without diacritics.

"Chuyển cấp trên" (defaults.FORWARD_DEPARTMENT) leads when Hình thức trả lời
is "Chuyển cấp trên" (the ward department the rules point to coordinates) or
when the matched rule itself names that department.

Each rule is compiled once into regular expressions over folded text, so a
workbook with 200,000 petitions routes in seconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from toolkit import defaults, schema, text
from toolkit.model import Department, Petition, Rule

# A "word" character for boundaries: letters/digits and combining marks
# (folded text may end a syllable with a combining tone mark, e.g. 'câṕ').
_W = r"\w\u0300-\u036f"
_WORD = re.compile(rf"[{_W}]+")
_BEFORE = rf"(?<![{_W}])"
_AFTER = rf"(?![{_W}])"
# Share of words with diacritics above which Nội dung counts as typed with them.
_ACCENTED_SHARE = 0.4


@dataclass
class Assignment:
    lead: str                                   # department name as in Bộ phận
    coordinators: list[str] = field(default_factory=list)   # names
    days: int | None = None                     # working days, None = Cấu hình default
    basis: str = ""                             # Căn cứ phân công (Vietnamese)
    rule_row: int | None = None                 # Excel row in Phân công of the rule used


# --- folding ---------------------------------------------------------------------------

@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    return text.fold(word)


@lru_cache(maxsize=65536)
def _ascii_word(word: str) -> str:
    return text.strip_diacritics(_fold_word(word))


def _has_marks(word: str) -> bool:
    return _fold_word(word) != _ascii_word(word)


def fold_text(value: str) -> str:
    """Nội dung folded word by word (punctuation kept, so phrases do not cross it)."""
    return _WORD.sub(lambda m: _fold_word(m.group()), text.nfc(value).casefold())


def ascii_text(value: str) -> str:
    """Nội dung folded without diacritics."""
    return _WORD.sub(lambda m: _ascii_word(m.group()), text.nfc(value).casefold())


def is_accented(value: str) -> bool:
    """True when the text was typed with Vietnamese diacritics (most of its words carry them)."""
    words = [w for w in _WORD.findall(text.nfc(value).casefold()) if not w.isdigit()]
    if not words:
        return False
    marked = sum(1 for w in words if _has_marks(w))
    return marked >= max(1, _ACCENTED_SHARE * len(words))


def _phrase_pattern(keyword: str, fold) -> str | None:
    """Regex for a keyword as whole words: words folded, any spacing/punctuation run between."""
    parts = []
    pos = 0
    clean = text.nfc(keyword).casefold().strip()
    for m in _WORD.finditer(clean):
        gap = clean[pos:m.start()]
        if parts:
            parts.append(r"\s+" if not gap.strip() else r"\s*" + re.escape(gap.strip()) + r"\s*")
        parts.append(re.escape(fold(m.group())))
        pos = m.end()
    if not parts:
        return None
    return "".join(parts)


class _KeywordMatcher:
    """All keywords of one rule, compiled: accented ones and no-diacritics ones."""

    def __init__(self, keywords: list[str]):
        self.keywords: list[str] = []
        acc, asc, plain = [], [], []
        for kw in (k for k in keywords if k and k.strip()):
            self.keywords.append(kw.strip())
            p_acc = _phrase_pattern(kw, _fold_word)
            p_asc = _phrase_pattern(kw, _ascii_word)
            if p_acc is None:
                continue
            group = f"k{len(self.keywords) - 1}"
            asc.append((len(p_asc), f"(?P<{group}>{p_asc})"))
            if p_acc == p_asc:
                plain.append((len(p_asc), f"(?P<{group}>{p_asc})"))
            else:
                acc.append((len(p_acc), f"(?P<{group}>{p_acc})"))
        self.accented = self._compile(acc)     # on fold_text, when Nội dung has diacritics
        self.plain = self._compile(plain)      # on ascii_text, when Nội dung has diacritics
        self.ascii = self._compile(asc)        # on ascii_text, when Nội dung has none

    @staticmethod
    def _compile(items):
        if not items:
            return None
        items.sort(key=lambda t: -t[0])     # longest first: 'ổ gà' before 'gà'
        return re.compile(_BEFORE + "(?:" + "|".join(p for _, p in items) + ")" + _AFTER)

    def find(self, folded: str | None, asciified: str, accented: bool) -> list[str]:
        found: list[str] = []
        regexes = ((self.accented, folded), (self.plain, asciified)) if accented else ((self.ascii, asciified),)
        for regex, subject in regexes:
            if regex is None or subject is None:
                continue
            for m in regex.finditer(subject):
                kw = self.keywords[int(m.lastgroup[1:])]
                if kw not in found:
                    found.append(kw)
        return found


@dataclass
class _CompiledRule:
    rule: Rule
    field_key: str
    field_ascii: str
    matcher: _KeywordMatcher | None
    lead: str
    coordinators: list[str]


class Router:
    """Route petitions with the Phân công rules; see the module docstring."""

    def __init__(self, rules: list[Rule], departments: list[Department], *,
                 default_department_code: str = defaults.DEFAULT_DEPARTMENT):
        self.departments = list(departments)
        self._by_key: dict[str, Department] = {}
        self._by_ascii: dict[str, Department] = {}
        for d in self.departments:
            for value in (d.ma, d.ten):
                if value:
                    self._by_key.setdefault(text.fold(value), d)
                    self._by_ascii.setdefault(text.ascii_fold(value), d)
        self.default_name = self._name_of_code(default_department_code)
        self.forward_name = self._name_of_code(defaults.FORWARD_DEPARTMENT)
        self._forward_key = text.fold(self.forward_name)
        self._form_forward = text.fold(schema.FORM_FORWARD)
        self.rules: list[_CompiledRule] = []
        for rule in sorted(rules, key=lambda r: (r.uu_tien if r.uu_tien is not None else 10 ** 6, r.row)):
            lead = self.department_name(rule.chu_tri) if rule.chu_tri else ""
            if not lead:
                continue          # a rule without a lead department cannot route anything
            coords = [n for n in (self.department_name(c) for c in rule.phoi_hop) if n and n != lead]
            self.rules.append(_CompiledRule(
                rule=rule,
                field_key=text.fold(rule.linh_vuc) if rule.linh_vuc else "",
                field_ascii=text.ascii_fold(rule.linh_vuc) if rule.linh_vuc else "",
                matcher=_KeywordMatcher(rule.tu_khoa) if rule.tu_khoa else None,
                lead=lead,
                coordinators=_unique(coords),
            ))
        self._keyword_rules = [r for r in self.rules if r.matcher is not None and r.matcher.keywords]
        self._any_plain = any(r.matcher.plain is not None for r in self._keyword_rules)

    # -- departments ------------------------------------------------------------------

    def department(self, typed: str) -> Department | None:
        """The department a rule or a cell names, by code or name (folded)."""
        if not typed or not str(typed).strip():
            return None
        return self._by_key.get(text.fold(str(typed))) or self._by_ascii.get(text.ascii_fold(str(typed)))

    def department_name(self, typed: str) -> str:
        """Name as in Bộ phận for a code or name; the text as typed when unknown."""
        d = self.department(typed)
        if d is not None and d.ten:
            return d.ten
        return text.clean(str(typed or ""), multiline=False)

    def _name_of_code(self, code: str) -> str:
        d = self.department(code)
        if d is not None and d.ten:
            return d.ten
        return dict(defaults.DEPARTMENTS).get(code, code)

    # -- routing ----------------------------------------------------------------------

    def match(self, petition: Petition) -> tuple[_CompiledRule | None, str]:
        """The rule that applies and the reason text (without the forward note)."""
        if petition.linh_vuc and petition.linh_vuc.strip():
            fkey = text.fold(petition.linh_vuc)
            fasc = text.ascii_fold(petition.linh_vuc)
            for r in self.rules:
                if r.field_key and r.field_key == fkey:
                    return r, f"{_rule_label(r.rule)}: Lĩnh vực '{r.rule.linh_vuc.strip()}'"
            for r in self.rules:
                if r.field_ascii and r.field_ascii == fasc:
                    return r, f"{_rule_label(r.rule)}: Lĩnh vực '{r.rule.linh_vuc.strip()}'"
        content = petition.noi_dung or ""
        if content.strip() and self._keyword_rules:
            accented = is_accented(content)
            folded = fold_text(content) if accented else None
            asciified = ascii_text(content) if (not accented or self._any_plain) else None
            for r in self._keyword_rules:
                found = r.matcher.find(folded, asciified, accented)
                if found:
                    words = ", ".join(f"'{k}'" for k in found[:4])
                    more = f" và {len(found) - 4} từ khác" if len(found) > 4 else ""
                    return r, f"{_rule_label(r.rule)}: từ khóa {words}{more}"
        return None, "Mặc định: không khớp quy tắc nào"

    def route(self, petition: Petition) -> Assignment:
        rule, basis = self.match(petition)
        if rule is None:
            lead, coords, days, row = self.default_name, [], None, None
        else:
            lead, coords, days, row = rule.lead, list(rule.coordinators), rule.rule.han, rule.rule.row
        wants_forward = bool(petition.hinh_thuc) and text.fold(petition.hinh_thuc) == self._form_forward
        if wants_forward and text.fold(lead) != self._forward_key:
            coords = _unique([lead] + coords) if rule is not None else coords
            lead = self.forward_name
            basis = f"Hình thức trả lời '{schema.FORM_FORWARD}'" + (f"; {basis}" if rule is not None else "")
        coords = [c for c in coords if c != lead]
        return Assignment(lead=lead, coordinators=coords, days=days, basis=basis, rule_row=row)


def _rule_label(rule: Rule) -> str:
    return f"Quy tắc dòng {rule.row} (ưu tiên {rule.uu_tien})"


def _unique(names: list[str]) -> list[str]:
    out: list[str] = []
    for n in names:
        if n and n not in out:
            out.append(n)
    return out
