"""The school IT officer's pages: overview, Bước 1, roster, accounts, students."""

from __future__ import annotations

from fastapi import APIRouter, Request

from hoclieu_shared.auth import OPERATOR, SCHOOL_ADMIN, require_role, require_school
from hoclieu_shared.errors import AppError

from ..origin import same_origin
from .common import Api, Viewer, items, render
from .fields import field_errors
from .formats import batch_state

router = APIRouter(prefix="/school/{school}", include_in_schema=False)
LAYOUTS = {"per-class": "Mỗi lớp 1 sheet", "single-sheet": "Tất cả trường 1 sheet"}


def guard(me, school: str) -> None:
    """Only this school's officer, or an operator, may open its pages."""
    require_role(me, SCHOOL_ADMIN, OPERATOR)
    require_school(me, school)


async def school_page(request: Request, api, school: str, template: str,
                      http_status: int = 200, /, **context):
    """Render a school page with the school's own record for its header."""
    info = await api.optional(f"schools/{school}") or {"code": school}
    return render(request, template, http_status, school=info, **context)


@router.get("")
async def overview(request: Request, school: str, me: Viewer, api: Api):
    guard(me, school)
    summary = await api.optional(f"schools/{school}/summary")
    batches = items(await api.optional(f"schools/{school}/batches", limit=200))
    year = (summary or {}).get("school_year") or await api.current_school_year()
    names = {p.get("code"): p.get("name") for p in items(
        await api.get("packages", school_year=year, limit=1000))}
    return await school_page(request, api, school, "school/overview.html",
                             summary=summary, batches=batches[:5],
                             by_status=_count_by_status(batches), names=names)


@router.get("/template")
async def template_page(request: Request, school: str, me: Viewer, api: Api):
    guard(me, school)
    years = await api.school_years()
    return await school_page(request, api, school, "school/template.html",
                             layouts=LAYOUTS, years=years, school_year=years[0])


@router.get("/template.xlsx")
async def template_file(school: str, me: Viewer, api: Api,
                        layout: str = "per-class", school_year: str = ""):
    guard(me, school)
    layout = layout if layout in LAYOUTS else "per-class"
    return await api.download(
        "GET", f"schools/{school}/templates/registration.xlsx",
        params={"layout": layout, "school_year": school_year})


@router.get("/roster")
async def roster_page(request: Request, school: str, me: Viewer, api: Api):
    guard(me, school)
    return await school_page(request, api, school, "school/roster.html",
                             result=None)


@router.post("/roster")
async def roster_upload(request: Request, school: str, me: Viewer, api: Api):
    guard(me, school)
    same_origin(request)
    result = await api.upload(f"schools/{school}/roster")
    return await school_page(request, api, school, "school/roster.html",
                             result=result)


@router.get("/accounts")
async def accounts_page(request: Request, school: str, me: Viewer, api: Api):
    guard(me, school)
    classes = items(await api.optional(f"schools/{school}/classes"))
    return await school_page(request, api, school, "school/accounts.html",
                             classes=classes)


@router.post("/accounts")
async def create_accounts(request: Request, school: str, me: Viewer, api: Api):
    guard(me, school)
    same_origin(request)
    class_name = str((await request.form()).get("class_name") or "").strip()
    body = {"class_name": class_name} if class_name else {}
    return await api.download("POST", f"schools/{school}/accounts", body=body)


@router.get("/accounts.xlsx")
async def accounts_list(school: str, me: Viewer, api: Api, class_name: str = ""):
    guard(me, school)
    params = {"class": class_name} if class_name else {}
    return await api.download("GET", f"schools/{school}/accounts.xlsx",
                              params=params)


@router.get("/students")
async def students(request: Request, school: str, me: Viewer, api: Api,
                   class_name: str = ""):
    guard(me, school)
    classes = items(await api.optional(f"schools/{school}/classes"))
    chosen = class_name or (classes[0].get("name", "") if classes else "")
    found = await api.get(f"schools/{school}/students", limit=500,
                          **{"class": chosen})
    return await school_page(request, api, school, "school/students.html",
                             classes=classes, chosen=chosen,
                             students=items(found), total=found.get("total"))


@router.get("/students/{student}")
async def student_page(request: Request, school: str, student: str,
                       me: Viewer, api: Api):
    guard(me, school)
    record = await api.get(f"schools/{school}/students/{student}")
    return await _student_form(request, api, school, record, None)


@router.post("/students/{student}")
async def save_student(request: Request, school: str, student: str,
                       me: Viewer, api: Api):
    guard(me, school)
    same_origin(request)
    form = await request.form()
    body = {"parent_name": str(form.get("parent_name") or "").strip() or None,
            "parent_phone": str(form.get("parent_phone") or "").strip() or None,
            "package_codes": [str(c) for c in form.getlist("package_codes")],
            "school_year": await api.current_school_year()}
    record = await api.get(f"schools/{school}/students/{student}")
    try:
        saved = await api.call("PUT", f"schools/{school}/students/{student}/packages",
                               body=body)
    except AppError as error:
        return await _student_form(request, api, school, {**record, **body},
                                   error, http_status=error.status)
    return await _student_form(request, api, school, {**record, **saved}, None,
                               saved=saved.get("notes") or True)


async def _student_form(request, api, school, record, error, *,
                        http_status=200, saved=False):
    grade = record.get("grade")
    year = record.get("school_year") or await api.current_school_year()
    catalogue = items(await api.get("packages", school_year=year, grade=grade))
    active = set(record.get("packages") or [])
    chosen = set(record.get("package_codes") or active)
    return await school_page(
        request, api, school, "school/student.html", http_status, student=record,
        school_year=year,
        packages=[p for p in catalogue if p.get("on_sale", True)
                  or p.get("code") in active],
        active=active, chosen=chosen, error=error, saved=saved,
        errors=field_errors(error))


@router.get("/batches")
async def batches(request: Request, school: str, me: Viewer, api: Api):
    guard(me, school)
    found = await api.get(f"schools/{school}/batches", limit=100)
    return await school_page(request, api, school, "school/batches.html",
                             batches=items(found))


def _count_by_status(batches: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for batch in batches:
        state = batch_state(batch)
        counts[state] = counts.get(state, 0) + 1
    return counts
