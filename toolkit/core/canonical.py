"""One reading: each list value resolved to its canonical entry once, when the records are built.

Staff type a Trạng thái, Lĩnh vực, Hình thức trả lời, Thành phần or Giới tính in any
case, in NFD ("Unicode tổ hợp") or NFC, with or without diacritics, with stray
spaces. :func:`canonicalize` replaces the record's value by the list's own spelling
(Danh mục's entry, else the toolkit's default entry), so every consumer compares
canonical values only (``toolkit.core.status`` asks the predicates). The typed text
stays in the record's ``raw`` and the cell itself is never rewritten; the checks may
suggest the list's spelling.

Matching: the folded key (case, spacing, tone placement, NFC) first, then the key
without diacritics when exactly one entry has it. A value matching nothing is kept
as typed (the checks report it as outside the list).

Bộ phận chủ trì is resolved too (through ``toolkit.core.references``, the one
resolver of codes and names): ``Petition.sent_up`` says whether it is the
"Chuyển cấp trên" department (``core.defaults.FORWARD_DEPARTMENT``).
"""

from __future__ import annotations

from toolkit.core import defaults, schema, text
from toolkit.core.model import Dataset
from toolkit.core.references import resolve_department

# (dataset attribute, record attribute, Danh mục list key)
LIST_FIELDS = (
    ("petitions", "trang_thai", "trang_thai"),
    ("petitions", "linh_vuc", "linh_vuc"),
    ("petitions", "hinh_thuc", "hinh_thuc"),
    ("delegates", "thanh_phan", "thanh_phan"),
    ("delegates", "gioi_tinh", "gioi_tinh"),
    ("rules", "linh_vuc", "linh_vuc"),
)


class Entries:
    """The canonical entries of one list: Danh mục's, then the toolkit's defaults."""

    def __init__(self, entries):
        self.exact: dict[str, str] = {}
        loose: dict[str, set[str]] = {}
        for entry in entries:
            if not entry:
                continue
            self.exact.setdefault(text.fold(entry), entry)
            loose.setdefault(text.ascii_fold(entry), set()).add(self.exact[text.fold(entry)])
        self.loose = {k: next(iter(v)) for k, v in loose.items() if len(v) == 1}
        self._memo: dict[str, str | None] = {}

    def canonical(self, value: object) -> str | None:
        """The entry ``value`` means, or None."""
        if not isinstance(value, str) or not value:
            return None
        try:
            return self._memo[value]
        except KeyError:
            pass
        found = self.exact.get(text.fold(value))
        if found is None:
            found = self.loose.get(text.ascii_fold(value))
        if len(self._memo) < 10_000:
            self._memo[value] = found
        return found


def entries(dataset: Dataset, list_key: str) -> Entries:
    staff = list(dataset.lists.get(list_key) or ())
    return Entries(staff + [e for e in schema.LISTS[list_key][1] if e not in staff])


def canonicalize(dataset: Dataset) -> None:
    """Every list value of the dataset's records in its canonical spelling; ``sent_up`` set."""
    for attr, key, list_key in LIST_FIELDS:
        items = getattr(dataset, attr)
        if not items:
            continue
        lookup = entries(dataset, list_key)
        for rec in items:
            value = getattr(rec, key)
            if value:
                found = lookup.canonical(value)
                if found is not None and found != value:
                    setattr(rec, key, found)
    mark_sent_up(dataset)


def forward_department(dataset: Dataset):
    """The Bộ phận record of "Chuyển cấp trên" (by its code, else its name), or None."""
    found = resolve_department(dataset, defaults.FORWARD_DEPARTMENT)
    if found is None:
        found = resolve_department(dataset, dict(defaults.DEPARTMENTS)[defaults.FORWARD_DEPARTMENT])
    return found


def mark_sent_up(dataset: Dataset, petitions=None) -> None:
    """``sent_up`` of each petition: its Bộ phận chủ trì is the "Chuyển cấp trên" department."""
    forward = forward_department(dataset)
    keys = {text.fold(dict(defaults.DEPARTMENTS)[defaults.FORWARD_DEPARTMENT])}
    if forward is not None:
        keys |= {text.fold(v) for v in (forward.ma, forward.ten) if v}
    memo: dict[str, bool] = {}
    for p in dataset.petitions if petitions is None else petitions:
        lead = p.chu_tri
        if not lead or not isinstance(lead, str):
            p.sent_up = False
            continue
        up = memo.get(lead)
        if up is None:
            found = resolve_department(dataset, lead)
            up = memo[lead] = (found is forward) if (found is not None and forward is not None) \
                else text.fold(lead) in keys
        p.sent_up = up
