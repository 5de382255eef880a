"""The registration workbook of the sample school, read back with openpyxl."""

import json
import re
from datetime import datetime

import openpyxl
import pytest
from openpyxl.utils.cell import column_index_from_string, get_column_letter

from hoclieu_shared.sheets import template_keys as keys
from hoclieu_shared.testing.samples import SAMPLE_SCHOOL
from template_service.workbook import (
    Package,
    School,
    SchoolClass,
    Student,
    TemplateRequest,
    build_registration_workbook,
)

SAMPLE = SAMPLE_SCHOOL
HEADER = 7
FIRST_ROW = 8
PACKAGE_FROM = 8  # column H


def _roster_rows():
    sheet = openpyxl.load_workbook(SAMPLE / "roster.xlsx", read_only=True).active
    rows = sheet.iter_rows(values_only=True)
    for row in rows:
        if row and row[0] == "STT":
            break
    return [row for row in rows if row and row[1]]


def _student(row) -> Student:
    _, code, name, born, gender, class_name, parent, phone = row[:8]
    birth = datetime.strptime(born, "%d/%m/%Y").date()
    return Student(code, name, birth, gender, class_name, parent, phone)


def _grade(class_name: str) -> int:
    return int(re.match(r"\d+", class_name).group())


def sample_request(layout: str) -> TemplateRequest:
    students = tuple(_student(row) for row in _roster_rows())
    names = {s.class_name for s in students}
    catalogue = json.loads((SAMPLE / "packages.json").read_text("utf-8"))
    return TemplateRequest(
        school=School(**json.loads((SAMPLE / "school.json").read_text("utf-8"))),
        classes=tuple(SchoolClass(n, _grade(n)) for n in names),
        students=students,
        packages=tuple(
            Package(p["code"], p["name"], p["grades"], p["price"])
            for p in catalogue["packages"]
        ),
        school_year=catalogue["school_year"],
        layout=layout,
    )


@pytest.fixture(scope="module")
def catalogue():
    packages = json.loads((SAMPLE / "packages.json").read_text("utf-8"))["packages"]
    return {p["code"]: p for p in packages}


