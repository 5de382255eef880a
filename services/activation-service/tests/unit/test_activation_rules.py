"""Which packages a student may have, and the parent a request leaves."""

import uuid

import pytest
from hoclieu_shared.errors import AppError

from activation_service.domain.activation import package_problems, unique_codes
from activation_service.domain.model import Package, Student
from activation_service.domain.parents import parent_for_activation

YEAR = "2025-2026"
CATALOGUE = {
    "TA6": Package("TA6", YEAR, "Tiếng Anh 6", (6,), 150000, ("NP6",), True),
    "TA9": Package("TA9", YEAR, "Tiếng Anh 9", (9,), 150000, ("NP9",), True),
    "OLD": Package("OLD", YEAR, "Gói cũ", (6,), 1000, (), False),
}


def student(parent_name=None, parent_phone=None):
    return Student(uuid.uuid4(), "S", "HS1", "Lê An", None, None, "6A1", 6,
                   parent_name, parent_phone)


def test_package_must_exist_be_on_sale_and_fit_the_grade():
    problems = package_problems(["TA6", "TA9", "OLD", "NOPE"], CATALOGUE, 6, YEAR)

    assert [(p.package_code, p.code) for p in problems] == [
        ("TA9", "package_wrong_grade"), ("OLD", "package_not_on_sale"),
        ("NOPE", "package_unknown")]


def test_codes_are_trimmed_and_deduplicated_in_order():
    assert unique_codes([" TA6", "TA9", "TA6", ""]) == ["TA6", "TA9"]


def test_phone_in_any_writing_is_stored_as_ten_digits():
    parent = parent_for_activation(student(), "Trần Bình", "0912.345.678")

    assert (parent.name, parent.phone) == ("Trần Bình", "0912345678")


def test_parent_is_required_only_when_none_is_on_record():
    with pytest.raises(AppError) as missing:
        parent_for_activation(student(), None, "0912345678")

    kept = parent_for_activation(student("Trần Bình", "0912345678"), None, None)

    assert missing.value.code == "parent_name_required"
    assert (kept.name, kept.phone) == ("Trần Bình", "0912345678")


def test_unreadable_phone_is_refused_with_the_reason():
    with pytest.raises(AppError) as refused:
        parent_for_activation(student(), "Trần Bình", "12345")

    assert refused.value.code == "invalid_phone" and refused.value.status == 422
