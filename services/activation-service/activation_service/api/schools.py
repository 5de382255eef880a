"""Schools: create, change, read, list; a school's classes and overview."""

from __future__ import annotations

from fastapi import APIRouter, Query, status
from hoclieu_shared.auth import OPERATOR

from ..domain.model import School
from ..domain.school_year import checked_school_year
from ..usecases import queries
from ..usecases import schools as usecases
from .deps import Ctx, Operator, SchoolStaff, Staff
from .schemas import ClassOut, SchoolChange, SchoolIn, SchoolOut, SummaryOut

router = APIRouter(prefix="/api/v1", tags=["schools"])


@router.post("/schools", status_code=status.HTTP_201_CREATED)
async def create_school(body: SchoolIn, _: Operator, ctx: Ctx) -> SchoolOut:
    """Create a school (vendor operators)."""
    school = School(body.code, body.name, body.province, body.auto_approve)
    return SchoolOut.of(await usecases.create_school(ctx, school))


@router.get("/schools")
async def list_schools(principal: Staff, ctx: Ctx,
                       limit: int = Query(100, ge=1, le=1000),
                       offset: int = Query(0, ge=0)) -> dict:
    """Every school for operators; a school admin's own school."""
    only = None if principal.role == OPERATOR else [principal.school_code or ""]
    items, total = await usecases.list_schools(ctx, only, limit, offset)
    return {"items": [SchoolOut.of(s) for s in items], "total": total}


@router.get("/schools/{school}")
async def get_school(school: str, _: SchoolStaff, ctx: Ctx) -> SchoolOut:
    """One school."""
    return SchoolOut.of(await usecases.get_school(ctx, school))


@router.patch("/schools/{school}")
async def change_school(school: str, body: SchoolChange, _: Operator,
                        ctx: Ctx) -> SchoolOut:
    """Change a school's name, province or auto-approval (vendor operators)."""
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    return SchoolOut.of(await usecases.change_school(ctx, school, changes))


@router.get("/schools/{school}/classes")
async def list_classes(school: str, _: SchoolStaff, ctx: Ctx) -> dict:
    """The classes with their numbers of students and accounts."""
    items = [ClassOut(**c) for c in await queries.classes(ctx, school)]
    return {"items": items, "total": len(items)}


@router.get("/schools/{school}/summary")
async def school_summary(school: str, _: SchoolStaff, ctx: Ctx,
                         school_year: str | None = None) -> SummaryOut:
    """Students, classes, accounts and active packages of a school."""
    year = checked_school_year(school_year) if school_year else None
    found = await queries.summary(ctx, school, year)
    return SummaryOut(**{**found, "school": SchoolOut.of(found["school"])})
