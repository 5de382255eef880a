"""The events the activation-service announces, built from its values."""

from __future__ import annotations

import uuid
from datetime import datetime

from hoclieu_shared.events import (
    PackageActivated,
    PackageCatalogUpdated,
    SchoolUpdated,
    StudentAccountUpdated,
)

from .model import Package, School, Student


def student_updated(student: Student) -> StudentAccountUpdated:
    """The read-model record other services keep of a student."""
    account = student.account
    return StudentAccountUpdated(
        student_code=student.code, full_name=student.full_name,
        date_of_birth=student.date_of_birth, gender=student.gender,
        class_name=student.class_name, grade=student.grade,
        account_status=student.account_status,
        username=account.username if account else None,
        parent_name=student.parent_name, parent_phone=student.parent_phone)


def catalogue_updated(package: Package) -> PackageCatalogUpdated:
    """A package as the catalogue now has it."""
    return PackageCatalogUpdated(
        code=package.code, name=package.name, school_year=package.school_year,
        grades=list(package.grades), price=package.price,
        courses=list(package.courses), on_sale=package.on_sale)


def school_updated(school: School) -> SchoolUpdated:
    """A school's name, province and approval setting."""
    return SchoolUpdated(code=school.code, name=school.name,
                         province=school.province,
                         auto_approve=school.auto_approve)


def package_activated(*, activation_id: uuid.UUID, student: Student,
                      package: Package, activated_by: str, via: str,
                      registration_id: uuid.UUID | None,
                      activated_at: datetime) -> PackageActivated:
    """The announcement that a package is now on a student's account."""
    return PackageActivated(
        activation_id=activation_id, student_code=student.code,
        account_id=student.account.id, username=student.account.username,
        school_year=package.school_year, package_code=package.code,
        package_name=package.name, courses=list(package.courses),
        activated_by=activated_by, via=via, registration_id=registration_id,
        activated_at=activated_at)
