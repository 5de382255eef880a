import unicodedata

import pytest

from hoclieu_shared.vn.text import (
    clean_text,
    fold,
    mask_name,
    mask_phone,
    name_key,
    natural_key,
    nfc,
)


def test_nfc_composes_decomposed_vietnamese():
    decomposed = unicodedata.normalize("NFD", "Tạ Khánh Chi")

    assert nfc(decomposed) == "Tạ Khánh Chi"


def test_clean_text_drops_invisible_characters_and_extra_spaces():
    assert clean_text("\ufeff Nguyễn\u200b  Văn\u00a0An ") == "Nguyễn Văn An"


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Số điện thoại", "so dien thoai"),
        ("SỐ  ĐIỆN THOẠI", "số điện thoại"),
        ("Đặng", "dang"),
        ("Lớp\t6A1", "lop 6a1"),
        (unicodedata.normalize("NFD", "Hồ Gia Khang"), "ho gia khang"),
    ],
)
def test_fold_ignores_diacritics_case_and_spacing(left, right):
    assert fold(left) == fold(right)


def test_fold_keeps_different_letters_apart():
    assert fold("Lan") != fold("Lân Anh")


def test_name_key_folds_case_and_spacing_but_keeps_diacritics():
    assert name_key("NGUYỄN  văn An") == name_key("Nguyễn Văn An")
    assert name_key("Nguyễn Văn Ân") != name_key("Nguyễn Văn An")


def test_name_key_matches_decomposed_text():
    assert name_key(unicodedata.normalize("NFD", "Tạ Khánh Chi")) == name_key(
        "Tạ Khánh Chi"
    )


@pytest.mark.parametrize(
    ("old_style", "new_style"),
    [("Hòa", "Hoà"), ("Thủy", "Thuỷ"), ("khỏe", "khoẻ"), ("Qúy", "Quý")],
)
def test_name_key_accepts_both_tone_placements(old_style, new_style):
    assert name_key(old_style) == name_key(new_style)


def test_name_key_leaves_closed_syllables_alone():
    assert name_key("Hoàng") == nfc("hoàng")


def test_natural_key_sorts_numbers_as_numbers():
    classes = ["6A10", "10A1", "6A2", "6A1", "9A3"]

    assert sorted(classes, key=natural_key) == ["6A1", "6A2", "6A10", "9A3", "10A1"]


def test_mask_name_keeps_initials_only():
    assert mask_name("Nguyễn Đăng Cường") == "N*** Đ*** C***"


def test_mask_phone_shows_last_three_digits():
    assert mask_phone("0912 345 678") == "*******678"
    assert mask_phone(None) == "***"
