from hoclieu_shared.sheets.headers import (
    CERTAIN,
    UNCERTAIN,
    ColumnSpec,
    find_header,
    map_columns,
)

SPECS = [
    ColumnSpec("student_code", ("Mã học sinh", "Mã HS")),
    ColumnSpec("full_name", ("Họ và tên", "Họ tên học sinh"), required=True),
    ColumnSpec("class_name", ("Lớp",), required=True),
    ColumnSpec("parent_name", ("Họ tên phụ huynh",)),
    ColumnSpec("parent_phone", ("Số điện thoại",), required=True),
]
HEADER = ["STT", "Mã học sinh", "Họ và tên", "Lớp", "Họ tên phụ huynh", "Số điện thoại"]


def test_header_is_found_below_title_rows():
    rows = [["DANH SÁCH ĐĂNG KÝ HỌC LIỆU"], [], ["Năm học 2025-2026"], HEADER, [1]]

    match = find_header(rows, SPECS)

    assert match.row_index == 3
    assert match.columns == {
        "student_code": 1,
        "full_name": 2,
        "class_name": 3,
        "parent_name": 4,
        "parent_phone": 5,
    }
    assert match.unmapped == {0: "STT"}
    assert match.confidence == CERTAIN and match.certain


def test_headers_match_without_diacritics_case_or_spacing():
    header = ["HO VA TEN", "  lớp ", "so  dien THOAI"]

    match = map_columns(header, SPECS)

    assert match.columns == {"full_name": 0, "class_name": 1, "parent_phone": 2}
    assert match.certain


def test_longer_header_containing_an_alias_still_matches():
    header = ["Họ và tên học sinh", "Lớp", "Số điện thoại phụ huynh"]

    match = map_columns(header, SPECS)

    assert match.columns == {"full_name": 0, "class_name": 1, "parent_phone": 2}


def test_exact_alias_wins_over_a_containing_header():
    header = ["Họ tên phụ huynh", "Họ tên học sinh", "Lớp", "Số điện thoại"]

    match = map_columns(header, SPECS)

    assert match.columns["full_name"] == 1
    assert match.columns["parent_name"] == 0


def test_missing_required_field_makes_the_mapping_uncertain():
    match = map_columns(["Họ và tên", "Lớp"], SPECS)

    assert match.confidence == UNCERTAIN
    assert match.missing == ("parent_phone",)


def test_two_columns_for_one_field_are_ambiguous():
    header = ["Họ và tên", "Lớp", "Số điện thoại", "Số điện thoại"]

    match = map_columns(header, SPECS)

    assert match.confidence == UNCERTAIN
    assert match.ambiguous == {"parent_phone": (2, 3)}


def test_package_columns_are_left_for_the_service():
    header = [*HEADER, "Toán tư duy 6 (120.000 ₫)", "Phụ huynh ký"]

    match = map_columns(header, SPECS)

    assert match.unmapped == {
        0: "STT",
        6: "Toán tư duy 6 (120.000 ₫)",
        7: "Phụ huynh ký",
    }


def test_no_header_in_the_first_rows_gives_an_uncertain_empty_match():
    rows = [["x", "y"], ["1", "2"]]

    match = find_header(rows, SPECS)

    assert match.row_index is None
    assert match.columns == {}
    assert match.missing == ("full_name", "class_name", "parent_phone")


def test_only_the_first_thirty_rows_are_searched():
    rows = [[] for _ in range(30)] + [HEADER]

    assert find_header(rows, SPECS).row_index is None


def test_number_cells_in_a_header_row_do_not_break_matching():
    match = map_columns([1, "Họ và tên", 2.5, None, "Lớp"], SPECS)

    assert match.columns == {"full_name": 1, "class_name": 4}
