"""Sign-in for the local run (the dev login), sign-out, and the home redirect."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse

from hoclieu_shared.auth import (
    OPERATOR,
    SCHOOL_ADMIN,
    STUDENT,
    TOKEN_TTL_SECONDS,
    Principal,
    issue_token,
)

from ..origin import same_origin
from .common import COOKIE, render, viewer_or_none

router = APIRouter(include_in_schema=False)
ROLES = (SCHOOL_ADMIN, OPERATOR, STUDENT)


def home_of(principal: Principal) -> str:
    """Where each role starts."""
    if principal.role == SCHOOL_ADMIN:
        return f"/school/{principal.school_code}"
    if principal.role == STUDENT:
        return "/student"
    return "/operator"


@router.get("/")
async def home(request: Request):
    me = viewer_or_none(request)
    return RedirectResponse(home_of(me) if me else "/login", 303)


@router.get("/login")
async def login_page(request: Request, next: str = ""):
    return render(request, "login.html", form={}, errors={}, next=next,
                  enabled=request.app.state.settings.auth_dev_login)


@router.post("/login")
async def login(request: Request):
    same_origin(request)
    form = {k: str(v).strip() for k, v in (await request.form()).items()}
    errors = _login_errors(form)
    settings = request.app.state.settings
    if errors or not settings.auth_dev_login:
        return render(request, "login.html", 422, form=form, errors=errors,
                      next=form.get("next", ""), enabled=settings.auth_dev_login)
    principal = _principal(form)
    token = issue_token(settings.auth_jwt_secret, principal)
    response = RedirectResponse(_safe_next(form.get("next"), principal), 303)
    response.set_cookie(COOKIE, token, max_age=TOKEN_TTL_SECONDS, httponly=True,
                        samesite="lax", secure=settings.environment != "local")
    return response


@router.post("/logout")
async def logout(request: Request):
    same_origin(request)
    response = RedirectResponse("/login", 303)
    response.delete_cookie(COOKIE)
    return response


def _login_errors(form: dict) -> dict[str, str]:
    role = form.get("role")
    if role not in ROLES:
        return {"role": "Vui lòng chọn vai trò."}
    errors = {}
    if role in (SCHOOL_ADMIN, STUDENT) and not form.get("school_code"):
        errors["school_code"] = "Vui lòng nhập mã trường."
    if role == STUDENT and not form.get("student_code"):
        errors["student_code"] = "Vui lòng nhập mã học sinh."
    return errors


def _principal(form: dict) -> Principal:
    role = form["role"]
    school = form.get("school_code") if role != OPERATOR else None
    student = form.get("student_code") if role == STUDENT else None
    sub = student or school or "operator"
    return Principal(f"dev:{role}:{sub}", role, school or None, student or None)


def _safe_next(target: str | None, principal: Principal) -> str:
    # Only a path on this site: never an open redirect to another host.
    if target and target.startswith("/") and not target.startswith("//") \
            and "\\" not in target:
        return target
    return home_of(principal)
