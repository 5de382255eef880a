"""One rule of DESIGN.md §4 per test, each on a small file made in the test.

The sheets follow the re-typed template: two title rows, the header on
row 3, students from row 4. Columns: A STT, B Mã học sinh, C Họ và tên,
D Ngày sinh, E Lớp, F Họ tên phụ huynh, G Số điện thoại, H Tiếng Anh 6
nâng cao, I Kỹ năng sống, J Ghi chú.
"""

from datetime import date, datetime

import pytest
from hoclieu_shared.sheets.errors import SheetError

HEADER = [
    "STT", "Mã học sinh", "Họ và tên", "Ngày sinh", "Lớp", "Họ tên phụ huynh",
    "Số điện thoại", "Tiếng Anh 6 nâng cao\n150.000 ₫", "Kỹ năng sống (80.000đ)",
    "Ghi chú",
]  # fmt: skip
FIRST = 4  # sheet row of the first student


def line(code="", name="", birth="", klass="", parent="", phone="", *ticks):
    """One student row; ticks fill H (Tiếng Anh 6) and I (Kỹ năng sống)."""
    ticks = list(ticks) + [""] * (2 - len(ticks))
    return ["", code, name, birth, klass, parent, phone, *ticks[:2], *ticks[2:]]


AN = ("0100000001", "Nguyễn Văn An", "05/01/2013", "6A1")


@pytest.fixture
def check(small_school, write_xlsx, check_file):
    """Check rows written under the title rows and header; return the run."""

    def run(*rows, header=HEADER, **options):
        path = write_xlsx([["DANH SÁCH ĐĂNG KÝ HỌC LIỆU"], [], header, *rows])
        return check_file(path, small_school, **options)

    return run


# --- the student -----------------------------------------------------------


def test_student_is_found_by_code(check):
    run = check(line(*AN, "", "", "x"))

    outcome = run.outcome(FIRST)
    assert (outcome.status, outcome.student_code) == ("valid", "0100000001")
    assert (outcome.full_name, outcome.class_name) == ("Nguyễn Văn An", "6A1")
    assert outcome.package_codes == ["ANH6"]


def test_code_that_excel_made_a_number_is_found(check):
    run = check(line(100000001, "Nguyễn Văn An", "", "6A1", "", "", "x"))

    outcome = run.outcome(FIRST)
    assert (outcome.status, outcome.student_code) == ("valid", "0100000001")
    assert outcome.notes == ["Đã hiểu mã 100000001 là 0100000001."]


def test_unknown_code_is_invalid_and_names_the_student_the_name_fits(check):
    run = check(line("0199999999", "Nguyễn Văn An", "", "6A1", "", "", "x"))

    [problem] = run.outcome(FIRST).errors
    assert (problem.code, problem.column_letter) == ("student_code_unknown", "B")
    assert problem.message.startswith("Ô B4: Không có học sinh nào mang mã 0199999999")
    assert "Nguyễn Văn An (mã 0100000001)" in problem.message


def test_code_beside_another_persons_name_is_invalid(check):
    run = check(line("0100000001", "Phạm Quốc Bảo", "", "9A1", "", "", "x"))

    assert run.outcome(FIRST).status == "invalid"
    assert run.codes(FIRST) == {"student_code_mismatch"}


def test_code_beside_a_misspelt_name_or_other_class_is_a_note(check):
    run = check(line("0100000001", "Nguyễn Văn Anh", "", "6A2", "", "", "x"))

    outcome = run.outcome(FIRST)
    assert (outcome.status, outcome.student_code) == ("valid", "0100000001")
    assert any("Nguyễn Văn Anh" in note for note in outcome.notes)
    assert any("hồ sơ ghi 6A1" in note for note in outcome.notes)


@pytest.mark.parametrize("klass", ["6A1", "6a1", "Lớp 6A1", "6 A1", " lớp 6a1 "])
@pytest.mark.parametrize(
    "name",
    [
        "Nguyễn Văn An",
        "  nguyễn  văn AN ",
        "NGUYỄN VĂN AN",
        "Nguye\u0302\u0303n Văn An",
    ],
)
def test_student_without_code_is_found_by_exact_name_in_class(check, klass, name):
    run = check(line("", name, "", klass, "", "", "x"))

    assert run.outcome(FIRST).student_code == "0100000001"
    assert run.outcome(FIRST).status == "valid"


