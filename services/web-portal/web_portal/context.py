"""Per-request correlation id and metrics, as plain ASGI so streams flow."""

from __future__ import annotations

import logging
import time

from hoclieu_shared.logs import correlation_id_var, new_correlation_id
from hoclieu_shared.metrics import HTTP_LATENCY, HTTP_REQUESTS

CORRELATION_HEADER = b"x-correlation-id"
# Probes and assets would drown the lines that matter.
QUIET_ROUTES = {"/healthz", "/readyz", "/metrics"}
log = logging.getLogger("web_portal.access")


class RequestContext:
    """Sets the correlation id, echoes it, and counts each answer."""

    def __init__(self, app, service: str):
        self.app = app
        self.service = service

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        correlation_id = _incoming_id(scope) or new_correlation_id()
        correlation_id_var.set(correlation_id)
        status = {"code": 500}
        started = time.perf_counter()

        async def send_with_id(message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (CORRELATION_HEADER, correlation_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._observe(scope, status["code"], time.perf_counter() - started)

    def _observe(self, scope, status: int, seconds: float) -> None:
        route = getattr(scope.get("route"), "path", "unmatched")
        method = scope["method"]
        if route not in QUIET_ROUTES and not scope["path"].startswith("/static/"):
            log.info("%s %s answered %d in %.0f ms", method, scope["path"], status,
                     seconds * 1000, extra={"http_status": status})
        HTTP_REQUESTS.labels(self.service, method, route, str(status)).inc()
        HTTP_LATENCY.labels(self.service, method, route).observe(seconds)


def _incoming_id(scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == CORRELATION_HEADER:
            # Bounded and printable: it lands in every log line.
            text = value.decode("latin-1")[:64]
            return text if text.isprintable() and text.strip() else None
    return None
