"""Vietnamese text rules (docs/ARCHITECTURE.md, "Vietnamese text and safety of content").

- ``clean``: NFC, control characters stripped, trimmed, capped at Excel's limit.
- ``fold``: the comparison key for names (case, NFC, old/new tone placement).
- ``ascii_fold``: ``fold`` without diacritics (đ → d), the no-accent fallback.
- ``header_key``: how sheet and column names are matched.
- ``person_sort_key``: sort people by given name, Vietnamese alphabet and tones.
"""

from __future__ import annotations

import functools
import re
import unicodedata

EXCEL_CELL_MAX = 32_767

# Combining tone marks (NFD) in Vietnamese tone order: huyền, hỏi, ngã, sắc, nặng.
TONES = "\u0300\u0309\u0303\u0301\u0323"
_TONE_SET = frozenset(TONES)
# Vowel-shape marks: breve (ă), circumflex (â ê ô), horn (ơ ư).
_SHAPES = frozenset("\u0306\u0302\u031b")

# The control characters a typed value may carry (C0 but tab/newline/CR), in one place:
# ``clean`` drops them with C1 too; XML_INVALID adds what XML 1.0 cannot hold (xlsxsheet).
_C0 = "\x00-\x08\x0b\x0c\x0e-\x1f"
_CONTROL = re.compile(f"[{_C0}\x7f-\x9f]")
XML_INVALID = re.compile(f"[{_C0}\ufffe\uffff\ud800-\udfff]")
_SPACES = re.compile(r"\s+")


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def clean(value: str, *, multiline: bool = True) -> str:
    """NFC, no control characters, trimmed, at most 32,767 characters."""
    text = value if unicodedata.is_normalized("NFC", value) else nfc(value)
    # Printable text (most cells) has no control character and no whitespace but " ":
    # the regular expressions are for the rest (a pass cleans a few hundred thousand values).
    printable = text.isprintable()
    if not printable:
        if _CONTROL.search(text):
            text = _CONTROL.sub("", text)
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not multiline and not (printable and "  " not in text):
        text = _SPACES.sub(" ", text)
    text = text.strip()
    return text[:EXCEL_CELL_MAX]


def _fold_word(word: str) -> str:
    # Move the tone mark to the end of the syllable, so hoà == hòa, thuý == thúy.
    chars = unicodedata.normalize("NFD", word)
    tone = ""
    base = []
    for ch in chars:
        if ch in _TONE_SET:
            tone = ch
        else:
            base.append(ch)
    return "".join(base) + tone


def fold(value: str) -> str:
    """Comparison key keeping diacritics: case, spacing, tone placement folded."""
    if type(value) is str:
        return _fold_str(value)
    return _fold(value)


def _fold(value) -> str:
    text = _SPACES.sub(" ", clean(str(value))).casefold()
    return unicodedata.normalize("NFC", " ".join(_fold_word(w) for w in text.split(" ")))


# A pass folds the same few thousand names, codes and list values millions of
# times (lookups, list checks); profiled at 5,000 delegates / 20,000 petitions
# it was most of `check`. Pure function of the string, so memoised.
_fold_str = functools.lru_cache(maxsize=1 << 16)(_fold)


def strip_diacritics(value: str) -> str:
    text = unicodedata.normalize("NFD", value)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.replace("đ", "d").replace("Đ", "D")


def ascii_fold(value: str) -> str:
    """Comparison key without diacritics: 'Phường Hà Cầu' -> 'phuong ha cau'."""
    if type(value) is str:
        return _ascii_fold_str(value)
    return strip_diacritics(fold(value))


_ascii_fold_str = functools.lru_cache(maxsize=1 << 16)(lambda value: strip_diacritics(fold(value)))


def sheet_name_key(name: str) -> str:
    """Two sheet names are the same sheet as Excel sees it: case does not count ("Tổng hợp" and
    "TỔNG HỢP" clash); NFD and NFC spellings (the same letters on screen) count as the same too."""
    return unicodedata.normalize("NFC", name).casefold()


def header_key(value: object) -> str:
    """Key for matching a sheet or column header typed by staff."""
    text = "" if value is None else str(value)
    text = text.replace("_", " ").replace("\n", " ")
    return _SPACES.sub(" ", ascii_fold(text)).strip(" :*.")


# Vietnamese alphabet: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y
_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k",
    "l", "m", "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w",
    "x", "y", "z",
]
_LETTER_RANK = {letter: i + 1 for i, letter in enumerate(_ALPHABET)}


def _word_key(word: str) -> tuple:
    letters: list[int] = []
    tones: list[int] = []
    decomposed = unicodedata.normalize("NFD", word.casefold())
    for ch in decomposed:
        if ch in _TONE_SET:
            tones.append(TONES.index(ch) + 1)
            continue
        if ch in _SHAPES and letters:
            # Re-compose the previous base letter with its shape mark.
            prev = _ALPHABET[letters[-1] - 1] if letters[-1] <= len(_ALPHABET) else ""
            combined = unicodedata.normalize("NFC", prev + ch)
            if combined in _LETTER_RANK:
                letters[-1] = _LETTER_RANK[combined]
                continue
        if unicodedata.combining(ch):
            continue
        letters.append(_LETTER_RANK.get(ch, 100 + ord(ch)))
    return (tuple(letters), tuple(tones) or (0,))


def vn_sort_key(value: str) -> tuple:
    """Sort key for Vietnamese text: alphabet order, then tones."""
    words = fold(value).split(" ")
    return (tuple(_word_key(w)[0] for w in words), tuple(_word_key(w)[1] for w in words))


def person_sort_key(full_name: str) -> tuple:
    """Vietnamese order for people: by given name (last word), then the rest."""
    words = clean(full_name, multiline=False).split(" ")
    given = words[-1] if words else ""
    return (vn_sort_key(given), vn_sort_key(" ".join(words[:-1])))


# Legacy 8-bit Vietnamese fonts (TCVN3/ABC, VNI) typed into Unicode cells show
# as Latin-1 look-alikes. These characters almost never appear in real
# Vietnamese Unicode text but are everywhere in TCVN3/VNI text.
_TCVN3_MARKERS = set("¸µ¶·¹¨»¼½¾Æ©ÊËÌÍÎ®¬«ß×Ø¦¥¤£¢¡ÿ§") | set("®")
_TCVN3_MARKER_RE = re.compile("[" + re.escape("".join(sorted(_TCVN3_MARKERS))) + "]")
_VIETNAMESE_LETTER = re.compile("[\u1ea0-\u1ef9]")
# VNI spreads each letter over two 8-bit characters: "Nguyeãn Vaên".
_VNI_PATTERN = re.compile(r"[aeAE][âáàãäåê]|[åäëïöüøñûîÿÅÄËÏÖÜØÑÛÎ]")


def looks_legacy_font(value: str) -> bool:
    """True when text looks typed with a TCVN3 (.Vn...) or VNI font."""
    if not value or len(value) < 4:
        return False
    text = str(value)
    if text.isascii() or _VIETNAMESE_LETTER.search(text):
        return False  # plain ASCII, or real Vietnamese precomposed letters present
    markers = len(_TCVN3_MARKER_RE.findall(text))
    if markers >= 2 or (markers >= 1 and len(text) < 20):
        return True
    return len(_VNI_PATTERN.findall(text)) >= 2