def test_old_and_new_tone_placement_are_the_same_name(check):
    run = check(line("", "Trần Hoà", "", "7A1", "", "", "", "x"))

    assert run.outcome(FIRST).student_code == "0700000006"


def test_same_name_twice_in_class_needs_the_birth_date(check):
    run = check(
        line("", "Nguyễn Minh Ân", "", "6A1", "Mẹ", "0912000111", "x"),
        line("", "Nguyễn Minh Ân", "01/03/2013", "6A1", "Mẹ", "0912000111", "x"),
    )

    [problem] = run.outcome(FIRST).errors
    assert (problem.code, problem.column_letter) == ("student_ambiguous", "C")
    assert "0100000002, 0100000003" in problem.message
    assert run.outcome(FIRST + 1).student_code == "0100000003"


def test_name_without_diacritics_gets_a_did_you_mean_hint(check):
    run = check(line("", "Nguyen Van An", "", "6A1", "", "", "x"))

    [problem] = run.outcome(FIRST).errors
    assert problem.code == "student_not_found"
    assert problem.message == (
        "Ô C4: Lớp 6A1 không có học sinh tên “Nguyen Van An”. Có phải: Nguyễn Văn An?"
    )


def test_name_from_another_class_is_pointed_to(check):
    run = check(line("", "Trần Hòa", "", "6A1", "", "", "", "x"))

    [problem] = run.outcome(FIRST).errors
    assert problem.code == "student_not_found"
    assert "ở lớp 7A1" in problem.message


@pytest.mark.parametrize(
    ("klass", "code"), [("", "class_missing"), ("6A9", "class_unknown")]
)
def test_class_is_needed_to_find_a_student_by_name(check, klass, code):
    run = check(line("", "Nguyễn Văn An", "", klass, "", "", "x"))

    assert run.codes(FIRST) == {code}
    assert run.outcome(FIRST).errors[0].column_letter == "E"


def test_ticked_row_without_any_student_is_invalid(check):
    run = check(line("", "", "", "6A1", "", "", "x"))

    assert run.codes(FIRST) == {"student_missing"}


# --- parent name and phone -------------------------------------------------


def test_parent_name_and_phone_are_required_when_the_account_has_none(check):
    run = check(line("0100000002", "Nguyễn Minh Ân", "", "6A1", "", "", "x"))

    outcome = run.outcome(FIRST)
    assert run.codes(FIRST) == {"parent_name_required", "phone_required"}
    assert {e.column_letter for e in outcome.errors} == {"F", "G"}


def test_parent_on_file_is_used_when_the_cells_are_empty(check):
    run = check(line(*AN, "", "", "x"))

    outcome = run.outcome(FIRST)
    assert (outcome.parent_name, outcome.parent_phone) == (
        "Trần Thị Bình",
        "0912345678",
    )


def test_parent_name_is_trimmed_and_nfc(check):
    run = check(line(*AN, "  Le\u0302 Thi\u0323  Hoa ", "0987000111", "x"))

    assert run.outcome(FIRST).parent_name == "Lê Thị Hoa"


@pytest.mark.parametrize(
    "written",
    [
        "0912 345 678", "0912.345.678", "0912-345-678", "+84 912 345 678",
        "84912345678", 912345678, "0084 912 345 678",
    ],
)  # fmt: skip
def test_phone_in_any_common_writing_is_stored_as_ten_digits(check, written):
    run = check(line(*AN, "Mẹ", written, "x"))

    assert run.outcome(FIRST).status == "valid"
    assert run.outcome(FIRST).parent_phone == "0912345678"


def test_old_eleven_digit_phone_becomes_the_new_number_with_a_note(check):
    run = check(line(*AN, "Mẹ", "01655 123 456", "x"))

    outcome = run.outcome(FIRST)
    assert (outcome.status, outcome.parent_phone) == ("valid", "0355123456")
    assert outcome.notes == ["Đã đổi đầu số cũ 0165 sang 035 (chuyển đổi năm 2018)."]


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("090118", "phone_wrong_length"),
        ("09x2345678", "phone_has_letters"),
        ("0912345678 / 0987654321", "phone_several"),
        ("0612345678", "phone_not_mobile"),
        ("+1 202 555 0100", "phone_not_mobile"),
    ],
)
def test_unreadable_phone_is_invalid_on_its_cell(check, written, code):
    run = check(line(*AN, "Mẹ", written, "x"))

    [problem] = run.outcome(FIRST).errors
    assert (problem.code, problem.column_letter) == (code, "G")
    assert problem.message.startswith("Ô G4: ")


