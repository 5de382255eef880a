"""The vendor operator's pages: approvals, the catalogue, new schools."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse

from hoclieu_shared.auth import OPERATOR, require_role
from hoclieu_shared.errors import AppError

from ..origin import same_origin
from .common import Api, Viewer, items, render

router = APIRouter(prefix="/operator", include_in_schema=False)
DONE = {"approved": "Đã duyệt các đăng ký đã chọn.",
        "rejected": "Đã từ chối các đăng ký đã chọn.",
        "saved": "Đã lưu gói học liệu.",
        "school": "Đã tạo trường."}
GRADES = tuple(range(1, 13))
PER_PAGE = 100
SCOPES = ("all", "selected")


@router.get("")
async def approvals(request: Request, me: Viewer, api: Api, school: str = "",
                    done: str = ""):
    require_role(me, OPERATOR)
    pending = await api.get("approvals", status="pending", school=school)
    return render(request, "operator/approvals.html", batches=items(pending),
                  total=pending.get("total"), school_filter=school,
                  done=DONE.get(done))


@router.get("/batches/{batch}")
async def batch(request: Request, batch: str, me: Viewer, api: Api,
                done: str = "", page: int = 0):
    require_role(me, OPERATOR)
    return await _batch_page(request, api, batch, done=DONE.get(done),
                             page=max(page, 0))


async def _batch_page(request, api, batch: str, http_status: int = 200, /,
                      page: int = 0, **context):
    found = await api.get(f"batches/{batch}", limit=PER_PAGE,
                          offset=page * PER_PAGE)
    registrations = found.get("registrations")
    total = registrations.get("total") if isinstance(registrations, dict) \
        else None
    return render(request, "operator/batch.html", http_status, batch=found,
                  registrations=items(registrations), reg_total=total,
                  page=page, per_page=PER_PAGE, **context)


@router.post("/batches/{batch}/{decision}")
async def decide(request: Request, batch: str, decision: str, me: Viewer,
                 api: Api):
    require_role(me, OPERATOR)
    same_origin(request)
    if decision not in ("approve", "reject"):
        raise AppError("not_found", "Không tìm thấy thao tác.", status=404)
    form = await request.form()
    problem = _decision_problem(form, decision)
    if problem:
        return await _batch_page(request, api, batch, 422, error=problem)
    try:
        await api.call("POST", f"approvals/{batch}/{decision}",
                       body=_decision_body(form, decision))
    except AppError as error:
        return await _batch_page(request, api, batch, error.status,
                                 error=error.message)
    done = "approved" if decision == "approve" else "rejected"
    return RedirectResponse(f"/operator/batches/{batch}?done={done}", 303)


def _decision_body(form, decision: str) -> dict:
    # Only an explicit "all" leaves the ids out, which the import-service
    # reads as the whole batch; _decision_problem has refused anything else.
    body: dict = {}
    if form.get("scope") == "selected":
        body["registration_ids"] = _chosen_ids(form)
    if decision == "reject":
        body["reason"] = _reason(form)
    return body


def _decision_problem(form, decision: str) -> str | None:
    # Said here, in words, rather than as the service's generic 422.
    scopes = form.getlist("scope")
    if len(scopes) != 1 or scopes[0] not in SCOPES:
        return ("Vui lòng chọn phạm vi: tất cả đăng ký của đợt hoặc chỉ "
                "các mục đã chọn.")
    chosen = _chosen_ids(form)
    if scopes[0] == "selected" and chosen is None:
        return ("Có đăng ký đã chọn không hợp lệ; vui lòng tải lại trang "
                "và chọn lại.")
    if scopes[0] == "selected" and not chosen:
        return "Vui lòng chọn ít nhất một đăng ký."
    if decision == "reject" and not _reason(form):
        return "Vui lòng nhập lý do từ chối."
    return None


def _chosen_ids(form) -> list[str] | None:
    """The chosen registration ids, each once; None when one is no id."""
    try:
        ids = [str(uuid.UUID(str(i))) for i in form.getlist("registration_ids")]
    except ValueError:
        return None
    return list(dict.fromkeys(ids))


def _reason(form) -> str:
    return str(form.get("reason") or "").strip()


@router.get("/packages")
async def packages(request: Request, me: Viewer, api: Api, school_year: str = "",
                   done: str = ""):
    require_role(me, OPERATOR)
    year = school_year or await api.current_school_year()
    found = await api.get("packages", school_year=year, limit=500)
    return render(request, "operator/packages.html", packages=items(found),
                  year=year, done=DONE.get(done))


@router.get("/packages/edit")
async def package_form(request: Request, me: Viewer, api: Api, code: str = "",
                       school_year: str = ""):
    require_role(me, OPERATOR)
    year = school_year or await api.current_school_year()
    found = items(await api.get("packages", school_year=year, limit=500))
    package = next((p for p in found if p.get("code") == code),
                   {"code": code, "school_year": year, "on_sale": True})
    return render(request, "operator/package_form.html", package=package,
                  grades=GRADES, error=None, is_new=not code)


@router.post("/packages/edit")
async def save_package(request: Request, me: Viewer, api: Api):
    require_role(me, OPERATOR)
    same_origin(request)
    form = await request.form()
    package = _package_from(form)
    body = {k: v for k, v in package.items() if k != "code"}
    try:
        await api.call("PUT", f"packages/{package['code']}", body=body)
    except AppError as error:
        return render(request, "operator/package_form.html", error.status,
                      package=package, grades=GRADES, error=error,
                      is_new=form.get("is_new") == "1")
    year = package["school_year"]
    return RedirectResponse(f"/operator/packages?school_year={year}&done=saved",
                            303)


def _package_from(form) -> dict:
    price = str(form.get("price") or "").replace(".", "").replace(" ", "")
    courses = str(form.get("courses") or "").splitlines()
    return {"code": str(form.get("code") or "").strip(),
            "name": str(form.get("name") or "").strip(),
            "school_year": str(form.get("school_year") or "").strip(),
            "grades": [int(g) for g in form.getlist("grades") if str(g).isdigit()],
            "price": int(price) if price.isdigit() else price,
            "courses": [c.strip() for c in courses if c.strip()],
            "on_sale": form.get("on_sale") == "1"}


@router.get("/schools")
async def schools(request: Request, me: Viewer, api: Api):
    require_role(me, OPERATOR)
    found = await api.get("schools", limit=1000)
    return render(request, "operator/schools.html", schools=items(found),
                  total=found.get("total"))


@router.get("/schools/new")
async def school_form(request: Request, me: Viewer):
    require_role(me, OPERATOR)
    return render(request, "operator/school_form.html", form={}, error=None)


@router.post("/schools")
async def create_school(request: Request, me: Viewer, api: Api):
    require_role(me, OPERATOR)
    same_origin(request)
    form = await request.form()
    body = {"code": str(form.get("code") or "").strip(),
            "name": str(form.get("name") or "").strip(),
            "province": str(form.get("province") or "").strip(),
            "auto_approve": form.get("auto_approve") == "1"}
    try:
        await api.call("POST", "schools", body=body)
    except AppError as error:
        return render(request, "operator/school_form.html", error.status,
                      form=body, error=error)
    return RedirectResponse(f"/school/{body['code']}", 303)
