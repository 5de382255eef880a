"""An API error lands beside the form field it concerns."""

from hoclieu_shared.errors import AppError
from web_portal.pages.fields import field_errors


def test_details_field_names_the_input():
    error = AppError("x", "Số điện thoại không hợp lệ.",
                     details={"field": "parent_phone"})
    assert field_errors(error) == {"parent_phone": "Số điện thoại không hợp lệ."}


def test_validation_details_list_names_the_input():
    error = AppError("invalid_request", "Dữ liệu không hợp lệ.",
                     details=[{"field": "body.parent_name", "problem": "missing"}])
    assert field_errors(error) == {"parent_name": "Dữ liệu không hợp lệ."}


def test_code_names_the_input_when_details_do_not():
    error = AppError("package_not_on_sale", "Gói này không còn bán.")
    assert field_errors(error) == {"package_codes": "Gói này không còn bán."}


def test_unrelated_error_has_no_field():
    assert field_errors(AppError("student_not_found", "Không tìm thấy.")) == {}
    assert field_errors(None) == {}
