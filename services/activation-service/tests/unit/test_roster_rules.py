"""Roster rows: good ones become students, bad ones carry their reasons."""

import uuid
from datetime import date

from activation_service.domain.model import Account, Student
from activation_service.domain.roster import (
    RawRow,
    RosterEntry,
    check_roster,
    updated_student,
)


def row(number, **cells):
    base = {"student_code": "0160000001", "full_name": "Nguyễn Văn An",
            "date_of_birth": "02/10/2013", "gender": "Nam", "class_name": "6A1"}
    return RawRow("DS", number, {**base, **cells})


def test_good_row_is_read_with_normalised_values():
    checked = check_roster([row(4, class_name="Lớp 6 a1", gender="nữ",
                                parent_phone="0912.345.678",
                                parent_name="  Trần  Thị Bình ")])

    entry = checked.entries[0]
    assert (entry.class_name, entry.grade, entry.gender) == ("6A1", 6, "Nữ")
    assert entry.date_of_birth == date(2013, 10, 2)
    assert (entry.parent_name, entry.parent_phone) == ("Trần Thị Bình",
                                                       "0912345678")
    assert checked.invalid == []


def test_bad_cells_are_all_reported_and_good_rows_stay():
    checked = check_roster([
        row(4),
        row(5, student_code="0160000002", date_of_birth="31/02/2013",
            parent_phone="12345", class_name="Khối A"),
    ])

    assert [e.code for e in checked.entries] == ["0160000001"]
    bad = checked.invalid[0]
    assert (bad.sheet, bad.row, bad.student_code) == ("DS", 5, "0160000002")
    assert {p.field for p in bad.problems} == {"date_of_birth", "parent_phone",
                                               "class_name"}
    assert all(p.message and p.code for p in bad.problems)


def test_code_turned_into_a_number_gets_its_zeros_back():
    checked = check_roster([row(4), row(5, student_code=160000002.0)])

    assert [e.code for e in checked.entries] == ["0160000001", "0160000002"]


def test_identical_repeats_merge_and_conflicting_repeats_fail():
    checked = check_roster([
        row(4), row(5),
        row(6, student_code="X1"), row(7, student_code="X1", full_name="Khác"),
    ])

    assert [e.code for e in checked.entries] == ["0160000001"]
    assert [r.row for r in checked.invalid] == [6, 7]
    assert checked.invalid[0].problems[0].code == "student_code_duplicate"
    assert any("gộp" in note for note in checked.notes)


def test_missing_name_and_code_are_invalid():
    checked = check_roster([row(4, student_code=None, full_name="  ")])

    codes = {p.code for p in checked.invalid[0].problems}
    assert codes == {"student_code_empty", "full_name_empty"}


def test_old_eleven_digit_phone_is_converted_with_a_note():
    checked = check_roster([row(9, parent_phone="01662345678")])

    assert checked.entries[0].parent_phone == "0362345678"
    assert checked.notes and checked.notes[0].startswith("Dòng 9")


def student(**changes):
    values = dict(id=uuid.uuid4(), school_code="S", code="0160000001",
                  full_name="Nguyễn Văn An", date_of_birth=date(2013, 10, 2),
                  gender="Nam", class_name="6A1", grade=6,
                  parent_name="Trần Thị Bình", parent_phone="0912345678",
                  account=Account(uuid.uuid4(), "s.0160000001", "active"))
    return Student(**{**values, **changes})


def entry(**changes):
    values = dict(row=4, code="0160000001", full_name="Nguyễn Văn An",
                  date_of_birth=date(2013, 10, 2), gender="Nam",
                  class_name="6A1", grade=6, parent_name=None, parent_phone=None)
    return RosterEntry(**{**values, **changes})


def test_row_without_parent_keeps_the_parent_on_record():
    assert updated_student(entry(), student(), "S") is None


def test_changed_class_is_an_update_that_keeps_the_account():
    existing = student()

    updated = updated_student(entry(class_name="7A1", grade=7), existing, "S")

    assert (updated.class_name, updated.grade) == ("7A1", 7)
    assert updated.account == existing.account and updated.id == existing.id


def test_unknown_student_is_new():
    created = updated_student(entry(parent_phone="0987654321"), None, "S")

    assert created.account is None and created.parent_phone == "0987654321"
