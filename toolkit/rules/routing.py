"""Which department follows up a petition, and why (docs/ARCHITECTURE.md, "One pass, from read to render").

Rules come from the Phân công sheet (:class:`model.Rule`), considered by
Ưu tiên (small first; ties by row):

1. Lĩnh vực: the first rule whose Lĩnh vực equals the petition's (folded:
   case, spacing, tone placement; a no-diacritics spelling also matches).
2. Từ khóa: the first rule with a keyword found in Nội dung as a whole word
   or phrase. A rule that has both a Lĩnh vực and keywords matches either way
   (its Lĩnh vực in step 1, its keywords in step 2). What is asked comes before
   what is mentioned (issue 28): a ward rule found by a keyword that contains one
   of ``defaults.REQUEST_ACTS`` (certify, register, pay, contribute, support, list;
   not one said to be done already, 'đã góp tiền') decides before rules found only
   by a place or an object, and a higher level merely named does not send it up.
   A keyword that begins with one of ``defaults.ASK_WORDS`` names the body asked
   ('đề nghị Mặt trận giám sát …', 'đề nghị trung tâm hành chính công …'): it is
   what is asked too, and it comes before the other acts.
   A rule whose every hit is followed by a house or room number ('phòng trọ số 5')
   is only an address: it does not decide while another rule found something.
   The act asked is read by clause (issue 28, :mod:`toolkit.rules.asked`): with an
   ask word in Nội dung, a rule found in the clause it begins comes before rules
   found only in the description, when it found more keyword words (``ASKED_MARGIN``);
   if the whole text read as before points to another department, the route is a
   guess led by the act asked, naming both. A rule found only where the act is to
   happen ('tại nhà văn hóa') weighs nothing; one found only in its purpose ('để
   chăn nuôi') never decides alone (a guess) and weighs only as a rival.
3. Nothing matched, or the rule that won is *weak* (another rule, for another
   department, found clearly more keyword words in Nội dung): the register's own
   history (:mod:`toolkit.rules.learning`, petitions whose department a person typed
   or confirmed) proposes a department when it is confident, and Căn cứ phân
   công says "Giống KN-…". Otherwise the petition is a guess: it goes to the
   department Cấu hình names for unclear petitions (the default department
   unless told otherwise; none when Cấu hình says "Không") and Căn cứ phân công
   starts with :data:`GUESS_MARK`, so a warning asks the clerk to confirm it.
   A weak rule's guess is the rule with the most keyword words. A keyword
   rule resting on one short keyword ('học sinh') that the register's own
   history firmly contradicts is weak too: the history's department is
   proposed, marked as a guess. A rule that
   sends the petition up is never weak (a request to change a benefit names the
   benefit at length); the department of the subject then coordinates.
4. A keyword rule for a ward department on a petition addressed upward
   (:mod:`toolkit.rules.upward`: a higher level asked to act, a project, land taken
   back, a rule or a rate to change) is weak too: unless the history is confident, the
   petition is a guess led by Chuyển cấp trên, the ward department coordinating (an
   investment asked for only marks the ward department's route as a guess). A rule
   sending the petition up whose keywords are only an address ('dọc tỉnh lộ 22') is
   a guess led by the ward department whose rule matched too.

Keyword matching works on folded words (NFC, case, old/new tone placement).
When Nội dung is typed with diacritics, a keyword with diacritics matches
only the same accented word ('cấp' never matches 'cập'). When Nội dung is
typed without diacritics ('duong bi ngap'), keywords are compared without
diacritics too. A keyword typed without diacritics is always compared
without diacritics. A one-syllable keyword with diacritics whose bare letters
spell a common word ('chó' -> 'cho', 'đê' -> 'de', 'lợn' -> 'lon') is not
used on text typed without diacritics: 'de nghi cap lai the cho me toi' is
not about dogs or dykes.

"Chuyển cấp trên" (defaults.FORWARD_DEPARTMENT) leads when Hình thức trả lời
is "Chuyển cấp trên" (the ward department the rules point to coordinates) or
when the matched rule itself names that department; then Căn cứ phân công
adds the rule's Ghi chú, the reason the matter is beyond the ward.

Keywords of all rules are compiled once into an index keyed by their first
folded word; each Nội dung is split into words and folded once, then scanned
in one pass, so a workbook with 200,000 petitions routes in seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from toolkit.core import defaults, schema, text
from toolkit.core.model import Department, Petition, Rule
from toolkit.rules import asked as _clauses
from toolkit.rules import keywords
from toolkit.rules import upward as _upward

ROUTE_MEMO_MAX = 100_000            # routes remembered per Router (a key is three cells of one petition)
# Căn cứ phân công of a petition the toolkit could only guess: the clerk must confirm it.
GUESS_MARK = "Đoán, cần xác nhận"
# A rule that won by priority is weak when a rule for another department found this many
# more keyword words ('đổ trộm' against 'trộm' is not enough; 'nghĩa vụ quân sự' against
# 'thuế' is).
WEAK_MARGIN = 2
# A keyword rule resting on this many keyword words or fewer ('học sinh') is checked against
# the register's own practice: when the history firmly (CONTRARY_POSTERIOR) proposes another
# department, the petition is marked a guess with the history's department.
THIN_RULE = 2
CONTRARY_POSTERIOR = 0.9
# The rules found in the act asked come first when one of them found this many more keyword words than
# any rule found only in the description (issue 28, table 7 round: with 0, generic acts such as
# 'tuyên truyền', 'hỗ trợ kinh phí' took petitions from the subject the description names).
ASKED_MARGIN = 1
@dataclass
class Assignment:
    lead: str                                   # department name as in Bộ phận
    coordinators: list[str] = field(default_factory=list)   # names
    days: int | None = None                     # working days, None = Cấu hình default
    basis: str = ""                             # Căn cứ phân công (Vietnamese)
    rule_row: int | None = None                 # Excel row in Phân công of the rule used


@dataclass
class _CompiledRule:
    rule: Rule
    field_key: str
    field_ascii: str
    lead: str
    coordinators: list[str]


class Router:
    """Route petitions with the Phân công rules; see the module docstring."""

    def __init__(self, rules: list[Rule], departments: list[Department], *,
                 default_department_code: str = defaults.DEFAULT_DEPARTMENT,
                 unsure_department: str | None = None, history=None, upward=None):
        """``unsure_department``: the Cấu hình item for unclear petitions (a code or
        name; "Không" = leave Bộ phận chủ trì empty; None = the default department).
        ``history``: a :class:`toolkit.rules.learning.History` (or None).
        ``upward``: a :class:`toolkit.rules.upward.Upward` (None = the default signs)."""
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
        if unsure_department is None or not str(unsure_department).strip():
            self.unsure_name = self.default_name
        elif text.ascii_fold(str(unsure_department)) == "khong":
            self.unsure_name = ""
        else:
            self.unsure_name = self._known_name(unsure_department)
        self.history, self._history_factory = history, None
        self._last_weight: int | None = None
        self._last_keywords: tuple = ({}, {}, False, -1, None)  # found, previous words, accented, best, split
        self.upward = upward if upward is not None else _upward.default_upward()
        # Chuyển cấp trên leads an upward guess only when Bộ phận has it
        self._can_forward = self.department(defaults.FORWARD_DEPARTMENT) is not None
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
                lead=lead,
                coordinators=_unique(coords),
            ))
        # Lĩnh vực -> the first rule (in priority order) naming it, folded and without diacritics.
        self._by_field: dict[str, _CompiledRule] = {}
        self._by_field_ascii: dict[str, _CompiledRule] = {}
        for r in self.rules:
            if r.field_key:
                self._by_field.setdefault(r.field_key, r)
            if r.field_ascii:
                self._by_field_ascii.setdefault(r.field_ascii, r)
        found = []
        for i, r in enumerate(self.rules):
            for kw in r.rule.tu_khoa or ():
                made = keywords.Keyword.make(kw, i) if kw and str(kw).strip() else None
                if made is not None:
                    found.append(made)
        self._keywords = keywords.KeywordIndex(found)
        # (rule index, keyword) of the keywords that name what is asked (defaults.REQUEST_ACTS)
        acts = [keywords.Keyword.make(a, -1) for a in defaults.REQUEST_ACTS]
        self._acts = {(kw.rule, kw.text) for kw in found if any(keywords.contains(kw, a) for a in acts if a)}
        # ... and of those, the keywords that name the body asked ('đề nghị Mặt trận', defaults.ASK_WORDS)
        asks = [keywords.Keyword.make(a, -1) for a in defaults.ASK_WORDS]
        self._asks = {(kw.rule, kw.text) for kw in found if any(keywords.starts_with(kw, a) for a in asks if a)}
        self._acts |= self._asks
        self._forward_rules = {i for i, r in enumerate(self.rules) if text.fold(r.lead) == text.fold(self.forward_name)}
        self._last_act = False
        self._last_aside = False
        self._done = frozenset(text.ascii_fold(w) for w in defaults.DONE_WORDS)
        self._routes: dict[tuple, tuple] = {}

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

    def _known_name(self, typed: str) -> str:
        """Name as in Bộ phận; a department of the other structure by its code ('Văn phòng - Thống kê'
        in a register of NĐ 150 -> the Văn phòng HĐND và UBND, code VP); else the default department."""
        d = self.department(typed)
        if d is None:
            code = defaults.code_of_name(str(typed))
            d = self.department(code) if code else None
        return d.ten if d is not None and d.ten else self.default_name

    def _name_of_code(self, code: str) -> str:
        d = self.department(code)
        if d is not None and d.ten:
            return d.ten
        return dict(defaults.DEPARTMENTS).get(code, code)

    # -- routing ----------------------------------------------------------------------

    def match(self, petition: Petition) -> tuple[_CompiledRule | None, str]:
        """The rule that applies and the reason text (without the forward note)."""
        rule, basis, _stronger = self.match_all(petition)
        return rule, basis

    def match_all(self, petition: Petition) -> tuple[_CompiledRule | None, str, tuple | None]:
        """(rule, reason, stronger): ``stronger`` is (rule, reason) of a rule for another
        department that found at least WEAK_MARGIN more keyword words than the rule that
        won by priority (the winner is then *weak*), else None. A rule sending the petition
        up (Chuyển cấp trên) is never weak: a policy request names its subject at length;
        then ``stronger`` is (None, the best rule for another department), which coordinates."""
        self._last_weight = None        # keyword words of the winning keyword rule (None: by Lĩnh vực)
        self._last_act = False          # the winning keyword rule names what is asked
        self._last_aside = False        # every keyword found was in why or where an act is asked
        if petition.linh_vuc and petition.linh_vuc.strip():
            r = (self._by_field.get(text.fold(petition.linh_vuc))
                 or self._by_field_ascii.get(text.ascii_fold(petition.linh_vuc)))
            if r is not None:
                return r, f"{_rule_label(r.rule)}: Lĩnh vực '{r.rule.linh_vuc.strip()}'", None
        content = petition.noi_dung or ""
        if content.strip() and self._keywords:
            found = self._keywords.find(content)
            if found:
                weights = self._keywords.weights
                # a rule found only by an address ('phòng trọ số 5') does not decide while another rule
                # found something the petition is about
                where = self._keywords.address_only
                if where and len(where) < len(found):
                    found = {i: words for i, words in found.items() if i not in where}
                # what is asked (the clause after an ask word) decides before what the petition describes
                found, asked_first, every = self._asked_first(found)
                best, found = self._choose(found, weights)
                r = self.rules[best]
                # the description's rules still weigh against the act asked (they only break ties below)
                pool = {**found, **every} if asked_first else found
                others = [i for i in pool if self.rules[i].lead != r.lead]
                rival = max(others, key=lambda i: (weights.get(i, 0), -i)) if others else None
                stronger = None
                if rival is not None:
                    stronger = (self.rules[rival], self._keyword_basis(self.rules[rival], pool[rival]))
                    if text.fold(r.lead) == self._forward_key:
                        stronger = (None, stronger[0])      # beyond the ward: the subject's department helps
                    elif weights.get(rival, 0) < weights.get(best, 0) + WEAK_MARGIN:
                        stronger = None
                self._last_weight = weights.get(best, 0)
                self._last_keywords = (found, self._keywords.previous, self._keywords.typed_accented,
                                       best, self._keywords.split)
                basis = self._keyword_basis(r, found[best])
                if stronger is None and asked_first:
                    # the act asked and the whole text read as before point to different departments:
                    # the act asked leads, as a guess naming the rule the whole text would have chosen
                    first, _all = self._choose(every, weights, keep=True)
                    if self.rules[first].lead != r.lead:
                        return self.rules[first], self._keyword_basis(self.rules[first], every[first]), (r, basis)
                if stronger is None and self._last_aside:
                    # found only in why or where the act is asked ('để chăn nuôi'): not what is asked
                    stronger = (r, f"{basis}, chỉ ở mục đích hoặc nơi chốn của việc được đề nghị")
                return r, basis, stronger
        return None, "Không khớp quy tắc nào", None

    def _choose(self, found: dict[int, list[str]], weights: dict[int, int], keep: bool = False):
        """(the rule that decides among ``found``, the rules still in play): the first by Ưu tiên, unless what
        is asked (certify, register, pay, contribute, support, list; the body asked) decides before the
        place or object it mentions. ``keep``: leave ``self._last_act`` as it is."""
        best = min(found)
        # a rule sending the petition up keeps its own logic
        acting = [i for i in found if i not in self._forward_rules
                  and any((i, kw) in self._acts and self._asked(i, kw) for kw in found[i])]
        if acting and best in self._forward_rules and weights.get(best, 0) <= THIN_RULE \
                and max(weights.get(i, 0) for i in acting) > weights.get(best, 0):
            # a thin rule sending the petition up ('định mức') does not outweigh what is
            # asked of the ward, named at more length ('thu tiền … mức đóng góp')
            best = min(acting)
        last_act = bool(acting) and best not in self._forward_rules
        if not keep:
            self._last_act = last_act
        # the body the petition asks ('đề nghị Mặt trận giám sát …') comes before what it asks for
        asking = [i for i in acting if any((i, kw) in self._asks and self._asked(i, kw) for kw in found[i])]
        if last_act and (best not in acting or asking and best not in asking):
            best = min(asking or acting)
            found = {i: words for i, words in found.items() if i in acting or i in self._forward_rules}
        return best, found

    def _asked_first(self, found: dict[int, list[str]]) -> tuple[dict, bool, dict]:
        """(the rules to choose from, True when they are those found in the act asked, the rules that still
        weigh against them: all but those found only in why or where the act is asked).

        With an ask word in Nội dung (toolkit.rules.asked): a rule found only where the act is to happen
        ('tại nhà văn hóa') or in its purpose ('để chăn nuôi') does not decide while another rule found
        something; then the rules found in the act asked come first, when one of them found at least as
        many keyword words as any rule found only in the description. Else all of them, as before."""
        clauses = _clauses.read(self._keywords.split)
        if clauses is None:
            return found, False, found
        at, weights = self._keywords.at, self._keywords.weights
        hits = {i: [p for kw in words for p in at.get((i, kw), ())] for i, words in found.items()}
        aside = [i for i in found if hits[i] and all(clauses.aside(p) for p in hits[i])]
        if len(aside) == len(found):
            self._last_aside = True         # every rule found only in why or where: a guess
            return found, False, found
        # only where the act is to happen: an address, it weighs nothing; only why: it still weighs
        placed = [i for i in aside if all(clauses.where(p) for p in hits[i])]
        weigh = {i: words for i, words in found.items() if i not in placed}
        inside = [i for i in found if i not in aside and any(clauses.asked(p) for p in hits[i])]
        described = [i for i in found if i not in aside and i not in inside]
        if inside and (aside or described) and (not described or max(weights.get(i, 0) for i in inside)
                                                 >= ASKED_MARGIN + max(weights.get(i, 0) for i in described)):
            return {i: found[i] for i in inside}, True, weigh
        if aside and not inside:
            return {i: found[i] for i in described}, False, weigh
        return found, False, found

    def _asked(self, rule: int, kw: str) -> bool:
        """An act keyword found at least once not said to be done already ('đã góp tiền')."""
        return any(w not in self._done for w in self._keywords.before.get((rule, kw), ("",)))

    @staticmethod
    def _keyword_basis(r: _CompiledRule, words: list[str]) -> str:
        shown = ", ".join(f"'{k}'" for k in words[:4])
        more = f" và {len(words) - 4} từ khóa khác" if len(words) > 4 else ""
        return f"{_rule_label(r.rule)}: từ khóa {shown}{more}"

    def route(self, petition: Petition) -> Assignment:
        lead, coords, days, basis, row = self.route_parts(petition)
        return Assignment(lead=lead, coordinators=list(coords), days=days, basis=basis, rule_row=row)

    def use_history(self, history) -> None:
        """Learn from the register's own history: a toolkit.rules.learning.History, or a function making
        one, called the first time a petition needs it. Forgets remembered routes."""
        if callable(history) and not hasattr(history, "predict"):
            self.history, self._history_factory = None, history
        else:
            self.history, self._history_factory = history, None
        self._routes.clear()

    def _history(self):
        if self._history_factory is not None:
            self.history, self._history_factory = self._history_factory(), None
        return self.history

    def route_parts(self, petition: Petition) -> tuple[str, tuple[str, ...], int | None, str, int | None]:
        """``route`` as (lead, coordinators, days, basis, rule row): remembered, so never change it."""
        # The answer depends on three cells (and the Mã the history leaves out); in a ward's register the same Lĩnh vực,
        # Nội dung and Hình thức come back many times (one petition per delegate who raised it).
        key = (petition.linh_vuc, petition.noi_dung, petition.hinh_thuc, _ident(petition))
        try:
            done = self._routes.get(key)
        except TypeError:      # an unhashable value from a hand-built Petition
            key = done = None
        if done is None:
            done = self._route(petition)
            if key is not None and len(self._routes) < ROUTE_MEMO_MAX:
                self._routes[key] = done
        return done

    def _route(self, petition: Petition) -> tuple[str, tuple[str, ...], int | None, str, int | None]:
        rule, basis, stronger = self.match_all(petition)
        helper = None
        if stronger is not None and stronger[0] is None:       # a forward rule: never weak
            helper, stronger = stronger[1], None
        contrary = None
        if rule is not None and stronger is None and helper is None \
                and self._last_weight is not None and self._last_weight <= THIN_RULE:
            contrary = self._contrary_practice(petition, rule)
        upward = None
        if contrary is None and rule is not None and stronger is None and self._last_weight is not None:
            upward = self._upward_guess(petition, rule, basis, helper)
        if upward is not None:
            # the rule is weak now: the register's own practice decides when it is confident
            history = self._history()
            guess = history.predict(petition.noi_dung or "", exclude=_ident(petition)) if history is not None else None
            if guess is not None and guess.confident:
                dept = self.department_name(guess.department)
                said = f"Giống {guess.example} (học từ lịch sử phân công, độ tin cậy {guess.posterior:.0%})"
                rule, basis = (rule, f"{said}; {basis}") if dept == rule.lead else (None, (said, dept))
            else:
                rule, basis = None, upward
        elif contrary is not None:
            dept = self.department_name(contrary.department)
            rule, basis = None, (f"{GUESS_MARK}: {basis} (giao {rule.lead}), nhưng phường thường giao "
                                 f"{dept}: giống {contrary.example} "
                                 f"(độ tin cậy {contrary.posterior:.0%}). Hãy xác nhận Bộ phận chủ trì", dept)
        elif rule is not None and stronger is None:
            if text.fold(rule.lead) == self._forward_key and rule.rule.ghi_chu and rule.rule.ghi_chu.strip():
                basis = f"{basis}. {text.clean(rule.rule.ghi_chu, multiline=False)}"
        else:
            rule, basis = self._unsure(petition, rule, basis, stronger)
        if rule is None:
            lead, coords, days, row = basis[1], list(basis[2:3] and basis[2]), None, None
            basis = basis[0]
        else:
            lead, coords, days, row = rule.lead, list(rule.coordinators), rule.rule.han, rule.rule.row
            if helper is not None:
                coords = _unique(coords + [helper.lead])
        wants_forward = bool(petition.hinh_thuc) and text.fold(petition.hinh_thuc) == self._form_forward
        if wants_forward and text.fold(lead) != self._forward_key:
            guessed = basis.startswith(GUESS_MARK)      # the clerk chose to forward: no guess left
            coords = _unique([lead] + coords) if lead and not guessed else coords
            lead = self.forward_name
            basis = f"Hình thức trả lời '{schema.FORM_FORWARD}'" + ("" if guessed else f"; {basis}")
        return lead, tuple(c for c in coords if c != lead), days, basis, row

    def _upward_guess(self, petition: Petition, rule: _CompiledRule, basis: str, helper):
        """A keyword rule's route turned into a guess (basis, lead, coordinators), else None.

        - a rule for a ward department, on a petition with a strong sign of a higher level
          (toolkit.rules.upward): Chuyển cấp trên leads, the ward department coordinates;
          with only a weak sign (an investment asked for) the ward department keeps it;
        - a rule sending the petition up whose every keyword is named as an address
          ('cặp quốc lộ 22B'), while a ward department's rule matched too: that department."""
        found, previous, accented, best, split = self._last_keywords
        if text.fold(rule.lead) == self._forward_key:
            if helper is None or not _upward.as_address(previous.get(best, []), accented):
                return None
            place = found[best][0]
            why = self._keyword_basis(helper, next(found[i] for i in found if self.rules[i] is helper))
            return (f"{GUESS_MARK}: {why}; '{place}' có lẽ chỉ là địa chỉ ({basis.split(':')[0].lower()} "
                    f"giao {rule.lead}). Hãy xác nhận Bộ phận chủ trì", helper.lead, [])
        signs = self.upward.signs(petition.noi_dung or "", split)
        if self._last_act:
            # the petition asks the ward to do what the ward does (certify, register, collect, list
            # who gets support): a higher level named on the way does not take it away; a project,
            # land taken back, a rule or a rate to change still do
            signs = signs.only(_upward.OWNERSHIP)
        if signs.strong and self._can_forward:
            return (f"{GUESS_MARK}: nội dung đề nghị cấp trên hoặc việc của cấp trên ({signs.shown()}), "
                    f"có thể vượt thẩm quyền phường; {basis} (giao {rule.lead}). "
                    "Hãy xác nhận Bộ phận chủ trì", self.forward_name, [rule.lead])
        if signs:
            return (f"{GUESS_MARK}: {basis}; nội dung xin đầu tư hoặc đề nghị cấp trên ({signs.shown()}), "
                    "có thể do cấp trên quyết định. Hãy xác nhận Bộ phận chủ trì", rule.lead, list(rule.coordinators))
        return None

    def _contrary_practice(self, petition: Petition, rule: _CompiledRule):
        """The history's guess when it firmly contradicts a thin keyword rule, else None."""
        if self.history is None and self._history_factory is None:
            return None
        history = self._history()
        guess = history.predict(petition.noi_dung or "", exclude=_ident(petition)) if history is not None else None
        if (guess is not None and guess.confident and guess.posterior >= CONTRARY_POSTERIOR
                and self.department_name(guess.department) != rule.lead):
            return guess
        return None

    def _unsure(self, petition: Petition, rule, basis: str, stronger):
        """No rule, or a weak one: the register's history if it is confident, else a marked guess.

        Returns (rule, basis) with a rule to follow, or (None, (basis, lead)) without one."""
        history = self._history()
        guess = history.predict(petition.noi_dung or "", exclude=_ident(petition)) if history is not None else None
        if guess is not None and guess.confident:
            dept = self.department_name(guess.department)     # a code typed in the history -> its name
            follow = next((r for r in (rule, stronger and stronger[0]) if r is not None and r.lead == dept), None)
            said = f"Giống {guess.example} (học từ lịch sử phân công, độ tin cậy {guess.posterior:.0%})"
            if follow is not None:
                return follow, f"{said}; {_rule_label(follow.rule)}"
            return None, (said, dept)
        if rule is not None:           # weak: the rule with more keyword words, marked as a guess
            pick, why = stronger
            if pick is rule:           # no rival: the rule found only in why or where the act is asked
                return pick, f"{GUESS_MARK}: {why}. Hãy xác nhận Bộ phận chủ trì"
            signs = self.upward.signs(petition.noi_dung or "")
            if signs.strong and self._can_forward and not self._last_act:
                return None, (f"{GUESS_MARK}: nội dung đề nghị cấp trên hoặc việc của cấp trên ({signs.shown()}), "
                              f"có thể vượt thẩm quyền phường; {why} (giao {pick.lead}). "
                              "Hãy xác nhận Bộ phận chủ trì", self.forward_name, [pick.lead])
            return pick, (f"{GUESS_MARK}: {why}; nhưng {basis.split(':')[0].lower()} cũng khớp "
                          f"(giao {rule.lead}). Hãy xác nhận Bộ phận chủ trì")
        near = (f"; gần nhất là {guess.example} ({self.department_name(guess.department)})"
                if guess is not None else "")
        signs = self.upward.signs(petition.noi_dung or "")
        if signs.strong and self._can_forward:
            return None, (f"{GUESS_MARK}: không khớp quy tắc nào{near}; nội dung đề nghị cấp trên hoặc việc "
                          f"của cấp trên ({signs.shown()}). Giao tạm {self.forward_name}; "
                          "hãy xác nhận hoặc nhập Bộ phận chủ trì", self.forward_name)
        if self.unsure_name:
            return None, (f"{GUESS_MARK}: không khớp quy tắc nào{near}. Giao tạm {self.unsure_name} theo Cấu hình; "
                          "hãy xác nhận hoặc nhập Bộ phận chủ trì", self.unsure_name)
        return None, (f"{GUESS_MARK}: không khớp quy tắc nào{near}. Cấu hình không giao tạm; "
                      "hãy nhập Bộ phận chủ trì", "")


def _ident(petition: Petition) -> str | None:
    """The petition's Mã: the history never cites the petition as its own precedent."""
    ma = petition.ma
    return ma.strip() if isinstance(ma, str) and ma.strip() else None


def _rule_label(rule: Rule) -> str:
    if rule.uu_tien is None or rule.uu_tien >= 10 ** 6:       # no Ưu tiên typed
        return f"Quy tắc dòng {rule.row}"
    return f"Quy tắc dòng {rule.row} (ưu tiên {rule.uu_tien})"


def _unique(names: list[str]) -> list[str]:
    out: list[str] = []
    for n in names:
        if n and n not in out:
            out.append(n)
    return out


is_accented = keywords.is_accented      # public here too (tests, the module docstring)
