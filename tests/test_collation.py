"""Vietnamese order (text.vn_sort_key, text.person_sort_key) against lists sorted by hand:
alphabet a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, then tones
(none, huyền, hỏi, ngã, sắc, nặng); people by given name, then the rest of the name."""

from __future__ import annotations

import random

import pytest

from toolkit.core.text import person_sort_key, vn_sort_key

GIVEN_NAMES_BY_HAND = [
    "An", "Anh", "Ánh", "Ân", "Bảo", "Bình", "Cường", "Dũng", "Dương", "Đạt", "Đức", "Giang",
    "Hà", "Hải", "Hạnh", "Hoa", "Hòa", "Hồng", "Khánh", "Lan", "Lân", "Linh", "Mai", "Minh",
    "Nga", "Ngà", "Ngọc", "Oanh", "Ông", "Ơn", "Phong", "Quân", "Sơn", "Tâm", "Thảo", "Thắng",
    "Trang", "Tuấn", "Tư", "Uyên", "Ưng", "Vân", "Xuân", "Yến",
]

TONES_BY_HAND = ["ma", "mà", "mả", "mã", "má", "mạ"]

PEOPLE_BY_HAND = [
    "Trần Văn An",
    "Nguyễn Thị Anh",
    "Đỗ Thị Bình",
    "Lê Văn Bình",
    "Nguyễn Văn Bình",
    "Phạm Đức Dũng",
    "Hoàng Văn Đạt",
    "Bùi Thị Hà",
    "Ngô Thị Thu Hà",
    "Vũ Văn Hải",
    "Đặng Thị Nga",
    "Lý Thị Ngà",
    "Phan Văn Tư",
    "Ưng Thị Yến",
]


def shuffled(items: list[str], seed: int) -> list[str]:
    out = list(items)
    random.Random(seed).shuffle(out)
    return out


@pytest.mark.parametrize("seed", range(5))
def test_words_sort_in_the_vietnamese_alphabet(seed):
    assert sorted(shuffled(GIVEN_NAMES_BY_HAND, seed), key=vn_sort_key) == GIVEN_NAMES_BY_HAND


def test_tones_come_after_the_letters_in_dictionary_order():
    assert sorted(shuffled(TONES_BY_HAND, 1), key=vn_sort_key) == TONES_BY_HAND
    assert sorted(["mạ", "mb"], key=vn_sort_key) == ["mạ", "mb"]   # letters first, tones only on a tie


def test_d_before_dd_and_vowels_before_their_hats():
    assert sorted(["Đào", "Dao", "Ăn", "An", "Âm", "Ơi", "Ôi", "Oi", "Ưa", "Ua"], key=vn_sort_key) == [
        "An", "Ăn", "Âm", "Dao", "Đào", "Oi", "Ôi", "Ơi", "Ua", "Ưa"]


@pytest.mark.parametrize("seed", range(5))
def test_people_sort_by_given_name_then_the_rest(seed):
    assert sorted(shuffled(PEOPLE_BY_HAND, seed), key=person_sort_key) == PEOPLE_BY_HAND


def test_case_old_tone_placement_and_composition_do_not_change_the_order():
    import unicodedata

    assert vn_sort_key("hoà") == vn_sort_key("Hòa")                         # old and new tone placement
    assert vn_sort_key(unicodedata.normalize("NFD", "Nguyễn")) == vn_sort_key("nguyễn")
    assert person_sort_key("  Lê   Văn   Bình ") == person_sort_key("Lê Văn Bình")