# --- tick values -------------------------------------------------------------


@pytest.mark.parametrize(
    "tick", ["x", "X", "✓", "✔", "v", "V", "1", 1, "có", "Có", "TRUE", True]
)
def test_tick_values_that_choose_a_package(check, tick):
    run = check(line(*AN, "", "", tick))

    assert run.outcome(FIRST).package_codes == ["ANH6"]


@pytest.mark.parametrize("tick", ["", None, "0", 0, "không", "FALSE", False, " "])
def test_tick_values_that_choose_nothing_skip_the_row(check, tick):
    run = check(line(*AN, "", "", tick, tick))

    outcome = run.outcome(FIRST)
    assert (outcome.status, outcome.errors) == ("skipped", [])
    assert outcome.notes == ["Không đăng ký gói nào."]


@pytest.mark.parametrize("tick", ["?", "ok", "2", "co", "xx", 0.5])
def test_any_other_tick_value_is_invalid(check, tick):
    run = check(line(*AN, "", "", "x", tick))

    [problem] = run.outcome(FIRST).errors
    assert (problem.code, problem.column_letter) == ("tick_invalid", "I")


# --- packages ---------------------------------------------------------------


def test_package_of_another_grade_is_invalid(check):
    run = check(line("0900000005", "Phạm Quốc Bảo", "", "9A1", "", "", "x"))

    [problem] = run.outcome(FIRST).errors
    assert (problem.code, problem.column_letter) == ("package_wrong_grade", "H")
    assert "khối 6" in problem.message and "9A1" in problem.message


def test_package_not_on_sale_or_of_another_year_is_invalid(check):
    header = HEADER[:9] + ["Gói cũ", "Tin học 6"]
    run = check(["", *AN, "", "", "", "", "x", "x"], header=header)

    assert run.mapping.package_columns == {
        "7": "ANH6", "8": "KNS", "9": "CU", "10": "TIN6",
    }  # fmt: skip
    assert run.codes(FIRST) == {"package_not_on_sale", "package_wrong_year"}


def test_package_code_unknown_to_the_catalogue_is_invalid(check, small_school):
    from import_service.domain.mapping import ColumnMapping

    mapping = ColumnMapping(
        header_row=2,
        columns={"student_code": 1, "full_name": 2, "class_name": 4},
        package_columns={"7": "KHONG-CO"},
    )
    run = check(line(*AN, "", "", "x"), mapping=mapping)

    assert run.codes(FIRST) == {"package_unknown"}


def test_packages_already_active_are_not_new(check):
    hoa = ("0100000004", "Lê Thị Hoa", "", "6A2", "", "")
    run = check(line(*hoa, "", "x"), line(*hoa, "x", "x"))

    only_active, with_new = run.outcome(FIRST), run.outcome(FIRST + 1)
    assert (only_active.status, only_active.already_active) == ("skipped", ["KNS"])
    assert only_active.package_codes == []
    assert (with_new.status, with_new.package_codes) == ("valid", ["ANH6"])
    assert with_new.already_active == ["KNS"]
    assert run.result.counts == {
        "valid": 1, "invalid": 0, "skipped": 1, "superseded": 0,
    }  # fmt: skip


def test_row_without_any_package_is_skipped_not_an_error(check):
    run = check(line("0100000002", "Nguyễn Minh Ân", "x-x-x", "6A1", "", "bad"))

    outcome = run.outcome(FIRST)
    assert (outcome.status, outcome.errors) == ("skipped", [])


def test_blank_rows_and_rows_without_student_or_ticks_get_no_outcome(check):
    run = check([], line(*AN, "", "", "x"), [None, None, None], ["", "", "", "", "6A1"])

    assert [o.row_number for o in run.result.rows] == [FIRST + 1]


# --- duplicates inside the file -------------------------------------------


