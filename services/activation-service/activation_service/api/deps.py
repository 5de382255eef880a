"""Who may call what, and the service's use-case context for a request."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from hoclieu_shared.auth import (
    OPERATOR,
    SCHOOL_ADMIN,
    STUDENT,
    CurrentPrincipal,
    Principal,
    require_role,
    require_school,
)
from hoclieu_shared.errors import Forbidden

from ..usecases.context import Context


def context(request: Request) -> Context:
    """The use-case context made in main.py."""
    return request.app.state.context


Ctx = Annotated[Context, Depends(context)]


def operator(principal: CurrentPrincipal) -> Principal:
    """Only vendor operators."""
    require_role(principal, OPERATOR)
    return principal


def school_staff(school: str, principal: CurrentPrincipal) -> Principal:
    """Operators, or the admin of this very school."""
    require_role(principal, SCHOOL_ADMIN, OPERATOR)
    require_school(principal, school)
    return principal


def student_reader(school: str, student: str,
                   principal: CurrentPrincipal) -> Principal:
    """The school's staff, or the student themself."""
    if principal.role == STUDENT:
        if (principal.school_code, principal.student_code) != (school, student):
            raise Forbidden("forbidden_student",
                            "Bạn chỉ xem được thông tin của chính mình.")
        return principal
    return school_staff(school, principal)


def staff(principal: CurrentPrincipal) -> Principal:
    """Operators and school admins (each sees what is theirs)."""
    require_role(principal, SCHOOL_ADMIN, OPERATOR)
    return principal


Operator = Annotated[Principal, Depends(operator)]
SchoolStaff = Annotated[Principal, Depends(school_staff)]
StudentReader = Annotated[Principal, Depends(student_reader)]
Staff = Annotated[Principal, Depends(staff)]
