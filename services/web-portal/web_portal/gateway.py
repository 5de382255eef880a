"""/api/v1/* forwarded to the owning service, bodies streamed both ways."""

from __future__ import annotations

from urllib.parse import quote

import httpx
from fastapi import APIRouter, Request
from starlette.responses import StreamingResponse

from .backends import Backends
from .origin import same_origin
from .routing import InvalidPath, wire_segments

REQUEST_HEADERS = ("content-type", "content-length", "accept",
                   "accept-language", "accept-encoding", "last-event-id",
                   "if-none-match")
RESPONSE_HEADERS = ("content-type", "content-length", "content-disposition",
                    "content-encoding", "cache-control", "location", "etag",
                    "last-modified", "retry-after", "x-accel-buffering")
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def gateway_router() -> APIRouter:
    """The catch-all route under /api/v1."""
    router = APIRouter(tags=["gateway"])

    @router.api_route("/api/v1/{rest:path}", methods=METHODS,
                      include_in_schema=False)
    async def forward(request: Request) -> StreamingResponse:
        backends: Backends = request.app.state.backends
        api_path = _api_path(request)
        if request.method != "GET" and "authorization" not in request.headers:
            same_origin(request)
        answer = await backends.send(
            request.method, api_path, headers=forwarded_headers(request),
            params=list(request.query_params.multi_items()),
            content=_body(request), endless=_is_live_stream(request, api_path))
        return relay(answer)

    return router


def _api_path(request: Request) -> str:
    # Routed from the raw path: the decoded one has lost which "/" were
    # separators and which were sent as %2F inside a segment.
    raw = request.scope.get("raw_path") or \
        quote(request.url.path, safe="/").encode()
    segments = wire_segments(raw)
    if segments[:2] != ("api", "v1"):
        raise InvalidPath()
    return "/".join(segments[2:])


def forwarded_headers(request: Request) -> dict[str, str]:
    """The caller's headers a service needs; the cookie becomes a bearer."""
    headers = {k: v for k, v in request.headers.items() if k in REQUEST_HEADERS}
    headers.setdefault("accept-encoding", "identity")
    authorization = request.headers.get("authorization")
    token = request.cookies.get("hoclieu_token")
    if authorization:
        headers["authorization"] = authorization
    elif token:
        headers["authorization"] = f"Bearer {token}"
    return headers


def relay(answer: httpx.Response, extra: dict | None = None) -> StreamingResponse:
    """Stream a service's answer to the caller as it arrives."""
    headers = {k: v for k, v in answer.headers.items() if k in RESPONSE_HEADERS}
    if answer.headers.get("content-type", "").startswith("text/event-stream"):
        # Keep any proxy in front of the portal from holding events back.
        headers.update({"cache-control": "no-cache", "x-accel-buffering": "no"})
    headers.update(extra or {})
    return StreamingResponse(_chunks(answer), status_code=answer.status_code,
                             headers=headers)


async def _chunks(answer: httpx.Response):
    try:
        async for chunk in answer.aiter_raw():
            yield chunk
    finally:
        await answer.aclose()


def _body(request: Request):
    has_body = "content-length" in request.headers or \
        "transfer-encoding" in request.headers
    return request.stream() if has_body else None


def _is_live_stream(request: Request, api_path: str) -> bool:
    return api_path.rstrip("/").endswith("/stream") or \
        "text/event-stream" in request.headers.get("accept", "")
