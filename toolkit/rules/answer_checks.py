"""Is an answer an answer? Checks on what a department typed (docs/ARCHITECTURE.md, "Department files"), before a
petition counts as answered. Warnings, never errors.

- no result text (a date or a form typed, no Kết quả trả lời);
- a result shorter than the length in Cấu hình ("Số ký tự tối thiểu của kết quả trả lời");
- only stock phrases ("đã tiếp thu", "sẽ xem xét", "đang chờ", "chuyển bộ phận liên quan"...) without
  a decision, a next step or a date. The phrases are the Danh mục column "Cụm từ trả lời chung
  chung", so staff can extend them; matching is on folded text, with or without diacritics;
- a written answer without Số văn bản;
- an answer dated after Hạn xử lý (late, in working days; counted in the summaries).

``judge`` returns the problems of one answer; ``blocks_closing`` says which of them keep the
petition open (no result, too short, vague).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from toolkit.core import schema, text

DEFAULT_PHRASES: tuple[str, ...] = tuple(schema.LISTS["cum_tu_chung"][1])
DEFAULT_MIN_LENGTH = 30

NO_RESULT = "answer-no-result"
TOO_SHORT = "answer-too-short"
VAGUE = "answer-vague"
NO_NUMBER = "answer-no-document-number"
LATE = "answer-late"
BLOCKING = frozenset({NO_RESULT, TOO_SHORT, VAGUE})

# What makes an answer say something: a date, a number with a unit or a document, a decision.
_DATE = re.compile(r"\b\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{2,4})?\b|\b(?:ngay|thang|quy|nam)\s+(?:\d+|[ivx]+\b)")
_FIGURE = re.compile(r"\b\d[\d.,]*\s*(?:dong|trieu|ty|m2|m|km|ho|truong hop|bong|thung|ngay lam viec|ngay)\b")
_DOCUMENT = re.compile(r"\b(?:quyet dinh|cong van|thong tu|nghi dinh|phieu chuyen|bien ban|ke hoach)\s*(?:so\b|\d)|"
                       r"\b\d+/\d*[a-z]")
_DECISIONS = tuple(text.ascii_fold(w) for w in (
    "đã chỉ đạo", "đã giao", "đã sửa", "đã cấp", "đã chi", "đã xử lý", "đã xử phạt", "đã hoàn thành",
    "hoàn thành", "đã khắc phục", "đã lắp", "đã thu hồi", "đã ban hành", "đã cử", "đã kiểm tra", "đã yêu cầu",
    "đã bổ sung", "đã tổ chức", "đã phát quang", "đã bố trí", "bố trí kinh phí", "đã rà soát", "đã lập",
    "đã hướng dẫn", "đã trả", "đã thông báo", "đã điều chỉnh", "đã tăng cường", "đã phối hợp", "đã giải quyết",
    "đồng ý", "không đồng ý", "chấp thuận", "không chấp thuận", "không có cơ sở", "đủ điều kiện",
    "không đủ điều kiện", "theo quy định tại", "thuộc thẩm quyền", "thống nhất", "giải thích", "tháo dỡ",
    "buộc", "dự kiến", "thời hạn", "trước ngày", "kể từ ngày", "thi công", "giao cho",
))


@dataclass(frozen=True)
class Problem:
    code: str
    extra: dict


def _folded(value: str) -> str:
    return " ".join(text.ascii_fold(value).split())


def _stock_found(folded: str, phrases) -> list[str]:
    found = []
    for phrase in phrases:
        key = _folded(phrase)
        if key and re.search(r"(?<!\w)" + re.escape(key) + r"(?!\w)", folded):
            found.append(phrase)
    return found


def says_something(folded: str) -> bool:
    """A decision, a next step with a date, a figure or a document reference."""
    if _DATE.search(folded) or _FIGURE.search(folded) or _DOCUMENT.search(folded):
        return True
    return any(re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", folded) for w in _DECISIONS)


def judge(result: object, *, form: object = None, number: object = None, phrases=DEFAULT_PHRASES,
          min_length: int = DEFAULT_MIN_LENGTH) -> list[Problem]:
    """The problems of one answer (empty: it says what was decided)."""
    body = text.clean(str(result)) if result not in (None, "") else ""
    if not body:
        return [Problem(NO_RESULT, {})]
    out: list[Problem] = []
    folded = _folded(body)
    stock = _stock_found(folded, phrases)
    if stock and not says_something(folded):
        out.append(Problem(VAGUE, {"other": "; ".join(f"«{s}»" for s in stock)}))
    if min_length and len(body) < min_length:
        out.append(Problem(TOO_SHORT, {"count": len(body), "limit": min_length}))
    written = form not in (None, "") and text.fold(str(form)) == text.fold(schema.FORM_WRITTEN)
    if written and (number is None or not str(number).strip()):
        out.append(Problem(NO_NUMBER, {}))
    return out


def lateness(answered: dt.date | None, deadline: dt.date | None, calendar) -> int | None:
    """Working days an answer came after Hạn xử lý (None: on time or unknown)."""
    if answered is None or deadline is None:
        return None
    if isinstance(deadline, dt.datetime):
        deadline = deadline.date()
    if isinstance(answered, dt.datetime):
        answered = answered.date()
    if answered <= deadline:
        return None
    return max(1, calendar.workdays_between(deadline, answered))


def blocks_closing(problems: list[Problem]) -> bool:
    return any(p.code in BLOCKING for p in problems)
