"""Personal data in what the toolkit makes: one rule, in one place (docs/ARCHITECTURE.md, "Documents"; Luật Bảo vệ dữ liệu cá
nhân số 91/2025/QH15).

A citizen's name, phone number, birth year and address appear only where the purpose of the output
needs them:

- giấy mời (``giaymoi``): names its addressee (and the residential group it represents);
- phiếu chuyển (``phieuchuyen``): what the department needs to contact the citizen (name, group, phone);
- everything else: the result report, the announcement, the monthly report, the plan, the urging
  letter (``ketqua``, ``thongbao``, ``thang``, ``kehoach``, ``dondoc``) and tong-hop.xlsx
  (``tonghop``) carry none: a petition is identified by its Mã kiến nghị and its residential group.

Free text staff typed (Nội dung, Kết quả trả lời, ...) may hold what a citizen said about themselves
or a neighbour; in an output that may not carry it (:meth:`Policy.text`), it is masked, and what the
text says about the matter stays:

- mobile numbers → :data:`PHONE_MASK` (a landline of an office, "02x…", is kept);
- "sinh năm 1956" / "SN 1956" → :data:`BIRTH_MASK`;
- a person's name → :data:`NAME_MASK`: after a form of address ("ông", "bà", "anh", "chị", "cụ", "cô",
  "chú", "bác", "em", "cháu" + a capitalised word that is not a title: "ông Tổ trưởng" is kept), or a
  run of three or four capitalised words beginning with a Vietnamese family name (Nguyễn, Trần, Lê, …)
  unless a place word comes before it ("đường Lê Hồng Phong", "trường Nguyễn Trãi" are places; two
  words, "Hà Nội", "Lê Lợi", are kept: a name said in full has three);
- a house number → :data:`HOUSE_MASK`: "số nhà 12", "nhà số 12", "số 12/3 ngõ …", "căn hộ 1204", "phòng
  trọ số 5" (the lane, street or group after it stays: where the problem is, not who lives there);
- an identity card number ("CCCD 001…", "CMND số …") → :data:`ID_MASK`.

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
NAME_MASK = "[họ tên đã ẩn]"
HOUSE_MASK = "[số nhà đã ẩn]"
ID_MASK = "[số giấy tờ đã ẩn]"
# "(?<![\d+])" checked after the first character, not at every position of the text (same matches).
_MOBILE = re.compile(r"(?:\+(?<![\d+]\+)84|8(?<![\d+]8)4|0(?<![\d+]0))[ .-]?[35789](?:[ .-]?\d){8}(?!\d)")

# Family names of most Vietnamese (the first word of a full name).
SURNAMES = frozenset("""Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Đoàn Lương Trịnh
    Đào Mai Cao Tạ Hà Lưu Vương Chu Lâm Quách Tô Tăng Triệu Thái Văn Kiều Khúc Mạc Nghiêm Phùng Quan Từ Tống Vi
    Lò Hứa Diệp Giang Kim Lục La Lã Lại Mã Nông Ninh Thân Thạch Trương Doãn Âu Bạch Bế Cù Hầu Khổng Kha Lạc
    Mông Ôn Quang Sầm Tôn Trang Viên Yên Đàm Đồng Châu Bành Đậu Đường Hàn Khương Lữ Nhữ Phí Quản Tiêu""".split())
_HONORIFICS = ("ông", "bà", "anh", "chị", "cụ", "cô", "chú", "bác", "em", "cháu")
# Words after which capitalised words are a place, a post or an idea, not a person.
_PLACE_WORDS = ("đường", "phố", "ngõ", "ngách", "hẻm", "kiệt", "phường", "xã", "quận", "huyện", "tỉnh", "thành phố",
                "thị trấn", "thôn", "ấp", "bản", "trường", "cầu", "chợ", "công viên", "khu", "tuyến", "ngã tư",
                "ngã ba", "nút giao", "bến", "bệnh viện", "trạm", "nhà văn hóa", "nhà văn hoá", "đền", "chùa", "đình",
                "tượng đài", "quảng trường", "sân", "bãi", "hồ", "sông", "kênh", "cống", "dự án", "chung cư",
                "tòa nhà", "toà nhà", "thcs", "thpt", "tiểu học", "mầm non", "tập thể", "khu đô thị", "đại lộ",
                "tỉnh lộ", "quốc lộ", "lô", "tổ", "số", "tp", "tp.", "tư tưởng", "giải", "quỹ", "học bổng")
_TITLES = frozenset("""Chủ Phó Trưởng Tổ Bí Giám Công Cán Đại Hội Ủy Uỷ Ban Phòng Chánh Thủ Bộ Đồn Chi Trạm Trung Sở
    UBND HĐND MTTQ Thượng Thiếu Bác Giáo Tiến Thạc Kỹ Luật Thẩm Kiểm Thanh Hiệu Y Dược""".split())
NOT_NAMES = frozenset(("Hồ Chí Minh", "Rịa", "Điểm", "Chiểu", "Đen"))    # a city; places named "Bà …"

_PUNCT = ",.;:!?)]}”\"'…"
_SENTENCE_END = ".!?;:([{“\"-–"
_TRIGGERS = SURNAMES | frozenset(_HONORIFICS) | frozenset(h.capitalize() for h in _HONORIFICS)
_TOKEN = re.compile(r"\S+")
_NUMBER = re.compile(r"[0-9]+[A-Za-z]?(?:[/-][0-9]+[A-Za-z]?)*")
# What comes before a number that makes it personal: a house, a room, an identity paper, a birth year.
_HOUSE_BEFORE = ("số nhà", "nhà số", "căn hộ", "căn hộ số", "phòng trọ", "phòng trọ số", "phòng số")
_LANE_AFTER = re.compile(r",?\s*(?:ngõ|ngách|hẻm|kiệt|đường|phố)\b", re.IGNORECASE)
_GROUP_BEFORE = ("tổ dân phố số", "tổ số", "khu phố số", "thôn số", "xóm số", "ấp số", "khu số")
_ID_BEFORE = ("cccd", "cmnd", "cmtnd", "căn cước", "căn cước công dân", "chứng minh nhân dân", "chứng minh thư")


# Nine digits apart at most one separator: in every mobile number _MOBILE matches. A pattern that
# starts with a digit is searched for by the regex engine's fast scan, not tried at every position
# as _MOBILE (a look-behind first) is: most long texts have no number at all.
_NINE_DIGITS = re.compile(r"\d(?:[ .-]?\d){8}")


def mask_phones(text: str) -> str:
    text = text or ""
    return _MOBILE.sub(PHONE_MASK, text) if _NINE_DIGITS.search(text) else text


def _is_name_word(word: str) -> bool:
    return word[:1].isupper() and word.isalpha()


def _trigger_starts(text: str, words) -> list[int]:
    """Where each whole word of ``text`` equal to one of ``words`` begins, in order."""
    out = []
    n = len(text)
    for w in words:
        k = len(w)
        a = text.find(w)
        while a >= 0:
            b = a + k
            if (a == 0 or text[a - 1].isspace()) and (b == n or text[b].isspace()):
                out.append(a)
            a = text.find(w, a + 1)
    out.sort()
    return out


def _words_before(text: str, a: int, k: int) -> tuple[list[str], str]:
    """The ``k`` words before position ``a`` (the nearest last) and the white space just before ``a``."""
    words: list[str] = []
    gap = ""
    j = a
    while len(words) < k:
        e = j
        while e > 0 and text[e - 1].isspace():
            e -= 1
        if e == 0:
            break
        if not words:
            gap = text[e:a]
        s = e
        while s > 0 and not text[s - 1].isspace():
            s -= 1
        words.append(text[s:e])
        j = s
    words.reverse()
    return words, gap


def mask_names(text: str) -> str:
    """People's names in free text (see the module's rules), masked. Most texts name nobody: a set
    intersection of their words with the family names and forms of address says so without a scan;
    otherwise only the words at and around each of those are read (a long text is not split into
    its hundreds of words)."""
    if not text:
        return ""
    present = _TRIGGERS.intersection(text.split())
    if not present:
        return text
    cuts: list[tuple[int, int]] = []
    done = 0                                        # words beginning before this were part of a name
    for a in _trigger_starts(text, present):
        if a < done:
            continue
        w = _TOKEN.match(text, a).group()
        honorific = w.lower() in _HONORIFICS
        run: list[str] = []
        starts: list[int] = []
        for m in _TOKEN.finditer(text, a + len(w) if honorific else a):
            if len(run) >= 4:
                break
            word = m.group()
            core = word.rstrip(_PUNCT)
            if not core or not _is_name_word(core):
                break
            run.append(core)
            starts.append(m.start())
            if core != word:
                break                               # "An," ends the name
        name = " ".join(run)
        ok = False
        if honorific and run and run[0] not in _TITLES and name not in NOT_NAMES:
            if w[0].islower():
                ok = True
            else:                                   # "Bà Rịa" is a place; "Bà Hoa" at a sentence's start is a person
                before, gap = _words_before(text, a, 1)
                ok = not before or "\n" in gap or before[-1][-1] in _SENTENCE_END
        elif not honorific and len(run) >= 3 and name not in NOT_NAMES:
            before, _gap = _words_before(text, a, 2)
            prev1 = before[-1].lower().rstrip(".,") if before else ""
            prev2 = (before[-2].lower() + " " + prev1) if len(before) >= 2 else ""
            ok = prev1 not in _PLACE_WORDS and prev2 not in _PLACE_WORDS
        if ok:
            done = starts[-1] + len(run[-1])
            cuts.append((starts[0], done))
    if not cuts:
        return text
    out, last = [], 0
    for a, b in cuts:
        out.append(text[last:a])
        out.append(NAME_MASK)
        last = b
    out.append(text[last:])
    return "".join(out)


# The last letter of every word (or words) a masked number follows: số, nhà, hộ, trọ, cccd, cmnd, cmtnd,
# cước, dân, thư, năm, sinh, sn.
_LAST_LETTERS = frozenset("ốàộọdcnưmh")


def _mask_numbers(text: str) -> str:
    """House numbers, identity numbers and stated birth years: each number is judged by the words before it."""
    out, last = [], 0
    for m in _NUMBER.finditer(text):
        a, b = m.span()
        start = max(0, a - 24)
        j = a
        while j > start and text[j - 1] in " :":
            j -= 1
        if j == start or text[j - 1].lower()[-1] not in _LAST_LETTERS:
            continue                                # an amount, a date: no word below ends just before it
        before = text[start:a].rstrip(" :").lower()
        value = m.group()
        mask = None
        if before.endswith(_HOUSE_BEFORE) or (before.endswith("số") and not before.endswith(_GROUP_BEFORE)
                                               and _LANE_AFTER.match(text, b)):
            mask = HOUSE_MASK
        elif value.isdigit() and 9 <= len(value) <= 12 and before.removesuffix(" số").endswith(_ID_BEFORE):
            mask = ID_MASK
        elif value.isdigit() and len(value) == 4 and value[:2] in ("19", "20") and (
                before.endswith(("sinh năm", "năm sinh")) or before[-3:] in (" sn", "\nsn") or before == "sn"):
            mask = BIRTH_MASK
        if mask:
            out.append(text[last:a])
            out.append(mask)
            last = b
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


def mask_personal(text: str) -> str:
    """Mobile numbers, stated birth years, identity numbers, house numbers and names in free text, masked."""
    text = mask_phones(text)
    return mask_names(_mask_numbers(text))


# Column headers of tong-hop.xlsx (and of any table leaving the ward) that name a person.
PERSONAL_HEADERS = frozenset({"Người kiến nghị", "Họ và tên", "Năm sinh", "Địa chỉ", "Điện thoại",
                              "Người trả lời"})


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
    masked: dict[str, str] = {}     # a long list repeats its texts (a department, a state, the same request)

    def mask(text: str) -> str:
        got = masked.get(text)
        if got is None:
            got = masked[text] = mask_personal(text)
        return got

    whole = len(keep) == len(headers)
    for row in rows:
        cells = list(row)
        if col is not None and val is not None and col < len(cells) and cells[col] in PERSONAL_HEADERS:
            cells[val] = ""
        if not whole:
            cells = [cells[i] for i in keep if i < len(cells)]
        out.append([mask(c) if isinstance(c, str) else c for c in cells])
    return [headers[i] for i in keep], out