def test_identical_rows_merge_into_one(check):
    row = line(*AN, "Mẹ", "0912345678", "x")
    run = check(row, list(row))

    first, repeat = run.outcome(FIRST), run.outcome(FIRST + 1)
    assert (first.status, repeat.status) == ("valid", "skipped")
    assert repeat.notes == ["Trùng dòng 4; đã gộp vào dòng đó."]
    assert run.result.counts["valid"] == 1


def test_conflicting_rows_of_one_student_are_both_invalid(check):
    run = check(line(*AN, "", "", "x"), line(*AN, "", "", "", "x"))

    for row in (FIRST, FIRST + 1):
        assert run.codes(row) == {"duplicate_conflict"}
        assert run.outcome(row).errors[0].column_letter == "B"


FORM_HEADER = [
    "Dấu thời gian", "Họ và tên học sinh", "Lớp", "Họ tên phụ huynh",
    "Số điện thoại phụ huynh", "Đăng ký gói học liệu",
]  # fmt: skip


def test_latest_form_submission_wins_and_earlier_ones_are_superseded(
    small_school, write_xlsx, check_file
):
    later = datetime(2025, 9, 9, 8, 0)
    rows = [
        FORM_HEADER,
        ["09/09/2025 20:00:00", "Phạm Quốc Bảo", "9A1", "Bố", "0903111222",
         "Tiếng Anh 9 nâng cao (150.000đ)"],
        [later, "Phạm Quốc Bảo", "9A1", "Bố", "0903111222", "Kỹ năng sống"],
        ["08/09/2025 07:00", "Phạm Quốc Bảo", "9A1", "Bố", "0903111222", "ON10"],
    ]  # fmt: skip
    run = check_file(write_xlsx(rows), small_school)

    assert [run.outcome(r).status for r in (2, 3, 4)] == [
        "valid", "superseded", "superseded",
    ]  # fmt: skip
    assert run.outcome(2).submitted_at == datetime(2025, 9, 9, 20, 0)
    assert run.outcome(3).package_codes == []



def test_latest_submission_with_only_active_packages_still_supersedes(
    small_school, write_xlsx, check_file
):
    # Lê Thị Hoa already has KNS. Her parent first asked for English, then
    # answered again with KNS only: the English request must not come back.
    rows = [
        FORM_HEADER,
        ["08/09/2025 07:00", "Lê Thị Hoa", "6A2", "Lê Văn Nam", "0987654321",
         "Tiếng Anh 6 nâng cao"],
        ["09/09/2025 07:00", "Lê Thị Hoa", "6A2", "Lê Văn Nam", "0987654321",
         "Kỹ năng sống"],
    ]  # fmt: skip
    run = check_file(write_xlsx(rows), small_school)

    assert [run.outcome(r).status for r in (2, 3)] == ["superseded", "skipped"]
    assert run.outcome(2).package_codes == []

# --- the list cell of a Google Form ------------------------------------------


@pytest.mark.parametrize(
    ("listed", "codes"),
    [
        (
            "Luyện thi vào 10 (Toán, Văn, Anh) (350.000đ), Tiếng Anh 9 nâng cao",
            ["ANH9", "ON10"],
        ),
        ("luyen thi vao 10 (toan. van. anh); tieng anh 9 nang cao", ["ANH9", "ON10"]),
        ("ON10, KNS", ["KNS", "ON10"]),
        ("Kỹ năng sống (80.000 đ)", ["KNS"]),
    ],
)
def test_list_cell_is_matched_by_names_and_codes_not_split_on_commas(
    small_school, write_xlsx, check_file, listed, codes
):
    rows = [
        FORM_HEADER,
        ["09/09/2025 20:00", "Phạm Quốc Bảo", "9A1", "Bố", "0903111222", listed],
    ]
    run = check_file(write_xlsx(rows), small_school)

    assert run.outcome(2).package_codes == codes


def test_list_cell_with_an_unknown_package_is_invalid(
    small_school, write_xlsx, check_file
):
    rows = [
        FORM_HEADER,
        ["09/09/2025 20:00", "Phạm Quốc Bảo", "9A1", "Bố", "0903111222",
         "Kỹ năng sống (80.000đ), Tin học 9 (100.000đ)"],
    ]  # fmt: skip
    run = check_file(write_xlsx(rows), small_school)

    [problem] = run.outcome(2).errors
    assert (problem.code, problem.column_letter) == ("package_unknown", "F")
    assert "“tin hoc”" in problem.message


# --- dates ------------------------------------------------------------------


