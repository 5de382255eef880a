"""The sample school's real files, against counts tallied by hand.

Every expectation below was worked out by reading the sample rows against
roster.xlsx and packages.json (names looked up in their class, phones
counted digit by digit, each package's grades compared with the class),
not by running the check. Rows are sheet row numbers (the header is row 1
in the Google Forms sheet, row 3 in the re-typed one).
"""

import pytest

from import_service.domain.check import RowOutcome

# --- google_form_responses.xlsx / .csv: 488 answers (rows 2 to 489) -------
#
# Name not in its class (a typo; the nearest classmate in brackets):
#   64 Nguyễn Diệu Ngọa (Ngọc, 6A6)   137 Phạm Nhật Nghĩe (Nghĩa, 6A1)
#   204 Phạm Đăng Mina (Minh, 8A4)     217 Lê Hữu Lona (Long, 8A1)
#   248 Trịnh Khánh Thủa (Thủy, 7A1)   259 Nguyễn Trọng Lâa (6A4)
#   265 Phạm Minh Aa (An, 6A2)         398 Nguyễn Diệu Aa (7A5)
#   417 Nguyễn Diệu Ngọa (8A5)         462 Nguyễn Hà Hươna (Hương, 6A4)
#   470 lý anh khoe (Lý Anh Khoa, 8A2) 489 Tạ Thảo Va (Vy, 7A1)
FORM_NOT_FOUND = {64, 137, 204, 217, 248, 259, 265, 398, 417, 462, 470, 489}
# Two students of that exact name in the class and no birth date column:
#   219 Nguyễn Đức Khoa 9A4, 282 Nguyễn Minh Ân 6A1, 291/373/469 Nguyễn Bảo
#   An 8A1, 381 Nguyễn Kim Thư 9A2 (381 also has a 6-digit phone).
FORM_AMBIGUOUS = {219, 282, 291, 373, 381, 469}
# Phones of 6 digits (e.g. "090118"), cut short when typed:
FORM_SHORT_PHONE = {
    16, 37, 65, 70, 71, 80, 151, 153, 173, 201, 203, 366, 381, 422, 465, 468, 481,
}  # fmt: skip
# A package of another grade in the list (row: package, class):
#   13 Toán tư duy 6 / 7A1      34 Luyện thi vào 10 / 6A5  42 Luyện thi / 7A5
#   74 Tiếng Anh 8 / 7A2        241 Tiếng Anh 7 / 6A6      255 Toán tư duy 9 / 6A5
#   270 Tiếng Anh 7 / 9A3       293 Luyện thi / 6A2        298 Toán tư duy 6 / 7A5
#   300 Toán tư duy 6 / 9A7     345 Toán tư duy 8 / 6A5    366 Toán tư duy 9 / 8A3
#   382 Toán tư duy 6 / 8A2     479 Tiếng Anh 7 / 6A2
FORM_WRONG_GRADE = {13, 34, 42, 74, 241, 255, 270, 293, 298, 300, 345, 366, 382, 479}
# The same student answered twice; the earlier answer (left) is superseded
# by the later one (right). 84/126 and 115/233 are identical but for the time.
FORM_RESUBMITTED = {
    3: 95, 19: 139, 29: 132, 43: 160, 81: 155, 84: 126, 107: 207, 115: 233,
    118: 142, 119: 185, 136: 163, 168: 234, 230: 283, 237: 299, 395: 401,
}  # fmt: skip
# Old 11-digit numbers (0122…, 0167…, 0165…, 0164…, 0188…, 0128…): valid after
# the 2018 change, with a note. (219 has one too but is ambiguous.)
FORM_OLD_PREFIX = {68, 106, 196, 239, 243, 272, 351, 378}

