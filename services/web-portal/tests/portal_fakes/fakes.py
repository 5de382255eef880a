"""Small stateful fakes of the four services, answering DESIGN.md §5 shapes.

They stand in for the real services in the portal's tests: enough behaviour
for the whole loop (roster, accounts, template, import check and commit,
approval, activation, notification pushed over SSE), none of the real rules.
"""

from __future__ import annotations

import asyncio
import io
import itertools
import json
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import SimpleNamespace

import openpyxl
from fastapi import APIRouter, FastAPI, Request, UploadFile
from fastapi.responses import JSONResponse, Response, StreamingResponse

from hoclieu_shared.auth import (
    OPERATOR,
    SCHOOL_ADMIN,
    CurrentPrincipal,
    require_role,
    require_school,
    require_student,
)
from hoclieu_shared.errors import AppError, NotFound, install_error_handlers
from hoclieu_shared.settings import LOCAL_JWT_SECRET

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The import-service's proposal for a Google Form export: column indexes.
FORM_MAPPING = {"kind": "google-form", "header_row": 0, "columns": {
    "submitted_at": 0, "full_name": 1, "class_name": 2, "parent_name": 3,
    "parent_phone": 4, "package_list": 5}, "package_columns": {},
    "ignored_columns": [], "certain": False,
    "problems": ["Chưa chắc cột nào là lớp; hãy kiểm tra lại."]}


def now() -> str:
    return datetime.now(UTC).isoformat()


def fold(text) -> str:
    """Lower case without diacritics or spaces, for loose matching."""
    text = unicodedata.normalize("NFD", str(text or "")).replace("đ", "d")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", "", text.replace("Đ", "D").lower())


@dataclass
class World:
    """Everything the fakes know, shared by the four of them."""

    schools: dict = field(default_factory=dict)
    packages: dict = field(default_factory=dict)
    students: dict = field(default_factory=dict)
    imports: dict = field(default_factory=dict)
    batches: dict = field(default_factory=dict)
    notes: dict = field(default_factory=dict)
    calls: list = field(default_factory=list)
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    last_upload: dict = field(default_factory=dict)
    streams_busy: bool = False  # the stream answers 503 service_busy

    def next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self.ids)}"

    def notify(self, school: str, student: str, title: str, body: str,
               package: str | None = None, name: str | None = None) -> dict:
        notes = self.notes.setdefault((school, student), [])
        note = {"id": self.next_id("n"), "seq": len(notes) + 1, "title": title,
                "body": body, "package_code": package,
                "package_codes": [package] if package else [],
                "package_names": [name or package] if package else [],
                "created_at": now(), "read_at": None}
        self.notes.setdefault((school, student), []).append(note)
        return note


def _app(world: World, name: str, router: APIRouter) -> FastAPI:
    app = FastAPI(title=f"fake {name}")
    app.state.settings = SimpleNamespace(auth_jwt_secret=LOCAL_JWT_SECRET,
                                         auth_dev_login=True)
    install_error_handlers(app)

    @app.middleware("http")
    async def record(request: Request, call_next):
        world.calls.append({
            "service": name, "method": request.method, "path": request.url.path,
            "raw_path": request.scope.get("raw_path", b"").decode("ascii"),
            "query": request.url.query,
            "authorization": request.headers.get("authorization"),
            "correlation_id": request.headers.get("x-correlation-id")})
        return await call_next(request)

    @app.get("/readyz")
    async def readyz():
        return {"ready": True, "checks": {"database": "ok", "broker": "ok"}}

    app.include_router(router)
    return app


def build_fakes(world: World) -> dict[str, FastAPI]:
    """The four fake services by the portal's short names."""
    return {"activation": _app(world, "activation", activation(world)),
            "template": _app(world, "template", template(world)),
            "import": _app(world, "import", importer(world)),
            "notification": _app(world, "notification", notifier(world))}


def _page(rows: list, limit: int = 100, offset: int = 0) -> dict:
    return {"items": rows[offset:offset + limit], "total": len(rows)}