@pytest.mark.parametrize(
    "born", ["01/03/2013", "1/3/2013", date(2013, 3, 1), 41334, 41334.0]
)
def test_birth_date_as_text_date_cell_or_excel_serial(check, born):
    run = check(line("", "Nguyễn Minh Ân", born, "6A1", "Mẹ", "0912000111", "x"))

    assert run.outcome(FIRST).student_code == "0100000003"


def test_birth_date_serial_of_the_1904_date_system(
    small_school, write_xlsx, check_file
):
    serial = (date(2013, 3, 1) - date(1904, 1, 1)).days
    rows = [HEADER, line("", "Nguyễn Minh Ân", serial, "6A1", "Mẹ", "0912000111", "x")]
    run = check_file(write_xlsx(rows, epoch1904=True), small_school)

    assert run.date1904 is True
    assert run.outcome(2).student_code == "0100000003"


@pytest.mark.parametrize(
    ("born", "code"),
    [
        ("03/13/2013", "date_impossible"),  # month first
        ("31/02/2013", "date_impossible"),
        ("01/03/13", "date_unreadable"),
        ("mùng một", "date_unreadable"),
        (60, "date_impossible"),  # 29/02/1900, a day Excel invents
    ],
)
def test_unreadable_birth_date_is_invalid_on_its_cell(check, born, code):
    run = check(line(*AN[:2], born, "6A1", "", "", "x"))

    [problem] = run.outcome(FIRST).errors
    assert (problem.code, problem.column_letter) == (code, "D")
    assert problem.message.startswith("Ô D4: Ngày sinh: ")


def test_unreadable_submission_time_is_invalid(small_school, write_xlsx, check_file):
    rows = [FORM_HEADER, ["hôm qua", "Phạm Quốc Bảo", "9A1", "Bố", "0903111222", "KNS"]]
    run = check_file(write_xlsx(rows), small_school)

    assert run.codes(2) == {"date_unreadable"}
    assert run.outcome(2).errors[0].column_letter == "A"


# --- the files themselves -------------------------------------------------------


def test_csv_with_bom_and_semicolons_checks_like_the_xlsx(
    small_school, write_xlsx, write_csv, check_file
):
    rows = [
        HEADER,
        line(*AN, "Mẹ", "0912 345 678", "x"),
        line("0100000002", "Nguyễn Minh Ân", "", "6A1", "", "", "x"),
    ]
    as_text = [[str(v) for v in row] for row in rows]
    path = write_csv(as_text, encoding="utf-8-sig", delimiter=";")

    from_csv = check_file(path, small_school)
    from_xlsx = check_file(write_xlsx(rows), small_school)

    assert from_csv.mapping == from_xlsx.mapping
    assert from_csv.result.rows == from_xlsx.result.rows


def test_over_long_cell_is_refused_by_the_reader_with_a_message(
    small_school, write_xlsx, check_file
):
    path = write_xlsx([HEADER, line(*AN, "M" * 5000, "0912345678", "x")])

    with pytest.raises(SheetError) as refused:
        check_file(path, small_school)

    assert refused.value.code == "cell_too_long"
    assert "F2" in refused.value.message


@pytest.mark.parametrize(
    "odd", [True, 3.5, -7, datetime(2025, 1, 2, 3, 4), "=1+2", "\u200b", "ẞ" * 1500]
)
@pytest.mark.parametrize("column", range(1, 9))
def test_odd_values_in_any_cell_never_crash_the_check(check, odd, column):
    row = line(*AN, "Mẹ", "0912345678", "x")
    row[column] = odd

    run = check(row)

    assert [o.row_number for o in run.result.rows] in ([FIRST], [])
    assert all(e.message.startswith(("Ô ", "Dòng ")) for o in run.result.rows
               for e in o.errors)  # fmt: skip


def test_file_that_is_not_a_spreadsheet_is_refused_with_a_message(
    small_school, tmp_path, check_file
):
    path = tmp_path / "dang-ky.xlsx"
    path.write_bytes(b"%PDF-1.4 not a sheet")

    with pytest.raises(SheetError) as refused:
        check_file(path, small_school)

    assert refused.value.code == "unsupported_format"


def test_cycle_collector_is_running_again_after_a_check(check):
    import gc

    check(line(*AN, "", "", "x"))

    assert gc.isenabled()
