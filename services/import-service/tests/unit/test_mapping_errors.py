"""A mapping the user sent back, refused in Vietnamese, whatever is wrong."""

import pytest
from pydantic import ValidationError

from import_service.application import mapping_errors
from import_service.domain.mapping import ColumnMapping

ENGLISH = ("Input should", "Field required", "Extra inputs", "valid ", "Value")


def refusal(raw: dict) -> list[dict]:
    with pytest.raises(ValidationError) as caught:
        ColumnMapping.model_validate(raw)
    error = mapping_errors.invalid_mapping(caught.value)
    assert (error.code, error.status) == ("invalid_mapping", 422)
    return error.details


@pytest.mark.parametrize("raw", [
    {},
    {"header_row": -1},
    {"header_row": 1.5},
    {"header_row": None, "kind": "khác"},
    {"header_row": 0, "columns": [1]},
    {"header_row": 0, "columns": {"full_name": 99999}},
    {"header_row": 0, "columns": {"full_name": 1, "student_code": 1}},
    {"header_row": 0, "package_columns": {"F": "KNS", "99999999999": 3}},
    {"header_row": 0, "package_columns": {"3": " "}},
    {"header_row": 0, "ignored_columns": "A", "certain": "có lẽ"},
    {"header_row": 0, "problems": [1], "thêm": True},
])
def test_every_problem_has_a_vietnamese_message(raw):
    details = refusal(raw)

    assert details
    for detail in details:
        assert detail["message"] == f"{detail['label']}: {detail['problem']}"
        assert not [word for word in ENGLISH if word in detail["message"]]


def test_package_column_is_named_by_its_letter():
    [detail] = refusal({"header_row": 0, "package_columns": {"5": 7}})

    assert detail["field"] == "package_columns.5"
    assert detail["message"] == "Cột gói (cột F): phải là chữ."


def test_header_row_outside_the_sheet_says_how_long_the_sheet_is():
    error = mapping_errors.header_row_outside(5, 2)

    [detail] = error.details
    assert detail["message"] == (
        "Dòng tiêu đề: dòng 6 nằm ngoài sheet (sheet chỉ có 2 dòng); hãy chọn "
        "dòng chứa tên các cột.")
