"""text.clean: what every typed value goes through before it is compared, checked or written."""

import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from toolkit.core import text


@pytest.mark.parametrize("raw,multiline,exp", [
    ("  Tổ 3 ", True, "Tổ 3"),
    ("Nguyễn\u00a0\u00a0Văn  A", False, "Nguyễn Văn A"),
    ("dòng 1\r\ndòng 2\rdòng 3", True, "dòng 1\ndòng 2\ndòng 3"),
    ("dòng 1\r\ndòng 2", False, "dòng 1 dòng 2"),
    ("a\x00b\x07c\x85d", True, "abcd"),
    ("a\tb", True, "a\tb"),
    ("a\t \tb", False, "a b"),
    ("Hoa\u0300", True, "Hoà"),           # NFD typed -> NFC
    ("Lê  Thị", True, "Lê  Thị"),         # multiline text keeps its spaces
])
def test_clean(raw, multiline, exp):
    got = text.clean(raw, multiline=multiline)
    assert got == exp


_PIECES = st.sampled_from(["a", "ệ", "e\u0302\u0301", " ", "  ", "\t", "\n", "\r", "\r\n", "\x00", "\x1f",
                           "\x7f", "\x85", "\xa0", "\u2028", "\u3000", "Tổ", "1"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=10).map("".join), st.booleans())
def test_clean_properties(raw, multiline):
    got = text.clean(raw, multiline=multiline)
    assert unicodedata.is_normalized("NFC", got)
    assert not text._CONTROL.search(got) and "\r" not in got
    assert got == got.strip()
    if not multiline:
        assert "  " not in got and all(ch == " " or not ch.isspace() for ch in got)
    assert text.clean(got, multiline=multiline) == got      # cleaning twice changes nothing
