"""Numbers, money, dates and statuses are written the Vietnamese way."""

from web_portal.pages.formats import money, number, status_vi, vn_date, vn_datetime


def test_number_uses_dots_for_thousands():
    assert number(1051) == "1.051"
    assert number(1234567) == "1.234.567"


def test_money_is_dong_with_symbol():
    assert money(150000) == "150.000 ₫"


def test_date_is_day_month_year():
    assert vn_date("2013-10-02") == "02/10/2013"


def test_datetime_is_shown_in_vietnam_time():
    assert vn_datetime("2025-09-08T12:16:00Z") == "08/09/2025 19:16"
    assert vn_date("2025-09-08T20:30:00+00:00") == "09/09/2025"


def test_values_that_are_not_numbers_pass_through():
    assert number(None) == ""
    assert number("abc") == "abc"
    assert vn_date("không rõ") == "không rõ"


def test_status_names_are_vietnamese():
    assert status_vi("pending") == "Chờ duyệt"
    assert status_vi("unknown-state") == "unknown-state"
