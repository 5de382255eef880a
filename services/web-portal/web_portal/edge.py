"""Errors at the edge: JSON for /api and probes, Vietnamese pages for people."""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import RedirectResponse

from hoclieu_shared.errors import AppError, install_error_handlers
from hoclieu_shared.logs import current_correlation_id

from .pages.common import render

log = logging.getLogger(__name__)
_JSON_PREFIXES = ("/api/", "/healthz", "/readyz", "/metrics")
_PAGE_MESSAGES = {
    403: "Bạn không có quyền mở trang này.",
    404: "Không tìm thấy trang bạn yêu cầu.",
    405: "Thao tác này không được hỗ trợ.",
    413: "Tệp tải lên quá lớn.",
    422: "Dữ liệu gửi lên không hợp lệ; vui lòng kiểm tra lại.",
}
_UNEXPECTED = ("Hệ thống gặp lỗi ngoài dự kiến. Vui lòng thử lại sau; nếu vẫn "
               "lỗi, hãy báo cho bộ phận hỗ trợ kèm mã tra cứu.")


def install_edge(app: FastAPI) -> None:
    """The shared JSON handlers, with a page in their place for people."""
    install_error_handlers(app)
    as_json = dict(app.exception_handlers)
    for kind in (AppError, RequestValidationError, StarletteHTTPException,
                 Exception):
        app.add_exception_handler(kind, _dispatch(as_json[kind]))


def _dispatch(json_handler):
    async def handle(request: Request, exc: Exception):
        if request.url.path.startswith(_JSON_PREFIXES):
            return await json_handler(request, exc)
        return error_page(request, exc)

    return handle


def error_page(request: Request, exc: Exception):
    """The Vietnamese page for an error; sign-in when the user has none."""
    status, code, message = _describe(exc)
    if status == 401:
        target = quote(request.url.path, safe="/")
        return RedirectResponse(f"/login?next={target}", 303)
    if status >= 500 and not isinstance(exc, AppError):
        log.error("Unexpected error on a page", exc_info=exc)
    return render(request, "error.html", status, status=status, code=code,
                  message=message, correlation_id=current_correlation_id())


def _describe(exc: Exception) -> tuple[int, str, str]:
    if isinstance(exc, AppError):
        return exc.status, exc.code, exc.message
    if isinstance(exc, RequestValidationError):
        return 422, "invalid_request", _PAGE_MESSAGES[422]
    if isinstance(exc, StarletteHTTPException):
        status = exc.status_code
        return status, "http_error", _PAGE_MESSAGES.get(
            status, "Yêu cầu không thực hiện được.")
    return 500, "internal_error", _UNEXPECTED