FORM_INVALID = FORM_NOT_FOUND | FORM_AMBIGUOUS | FORM_SHORT_PHONE | FORM_WRONG_GRADE
FORM_COUNTS = {
    "invalid": 47,  # 12 + 6 + 16 (381 counted once) + 13 (366 counted once)
    "superseded": 15,
    "skipped": 0,  # every answer ticks at least one package
    "valid": 488 - 47 - 15,  # 426
}


def _expected_form_codes(row: int) -> set[str]:
    codes = set()
    if row in FORM_NOT_FOUND:
        codes.add("student_not_found")
    if row in FORM_AMBIGUOUS:
        codes.add("student_ambiguous")
    if row in FORM_SHORT_PHONE:
        codes.add("phone_wrong_length")
    if row in FORM_WRONG_GRADE:
        codes.add("package_wrong_grade")
    return codes


@pytest.fixture(scope="module")
def form_runs(nguyen_du, check_file, samples_dir):
    return {
        kind: check_file(samples_dir / f"google_form_responses.{kind}", nguyen_du)
        for kind in ("xlsx", "csv")
    }


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_google_form_is_recognised_with_its_columns(form_runs, kind):
    mapping = form_runs[kind].mapping

    assert mapping.kind == "google-form"
    assert mapping.header_row == 0
    assert mapping.columns == {
        "submitted_at": 0,
        "full_name": 1,
        "class_name": 2,
        "parent_name": 3,
        "parent_phone": 4,
        "package_list": 5,
    }


def test_google_form_counts_match_the_hand_tally_in_both_formats(form_runs):
    assert len(FORM_INVALID) == FORM_COUNTS["invalid"]

    for run in form_runs.values():
        assert run.result.counts == FORM_COUNTS


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_google_form_rows_have_the_tallied_status_and_reasons(form_runs, kind):
    run = form_runs[kind]

    for outcome in run.result.rows:
        row = outcome.row_number
        assert {e.code for e in outcome.errors} == _expected_form_codes(row), row
        assert outcome.status == _expected_form_status(row), row


def _expected_form_status(row: int) -> str:
    if row in FORM_RESUBMITTED:
        return "superseded"
    return "invalid" if row in FORM_INVALID else "valid"


def test_google_form_xlsx_and_csv_give_the_same_reasons(form_runs):
    xlsx, csv_ = (form_runs[kind].result.rows for kind in ("xlsx", "csv"))

    assert [_summary(o) for o in xlsx] == [_summary(o) for o in csv_]


def _summary(outcome: RowOutcome) -> tuple:
    return (
        outcome.row_number,
        outcome.status,
        outcome.student_code,
        outcome.parent_phone,
        tuple(outcome.package_codes),
        tuple(e.message for e in outcome.errors),
        tuple(outcome.notes),
    )


def test_google_form_latest_submission_wins(form_runs):
    run = form_runs["xlsx"]

    for earlier, later in FORM_RESUBMITTED.items():
        assert run.outcome(earlier).status == "superseded"
        assert run.outcome(later).status == "valid"
        assert f"dòng {later}" in run.outcome(earlier).notes[-1]
    # Đặng Phương Yến first chose Kỹ năng sống, then Toán tư duy 8 instead.
    assert run.outcome(95).package_codes == ["TOAN-TD8"]


def test_google_form_old_prefixes_become_new_numbers_with_a_note(form_runs):
    run = form_runs["csv"]

    for row in FORM_OLD_PREFIX:
        assert run.outcome(row).status == "valid"
        assert any("đầu số cũ" in note for note in run.outcome(row).notes)
    # Row 68: 01220851137 -> 0770851137.
    assert run.outcome(68).parent_phone == "0770851137"


def test_google_form_list_with_commas_in_a_label_is_read_whole(form_runs):
    run = form_runs["xlsx"]

    # Row 25: "Toán tư duy 9 (120.000đ), Luyện thi vào 10 (Toán. Văn. Anh) …".
    assert run.outcome(25).package_codes == ["ON-VAO-10", "TOAN-TD9"]


