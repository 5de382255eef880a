import pytest

from hoclieu_shared.vn.classes import grade_of, normalize_class_name
from hoclieu_shared.vn.errors import VnValueError


@pytest.mark.parametrize(
    "raw", ["6A1", "6a1", "Lớp 6A1", "lop 6 a1", " 6 A1 ", "LỚP: 6a1", "Lớp6A1"]
)
def test_class_names_normalise_to_one_form(raw):
    assert normalize_class_name(raw) == "6A1"


def test_class_name_from_a_number_cell():
    assert normalize_class_name(9.0) == "9"


def test_words_starting_like_lop_are_kept():
    assert normalize_class_name("Lopez") == "LOPEZ"


@pytest.mark.parametrize("raw", [None, "", "Lớp", "  "])
def test_empty_class_is_refused(raw):
    with pytest.raises(VnValueError) as caught:
        normalize_class_name(raw)

    assert caught.value.code == "class_empty"


@pytest.mark.parametrize(
    ("raw", "grade"),
    [("6A1", 6), ("Lớp 9a3", 9), ("10A2", 10), ("12 Toán", 12), ("6/1", 6)],
)
def test_grade_of_a_class(raw, grade):
    assert grade_of(raw) == grade


@pytest.mark.parametrize("raw", ["5A1", "13A1", "A1", "", None])
def test_grade_of_is_none_outside_secondary_school(raw):
    assert grade_of(raw) is None
