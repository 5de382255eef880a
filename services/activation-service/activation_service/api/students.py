"""Students: list, read, and individual activation of packages."""

from __future__ import annotations

from fastapi import APIRouter, Query

from ..usecases import queries
from ..usecases.activation import ActivationRequest, activate_for_student
from .classes import class_filter
from .deps import Ctx, SchoolStaff, StudentReader
from .schemas import ActivationIn, ActivationOut, StudentOut

router = APIRouter(prefix="/api/v1/schools/{school}", tags=["students"])


@router.get("/students")
async def list_students(school: str, _: SchoolStaff, ctx: Ctx,
                        class_name: str | None = Query(None, alias="class"),
                        limit: int = Query(100, ge=1, le=2000),
                        offset: int = Query(0, ge=0)) -> dict:
    """A page of the school's students (or one class's)."""
    views, total = await queries.student_page(
        ctx, school, class_filter(class_name), limit, offset)
    return {"items": [StudentOut.view(v) for v in views], "total": total}


@router.get("/students/{student}")
async def get_student(school: str, student: str, _: StudentReader,
                      ctx: Ctx) -> StudentOut:
    """One student with account and active packages."""
    return StudentOut.view(await queries.student_view(ctx, school, student))


@router.put("/students/{student}/packages")
async def activate_packages(school: str, student: str, body: ActivationIn,
                            principal: SchoolStaff, ctx: Ctx) -> ActivationOut:
    """Individual activation: parent details and the packages to switch on."""
    request = ActivationRequest(body.parent_name, body.parent_phone,
                                body.package_codes, body.school_year,
                                principal.sub)
    outcome = await activate_for_student(ctx, school, student, request)
    base = StudentOut.of(outcome.student, outcome.packages)
    return ActivationOut(
        **base.model_dump(), school_year=outcome.school_year,
        activated=outcome.activated, already_active=outcome.already_active,
        account_created=outcome.account_created, notes=outcome.notes)