def test_google_form_typo_names_get_a_did_you_mean_hint(form_runs):
    run = form_runs["xlsx"]

    message = run.outcome(137).errors[0].message
    assert message.startswith("Ô B137: ")
    assert "Phạm Nhật Nghĩa" in message


# --- retyped_grade9.xlsx: 120 rows (sheet rows 4 to 123), header on row 3 --
#
# Columns: A STT, B Mã học sinh, C Họ và tên, D Lớp, E Họ tên phụ huynh,
# F SĐT phụ huynh, G Tiếng Anh 9, H Toán tư duy 9, I Luyện thi vào 10,
# J Kỹ năng sống, K STEM. Every code is on the roster, in the written class,
# with the written name (case and spacing aside); every package fits grade 9.
#
# "?" typed in a package cell: not a tick value.
RETYPED_BAD_TICK = {10: "K", 21: "K", 37: "J", 49: "K", 74: "H", 84: "K", 89: "G"}
# Nothing ticked at all: "không đăng ký". Row 32 (old phone) and row 54
# (6-digit phone) would have problems, but there is nothing to import.
RETYPED_NOTHING = {13, 28, 32, 43, 54, 56, 64, 67, 98, 108, 110, 113}
# Mã học sinh that Excel turned into numbers (0131000910 -> 131000910).
RETYPED_NUMERIC_CODE = {44: "0131000910", 46: "0190000909", 60: "0151001050"}
# Old 11-digit phones on rows that do register something.
RETYPED_OLD_PREFIX = {45: "0815115305", 76: "0593672249", 114: "0855764416"}
RETYPED_COUNTS = {"valid": 120 - 7 - 12, "invalid": 7, "skipped": 12, "superseded": 0}


@pytest.fixture(scope="module")
def retyped(nguyen_du, check_file, samples_dir):
    return check_file(samples_dir / "retyped_grade9.xlsx", nguyen_du)


def test_retyped_template_maps_package_headers_to_the_catalogue(retyped):
    mapping = retyped.mapping

    assert (mapping.kind, mapping.header_row) == ("retyped", 2)
    assert mapping.package_columns == {
        "6": "TA9-NC",
        "7": "TOAN-TD9",
        "8": "ON-VAO-10",
        "9": "KNS",
        "10": "STEM-KHTN",
    }
    assert mapping.columns["student_code"] == 1
    assert mapping.columns["parent_phone"] == 5


def test_retyped_counts_match_the_hand_tally(retyped):
    assert retyped.result.counts == RETYPED_COUNTS


def test_retyped_rows_have_the_tallied_status_and_cells(retyped):
    for outcome in retyped.result.rows:
        row = outcome.row_number
        if row in RETYPED_BAD_TICK:
            assert outcome.status == "invalid"
            assert [(e.code, e.column_letter) for e in outcome.errors] == [
                ("tick_invalid", RETYPED_BAD_TICK[row])
            ]
        elif row in RETYPED_NOTHING:
            assert (outcome.status, outcome.errors) == ("skipped", [])
        else:
            assert (outcome.status, outcome.errors) == ("valid", []), row


def test_retyped_numeric_codes_and_old_phones_are_understood(retyped):
    for row, code in RETYPED_NUMERIC_CODE.items():
        assert retyped.outcome(row).student_code == code
    for row, phone in RETYPED_OLD_PREFIX.items():
        assert retyped.outcome(row).parent_phone == phone


def test_retyped_tick_values_of_the_table_all_count(retyped):
    # Row 17: "X", TRUE (a checked boolean), "", "", "X".
    assert retyped.outcome(17).package_codes == ["STEM-KHTN", "TA9-NC", "TOAN-TD9"]
    # Row 107: "✓", "", "có", "x", "1".
    assert retyped.outcome(107).package_codes == [
        "KNS", "ON-VAO-10", "STEM-KHTN", "TA9-NC",
    ]  # fmt: skip
