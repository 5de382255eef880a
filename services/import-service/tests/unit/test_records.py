"""Downloaded records: the user's layout, marked cells, and the way back in."""

import re
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from import_service.domain.outcome import REASONS_HEADER, STATUS_HEADER
from import_service.domain.records import PROBLEM_RED, write_records

TITLE = ["DANH SÁCH ĐĂNG KÝ HỌC LIỆU – LỚP 6A1"]
HEADER = [
    "STT", "Mã học sinh", "Họ và tên", "Ngày sinh", "Lớp", "Họ tên phụ huynh",
    "Số điện thoại", "Tiếng Anh 6 nâng cao", "Kỹ năng sống", "Ghi chú",
]  # fmt: skip


def records_of(run, path: Path, *, only_invalid: bool, **extra) -> Path:
    """Write the records of a checked run as the service would."""
    header_row = run.mapping.header_row
    write_records(
        path,
        sheet_name="Đăng ký",
        header_rows=run.rows[: header_row + 1],
        rows=list(enumerate(run.rows, 1))[header_row + 1 :],
        outcomes=run.result.by_row(),
        only_invalid=only_invalid,
        **extra,
    )
    return path


def marked_cells(sheet) -> dict[str, str]:
    """Coordinates of the red, commented cells and their comment text."""
    return {
        cell.coordinate: cell.comment.text
        for row in sheet.iter_rows()
        for cell in row
        if cell.comment and cell.fill.start_color.rgb.endswith(PROBLEM_RED)
    }


def test_invalid_retyped_rows_fixed_in_their_marked_cells_check_clean(
    nguyen_du, check_file, samples_dir, tmp_path
):
    run = check_file(samples_dir / "retyped_grade9.xlsx", nguyen_du)
    path = records_of(run, tmp_path / "loi.xlsx", only_invalid=True)

    workbook = load_workbook(path)
    sheet = workbook["Đăng ký"]
    marked = marked_cells(sheet)
    # The seven "?" cells (K10, K21, J37, K49, H74, K84, G89), packed under
    # the header from row 4 on, in their own columns.
    assert sorted(marked) == ["G10", "H8", "J6", "K4", "K5", "K7", "K9"]
    assert sheet["L3"].value == STATUS_HEADER and sheet["M3"].value == REASONS_HEADER
    assert {sheet.cell(r, 12).value for r in range(4, 11)} == {"Không hợp lệ"}
    assert sheet["M4"].value.startswith("Ô K4: Không hiểu dấu “?”")
    assert sheet.max_row == 10
    for coordinate in marked:
        sheet[coordinate].value = "x"
    workbook.save(path)

    again = check_file(path, nguyen_du)

    assert again.mapping.ignored_columns == [11, 12]
    assert again.mapping.kind == "retyped" and again.mapping.certain
    assert again.result.counts == {
        "valid": 7, "invalid": 0, "skipped": 0, "superseded": 0,
    }  # fmt: skip


AN_ROW = ("0100000001", "Nguyễn Văn An", "", "6A1", "", "")


def line(code="", name="", birth="", klass="", parent="", phone="", *ticks):
    ticks = list(ticks) + [""] * (2 - len(ticks))
    return ["", code, name, birth, klass, parent, phone, *ticks]


def test_every_kind_of_fixable_problem_is_marked_and_fixing_it_is_enough(
    small_school, write_xlsx, check_file, tmp_path
):
    rows = [
        TITLE, [], HEADER,
        line("", "Nguyen Van An", "", "6A1", "", "", "x"),  # name: a hint
        line("0100000004", "", "", "6A2", "", "0912 34", "x"),  # short phone
        line("0100000002", "", "", "6A1", "", "0912345678", "x"),  # no parent
        line("0900000005", "", "", "9A1", "", "", "x", "x"),  # grade 6 package
        line("0700000006", "", "", "7A1", "", "", "", "?"),  # bad tick
        line("0100000003", "", "13/30/2013", "6A1", "Bà", "0912000333", "x"),
        line("", "Vũ Minh Châu", "", "8A9", "", "", "", "x"),  # unknown class
    ]  # fmt: skip
    run = check_file(write_xlsx(rows), small_school)
    assert run.result.counts["invalid"] == 7
    path = records_of(run, tmp_path / "loi.xlsx", only_invalid=True)

    workbook = load_workbook(path)
    sheet = workbook["Đăng ký"]
    marked = marked_cells(sheet)
    assert sorted(marked) == ["C4", "D9", "E10", "F6", "G5", "H7", "I8"]
    for coordinate, comment in marked.items():
        sheet[coordinate].value = _fix(coordinate[0], comment)
    workbook.save(path)

    again = check_file(path, small_school)

    assert again.result.counts["invalid"] == 0
    assert again.result.counts["valid"] == 7


