"""The student's inbox, live over Server-Sent Events, and active packages."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse

from hoclieu_shared.auth import STUDENT, require_role
from hoclieu_shared.errors import AppError

from ..origin import same_origin
from .common import Api, Viewer, items, render

router = APIRouter(prefix="/student", include_in_schema=False)


@router.get("")
async def inbox(request: Request, me: Viewer, api: Api):
    require_role(me, STUDENT)
    base = f"students/{me.school_code}/{me.student_code}/notifications"
    found = await api.get(base, limit=100)
    notes = items(found)
    record = await _record(api, me)
    names = {**_names_in(notes), **await _package_names(api)}
    return render(request, "student/inbox.html", notes=notes,
                  unread=found.get("unread", 0), total=found.get("total"),
                  record=record, names=names,
                  packages=_packages(record, notes, names),
                  stream_url=_stream_url(base, found.get("last_event_id")))


def _stream_url(base: str, last_event_id) -> str:
    # Start the live stream where the rendered inbox ends, so nothing that
    # arrives in between is missed.
    url = f"/api/v1/{base}/stream"
    if isinstance(last_event_id, int):
        url += f"?last_event_id={last_event_id}"
    return url


@router.post("/notifications/{note}/read")
async def mark_read(request: Request, note: str, me: Viewer, api: Api):
    require_role(me, STUDENT)
    same_origin(request)
    base = f"students/{me.school_code}/{me.student_code}/notifications"
    await api.call("POST", f"{base}/{note}/read", body={})
    return RedirectResponse("/student", 303)


async def _record(api, me) -> dict | None:
    # A student may not be allowed to read their own roster record; the inbox
    # then stands in for it.
    try:
        return await api.get(f"schools/{me.school_code}/students/{me.student_code}")
    except AppError:
        return None


async def _package_names(api) -> dict[str, str]:
    try:
        return {p.get("code"): p.get("name") for p in items(await api.get(
            "packages", limit=500))}
    except AppError:
        return {}


def _names_in(notes: list) -> dict[str, str]:
    # Each notification names its packages (package_names, in the order of
    # package_codes), so a student who may not read the catalogue sees them.
    return {code: name for n in notes
            for code, name in zip(n.get("package_codes") or [],
                                  n.get("package_names") or [], strict=False)
            if name}


def _packages(record: dict | None, notes: list,
              names: dict[str, str]) -> list[dict]:
    if record and record.get("packages") is not None:
        codes = list(record["packages"])
    else:
        codes = list(dict.fromkeys(
            code for n in notes
            for code in (n.get("package_codes") or [n.get("package_code")])
            if code))
    return [{"code": c, "name": names.get(c) or ""} for c in codes]