def _xlsx(title: str, rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _download(data: bytes, name: str) -> Response:
    return Response(data, media_type=XLSX, headers={
        "content-disposition": f'attachment; filename="{name}"'})


def _table(data: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


def _header_at(rows: list[tuple], word: str) -> int:
    for index, row in enumerate(rows):
        if any(fold(word) == fold(c) for c in row if c):
            return index
    raise AppError("no_header", f"Không tìm thấy dòng tiêu đề có cột {word}.")


def activation(world: World) -> APIRouter:
    """Schools, students, accounts, catalogue."""
    api = APIRouter(prefix="/api/v1")

    @api.post("/schools", status_code=201)
    async def create_school(body: dict, me: CurrentPrincipal):
        if body["code"] in world.schools:
            raise AppError("school_exists", "Mã trường đã tồn tại.", status=409)
        world.schools[body["code"]] = dict(body)
        return world.schools[body["code"]]

    @api.get("/schools")
    async def schools(me: CurrentPrincipal):
        return _page(list(world.schools.values()), 1000)

    @api.get("/schools/{school}")
    async def get_school(school: str, me: CurrentPrincipal):
        require_school(me, school)
        if school not in world.schools:
            raise NotFound("school_not_found", "Không tìm thấy trường.")
        return world.schools[school]

    @api.get("/schools/{school}/summary")
    async def summary(school: str, me: CurrentPrincipal):
        require_school(me, school)
        return _summary(world, school)

    @api.get("/schools/{school}/classes")
    async def classes(school: str, me: CurrentPrincipal):
        require_school(me, school)
        counts: dict[str, list[int]] = {}
        for st in world.students.get(school, {}).values():
            seen = counts.setdefault(st["class_name"], [0, 0])
            seen[0] += 1
            seen[1] += 1 if st["account"] else 0
        rows = [{"name": n, "grade": int(n[0]), "students": c, "accounts": a}
                for n, (c, a) in sorted(counts.items())]
        return _page(rows, 1000)

    @api.get("/schools/{school}/students")
    async def students(school: str, me: CurrentPrincipal, request: Request,
                       limit: int = 100, offset: int = 0):
        require_school(me, school)
        wanted = request.query_params.get("class")
        rows = [s for s in world.students.get(school, {}).values()
                if not wanted or s["class_name"] == wanted]
        return _page(rows, limit, offset)

    @api.get("/schools/{school}/students/{student}")
    async def student(school: str, student: str, me: CurrentPrincipal):
        require_student(me, school, student)
        return _student(world, school, student)

    @api.put("/schools/{school}/students/{student}/packages")
    async def activate(school: str, student: str, body: dict,
                       me: CurrentPrincipal):
        require_school(me, school)
        record = _student(world, school, student)
        phone = re.sub(r"\D", "", body.get("parent_phone") or "")
        if not re.fullmatch(r"0\d{9}", phone):
            raise AppError("invalid_phone", "Số điện thoại không hợp lệ.",
                           status=422, details={"field": "parent_phone"})
        record.update(parent_name=body.get("parent_name"), parent_phone=phone,
                      packages=sorted(set(body.get("package_codes") or [])))
        return {**record, "notes": ["Đã kích hoạt các gói đã chọn."]}

    @api.post("/schools/{school}/roster")
    async def roster(school: str, file: UploadFile, me: CurrentPrincipal):
        require_school(me, school)
        data = await file.read()
        created = _load_roster(world, school, data)
        return {"file_name": file.filename, "sheet": None, "rows": created,
                "created": created, "updated": 0, "unchanged": 0, "invalid": 0,
                "invalid_rows": [], "notes": []}

    @api.post("/schools/{school}/accounts")
    async def accounts(school: str, me: CurrentPrincipal, request: Request):
        require_school(me, school)
        rows = [["Lớp", "Họ và tên", "Tên đăng nhập", "Mật khẩu"]]
        for st in world.students.get(school, {}).values():
            if st["account"] is None:
                st["account"] = {"username": st["code"].lower(), "status": "active"}
                rows.append([st["class_name"], st["full_name"], st["code"].lower(),
                             "Mk" + st["code"][-4:]])
        return _download(_xlsx("Phiếu tài khoản", rows), "phieu-tai-khoan.xlsx")

    @api.get("/schools/{school}/accounts.xlsx")
    async def account_list(school: str, me: CurrentPrincipal):
        require_school(me, school)
        return _download(_xlsx("Tài khoản", [["Tên đăng nhập"]]), "tai-khoan.xlsx")

    @api.get("/schools/{school}/echo")
    async def echo(school: str, request: Request):
        return {"headers": dict(request.headers), "query": request.url.query}

    @api.put("/packages/{code}")
    async def put_package(code: str, body: dict, me: CurrentPrincipal):
        if not body.get("name") or "code" in body:
            raise AppError("invalid_package", "Vui lòng nhập tên gói.", status=422)
        world.packages[code] = {**body, "code": code}
        return world.packages[code]

    @api.get("/packages")
    async def packages(me: CurrentPrincipal, school_year: str = "",
                       grade: int | None = None, limit: int = 100):
        require_role(me, SCHOOL_ADMIN, OPERATOR)
        rows = [p for p in world.packages.values()
                if (not school_year or p.get("school_year") == school_year)
                and (grade is None or grade in p.get("grades", []))]
        return _page(rows, limit)

    return api


def _student(world: World, school: str, student: str) -> dict:
    record = world.students.get(school, {}).get(student)
    if record is None:
        raise NotFound("student_not_found", "Không tìm thấy học sinh.")
    return record


def _summary(world: World, school: str) -> dict:
    students = list(world.students.get(school, {}).values())
    active: dict[str, int] = {}
    for st in students:
        for code in st["packages"]:
            active[code] = active.get(code, 0) + 1
    accounts = sum(1 for s in students if s["account"])
    return {"school": world.schools.get(school), "school_year": "2025-2026",
            "classes": len({s["class_name"] for s in students}),
            "students": len(students), "accounts": accounts,
            "accounts_by_status": {"active": accounts} if accounts else {},
            "active_packages": dict(sorted(active.items()))}


def _load_roster(world: World, school: str, data: bytes) -> int:
    rows = next(iter(_table(data).values()))
    top = _header_at(rows, "Mã học sinh")
    names = [fold(c) for c in rows[top]]
    at = {key: names.index(fold(label)) for key, label in (
        ("code", "Mã học sinh"), ("full_name", "Họ và tên"),
        ("date_of_birth", "Ngày sinh"), ("class_name", "Lớp"))}
    known = world.students.setdefault(school, {})
    before = len(known)
    for row in rows[top + 1:]:
        if row[at["code"]]:
            _add_student(known, row, at)
    return len(known) - before


def _add_student(known: dict, row: tuple, at: dict) -> None:
    day, month, year = str(row[at["date_of_birth"]]).split("/")
    code = str(row[at["code"]])
    known.setdefault(code, {
        "code": code, "full_name": row[at["full_name"]],
        "date_of_birth": f"{year}-{month}-{day}", "gender": None,
        "class_name": row[at["class_name"]], "grade": int(row[at["class_name"]][0]),
        "parent_name": None, "parent_phone": None, "account": None,
        "packages": []})


def template(world: World) -> APIRouter:
    """The registration workbook (a stand-in, not the real layout)."""
    api = APIRouter(prefix="/api/v1")

    @api.get("/schools/{school}/templates/registration.xlsx")
    async def workbook(school: str, me: CurrentPrincipal, layout: str,
                       school_year: str):
        require_school(me, school)
        if layout not in ("per-class", "single-sheet"):
            raise AppError("invalid_layout", "Cách chia sheet không hợp lệ.")
        rows = [["DANH SÁCH ĐĂNG KÝ HỌC LIỆU", school_year, layout]]
        return _download(_xlsx("Mẫu", rows), f"mau-dang-ky-{layout}.xlsx")

    return api


def importer(world: World) -> APIRouter:
    """Uploads, the check, batches and approvals."""
    api = APIRouter(prefix="/api/v1")

    @api.post("/schools/{school}/imports", status_code=201)
    async def upload(school: str, request: Request, me: CurrentPrincipal):
        require_school(me, school)
        form = await request.form()
        upload = form["file"]
        data = await upload.read()
        world.last_upload = {"size": len(data), "name": upload.filename,
                             "transfer": request.headers.get("transfer-encoding"),
                             "length": request.headers.get("content-length")}
        return _new_import(world, school, upload.filename, data)

    @api.post("/imports/{import_id}/check")
    async def check(import_id: str, body: dict, me: CurrentPrincipal):
        imp = _import(world, import_id, me)
        imp.update(sheet=body["sheet"], polls=0)
        if not body.get("mapping"):
            imp.update(status="needs_mapping", mapping=json.loads(
                json.dumps(FORM_MAPPING)))
        else:
            imp.update(status="checking", mapping=body["mapping"],
                       progress=_progress(0))
        return {**_public(imp), "rows": [], "rows_total": 0}

    @api.get("/imports/{import_id}")
    async def get_import(import_id: str, me: CurrentPrincipal):
        imp = _import(world, import_id, me)
        if imp["status"] == "checking":
            _advance(world, imp)
        return _public(imp)

    @api.get("/imports/{import_id}/rows")
    async def rows(import_id: str, me: CurrentPrincipal, status: str = "",
                   limit: int = 100, offset: int = 0):
        imp = _import(world, import_id, me)
        chosen = [r for r in imp["rows"] if status in ("", r["status"])]
        return _page(chosen, limit, offset)

    @api.get("/imports/{import_id}/records.xlsx")
    async def records(import_id: str, me: CurrentPrincipal, only: str = "all"):
        imp = _import(world, import_id, me)
        rows = [r for r in imp["rows"] if only == "all" or r["status"] == "invalid"]
        table = [["Dòng", "Họ và tên", "Trạng thái", "Lý do"]] + [
            [r["row_number"], r["full_name"], r["status"],
             "; ".join(e["detail"] for e in r["errors"])] for r in rows]
        return _download(_xlsx("Bản ghi", table), f"ban-ghi-{only}.xlsx")

    @api.post("/imports/{import_id}/commit")
    async def commit(import_id: str, me: CurrentPrincipal):
        imp = _import(world, import_id, me)
        batch = _new_batch(world, imp)
        return {"batch_id": batch["id"], "counts": batch["counts"]}

    @api.get("/schools/{school}/batches")
    async def batches(school: str, me: CurrentPrincipal, limit: int = 100):
        require_school(me, school)
        rows = [_batch_head(b) for b in world.batches.values()
                if b["school_code"] == school]
        return _page(rows[::-1], limit)

    @api.get("/approvals")
    async def approvals(me: CurrentPrincipal, status: str = "pending",
                        school: str = ""):
        rows = [_batch_head(b) for b in world.batches.values()
                if b["counts"][status] and school in ("", b["school_code"])]
        return _page(rows)

    @api.get("/batches/{batch_id}")
    async def batch(batch_id: str, me: CurrentPrincipal, limit: int = 100):
        found = _batch(world, batch_id, me)
        return {**_batch_head(found),
                "registrations": _page(found["registrations"], limit)}

    @api.post("/approvals/{batch_id}/{decision}")
    async def decide(batch_id: str, decision: str, body: dict,
                     me: CurrentPrincipal):
        batch = _batch(world, batch_id, me)
        if body.get("registration_ids") == []:
            raise AppError("invalid_request", "Dữ liệu gửi lên không hợp lệ.",
                           status=422)
        if decision == "reject" and not body.get("reason"):
            raise AppError("reason_required", "Vui lòng nhập lý do từ chối.",
                           status=422, details={"field": "reason"})
        chosen = body.get("registration_ids")
        for reg in batch["registrations"]:
            if reg["status"] == "pending" and (chosen is None or reg["id"] in chosen):
                _decide(world, batch, reg, decision, body.get("reason"))
        return {"batch_id": batch["id"], "counts": batch["counts"]}

    return api


def _new_import(world: World, school: str, name: str, data: bytes) -> dict:
    sheets = _table(data) if name.endswith(".xlsx") else {
        "csv": [tuple(line.split(",")) for line in data.decode().splitlines()]}
    imp = {"id": world.next_id("imp"), "school_code": school, "file_name": name,
           "status": "uploaded", "sheets": [
               {"name": n, "rows": max(len(r) - 1, 0)} for n, r in sheets.items()],
           "table": sheets, "counts": dict.fromkeys(
               ("valid", "invalid", "skipped", "superseded"), 0),
           "rows": [], "batch": None, "progress": None, "error": None}
    world.imports[imp["id"]] = imp
    return {"id": imp["id"], "file_name": name, "sheets": imp["sheets"]}


def _import(world: World, import_id: str, me) -> dict:
    imp = world.imports.get(import_id)
    if imp is None:
        raise NotFound("import_not_found", "Không tìm thấy lượt nhập khẩu.")
    require_school(me, imp["school_code"])
    return imp


def _public(imp: dict) -> dict:
    return {k: v for k, v in imp.items() if k not in ("table", "polls", "rows")}


def _progress(percent: int) -> dict:
    return {"phase": "check", "percent": percent, "rows_done": percent,
            "rows_total": 100}


def _advance(world: World, imp: dict) -> None:
    imp["polls"] += 1
    imp["progress"] = _progress(min(imp["polls"] * 50, 100))
    if imp["polls"] >= 2:
        imp["progress"] = None
        imp["rows"] = _check_rows(world, imp)
        imp["counts"] = {s: sum(1 for r in imp["rows"] if r["status"] == s)
                         for s in ("valid", "invalid", "skipped", "superseded")}
        imp["status"] = "checked"


def _check_rows(world: World, imp: dict) -> list[dict]:
    rows = imp["table"][imp["sheet"]]
    col = imp["mapping"]["columns"]
    by_name = {(fold(s["full_name"]), s["class_name"]): s
               for s in world.students.get(imp["school_code"], {}).values()}
    return [_check_row(world, n + 2, row, col, by_name)
            for n, row in enumerate(rows[1:])]


def _check_row(world, number, row, col, by_name) -> dict:
    value = {f: (row[i] if i < len(row) else None) for f, i in col.items()}
    klass = re.sub(r"(?i)^lớp\s*|\s", "", str(value.get("class_name") or "")).upper()
    student = by_name.get((fold(value.get("full_name")), klass))
    codes = _package_codes(world, str(value.get("package_list") or ""))
    errors = []
    if student is None:
        errors.append(_issue(col.get("full_name", 1), number, "student_unknown",
                             "Không tìm thấy học sinh trong lớp này."))
    if not codes:
        errors.append(_issue(col.get("package_list", 5), number, "package_unknown",
                             "Không nhận ra gói học liệu đã chọn."))
    return {"row_number": number, "status": "invalid" if errors else "valid",
            "student_code": student["code"] if student else None,
            "full_name": value.get("full_name"), "class_name": klass,
            "parent_name": value.get("parent_name"),
            "parent_phone": value.get("parent_phone"), "package_codes": codes,
            "errors": errors, "notes": []}


def _issue(column: int, row: int, code: str, detail: str) -> dict:
    letter = chr(65 + column)
    return {"column": column, "column_letter": letter, "code": code,
            "message": f"Ô {letter}{row}: {detail}", "detail": detail}


def _package_codes(world: World, text: str) -> list[str]:
    names = {fold(p["name"]): c for c, p in world.packages.items()}
    chosen = [re.sub(r"\s*\(.*?\)\s*$", "", part) for part in text.split(", ")]
    return [names[fold(n)] for n in chosen if fold(n) in names]


def _new_batch(world: World, imp: dict) -> dict:
    valid = [r for r in imp["rows"] if r["status"] == "valid"]
    regs = [{"id": str(uuid.uuid4()), "status": "pending", **{
        k: r[k] for k in ("student_code", "full_name", "class_name",
                          "package_codes")}} for r in valid]
    batch = {"id": world.next_id("b"), "school_code": imp["school_code"],
             "created_at": now(), "file_name": imp["file_name"],
             "registrations": regs,
             "counts": {"imported": len(regs), "pending": len(regs),
                        "approved": 0, "rejected": 0, "activated": 0}}
    world.batches[batch["id"]] = batch
    imp.update(status="committed", batch={"id": batch["id"],
                                          "counts": batch["counts"]})
    return batch


def _batch(world: World, batch_id: str, me) -> dict:
    batch = world.batches.get(batch_id)
    if batch is None:
        raise NotFound("batch_not_found", "Không tìm thấy đợt đăng ký.")
    require_school(me, batch["school_code"])
    return batch


def _batch_head(batch: dict) -> dict:
    return {k: v for k, v in batch.items() if k != "registrations"}


def _decide(world: World, batch: dict, reg: dict, decision: str, reason) -> None:
    batch["counts"]["pending"] -= 1
    if decision == "reject":
        reg.update(status="rejected", reason=reason)
        batch["counts"]["rejected"] += 1
        return
    reg["status"] = "approved"
    batch["counts"]["approved"] += 1
    batch["counts"]["activated"] += 1
    school = batch["school_code"]
    student = world.students[school][reg["student_code"]]
    for code in reg["package_codes"]:
        student["packages"] = sorted(set(student["packages"]) | {code})
        name = world.packages[code]["name"]
        world.notify(school, reg["student_code"], "Gói học liệu đã được kích hoạt",
                     f"Gói «{name}» đã được kích hoạt trên tài khoản Ôn tập "
                     "của em. Em có thể bắt đầu học ngay.", code)


def notifier(world: World) -> APIRouter:
    """The inbox, its live stream and the operators' delivery counts."""
    outer = APIRouter(prefix="/api/v1")
    api = APIRouter(prefix="/students/{school}/{student}/notifications")

    @outer.get("/notifications/delivery")
    async def delivery(me: CurrentPrincipal):
        require_role(me, OPERATOR)
        notes = [n for inbox in world.notes.values() for n in inbox]
        read = sum(1 for n in notes if n["read_at"])
        return {"school_code": None, "created": len(notes), "delivered": read,
                "delivered_live": 0, "read": read,
                "median_seconds_to_delivery": None}

    @api.get("")
    async def inbox(school: str, student: str, me: CurrentPrincipal,
                    limit: int = 100):
        require_student(me, school, student)
        notes = world.notes.get((school, student), [])[::-1]
        unread = sum(1 for n in notes if n["read_at"] is None)
        return {**_page(notes, limit), "unread": unread,
                "last_event_id": len(notes)}

    @api.post("/{note_id}/read")
    async def read(school: str, student: str, note_id: str, me: CurrentPrincipal):
        require_student(me, school, student)
        for note in world.notes.get((school, student), []):
            if note["id"] == note_id:
                note["read_at"] = note["read_at"] or now()
                return note
        raise NotFound("notification_not_found", "Không tìm thấy thông báo.")

    @api.get("/stream")
    async def stream(school: str, student: str, me: CurrentPrincipal,
                     last_event_id: int | None = None):
        require_student(me, school, student)
        if world.streams_busy:
            return JSONResponse(
                {"error": {"code": "service_busy", "message": "Hệ thống đang bận."}},
                503, headers={"Retry-After": "2"})
        key = (school, student)
        start = len(world.notes.get(key, [])) if last_event_id is None \
            else last_event_id
        return StreamingResponse(_events(world, key, start),
                                 media_type="text/event-stream")

    outer.include_router(api)
    return outer


async def _events(world: World, key: tuple, sent: int, seconds: float = 120.0):
    yield f'id: {sent}\nevent: ready\ndata: {{"last_event_id": {sent}}}\n\n'
    for _ in range(int(seconds / 0.1)):
        notes = world.notes.get(key, [])
        for note in notes[sent:]:
            data = json.dumps(note, ensure_ascii=False)
            yield f"id: {note['seq']}\nevent: notification\ndata: {data}\n\n"
        sent = len(notes)
        await asyncio.sleep(0.1)

