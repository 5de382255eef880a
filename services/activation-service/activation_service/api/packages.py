"""The package catalogue."""

from __future__ import annotations

from fastapi import APIRouter, Path, Query, Response, status
from hoclieu_shared.errors import AppError

from ..domain.school_year import checked_school_year
from ..usecases import catalogue
from .deps import Ctx, Operator, Staff
from .schemas import CODE, PackageIn, PackageOut

router = APIRouter(prefix="/api/v1", tags=["packages"])


@router.put("/packages/{code}")
async def put_package(body: PackageIn, _: Operator, ctx: Ctx, response: Response,
                      code: str = Path(pattern=CODE)) -> PackageOut:
    """Create or replace a package of a school year (vendor operators)."""
    package = body.package(code)
    if await catalogue.put_package(ctx, package):
        response.status_code = status.HTTP_201_CREATED
    return PackageOut.of(package)


@router.get("/packages")
async def list_packages(_: Staff, ctx: Ctx, school_year: str | None = None,
                        grade: str | None = None,
                        on_sale: bool | None = None,
                        limit: int = Query(100, ge=1, le=1000),
                        offset: int = Query(0, ge=0)) -> dict:
    """Packages of a school year that fit a grade."""
    year = checked_school_year(school_year) if school_year else None
    found = await catalogue.list_packages(ctx, year, _grade(grade))
    found = [p for p in found if on_sale is None or p.on_sale == on_sale]
    page = found[offset:offset + limit]
    return {"items": [PackageOut.of(p) for p in page], "total": len(found)}


def _grade(raw: str | None) -> int | None:
    # "?grade=" (empty) means every grade, as the UI's empty filter sends it.
    if raw is None or not raw.strip():
        return None
    if not raw.strip().isdigit() or not 1 <= int(raw) <= 12:
        raise AppError("invalid_grade", "Khối lớp phải là số từ 1 đến 12.",
                       status=422)
    return int(raw)
