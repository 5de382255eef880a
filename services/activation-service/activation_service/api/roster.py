"""Roster import: the school's export of its students."""

from __future__ import annotations

from fastapi import APIRouter, File, UploadFile
from hoclieu_shared.errors import AppError
from hoclieu_shared.vn.numbers import format_number

from ..usecases.roster import RosterOutcome, import_roster
from .deps import Ctx, SchoolStaff
from .schemas import CellProblem, InvalidRowOut, RosterOut

router = APIRouter(prefix="/api/v1/schools/{school}", tags=["roster"])


@router.post("/roster")
async def upload_roster(school: str, _: SchoolStaff, ctx: Ctx,
                        file: UploadFile = File(...)) -> RosterOut:
    """Upsert classes and students from an xlsx/csv export."""
    limit = ctx.settings.roster_max_bytes
    content = await file.read(limit + 1)
    if len(content) > limit:
        raise AppError("file_too_large",
                       f"Tệp lớn quá {format_number(limit // 1024 // 1024)} MB.",
                       status=413)
    outcome = await import_roster(ctx, school, file.filename or "roster", content)
    return _answer(outcome)


def _answer(outcome: RosterOutcome) -> RosterOut:
    columns = outcome.columns
    invalid = [InvalidRowOut(
        sheet=r.sheet, row=r.row, student_code=r.student_code,
        problems=[CellProblem(field=p.field, column=columns.get(p.field),
                              code=p.code, message=p.message)
                  for p in r.problems]) for r in outcome.invalid]
    return RosterOut(
        file_name=outcome.file_name, sheet=outcome.sheet, rows=outcome.rows,
        created=outcome.created, updated=outcome.updated,
        unchanged=outcome.unchanged, invalid=len(invalid), invalid_rows=invalid,
        notes=outcome.notes)