@pytest.fixture(scope="module")
def per_class(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "per-class.xlsx"
    build_registration_workbook(sample_request(keys.LAYOUT_PER_CLASS), path)
    return openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "single.xlsx"
    with open(path, "wb") as out:
        build_registration_workbook(sample_request(keys.LAYOUT_SINGLE_SHEET), out)
    return openpyxl.load_workbook(path)


def data_sheets(workbook):
    return [ws for ws in workbook.worksheets if ws.title != keys.HIDDEN_SHEET]


def hidden_section(workbook, marker: str) -> list[tuple]:
    rows = list(workbook[keys.HIDDEN_SHEET].iter_rows(values_only=True))
    markers = {
        keys.SHEETS_MARKER,
        keys.CLASSES_MARKER,
        keys.FIELD_COLUMNS_MARKER,
        keys.COLUMNS_MARKER,
    }
    start = next(i for i, row in enumerate(rows) if row[0] == marker) + 1
    section = []
    for row in rows[start:]:
        if row[0] in markers:
            break
        section.append(row)
    return section


def package_codes_by_column(workbook, sheet_name: str) -> dict[int, str]:
    return {
        row[4]: row[3]
        for row in hidden_section(workbook, keys.COLUMNS_MARKER)
        if row[0] == sheet_name
    }


def validated_cells(ws) -> set[str]:
    return {
        f"{get_column_letter(column)}{row}"
        for validation in ws.data_validations.dataValidation
        for cell_range in validation.sqref.ranges
        for row, column in cell_range.cells
    }


def class_order(name: str) -> tuple[int, int]:
    grade, number = name.split("A")
    return int(grade), int(number)


def test_per_class_layout_has_one_sheet_per_class_in_natural_order(per_class):
    expected = sorted({row[5] for row in _roster_rows()}, key=class_order)

    names = [ws.title for ws in data_sheets(per_class)]

    assert names == expected
    assert len(names) == 28
    assert per_class.sheetnames[-1] == keys.HIDDEN_SHEET


def test_per_class_sheets_show_only_packages_of_their_grade(per_class, catalogue):
    for ws in data_sheets(per_class):
        codes = package_codes_by_column(per_class, ws.title).values()
        grade = _grade(ws.title)
        fitting = [c for c, p in catalogue.items() if grade in p["grades"]]
        assert list(codes) == fitting


def test_package_headers_show_name_and_price(per_class, catalogue):
    ws = per_class["9A1"]

    for column, code in package_codes_by_column(per_class, "9A1").items():
        header = ws.cell(HEADER, column).value
        name, price = header.split("\n")
        assert name == catalogue[code]["name"]
        assert price == f"{catalogue[code]['price']:,} ₫".replace(",", ".")


def test_header_row_lists_the_fixed_columns(per_class):
    ws = per_class["6A1"]
    headers = [c.value for c in ws[HEADER]]

    assert headers[:7] == [
        keys.HEADER_STT,
        keys.HEADER_STUDENT_CODE,
        keys.HEADER_FULL_NAME,
        keys.HEADER_BIRTH_DATE,
        keys.HEADER_CLASS,
        keys.HEADER_PARENT_NAME,
        keys.HEADER_PARENT_PHONE,
    ]
    assert headers[-2:] == [keys.HEADER_SIGNATURE, keys.HEADER_NOTES]


def test_title_rows_name_school_year_and_class(per_class):
    ws = per_class["7A3"]
    titles = [ws.cell(row, 1).value for row in range(1, 6)]

    assert titles[0] == "Trường THCS Nguyễn Du"
    assert titles[1] == keys.TITLE
    assert titles[2] == "Năm học 2025-2026"
    assert "7A3" in titles[3] and "GVCN:" in titles[3]
    assert '"x"' in titles[4]


def test_every_sheet_prints_a4_landscape_one_page_wide(per_class, single):
    for ws in data_sheets(per_class) + data_sheets(single):
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.paperSize == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0


def test_header_row_repeats_and_footer_numbers_pages(per_class, single):
    for ws in data_sheets(per_class) + data_sheets(single):
        assert ws.print_title_rows == "$7:$7"
        assert ws.oddFooter.center.text == "Trang &P / &N"


def test_panes_are_frozen_below_the_header(per_class, single):
    for ws in data_sheets(per_class) + data_sheets(single):
        assert ws.freeze_panes == f"D{FIRST_ROW}"


def test_code_and_phone_cells_are_text(per_class):
    ws = per_class["8A2"]

    for row in range(FIRST_ROW, ws.max_row + 1):
        assert ws.cell(row, 2).number_format == "@"
        assert ws.cell(row, 7).number_format == "@"
    assert ws.column_dimensions["B"].number_format == "@"
    assert ws.column_dimensions["G"].number_format == "@"


def test_table_cells_have_borders(per_class):
    ws = per_class["6A2"]

    for row in ws.iter_rows(min_row=HEADER, max_row=ws.max_row):
        for cell in row:
            assert cell.border.left.style == "thin", cell.coordinate
            assert cell.border.bottom.style == "thin", cell.coordinate


def test_drop_down_covers_exactly_the_package_cells(per_class):
    for ws in data_sheets(per_class):
        columns = package_codes_by_column(per_class, ws.title)
        expected = {
            f"{get_column_letter(c)}{r}"
            for c in columns
            for r in range(FIRST_ROW, ws.max_row + 1)
        }
        assert validated_cells(ws) == expected


def test_drop_down_offers_tick_values_within_excel_limits(per_class):
    for ws in data_sheets(per_class):
        (validation,) = ws.data_validations.dataValidation
        assert validation.type == "list"
        assert validation.formula1 == '"x"'
        assert len(validation.formula1) <= 255
        assert validation.allow_blank


def test_hidden_sheet_records_version_school_year_and_layout(per_class):
    ws = per_class[keys.HIDDEN_SHEET]
    values = {row[0]: row[1] for row in ws.iter_rows(values_only=True)}

    assert ws.sheet_state == "hidden"
    assert values[keys.KEY_TEMPLATE_VERSION] == keys.TEMPLATE_VERSION
    assert values[keys.KEY_SCHOOL_CODE] == "THCS-NGUYENDU"
    assert values[keys.KEY_SCHOOL_YEAR] == "2025-2026"
    assert values[keys.KEY_LAYOUT] == keys.LAYOUT_PER_CLASS


def test_hidden_sheet_maps_every_package_column(per_class):
    for sheet, header, letter, code, index in hidden_section(
        per_class, keys.COLUMNS_MARKER
    ):
        ws = per_class[sheet]
        assert header == HEADER
        assert column_index_from_string(letter) == index
        assert ws.cell(HEADER, index).value.split("\n")[0]
        assert code


def test_hidden_sheet_maps_the_fixed_columns(per_class):
    labels = {
        keys.FIELD_STUDENT_CODE: keys.HEADER_STUDENT_CODE,
        keys.FIELD_PARENT_PHONE: keys.HEADER_PARENT_PHONE,
        keys.FIELD_NOTES: keys.HEADER_NOTES,
    }
    for sheet, header, _, field, index in hidden_section(
        per_class, keys.FIELD_COLUMNS_MARKER
    ):
        if field in labels:
            assert per_class[sheet].cell(header, index).value == labels[field]


def test_hidden_sheet_gives_each_sheets_data_rows(per_class):
    sizes = {}
    for row in _roster_rows():
        sizes[row[5]] = sizes.get(row[5], 0) + 1

    for row in hidden_section(per_class, keys.SHEETS_MARKER):
        sheet, header, first, last = row[:4]
        assert (header, first) == (HEADER, FIRST_ROW)
        assert last - first + 1 == sizes[sheet]
        assert per_class[sheet].max_row == last


def test_student_rows_are_prefilled_from_the_roster(per_class):
    expected = {
        (code, name, born, cls, parent, phone)
        for _, code, name, born, _, cls, parent, phone in _roster_rows()
    }
    written = {
        row[1:7]
        for ws in data_sheets(per_class)
        for row in ws.iter_rows(min_row=FIRST_ROW, max_col=7, values_only=True)
    }

    assert written == expected


def test_rows_are_numbered_from_one_per_class(per_class):
    ws = per_class["9A7"]
    numbers = [row[0] for row in ws.iter_rows(min_row=FIRST_ROW, values_only=True)]

    assert numbers == list(range(1, len(numbers) + 1))


def test_single_sheet_holds_every_student_grouped_by_class(single):
    (ws,) = data_sheets(single)
    classes = [
        row[0]
        for row in ws.iter_rows(
            min_row=FIRST_ROW, min_col=5, max_col=5, values_only=True
        )
    ]
    order = list(dict.fromkeys(classes))

    assert len(classes) == 1051
    assert len(order) == 28
    assert order == sorted(order, key=class_order)


def test_single_sheet_has_a_column_for_every_package(single, catalogue):
    (ws,) = data_sheets(single)

    codes = package_codes_by_column(single, ws.title)

    assert list(codes.values()) == list(catalogue)
    assert list(codes) == list(range(PACKAGE_FROM, PACKAGE_FROM + len(catalogue)))


def test_single_sheet_blocks_packages_outside_the_students_grade(single, catalogue):
    (ws,) = data_sheets(single)
    columns = package_codes_by_column(single, ws.title)
    open_cells = validated_cells(ws)

    for row in range(FIRST_ROW, ws.max_row + 1):
        grade = _grade(ws.cell(row, 5).value)
        for column, code in columns.items():
            cell = ws.cell(row, column)
            fits = grade in catalogue[code]["grades"]
            assert (cell.coordinate in open_cells) == fits
            assert (cell.fill.fill_type == "solid") == (not fits)


def test_single_sheet_explains_the_grey_cells(single):
    (ws,) = data_sheets(single)

    assert ws["A6"].fill.fill_type == "solid"
    assert "xám" in ws["B6"].value


def test_single_sheet_hidden_rows_locate_each_class(single):
    (ws,) = data_sheets(single)

    for sheet, name, grade, first, last in hidden_section(single, keys.CLASSES_MARKER):
        assert sheet == ws.title and grade == _grade(name)
        assert {ws.cell(r, 5).value for r in range(first, last + 1)} == {name}
