from __future__ import annotations

import unicodedata

import pytest

from lantoa.lib.text import fold, normalize_name


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Nguyễn Thanh Hiền", "nguyen thanh hien"),
        ("Đảng ủy xã An Khánh", "dang uy xa an khanh"),
        ("ĐẢNG ỦY XÃ AN KHÁNH", "dang uy xa an khanh"),
        ("Ưng Hoàng Phúc", "ung hoang phuc"),
        ("Ơ ơ Ư ư Ă ă Â â Ê ê Ô ô", "o o u u a a a a e e o o"),
        ("Chi bộ ấp Phước Thạnh", "chi bo ap phuoc thanh"),
        ("Thụy Đào", "thuy dao"),
    ],
)
def test_fold_strips_vietnamese_diacritics_and_lowercases(text, folded):
    assert fold(text) == folded


def test_fold_treats_d_with_stroke_as_d_in_both_cases():
    assert (fold("đ"), fold("Đ")) == ("d", "d")


def test_fold_collapses_and_trims_whitespace():
    assert fold("  Trần \t  Thị\n Đào  ") == "tran thi dao"


def test_fold_gives_the_same_key_for_composed_and_decomposed_text():
    composed = unicodedata.normalize("NFC", "Nguyễn Thanh Hiền")
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thanh Hiền")

    assert composed != decomposed
    assert fold(composed) == fold(decomposed) == "nguyen thanh hien"


@pytest.mark.parametrize("blank", [None, ""])
def test_fold_of_nothing_is_empty(blank):
    assert fold(blank) == ""


def test_normalize_name_keeps_accents_and_composes_them():
    decomposed = unicodedata.normalize("NFD", "  Nguyễn   Thanh  Hiền ")

    result = normalize_name(decomposed)

    assert result == "Nguyễn Thanh Hiền"
    assert result == unicodedata.normalize("NFC", result)


def test_normalize_name_of_nothing_is_empty():
    assert (normalize_name(None), normalize_name("")) == ("", "")
