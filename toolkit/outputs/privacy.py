"""Personal data in what the toolkit makes: one rule, in one place (docs/ARCHITECTURE.md, "Documents"; Luật Bảo vệ dữ liệu cá
nhân số 91/2025/QH15).

A citizen's name, phone number, birth year and address appear only where the purpose of the output
needs them:

- giấy mời (``giaymoi``): names its addressee (and the residential group it represents);
- phiếu chuyển (``phieuchuyen``): what the department needs to contact the citizen (name, group, phone);
- everything else: the result report, the announcement, the monthly report, the plan, the urging
  letter (``ketqua``, ``thongbao``, ``thang``, ``kehoach``, ``dondoc``) and tong-hop.xlsx
  (``tonghop``) carry none: a petition is identified by its Mã kiến nghị and its residential group.

Free text staff typed (Nội dung, Kết quả trả lời, ...) may hold a number or a birth year a citizen
gave; in an output that may not carry phones, mobile numbers are replaced by :data:`PHONE_MASK`,
and "sinh năm 1956" / "SN 1956" by :data:`BIRTH_MASK`. A landline of an office ("02x…") is kept.

The same rule holds whichever command makes the output (``run``, ``watch``, ``report``): every
renderer asks :func:`policy`. ``report --with-phones`` (``with_phones=True``) is the one explicit
exception, for internal use: names, groups and phone numbers are shown unmasked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NAME = "name"
PHONE = "phone"
GROUP = "group"           # the residential group (Tổ dân phố): not personal on its own
BIRTH_YEAR = "birth_year"
ADDRESS = "address"

CARRIES: dict[str, frozenset[str]] = {
    "giaymoi": frozenset({NAME, GROUP}),
    "phieuchuyen": frozenset({NAME, GROUP, PHONE}),
    "ketqua": frozenset({GROUP}),
    "thongbao": frozenset(),
    "thang": frozenset({GROUP}),
    "kehoach": frozenset(),
    "dondoc": frozenset({GROUP}),
    "tonghop": frozenset({GROUP}),
}
INTERNAL = frozenset({NAME, GROUP, PHONE})   # what --with-phones adds, for internal use only

PHONE_MASK = "[số điện thoại đã ẩn]"
BIRTH_MASK = "[năm sinh đã ẩn]"
_MOBILE = re.compile(r"(?<![\d+])(?:\+84|84|0)[ .-]?[35789](?:[ .-]?\d){8}(?!\d)")
_BIRTH = re.compile(r"\b(sinh năm|năm sinh|SN)(\s*:?\s*)(?:19|20)\d\d\b", re.IGNORECASE)

# Column headers of tong-hop.xlsx (and of any table leaving the ward) that name a person.
PERSONAL_HEADERS = frozenset({"Người kiến nghị", "Họ và tên", "Năm sinh", "Địa chỉ", "Điện thoại",
                              "Người trả lời"})


# Nine digits apart at most one separator: in every mobile number _MOBILE matches. A pattern that
# starts with a digit is searched for by the regex engine's fast scan, not tried at every position
# as _MOBILE (a look-behind first) is: most long texts have no number at all.
_NINE_DIGITS = re.compile(r"\d(?:[ .-]?\d){8}")
_BIRTH_HINT = re.compile(r"s(?:inh|n)", re.IGNORECASE)   # in every _BIRTH match, under the same case rules


def mask_phones(text: str) -> str:
    text = text or ""
    return _MOBILE.sub(PHONE_MASK, text) if _NINE_DIGITS.search(text) else text


def mask_personal(text: str) -> str:
    """Mobile numbers and stated birth years in free text, masked."""
    text = mask_phones(text)
    if not _BIRTH_HINT.search(text):
        return text
    return _BIRTH.sub(lambda m: m.group(1) + m.group(2) + BIRTH_MASK, text)


@dataclass(frozen=True)
class Policy:
    """What one output may carry (``policy(kind)``)."""

    kind: str
    fields: frozenset[str]

    def may(self, field: str) -> bool:
        return field in self.fields

    def text(self, value) -> str:
        """Free text for this output: as typed where phones are allowed, else masked."""
        value = "" if value is None else str(value)
        return value if self.may(PHONE) else mask_personal(value)

    def petitioner(self, name: str, group: str, phone: str | None = None) -> str:
        """Who made a petition, as this output may say it: "Name (Group)\\nĐT: phone", or the group only."""
        name = (name or "").strip() if self.may(NAME) else ""
        group = (group or "").strip() if self.may(GROUP) else ""
        if name:
            text = f"{name} ({group})" if group else name
        else:
            text = group
        if phone and self.may(PHONE):
            text = f"{text}\nĐT: {phone}" if text else f"ĐT: {phone}"
        return text


def policy(kind: str, *, with_phones: bool = False) -> Policy:
    """The rule for ``kind`` (a document kind, or "tonghop"); ``with_phones`` is the explicit internal exception."""
    fields = CARRIES.get(kind, frozenset())
    if with_phones:
        fields = fields | INTERNAL
    return Policy(kind, frozenset(fields))


def public_rows(headers: list[str], rows: list, *, with_phones: bool = False) -> tuple[list[str], list[list]]:
    """A table for tong-hop.xlsx: columns naming a person dropped, phone numbers and birth years in the
    other text cells masked; in a findings table (Cột, Giá trị), the value of a personal column blanked."""
    if with_phones:
        return list(headers), [list(r) for r in rows]
    keep = [i for i, h in enumerate(headers) if h not in PERSONAL_HEADERS]
    col = headers.index("Cột") if "Cột" in headers else None
    val = headers.index("Giá trị") if "Giá trị" in headers else None
    out = []
    for row in rows:
        cells = list(row)
        if col is not None and val is not None and col < len(cells) and cells[col] in PERSONAL_HEADERS:
            cells[val] = ""
        out.append([mask_personal(c) if isinstance(c, str) else c for i, c in enumerate(cells) if i in keep])
    return [headers[i] for i in keep], out
