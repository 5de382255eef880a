"""Which column holds what: the system's template, re-typed sheets, forms."""

import pytest
from pydantic import ValidationError

from import_service.domain.mapping import ColumnMapping, read_template_keys

TEMPLATE_COLUMNS = {
    "student_code": 1,
    "full_name": 2,
    "date_of_birth": 3,
    "class_name": 4,
    "parent_name": 5,
    "parent_phone": 6,
    "notes": 10,
}


def test_own_template_is_recognised_exactly_and_needs_no_confirmation(
    small_school, write_template, check_file
):
    path, _ = write_template()

    run = check_file(path, small_school)

    assert run.mapping.kind == "template"
    assert (run.mapping.certain, run.mapping.problems) == (True, [])
    assert run.mapping.header_row == 6
    assert run.mapping.columns == TEMPLATE_COLUMNS
    assert run.mapping.package_columns == {"7": "ANH6", "8": "KNS"}
    assert run.result.counts == {
        "valid": 2, "invalid": 0, "skipped": 1, "superseded": 0,
    }  # fmt: skip


def test_template_of_another_school_or_year_is_not_certain(
    small_school, write_template, check_file, hidden_rows_for
):
    path, _ = write_template(hidden=hidden_rows_for("T-99", "2024-2025"))

    mapping = check_file(path, small_school).mapping

    assert (mapping.kind, mapping.certain) == ("template", False)
    assert "trường mã T-99" in mapping.problems[0]
    assert "năm học 2024-2025" in mapping.problems[1]


def test_template_with_changed_columns_falls_back_to_its_headers(
    small_school, write_template, check_file, template_header
):
    header = [*template_header[:2], "Giới tính", *template_header[2:]]
    path, _ = write_template(header=header)

    mapping = check_file(path, small_school).mapping

    assert (mapping.kind, mapping.certain) == ("retyped", False)
    assert "các cột đã bị thêm, xoá hoặc đổi tên" in mapping.problems[0]
    assert mapping.columns["full_name"] == 3


def test_template_built_by_the_template_service_is_recognised(
    small_school, tmp_path, check_file
):
    workbook = pytest.importorskip("template_service.workbook")
    from openpyxl import load_workbook

    request = _template_request(workbook, small_school)
    path = tmp_path / "mau.xlsx"
    workbook.build_registration_workbook(request, path)
    book = load_workbook(path)
    sheet = book["6A1"]
    sheet.cell(workbook.HEADER_ROW + 1, 8).value = "x"
    book.save(path)

    run = check_file(path, small_school, sheet="6A1")

    assert (run.mapping.kind, run.mapping.certain) == ("template", True)
    assert run.result.counts["valid"] == 1


def _template_request(workbook, context):
    students = [
        workbook.Student(
            s.code, s.full_name, s.date_of_birth, None, s.class_name,
            s.parent_name, s.parent_phone,
        )
        for s in context.students
    ]  # fmt: skip
    classes = {s.class_name: s.grade for s in context.students}
    return workbook.TemplateRequest(
        school=workbook.School(context.school_code, "Trường Thử"),
        classes=[workbook.SchoolClass(n, g) for n, g in classes.items()],
        students=students,
        packages=[
            workbook.Package(p.code, p.name, p.grades, 100000, p.on_sale)
            for p in context.packages
            if p.school_year == context.school_year
        ],
        school_year=context.school_year,
    )


@pytest.mark.parametrize(
    "rows",
    [
        [],
        [["something", "else"]],
        [["template_version", 99], ["school_code", "T-01"]],
        [["template_version", 1]],
    ],
)
def test_hidden_sheet_that_is_not_ours_is_not_read(rows):
    assert read_template_keys(rows) is None


def test_hidden_sheet_columns_become_zero_based(hidden_rows_for):
    found = read_template_keys(hidden_rows_for())

    sheet = found["sheets"]["6A1"]
    assert (found["school_code"], found["tick_choices"]) == ("T-01", ["x"])
    assert sheet["header_row"] == 6
    assert sheet["packages"] == {"7": "ANH6", "8": "KNS"}
    assert sheet["fields"]["parent_phone"] == 6


FORM_ROW = ["09/09/2025 20:00", "Phạm Quốc Bảo", "9A1", "Bố", "0903111222"]


def test_english_google_form_headers_are_understood(
    small_school, write_xlsx, check_file
):
    header = ["Timestamp", "Student name", "Class", "Parent name", "Phone",
              "Packages", "Email address"]  # fmt: skip
    rows = [header, [*FORM_ROW, "Kỹ năng sống (80.000đ)", "a@b.vn"]]

    run = check_file(write_xlsx(rows), small_school)

    assert (run.mapping.kind, run.mapping.certain) == ("google-form", True)
    assert run.mapping.columns["package_list"] == 5
    assert run.outcome(2).package_codes == ["KNS"]


def test_checkbox_question_with_any_title_is_found_by_its_answers(
    small_school, write_xlsx, check_file
):
    question = "Quý phụ huynh chọn các gói cho con"
    header = ["Dấu thời gian", "Họ và tên học sinh", "Lớp", "Họ tên phụ huynh",
              "Số điện thoại phụ huynh", question]  # fmt: skip
    answers = ["Kỹ năng sống (80.000đ)", "Tiếng Anh 9 nâng cao, Kỹ năng sống"]
    rows = [header, *([*FORM_ROW, answer] for answer in answers)]

    mapping = check_file(write_xlsx(rows), small_school).mapping

    assert mapping.columns["package_list"] == 5
    assert "parent_name" in mapping.columns and mapping.columns["parent_name"] == 3


def test_column_that_matches_nothing_is_reported_and_makes_it_uncertain(
    small_school, write_xlsx, check_file
):
    header = ["Mã học sinh", "Họ và tên", "Lớp", "Kỹ năng sống", "Bơi lội hè"]
    rows = [header, ["0100000001", "Nguyễn Văn An", "6A1", "x", "x"]]

    mapping = check_file(write_xlsx(rows), small_school).mapping

    assert mapping.certain is False
    assert mapping.problems == [
        "Cột E “Bơi lội hè” không khớp thông tin nào hay gói nào trong danh mục; "
        "cột này sẽ bị bỏ qua nếu không chọn lại."
    ]
    assert mapping.package_columns == {"3": "KNS"}


def test_sheet_without_a_header_is_uncertain(small_school, write_xlsx, check_file):
    rows = [["abc", "def"], ["0100000001", "x"]]

    mapping = check_file(write_xlsx(rows), small_school).mapping

    assert mapping.certain is False
    assert mapping.problems[0].startswith("Không tìm thấy dòng tiêu đề")


def test_mapping_round_trips_through_json_and_the_user_may_fix_it():
    mapping = ColumnMapping(
        kind="retyped",
        header_row=2,
        columns={"student_code": 1, "full_name": 2},
        package_columns={"6": "TA9-NC"},
    )

    again = ColumnMapping.model_validate_json(mapping.model_dump_json())

    assert again == mapping
    assert again.package_column_items() == [(6, "TA9-NC")]


@pytest.mark.parametrize(
    "data",
    [
        {"header_row": 0, "columns": {"full_name": 1}, "package_columns": {"1": "X"}},
        {"header_row": 0, "package_columns": {"G": "X"}},
        {"header_row": 0, "columns": {"favourite_colour": 1}},
        {"header_row": -1},
        {"header_row": 0, "columns": {"full_name": 99999}},
        {"header_row": 0, "kind": "pdf"},
    ],
)
def test_edited_mapping_that_cannot_be_right_is_refused(data):
    with pytest.raises(ValidationError):
        ColumnMapping.model_validate(data)
