"""GET the registration workbook of a school (Bước 1)."""

from __future__ import annotations

import tempfile
from typing import Literal
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from hoclieu_shared.auth import (
    OPERATOR,
    SCHOOL_ADMIN,
    CurrentPrincipal,
    require_role,
    require_school,
)
from hoclieu_shared.errors import AppError, NotFound
from hoclieu_shared.service import RuntimeDb

from ..adapters import read_model
from ..workbook import (
    SchoolClass,
    TemplateError,
    TemplateRequest,
    build_registration_workbook,
)

router = APIRouter(prefix="/api/v1", tags=["templates"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 256 * 1024


@router.get("/schools/{school}/templates/registration.xlsx")
async def registration_template(
    school: str, db: RuntimeDb, principal: CurrentPrincipal,
    layout: Literal["per-class", "single-sheet"] = "per-class",
    school_year: str | None = None,
    class_name: str | None = Query(None, alias="class"),
) -> StreamingResponse:
    """The print-ready registration list of the school, per class or whole."""
    require_role(principal, SCHOOL_ADMIN, OPERATOR)
    require_school(principal, school)
    async with db.session() as session:
        template = await _template_request(session, school, layout, school_year,
                                           class_name)
    return await _workbook_response(template)


async def _template_request(session, school, layout, school_year, class_name):
    found = await read_model.load_school(session, school)
    if found is None:
        raise NotFound("school_not_ready", "Chưa có thông tin trường này. Nếu "
                       "trường vừa được tạo, vui lòng thử lại sau ít phút.")
    year = school_year or await read_model.latest_school_year(session)
    students = await read_model.load_students(session, school)
    if not students:
        raise AppError("roster_not_ready", "Trường chưa có danh sách học sinh. "
                       "Hãy nhập danh sách học sinh trước, rồi tải mẫu.", status=409)
    packages = await read_model.load_packages(session, year) if year else []
    if not packages:
        year_text = f" cho năm học {year}" if year else ""
        raise AppError("catalogue_empty",
                       f"Chưa có gói học liệu nào{year_text}.", status=409)
    grades = await read_model.load_class_grades(session, school)
    classes = [SchoolClass(name, grade) for name, grade in grades.items()]
    try:
        return TemplateRequest(found, tuple(classes), tuple(students),
                               tuple(packages), year, layout, class_name)
    except TemplateError as error:
        raise AppError(error.code, error.message, status=422) from error


async def _workbook_response(template: TemplateRequest) -> StreamingResponse:
    # Spooled: small schools stay in memory, big ones go to a temporary file.
    output = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    try:
        await run_in_threadpool(build_registration_workbook, template, output)
    except TemplateError as error:
        output.close()
        raise AppError(error.code, error.message, status=422) from error
    output.seek(0)
    return StreamingResponse(_chunks(output), media_type=XLSX,
                             headers=_download_headers(template))


def _chunks(output):
    with output:
        while chunk := output.read(CHUNK):
            yield chunk


def _download_headers(template: TemplateRequest) -> dict[str, str]:
    kind = "theo-lop" if template.layout == "per-class" else "toan-truong"
    suffix = f"-{template.class_name}" if template.class_name else ""
    name = (f"Danh sách đăng ký học liệu {template.school.code} "
            f"{template.school_year} {kind}{suffix}.xlsx")
    ascii_name = f"dang-ky-hoc-lieu-{template.school.code}-{kind}{suffix}.xlsx"
    return {"Content-Disposition": f"attachment; filename=\"{ascii_name}\"; "
            f"filename*=UTF-8''{quote(name)}"}
