"""The error shape of the API and the one place errors become HTTP answers."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from .logs import current_correlation_id

log = logging.getLogger(__name__)


class AppError(Exception):
    """An error the user can act on: a stable code and a Vietnamese message."""

    status = 400

    def __init__(self, code: str, message: str, *, status: int | None = None,
                 details: object = None, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers or {}
        if status is not None:
            self.status = status


class NotFound(AppError):
    status = 404


class Forbidden(AppError):
    status = 403


class Unauthorized(AppError):
    status = 401


class Conflict(AppError):
    status = 409


class ServiceBusy(AppError):
    """Too much work right now; the client should retry after some seconds."""

    status = 503

    def __init__(self, code: str, message: str, *, retry_after: int):
        super().__init__(code, message, headers={"Retry-After": str(retry_after)})


_HTTP_MESSAGES = {
    401: ("unauthorized", "Bạn cần đăng nhập để tiếp tục."),
    403: ("forbidden", "Bạn không có quyền thực hiện thao tác này."),
    404: ("not_found", "Không tìm thấy địa chỉ yêu cầu."),
    405: ("method_not_allowed", "Thao tác này không được hỗ trợ."),
    413: ("payload_too_large", "Tệp tải lên quá lớn."),
}


def error_body(code: str, message: str, details: object = None) -> dict:
    """The JSON body of every error answer."""
    error: dict = {"code": code, "message": message}
    if details is not None:
        error["details"] = details
    error["correlation_id"] = current_correlation_id()
    return {"error": error}


async def _app_error(_: Request, exc: AppError) -> JSONResponse:
    return JSONResponse(error_body(exc.code, exc.message, exc.details), exc.status,
                        headers=exc.headers)


async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
    fields = [
        {"field": ".".join(str(p) for p in e["loc"][1:]), "problem": e["type"]}
        for e in exc.errors()
    ]
    message = "Dữ liệu gửi lên không hợp lệ; vui lòng kiểm tra lại các trường."
    return JSONResponse(error_body("invalid_request", message, fields), 422)


async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
    code, message = _HTTP_MESSAGES.get(
        exc.status_code, ("http_error", "Yêu cầu không thực hiện được.")
    )
    return JSONResponse(error_body(code, message), exc.status_code)


async def _unexpected_error(_: Request, exc: Exception) -> JSONResponse:
    log.error("Unexpected error while handling a request", exc_info=exc)
    message = (
        "Hệ thống gặp lỗi ngoài dự kiến. Vui lòng thử lại sau; nếu vẫn lỗi, "
        "hãy báo cho bộ phận hỗ trợ kèm mã tra cứu."
    )
    return JSONResponse(error_body("internal_error", message), 500)


def install_error_handlers(app: FastAPI) -> None:
    """Translate every error at the HTTP edge into the DESIGN.md §5 shape."""
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
