"""What every page shares: the signed-in user, rendering, calls to services."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from jinja2 import Environment, FileSystemLoader
from starlette.responses import HTMLResponse, StreamingResponse

from hoclieu_shared.auth import Principal, decode_token
from hoclieu_shared.errors import AppError, NotFound, Unauthorized

from ..backends import Backends, error_from
from ..gateway import relay
from .formats import FILTERS

COOKIE = "hoclieu_token"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                  trim_blocks=True, lstrip_blocks=True)
ENV.filters.update(FILTERS)
ROLE_VI = {"school_admin": "Cán bộ tin học", "misa_operator": "Nhân viên MISA",
           "student": "Học sinh"}
ENV.globals["role_vi"] = ROLE_VI


def viewer_or_none(request: Request) -> Principal | None:
    """The user of the cookie, or None when there is no valid one."""
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    try:
        return decode_token(request.app.state.settings.auth_jwt_secret, token)
    except AppError:
        return None


def viewer(request: Request) -> Principal:
    """The signed-in user; refuses (to the sign-in page) when there is none."""
    principal = viewer_or_none(request)
    if principal is None:
        raise Unauthorized("unauthorized", "Bạn cần đăng nhập để tiếp tục.")
    return principal


Viewer = Annotated[Principal, Depends(viewer)]


def render(request: Request, template: str, http_status: int = 200, /,
           **context) -> HTMLResponse:
    """A page from its template, with the user and the request in reach."""
    context.setdefault("me", viewer_or_none(request))
    context["request"] = request
    context.setdefault("school_year",
                       request.app.state.settings.default_school_year)
    html = ENV.get_template(template).render(context)
    return HTMLResponse(html, status_code=http_status)


class PageApi:
    """The services as a page sees them: JSON in, Vietnamese errors out."""

    def __init__(self, request: Request):
        self.request = request
        self.backends: Backends = request.app.state.backends
        token = request.cookies.get(COOKIE, "")
        self.headers = {"authorization": f"Bearer {token}",
                        "accept": "application/json"}

    async def call(self, method: str, path: str, *, params=None,
                   body=None) -> dict:
        """Call a service and answer its JSON; raises AppError on failure."""
        answer = await self.backends.send(method, path, headers=self.headers,
                                          params=params, json_body=body)
        if answer.status_code >= 400:
            raise await error_from(answer)
        payload = await answer.aread()
        await answer.aclose()
        return json.loads(payload) if payload.strip() else {}

    async def get(self, path: str, **params) -> dict:
        """GET a service's JSON, dropping empty query values."""
        clean = {k: v for k, v in params.items() if v not in (None, "")}
        return await self.call("GET", path, params=clean)

    async def optional(self, path: str, **params) -> dict | None:
        """GET a route a service may not have yet: None when it answers 404."""
        try:
            return await self.get(path, **params)
        except NotFound:
            return None
        except AppError as error:
            if error.status == 404:
                return None
            raise

    async def download(self, method: str, path: str, *, params=None,
                       body=None) -> StreamingResponse:
        """Stream a file from a service; its errors become pages."""
        answer = await self.backends.send(method, path, headers=self.headers,
                                          params=params, json_body=body)
        if answer.status_code >= 400:
            raise await error_from(answer)
        return relay(answer)

    async def school_years(self) -> list[str]:
        """The school years of the catalogue, newest first; the setting's
        year when the catalogue is empty or out of reach."""
        try:
            found = items(await self.get("packages", limit=1000))
        except AppError:
            found = []
        years = {str(p["school_year"]) for p in found if p.get("school_year")}
        fallback = self.request.app.state.settings.default_school_year
        return sorted(years or {fallback}, reverse=True)

    async def current_school_year(self) -> str:
        """The year pages start from: the newest one in the catalogue."""
        return (await self.school_years())[0]

    async def upload(self, path: str) -> dict:
        """Forward the page's own multipart body to a service, unbuffered."""
        headers = {**self.headers,
                   "content-type": self.request.headers.get("content-type", "")}
        if "content-length" in self.request.headers:
            headers["content-length"] = self.request.headers["content-length"]
        answer = await self.backends.send("POST", path, headers=headers,
                                          content=self.request.stream())
        if answer.status_code >= 400:
            raise await error_from(answer)
        payload = await answer.aread()
        await answer.aclose()
        return json.loads(payload) if payload.strip() else {}


def page_api(request: Request) -> PageApi:
    """FastAPI dependency: the services for this page."""
    return PageApi(request)


Api = Annotated[PageApi, Depends(page_api)]


def items(answer: dict | list | None) -> list:
    """The items of a list answer, whatever its wrapping."""
    if isinstance(answer, list):
        return answer
    if isinstance(answer, dict):
        return answer.get("items") or []
    return []