def _fix(column: str, comment: str) -> str:
    """What a school officer would type, reading the comment."""
    hint = re.search(r"Có phải: (.+?)\?", comment)
    fixes = {
        "C": hint.group(1) if hint else "",
        "D": "01/03/2013",
        "E": "8A1",
        "F": "Nguyễn Thị Mai",
        "G": "0912 345 678",
        # A grade-6 package ticked for a grade-9 student is unticked (the
        # row still asks for Kỹ năng sống); "?" was meant as a tick.
        "H": "",
        "I": "x",
    }
    return fixes[column]


def test_all_records_keep_every_row_in_place_with_its_status(
    small_school, write_xlsx, check_file, tmp_path
):
    rows = [
        TITLE, [], HEADER,
        [*line(*AN_ROW, "x"), '=HYPERLINK("http://x")'],
        [],
        line("0100000002", "Nguyễn Minh Ân", "", "6A1", "", "", ""),
        line("0199999999", "Ai đó", "", "6A1", "", "", "x"),
    ]  # fmt: skip
    run = check_file(write_xlsx(rows), small_school)
    path = records_of(run, tmp_path / "tat-ca.xlsx", only_invalid=False)

    sheet = load_workbook(path)["Đăng ký"]

    assert sheet["A1"].value == TITLE[0]
    assert [sheet.cell(3, c).value for c in range(1, 13)] == [
        *HEADER, STATUS_HEADER, REASONS_HEADER,
    ]  # fmt: skip
    assert [sheet.cell(r, 11).value for r in range(4, 8)] == [
        "Hợp lệ", None, "Bỏ qua", "Không hợp lệ",
    ]  # fmt: skip
    assert sheet["L6"].value == "Không đăng ký gói nào."
    assert sheet["L7"].value.startswith("Ô B7: Không có học sinh nào mang mã")
    formula_like = sheet["J4"]
    assert (formula_like.data_type, formula_like.quotePrefix) == ("s", True)
    assert formula_like.value == '=HYPERLINK("http://x")'


def test_records_of_records_hold_one_status_column(
    small_school, write_xlsx, check_file, tmp_path
):
    rows = [HEADER, line("0100000001", "", "", "6A1", "", "090", "x")]
    first = records_of(
        check_file(write_xlsx(rows), small_school), tmp_path / "1.xlsx",
        only_invalid=True,
    )  # fmt: skip
    second = records_of(
        check_file(first, small_school), tmp_path / "2.xlsx", only_invalid=True
    )

    header = [c.value for c in load_workbook(second)["Đăng ký"][1]]

    assert header == [*HEADER, STATUS_HEADER, REASONS_HEADER]


def test_submission_times_come_back_as_dates(
    small_school, write_xlsx, check_file, tmp_path
):
    form = [
        ["Dấu thời gian", "Họ và tên học sinh", "Lớp", "Họ tên phụ huynh",
         "Số điện thoại phụ huynh", "Đăng ký gói học liệu"],
        [datetime(2025, 9, 9, 20, 5), "Phạm Quốc Bảo", "9A1", "Bố", "090", "KNS"],
    ]  # fmt: skip
    run = check_file(write_xlsx(form), small_school)
    path = records_of(run, tmp_path / "form.xlsx", only_invalid=True)

    cell = load_workbook(path)["Đăng ký"]["A2"]

    assert cell.value == datetime(2025, 9, 9, 20, 5)
    assert cell.number_format == "dd/mm/yyyy hh:mm:ss"


@pytest.mark.parametrize("only_invalid", [True, False])
def test_template_keys_kept_in_records_keep_the_template_recognised(
    small_school, write_template, check_file, tmp_path, only_invalid
):
    path, hidden = write_template(ticks={"0100000001": ("?", "x")})
    run = check_file(path, small_school)
    assert run.mapping.kind == "template"

    records = records_of(
        run, tmp_path / "r.xlsx", only_invalid=only_invalid, template_rows=hidden
    )

    again = check_file(records, small_school)
    assert (again.mapping.kind, again.mapping.certain) == ("template", True)
    assert again.mapping.ignored_columns == [11, 12]
