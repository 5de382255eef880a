"""The parent on record: what a request may change, and what it must give."""

from __future__ import annotations

from dataclasses import dataclass

from hoclieu_shared.vn.errors import VnValueError
from hoclieu_shared.vn.phones import normalize_phone
from hoclieu_shared.vn.text import clean_text

from . import errors
from .model import Student


@dataclass(frozen=True)
class Parent:
    """A parent's name and normalised phone, and a note on the phone."""

    name: str | None
    phone: str | None
    note: str | None = None


def parent_for_activation(student: Student, name: str | None,
                          phone: str | None) -> Parent:
    """The parent after a request; both are required when none is on record."""
    name = clean_text(name or "") or student.parent_name
    if not name:
        raise errors.parent_required(
            "parent_name", "Học sinh chưa có họ tên phụ huynh; vui lòng nhập.")
    if not (phone or "").strip():
        if not student.parent_phone:
            raise errors.parent_required(
                "parent_phone",
                "Học sinh chưa có số điện thoại phụ huynh; vui lòng nhập.")
        return Parent(name, student.parent_phone)
    try:
        number = normalize_phone(phone)
    except VnValueError as error:
        raise errors.invalid_phone(error.message) from None
    return Parent(name, number.number, number.note)


def parent_changed(student: Student, parent: Parent) -> bool:
    """Whether the request changes the parent on record."""
    return (student.parent_name, student.parent_phone) != (parent.name,
                                                             parent.phone)
