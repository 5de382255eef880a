"""HTTP calls to the back-end services, routed by the one routing table."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterable

import httpx

from hoclieu_shared.errors import AppError, NotFound
from hoclieu_shared.logs import current_correlation_id

from .routing import (
    SERVICE_NAMES_VI,
    InvalidPath,
    checked_segments,
    forwarded_path,
    owner_of,
)
from .settings import PortalSettings

log = logging.getLogger(__name__)
CORRELATION_HEADER = "X-Correlation-ID"

_STATUS_MESSAGES = {
    400: "Yêu cầu không hợp lệ.",
    401: "Bạn cần đăng nhập để tiếp tục.",
    403: "Bạn không có quyền thực hiện thao tác này.",
    404: "Không tìm thấy dữ liệu yêu cầu.",
    409: "Dữ liệu đã thay đổi hoặc bị trùng; vui lòng tải lại trang.",
    413: "Tệp tải lên quá lớn.",
    422: "Dữ liệu gửi lên không hợp lệ.",
}


class ServiceUnavailable(AppError):
    """The owning service did not answer."""

    status = 503

    def __init__(self, owner: str):
        name = SERVICE_NAMES_VI.get(owner, owner)
        super().__init__(
            "service_unavailable",
            f"Hệ thống tạm thời chưa kết nối được {name}. "
            "Vui lòng thử lại sau ít phút.",
            details={"service": owner})


class ServiceTimeout(AppError):
    """The owning service took too long to answer."""

    status = 504

    def __init__(self, owner: str):
        name = SERVICE_NAMES_VI.get(owner, owner)
        super().__init__(
            "service_timeout",
            f"{name.capitalize()} trả lời quá chậm. Vui lòng thử lại sau.",
            details={"service": owner})


class Backends:
    """One pooled HTTP client to every back-end service."""

    def __init__(self, settings: PortalSettings,
                 transport: httpx.AsyncBaseTransport | None = None):
        self.urls = settings.service_urls()
        self.read_timeout = settings.backend_timeout_seconds
        # Each open live stream holds a connection for as long as the page
        # stays open, so the pool must be far larger than httpx's default.
        limits = httpx.Limits(max_connections=settings.backend_max_connections,
                              max_keepalive_connections=100)
        self.client = httpx.AsyncClient(
            transport=transport, follow_redirects=False, limits=limits,
            timeout=httpx.Timeout(self.read_timeout, connect=3.0, pool=5.0))

    async def close(self) -> None:
        """Close the connection pool."""
        await self.client.aclose()

    def target(self, api_path: str) -> tuple[str, str]:
        """The owner and full URL of a decoded path under /api/v1/.

        The path is routed in exactly the form it is sent on, so no segment
        can climb out of the route that matched it."""
        path = forwarded_path(checked_segments(api_path))
        owner = owner_of(path)
        if owner is None:
            raise NotFound("not_found", "Không tìm thấy địa chỉ yêu cầu.")
        return owner, f"{self.urls[owner]}/api/v1/{path}"

    async def send(self, method: str, api_path: str, *,
                   headers: dict[str, str], params=None, json_body=None,
                   content: AsyncIterable[bytes] | bytes | None = None,
                   endless: bool = False) -> httpx.Response:
        """Send a request to the owner; the answer's body is left unread."""
        owner, url = self.target(api_path)
        headers = {**headers, CORRELATION_HEADER: current_correlation_id()}
        # A live stream (SSE) may stay quiet for long; nothing else may.
        timeout = httpx.Timeout(None if endless else self.read_timeout,
                                connect=3.0, pool=5.0)
        try:
            request = self.client.build_request(
                method, url, headers=headers, params=params, json=json_body,
                content=content, timeout=timeout)
        except httpx.InvalidURL as error:
            # Checked segments leave little for httpx to refuse (a URL too
            # long, say), but a client's URL must never become a 500.
            raise InvalidPath() from error
        try:
            return await self.client.send(request, stream=True)
        except (httpx.ConnectError, httpx.ConnectTimeout,
                httpx.RemoteProtocolError) as error:
            log.warning("Service %s unreachable: %s", owner,
                        type(error).__name__, extra={"service_target": owner})
            raise ServiceUnavailable(owner) from error
        except httpx.TimeoutException as error:
            log.warning("Service %s timed out", owner,
                        extra={"service_target": owner})
            raise ServiceTimeout(owner) from error

    async def readiness(self, timeout: float) -> dict[str, str]:
        """Each service's /readyz answer, as "ok" or what is wrong."""
        owners = list(self.urls)
        answers = await asyncio.gather(
            *(self._probe(f"{self.urls[o]}/readyz", timeout) for o in owners))
        return dict(zip(owners, answers, strict=True))

    async def _probe(self, url: str, timeout: float) -> str:
        try:
            answer = await self.client.get(url, timeout=timeout)
        except httpx.HTTPError as error:
            return f"unavailable: {type(error).__name__}"
        return "ok" if answer.status_code == 200 else \
            f"not ready: HTTP {answer.status_code}"


async def error_from(response: httpx.Response) -> AppError:
    """The service's error answer as an AppError with its Vietnamese message."""
    body = await response.aread()
    await response.aclose()
    error = _error_object(body)
    message = error.get("message") or _STATUS_MESSAGES.get(
        response.status_code, "Yêu cầu không thực hiện được. Vui lòng thử lại.")
    code = error.get("code") or "http_error"
    return AppError(str(code), str(message), status=response.status_code,
                    details=error.get("details"))


def _error_object(body: bytes) -> dict:
    try:
        parsed = json.loads(body)
    except ValueError:
        return {}
    error = parsed.get("error") if isinstance(parsed, dict) else None
    return error if isinstance(error, dict) else {}
