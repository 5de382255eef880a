"""Untrusted texts and unusual choices still give a safe, valid workbook."""

import io
import zipfile
from datetime import date

import openpyxl
import pytest

from hoclieu_shared.sheets import template_keys as keys
from template_service.workbook import (
    Package,
    School,
    SchoolClass,
    Student,
    TemplateRequest,
    build_registration_workbook,
)

HOSTILE = [
    '=HYPERLINK("http://127.0.0.1/x","bấm")',
    "-Nguyễn Văn A",
    "+84912345678",
    "@SUM(A1)",
    "\t=1+1",
]


def hostile_request(**extra) -> TemplateRequest:
    students = [
        Student(f"HS{i}", text, date(2013, 5, 1), "Nữ", "6A1", text, text)
        for i, text in enumerate(HOSTILE)
    ]
    return TemplateRequest(
        School("=SCHOOL", "=Trường", ""),
        [SchoolClass("6A1", 6, "-Cô Lan")],
        students,
        [Package("=P1", "=Gói độc", (6,), 1000)],
        "2025-2026",
        **extra,
    )


def build(request) -> bytes:
    out = io.BytesIO()
    build_registration_workbook(request, out)
    return out.getvalue()


def sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        return "".join(archive.read(n).decode("utf-8") for n in names)


@pytest.mark.parametrize("layout", [keys.LAYOUT_PER_CLASS, keys.LAYOUT_SINGLE_SHEET])
def test_formula_like_texts_are_never_formulas(layout):
    data = build(hostile_request(layout=layout))

    assert "<f>" not in sheet_xml(data) and "<f " not in sheet_xml(data)


def test_formula_like_texts_keep_their_value_as_quoted_text():
    workbook = openpyxl.load_workbook(io.BytesIO(build(hostile_request())))
    ws = workbook["6A1"]

    cells = [c for row in ws.iter_rows(min_row=8) for c in row if c.value]
    hostile = [c for c in cells if isinstance(c.value, str) and c.value[0] in "=+-@\t"]

    assert {c.value for c in hostile} >= set(HOSTILE)
    assert all(c.data_type == "s" and c.quotePrefix for c in hostile)


def test_formula_like_titles_and_keys_are_text():
    workbook = openpyxl.load_workbook(io.BytesIO(build(hostile_request())))

    assert workbook["6A1"]["A1"].value == "=Trường"
    assert workbook["6A1"]["A1"].data_type == "s"
    hidden = {
        r[0]: r[1] for r in workbook[keys.HIDDEN_SHEET].iter_rows(values_only=True)
    }
    assert hidden[keys.KEY_SCHOOL_CODE] == "=SCHOOL"


def test_long_tick_lists_come_from_a_range_not_a_literal():
    choices = tuple(f"lựa chọn số {n}" for n in range(40))
    data = build(hostile_request(tick_choices=choices))
    workbook = openpyxl.load_workbook(io.BytesIO(data))

    (validation,) = workbook["6A1"].data_validations.dataValidation
    source = validation.formula1

    assert not source.startswith('"')
    assert source == f"'{keys.HIDDEN_SHEET}'!$B$5:$AO$5"
    hidden = workbook[keys.HIDDEN_SHEET]
    assert [c.value for c in hidden[5][1:]] == list(choices)


def test_control_characters_are_dropped():
    student = Student("HS1", "Lê\x00 Văn\x07 Bình", None, None, "6A1")
    request = TemplateRequest(
        School("T", "T", ""), [SchoolClass("6A1", 6)], [student], [], "2025-2026"
    )

    workbook = openpyxl.load_workbook(io.BytesIO(build(request)))

    assert workbook["6A1"]["C8"].value == "Lê Văn Bình"
    assert workbook["6A1"]["D8"].value is None


def test_homeroom_teacher_appears_in_the_class_line():
    workbook = openpyxl.load_workbook(io.BytesIO(build(hostile_request())))

    assert workbook["6A1"]["A4"].value.endswith("GVCN: -Cô Lan")
