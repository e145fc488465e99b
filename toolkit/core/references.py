"""How a code or name typed by staff resolves to a record: one resolver for all.

A typed Hội nghị, Tổ dân phố or Bộ phận matches a record's code *or* name on
the folded key, with a no-diacritics fallback. A Tổ dân phố typed by its number
("3", "Tổ 3", "TDP 03", "to dan pho so 3") matches the one group whose code has
that number. ``check``, the summaries (Tổng hợp, tong-hop.xlsx, the dashboard)
and the Word documents all resolve through here, so they count a row alike.
"""

from __future__ import annotations

from toolkit.core import text
from toolkit.core.model import Conference, Dataset, Department, Group


def _index(items: list, code_attr: str, name_attr: str) -> tuple[dict, dict]:
    """Folded code/name -> first record, exact (diacritics kept) and without diacritics."""
    exact: dict[str, object] = {}
    loose: dict[str, object] = {}
    for item in items:
        for attr in (code_attr, name_attr):
            value = getattr(item, attr) or ""
            if value:
                exact.setdefault(text.fold(value), item)
    for item in items:
        for attr in (code_attr, name_attr):
            value = getattr(item, attr) or ""
            if value:
                loose.setdefault(text.ascii_fold(value), item)
    return exact, loose


class _Lookup:
    """The indexes of one list of records, and the typed texts already looked up in it."""

    __slots__ = ("items", "size", "first", "last", "attrs", "exact", "loose", "answers")

    def __init__(self, items: list, code_attr: str, name_attr: str):
        self.items, self.size, self.attrs = items, len(items), (code_attr, name_attr)
        self.first, self.last = (items[0], items[-1]) if items else (None, None)
        self.exact, self.loose = _index(items, code_attr, name_attr)
        self.answers: dict[str, object] = {}   # typed text -> record: the same codes come back thousands of times

    def fits(self, items: list, code_attr: str, name_attr: str) -> bool:
        """Still the very list it was built from (same objects, same length, same ends)."""
        return self.items is items and self.size == len(items) and (
            not items or (items[0] is self.first and items[-1] is self.last)) and self.attrs == (code_attr, name_attr)


_INDEXES: dict[int, _Lookup] = {}


def _resolve(items: list, typed: object, code_attr: str = "ma", name_attr: str = "ten"):
    if typed is None:
        return None
    # The index is rebuilt whenever the list is not the very one (same objects) it was built from.
    lookup = _INDEXES.get(id(items))
    if lookup is None or not lookup.fits(items, code_attr, name_attr):
        if len(_INDEXES) > 64:
            _INDEXES.clear()
        lookup = _INDEXES[id(items)] = _Lookup(items, code_attr, name_attr)
    answers = lookup.answers
    if type(typed) is str:
        try:
            return answers[typed]
        except KeyError:
            pass
    s = text.clean(str(typed), multiline=False)
    found = None
    if s:
        found = lookup.exact.get(text.fold(s))
        if found is None:
            found = lookup.loose.get(text.ascii_fold(s))
    if type(typed) is str and len(answers) < 10_000:
        answers[typed] = found
    return found


def resolve_conference(dataset: Dataset, typed: object) -> Conference | None:
    return _resolve(dataset.conferences, typed)


# What may surround the number of a group typed by its number ("Tổ 3", "TDP 03", "to dan pho so 3").
_GROUP_WORDS = ("", "to", "tdp", "to dan pho", "to so", "to dan pho so", "tdp so")


def resolve_group(dataset: Dataset, typed: object) -> Group | None:
    found = _resolve(dataset.groups, typed)
    if found is None and typed is not None:
        # "Tổ 3", "3", "TDP 03" for TDP03: compare the number when both sides have one.
        digits = "".join(ch for ch in str(typed) if ch.isdigit())
        if digits and text.ascii_fold(str(typed)).replace(digits, "").strip(" .-") in _GROUP_WORDS:
            matches = [g for g in dataset.groups
                       if "".join(ch for ch in g.ma if ch.isdigit()).lstrip("0") == digits.lstrip("0")]
            if len(matches) == 1:
                found = matches[0]
    return found


def resolve_department(dataset: Dataset, typed: object) -> Department | None:
    return _resolve(dataset.departments, typed)


class Names:
    """Display names of groups or departments as the summaries and documents show them.

    ``name(typed)`` is the record's name (its code when it has no name) when the
    typed text resolves, else the typed text itself (``blank`` when empty);
    ``record(typed)`` is the record or None.
    """

    def __init__(self, resolve, dataset: Dataset, blank: str = ""):
        self._resolve = resolve
        self._dataset = dataset
        self.blank = blank

    def record(self, typed: object):
        if typed is None or not str(typed).strip():
            return None
        return self._resolve(self._dataset, typed)

    def name(self, typed: object, blank: str | None = None) -> str:
        found = self.record(typed)
        if found is not None:
            return found.ten or found.ma
        if typed is None or not str(typed).strip():
            return self.blank if blank is None else blank
        return str(typed).strip()


def group_names(dataset: Dataset, blank: str = "") -> Names:
    return Names(resolve_group, dataset, blank)


def department_names(dataset: Dataset, blank: str = "") -> Names:
    return Names(resolve_department, dataset, blank)
