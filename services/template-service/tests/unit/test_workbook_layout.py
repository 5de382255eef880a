"""Where rows, sheets and columns go, before anything is written."""

from datetime import date

import pytest

from hoclieu_shared.sheets import template_keys as keys
from template_service.workbook import (
    Package,
    School,
    SchoolClass,
    Student,
    TemplateError,
    TemplateRequest,
)
from template_service.workbook.keys import TICK_CHOICES_ROW, hidden_rows
from template_service.workbook.layout import column_spans, plan_sheets
from template_service.workbook.ordering import sheet_names, student_name_key
from template_service.workbook.validation import LITERAL_LIST_MAX, literal_list

SCHOOL = School("T-01", "Trường THCS Thử", "Huế")
PACKAGES = (
    Package("ANH6", "Anh 6", (6,), 100000),
    Package("KNS", "Kỹ năng sống", (6, 7, 8, 9), 80000),
    Package("ANH7", "Anh 7", (7,), 100000),
    Package("CU", "Gói cũ", (6, 7), 50000, on_sale=False),
)


def student(code, class_name, name="Nguyễn Văn An"):
    return Student(code, name, date(2013, 1, 2), "Nam", class_name)


def request_for(class_names, layout=keys.LAYOUT_PER_CLASS, **extra):
    classes = [SchoolClass(n, int(n.split("A")[0])) for n in class_names]
    students = [student(f"HS{i}", n) for i, n in enumerate(class_names)]
    return TemplateRequest(
        SCHOOL, classes, students, PACKAGES, "2025-2026", layout, **extra
    )


def test_per_class_sheets_follow_natural_order():
    request = request_for(["6A10", "6A2", "10A1", "9A7", "6A1"])

    names = [sheet.name for sheet in plan_sheets(request)]

    assert names == ["6A1", "6A2", "6A10", "9A7", "10A1"]


def test_students_follow_vietnamese_given_name_order():
    names = ["Đỗ Bình", "Trần An", "Hà Đức", "Phạm Ăn", "Lê Ánh", "Vũ Dũng"]

    ordered = sorted(names, key=student_name_key)

    assert ordered == ["Trần An", "Lê Ánh", "Phạm Ăn", "Đỗ Bình", "Vũ Dũng", "Hà Đức"]


def test_same_given_name_sorts_by_family_names():
    names = ["Trần Văn An", "Lê Thị An", "Bùi An"]

    assert sorted(names, key=student_name_key) == ["Bùi An", "Lê Thị An", "Trần Văn An"]


def test_sheet_names_are_excel_safe_and_unique():
    wanted = ["6/1", "6A1", "6a1", "x" * 40, keys.HIDDEN_SHEET, "'7A1'"]

    names = sheet_names(wanted, {keys.HIDDEN_SHEET})

    assert names[0] == "6-1"
    assert names[1:3] == ["6A1", "6a1 (2)"]
    assert len(names[3]) == 31
    assert names[4] != keys.HIDDEN_SHEET
    assert names[5] == "7A1"


def test_per_class_packages_are_on_sale_and_fit_the_grade():
    sheets = plan_sheets(request_for(["6A1", "7A1"]))

    codes = [[p.code for p in sheet.packages] for sheet in sheets]

    assert codes == [["ANH6", "KNS"], ["KNS", "ANH7"]]


def test_single_sheet_opens_only_fitting_cells_per_grade():
    request = request_for(["7A1", "6A1", "6A2"], keys.LAYOUT_SINGLE_SHEET)

    (sheet,) = plan_sheets(request)

    assert [p.code for p in sheet.packages] == ["ANH6", "KNS", "ANH7"]
    assert sheet.tick_areas() == [(8, 8, 9, 9), (9, 10, 10, 10)]


def test_column_spans_join_neighbours():
    assert column_spans([8, 9, 11, 13, 14]) == [(8, 9), (11, 11), (13, 14)]


def test_single_class_request_gives_one_sheet():
    request = request_for(["6A1", "6A2"], class_name="6 a2")

    (sheet,) = plan_sheets(request)

    assert sheet.name == "6A2"
    assert [b.school_class.name for b in sheet.blocks] == ["6A2"]


def test_unknown_class_is_refused():
    with pytest.raises(TemplateError) as error:
        plan_sheets(request_for(["6A1"], class_name="9A9"))

    assert error.value.code == "template.unknown_class"


def test_unlisted_class_takes_its_grade_from_its_name():
    request = TemplateRequest(
        SCHOOL, [], [student("HS1", "Lớp 7a1")], PACKAGES, "2025-2026"
    )

    (sheet,) = plan_sheets(request)

    assert sheet.name == "7A1"
    assert sheet.blocks[0].school_class == SchoolClass("7A1", 7)


def test_unlisted_class_without_a_grade_is_refused():
    request = TemplateRequest(
        SCHOOL, [], [student("HS1", "Chuyên Anh")], PACKAGES, "2025-2026"
    )

    with pytest.raises(TemplateError) as error:
        plan_sheets(request)

    assert error.value.code == "template.unknown_student_class"


def test_single_sheet_of_one_grade_has_no_blocked_cells():
    request = request_for(["6A1", "6A2"], keys.LAYOUT_SINGLE_SHEET)

    (sheet,) = plan_sheets(request)

    assert not sheet.has_blocked_cells
    assert sheet.tick_areas() == [(8, 8, 9, 9)]


def test_school_without_students_is_refused():
    request = TemplateRequest(SCHOOL, [SchoolClass("6A1", 6)], [], (), "2025-2026")

    with pytest.raises(TemplateError) as error:
        plan_sheets(request)

    assert error.value.code == "template.no_students"


def test_unknown_layout_is_refused():
    with pytest.raises(TemplateError) as error:
        request_for(["6A1"], layout="two-sheets")

    assert error.value.code == "template.unknown_layout"


def test_hidden_rows_start_with_the_keys():
    request = request_for(["6A1"])

    rows = hidden_rows(request, plan_sheets(request))

    assert rows[:4] == [
        (keys.KEY_TEMPLATE_VERSION, keys.TEMPLATE_VERSION),
        (keys.KEY_SCHOOL_CODE, "T-01"),
        (keys.KEY_SCHOOL_YEAR, "2025-2026"),
        (keys.KEY_LAYOUT, keys.LAYOUT_PER_CLASS),
    ]
    assert rows[TICK_CHOICES_ROW - 1] == (keys.KEY_TICK_CHOICES, "x")


def test_hidden_rows_end_with_package_columns():
    request = request_for(["6A1"])

    rows = hidden_rows(request, plan_sheets(request))

    assert rows[-3][0] == keys.COLUMNS_MARKER
    assert rows[-2:] == [("6A1", 7, "H", "ANH6", 8), ("6A1", 7, "I", "KNS", 9)]


def test_literal_list_only_when_short_and_plain():
    assert literal_list(("x",)) == '"x"'
    assert literal_list(("a,b",)) is None
    assert literal_list(tuple("v" * 20 for _ in range(20))) is None
    assert len(literal_list(("v" * (LITERAL_LIST_MAX - 2),))) == LITERAL_LIST_MAX
