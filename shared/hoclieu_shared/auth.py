"""JWT bearer auth: who is calling, and may they touch this school or student."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Annotated, Literal

import jwt
from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from .errors import AppError, Forbidden, Unauthorized
from .logs import school_var

Role = Literal["school_admin", "misa_operator", "student"]
SCHOOL_ADMIN: Role = "school_admin"
OPERATOR: Role = "misa_operator"
STUDENT: Role = "student"
TOKEN_TTL_SECONDS = 12 * 3600


@dataclass(frozen=True)
class Principal:
    """The caller, as the token says."""

    sub: str
    role: Role
    school_code: str | None = None
    student_code: str | None = None

    @property
    def is_operator(self) -> bool:
        return self.role == OPERATOR


def issue_token(secret: str, principal: Principal,
                ttl: int = TOKEN_TTL_SECONDS) -> str:
    """Sign a token for the principal."""
    claims = {
        "sub": principal.sub,
        "role": principal.role,
        "school_code": principal.school_code,
        "student_code": principal.student_code,
        "exp": int(time.time()) + ttl,
    }
    return jwt.encode(
        {k: v for k, v in claims.items() if v is not None}, secret, "HS256"
    )


def decode_token(secret: str, token: str) -> Principal:
    """Verify a token and read its principal; raises Unauthorized."""
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"],
                            options={"require": ["exp", "sub", "role"]})
    except jwt.ExpiredSignatureError as error:
        raise Unauthorized("token_expired",
                           "Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại.",
                           ) from error
    except jwt.PyJWTError as error:
        raise Unauthorized("invalid_token", "Mã đăng nhập không hợp lệ.") from error
    if claims["role"] not in (SCHOOL_ADMIN, OPERATOR, STUDENT):
        raise Unauthorized("invalid_token", "Vai trò trong mã đăng nhập không hợp lệ.")
    return Principal(claims["sub"], claims["role"], claims.get("school_code"),
                     claims.get("student_code"))


def bearer_token(request: Request) -> str | None:
    """The token from the Authorization header, or the portal's cookie."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.cookies.get("hoclieu_token")


def current_principal(request: Request) -> Principal:
    """FastAPI dependency: the verified caller."""
    token = bearer_token(request)
    if not token:
        raise Unauthorized("unauthorized", "Bạn cần đăng nhập để tiếp tục.")
    principal = decode_token(request.app.state.settings.auth_jwt_secret, token)
    school_var.set(principal.school_code)
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_role(principal: Principal, *roles: Role) -> None:
    """Refuse callers whose role is not one of these."""
    if principal.role not in roles:
        raise Forbidden("forbidden_role",
                        "Vai trò của bạn không được phép thực hiện thao tác này.")


def require_school(principal: Principal, school_code: str) -> None:
    """Operators see every school; a school admin only their own."""
    if principal.is_operator:
        return
    if principal.role == SCHOOL_ADMIN and principal.school_code == school_code:
        return
    raise Forbidden("forbidden_school",
                    "Bạn không có quyền với dữ liệu của trường này.")


def require_student(principal: Principal, school_code: str, student_code: str) -> None:
    """A student sees only themself; their school's admin and operators too."""
    if principal.role == STUDENT:
        if (principal.school_code, principal.student_code) == (school_code,
                                                               student_code):
            return
        raise Forbidden("forbidden_student",
                        "Bạn chỉ xem được thông báo của chính mình.")
    require_school(principal, school_code)


class DevTokenRequest(BaseModel):
    role: Role
    school_code: str | None = None
    student_code: str | None = None


def dev_login_router() -> APIRouter:
    """POST /api/v1/auth/dev-token: tokens for the local run only."""
    router = APIRouter()

    @router.post("/api/v1/auth/dev-token", tags=["auth"])
    async def dev_token(body: DevTokenRequest, request: Request) -> dict:
        settings = request.app.state.settings
        if not settings.auth_dev_login:
            raise AppError("dev_login_disabled",
                           "Đăng nhập thử chỉ dùng được khi chạy cục bộ.", status=404)
        _check_dev_claims(body)
        sub = body.student_code or body.school_code or "operator"
        principal = Principal(f"dev:{body.role}:{sub}", body.role,
                              body.school_code, body.student_code)
        token = issue_token(settings.auth_jwt_secret, principal)
        return {"access_token": token, "token_type": "bearer"}

    return router


def _check_dev_claims(body: DevTokenRequest) -> None:
    if body.role in (SCHOOL_ADMIN, STUDENT) and not body.school_code:
        raise AppError("school_required", "Vui lòng chọn trường.", status=422)
    if body.role == STUDENT and not body.student_code:
        raise AppError("student_required", "Vui lòng nhập mã học sinh.", status=422)
