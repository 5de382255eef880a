"""Bước 2, the import wizard: upload, sheet, mapping, check, results, commit."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse

from ..origin import same_origin
from .common import Api, Viewer, items
from .school import guard, school_page

router = APIRouter(prefix="/school/{school}/imports", include_in_schema=False)
TABS = ("valid", "invalid", "superseded", "skipped")
ROWS_PER_PAGE = 200
# The fields the import-service maps (its ColumnMapping.columns), in the
# order a person reads a registration sheet.
FIELD_LABELS = {
    "student_code": "Mã học sinh", "full_name": "Họ và tên học sinh",
    "date_of_birth": "Ngày sinh", "class_name": "Lớp",
    "parent_name": "Họ tên phụ huynh", "parent_phone": "Số điện thoại phụ huynh",
    "package_list": "Gói học liệu đăng ký (một ô liệt kê các gói)",
    "submitted_at": "Dấu thời gian (Google Biểu mẫu)", "notes": "Ghi chú",
}


@router.get("/new")
async def new_import(request: Request, school: str, me: Viewer, api: Api):
    guard(me, school)
    return await school_page(request, api, school, "school/import_new.html")


@router.post("")
async def upload(request: Request, school: str, me: Viewer, api: Api):
    guard(me, school)
    same_origin(request)
    created = await api.upload(f"schools/{school}/imports")
    return RedirectResponse(f"/school/{school}/imports/{created['id']}", 303)


@router.get("/{import_id}")
async def show(request: Request, school: str, import_id: str, me: Viewer,
               api: Api, tab: str = "valid", page: int = 0):
    guard(me, school)
    found = await api.get(f"imports/{import_id}")
    stage = stage_of(found)
    tab = tab if tab in TABS else "valid"
    rows = await _rows(api, found, tab, max(page, 0)) if stage == "checked" \
        else {"items": [], "total": 0}
    return await school_page(
        request, api, school, "school/import.html", imp=found, stage=stage,
        tab=tab, rows=items(rows), rows_total=rows.get("total", 0),
        page=max(page, 0), per_page=ROWS_PER_PAGE,
        mapping_fields=_mapping_fields(found), columns=_columns(found),
        mapping_rest=_mapping_rest(found), progress=progress_percent(found))


@router.post("/{import_id}/check")
async def check(request: Request, school: str, import_id: str, me: Viewer,
                api: Api):
    guard(me, school)
    same_origin(request)
    form = await request.form()
    body: dict = {"sheet": str(form.get("sheet") or "")}
    if "mapping_rest" in form:
        body["mapping"] = mapping_from(form)
    await api.call("POST", f"imports/{import_id}/check", body=body)
    return RedirectResponse(f"/school/{school}/imports/{import_id}", 303)


@router.get("/{import_id}/records.xlsx")
async def records(school: str, import_id: str, me: Viewer, api: Api,
                  only: str = "all"):
    guard(me, school)
    only = only if only in ("all", "invalid") else "all"
    return await api.download("GET", f"imports/{import_id}/records.xlsx",
                              params={"only": only})


@router.post("/{import_id}/commit")
async def commit(request: Request, school: str, import_id: str, me: Viewer,
                 api: Api):
    guard(me, school)
    same_origin(request)
    await api.call("POST", f"imports/{import_id}/commit", body={})
    return RedirectResponse(f"/school/{school}/imports/{import_id}", 303)


def mapping_from(form) -> dict:
    """The confirmed mapping: the proposal with the columns the user chose."""
    try:
        mapping = json.loads(str(form.get("mapping_rest") or "{}"))
    except ValueError:
        mapping = {}
    columns = {}
    for key, value in form.items():
        if key.startswith("map:") and str(value).isdigit():
            columns[key[4:]] = int(value)
    mapping["columns"] = columns
    return mapping


def stage_of(found: dict) -> str:
    """Which step of the wizard an import is at."""
    if found.get("batch") or found.get("batch_id"):
        return "committed"
    status = found.get("status")
    if status in ("checking", "needs_mapping", "checked", "committed"):
        return status
    return "choose_sheet"


def progress_percent(found: dict) -> int:
    """The check's progress as 0-100, whatever way the service writes it."""
    progress = found.get("progress")
    if isinstance(progress, dict) and "percent" in progress:
        return int(progress["percent"] or 0)
    if isinstance(progress, dict):
        done, total = progress.get("done", 0), progress.get("total") or 0
        return int(100 * done / total) if total else 0
    if isinstance(progress, int | float):
        return int(progress * 100 if progress <= 1 else progress)
    return 0


async def _rows(api, found: dict, tab: str, page: int) -> dict:
    return await api.get(f"imports/{found['id']}/rows", status=tab,
                         limit=ROWS_PER_PAGE, offset=page * ROWS_PER_PAGE)


def _mapping_fields(found: dict) -> list[tuple[str, str, int | None]]:
    chosen = (found.get("mapping") or {}).get("columns") or {}
    return [(field, label, chosen.get(field))
            for field, label in FIELD_LABELS.items()]


def _mapping_rest(found: dict) -> str:
    mapping = dict(found.get("mapping") or {})
    mapping.pop("columns", None)
    for shown in ("certain", "problems"):
        mapping.pop(shown, None)
    return json.dumps(mapping, ensure_ascii=False)


def _columns(found: dict) -> list[tuple[int, str]]:
    """(index, label) of the sheet's columns: letter, and header when known."""
    headers = found.get("headers") or []
    mapping = found.get("mapping") or {}
    used = [*((mapping.get("columns") or {}).values()),
            *(int(k) for k in (mapping.get("package_columns") or {}))]
    width = max(len(headers), max(used, default=-1) + 4, 8)
    return [(i, _letter(i) + (f" — {headers[i]}" if i < len(headers)
                              and headers[i] else ""))
            for i in range(width)]


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return "Cột " + letters
