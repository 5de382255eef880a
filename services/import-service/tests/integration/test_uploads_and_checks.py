"""Uploads under limits, background checks with progress, remembered mappings."""

from __future__ import annotations

import asyncio
import io
import time
import uuid
import zipfile
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
from hoclieu_shared.db import Database
from hoclieu_shared.settings import to_async_url
from hoclieu_shared.testing.service import bearer, test_settings, unique_prefix
from sqlalchemy import update

from import_service.adapters.tables import Import
from import_service.settings import ImportSettings

CAP = 512 * 1024


@pytest.fixture(scope="module")
def settings(module_database, broker, tmp_path_factory) -> ImportSettings:
    """Small limits, and a background check for anything over 50 rows."""
    return test_settings(
        ImportSettings, database_url=module_database, broker=broker,
        prefix=unique_prefix(), data_dir=tmp_path_factory.mktemp("uploads"),
        max_upload_bytes=CAP, max_sheet_rows=3000, background_check_rows=50)


def post_file(client, settings, school, name, content, **headers):
    return client.post(f"/api/v1/schools/{school}/imports",
                       headers={**bearer(settings, "school_admin", school),
                                **headers},
                       files={"file": (name, content)})


def xlsx(rows, hidden_sheet=False) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Đăng ký"
    for row in rows:
        sheet.append(row)
    if hidden_sheet:
        book.create_sheet("Ẩn").sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def uploaded_files(settings) -> list:
    folder = settings.uploads_dir
    return sorted(folder.iterdir()) if folder.exists() else []


def settled(client, headers, import_id, timeout=60.0) -> dict:
    """The import once its check is no longer running."""
    deadline = time.monotonic() + timeout
    state = client.get(f"/api/v1/imports/{import_id}", headers=headers).json()
    while state["status"] == "checking" and time.monotonic() < deadline:
        time.sleep(0.2)
        state = client.get(f"/api/v1/imports/{import_id}", headers=headers).json()
    return state


def test_upload_lists_visible_sheets_with_their_rows(client, settings, school):
    content = xlsx([["Mã học sinh", "Họ và tên"], ["001", "An"], ["002", "Bình"]],
                   hidden_sheet=True)

    answer = post_file(client, settings, school, "danh sách.xlsx", content)
    listed = client.get(f"/api/v1/schools/{school}/imports",
                        headers=bearer(settings, "school_admin", school)).json()

    assert answer.status_code == 201
    assert answer.json()["file_name"] == "danh sách.xlsx"
    assert answer.json()["sheets"] == [{"name": "Đăng ký", "rows": 3}]
    assert [i["file_name"] for i in listed["items"]] == ["danh sách.xlsx"]
    assert listed["items"][0]["status"] == "uploaded"


@pytest.mark.parametrize(("name", "content", "status", "code"), [
    ("a.xlsx", b"PK\x03\x04" + b"\x00" * 200, 422, "damaged_file"),
    ("a.xlsx", b"%PDF-1.7 not a sheet", 422, "unsupported_format"),
    ("a.csv", "Họ và tên,Lớp\n" + "x" * 3000 + ",6A1\n", 422, "cell_too_long"),
    ("a.csv", "Họ và tên,Lớp\n" + "An,6A1\n" * 3100, 413, "too_many_rows"),
])
def test_unreadable_files_are_refused_with_a_reason(client, settings, school,
                                                    name, content, status, code):
    before = uploaded_files(settings)

    answer = post_file(client, settings, school, name, content)

    assert (answer.status_code, answer.json()["error"]["code"]) == (status, code)
    assert answer.json()["error"]["message"]
    assert uploaded_files(settings) == before


def test_zip_bomb_is_refused(client, settings, school):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<row/>" * 5_000_000)

    answer = post_file(client, settings, school, "bom.xlsx", out.getvalue())

    assert answer.status_code in (413, 422)
    assert answer.json()["error"]["code"] in (
        "unzipped_too_large", "compression_ratio_too_high", "damaged_file")


def test_file_over_the_cap_stops_while_streaming(client, settings, school):
    before = uploaded_files(settings)

    def body():
        boundary = b"--cap\r\n"
        yield boundary + (b'Content-Disposition: form-data; name="file"; '
                          b'filename="big.csv"\r\n\r\n')
        for _ in range(CAP // 65536 + 4):
            yield b"x" * 65536
        yield b"\r\n--cap--\r\n"

    answer = client.post(f"/api/v1/schools/{school}/imports", content=body(),
                         headers={**bearer(settings, "school_admin", school),
                                  "content-type": "multipart/form-data; "
                                                  "boundary=cap"})

    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "file_too_large"
    assert uploaded_files(settings) == before


def test_upload_without_a_file_or_for_another_school_is_refused(client, settings,
                                                                school):
    admin = bearer(settings, "school_admin", school)
    student = bearer(settings, "student", school, "HS1")

    no_file = client.post(f"/api/v1/schools/{school}/imports", headers=admin,
                          data={"note": "x"}, files={"other": ("a.txt", b"x")})
    stranger = client.post("/api/v1/schools/ELSEWHERE/imports", headers=admin,
                           files={"file": ("a.csv", b"a\n")})
    by_student = client.post(f"/api/v1/schools/{school}/imports", headers=student,
                             files={"file": ("a.csv", b"a\n")})

    assert no_file.status_code == 422
    assert no_file.json()["error"]["code"] == "file_missing"
    assert stranger.status_code == 403 and by_student.status_code == 403


def test_large_sheet_is_checked_in_the_background_with_progress(
        client, settings, seed, school):
    seed.seed_school(settings.database_url, school)
    admin = bearer(settings, "school_admin", school)
    path = seed.sample_path() / "google_form_responses.csv"
    uploaded = post_file(client, settings, school, path.name,
                         path.read_bytes()).json()
    sheet = uploaded["sheets"][0]["name"]
    url = f"/api/v1/imports/{uploaded['id']}"

    first = client.post(f"{url}/check", headers=admin, json={"sheet": sheet})
    if first.json()["status"] == "needs_mapping":
        first = client.post(f"{url}/check", headers=admin, json={
            "sheet": sheet, "mapping": first.json()["mapping"]})
    during = client.get(url, headers=admin).json()
    done = settled(client, admin, uploaded["id"])

    assert first.json()["status"] == "checking"
    assert first.json()["progress"]["rows_total"] > 50
    assert during["status"] in ("checking", "checked")
    assert done["status"] == "checked" and done["progress"] is None
    assert sum(done["counts"].values()) > 0
    page = client.get(f"{url}/rows?limit=5&offset=5", headers=admin).json()
    assert len(page["items"]) == 5
    assert page["total"] == sum(done["counts"].values())


def test_confirmed_mapping_is_used_for_the_next_file_with_that_header(
        client, settings, seed, school):
    seed.seed_school(settings.database_url, school)
    admin = bearer(settings, "school_admin", school)
    content = (seed.sample_path() / "retyped_grade9.xlsx").read_bytes()
    first = post_file(client, settings, school, "khoi9.xlsx", content).json()
    sheet = first["sheets"][0]["name"]
    check = f"/api/v1/imports/{first['id']}/check"
    client.post(check, headers=admin, json={"sheet": sheet})
    proposed = settled(client, admin, first["id"])["mapping"]
    client.post(check, headers=admin, json={
        "sheet": sheet, "mapping": {**proposed, "kind": "plain"}})
    second = post_file(client, settings, school, "khoi9-sua.xlsx", content).json()

    client.post(f"/api/v1/imports/{second['id']}/check", headers=admin,
                json={"sheet": sheet})
    answer = settled(client, admin, second["id"])

    assert answer["status"] == "checked"
    assert answer["mapping"]["kind"] == "plain"
    assert answer["headers"][:3] == ["STT", "Mã học sinh", "Họ và tên"]
    assert answer["source"] == "retyped"


def test_bad_mapping_and_unknown_sheet_are_clear_errors(client, settings, school):
    admin = bearer(settings, "school_admin", school)
    content = xlsx([["Mã học sinh", "Họ và tên"], ["001", "An"]])
    import_id = post_file(client, settings, school, "a.xlsx", content).json()["id"]
    url = f"/api/v1/imports/{import_id}/check"

    no_sheet = client.post(url, headers=admin, json={"sheet": "Không có"})
    bad = client.post(url, headers=admin, json={
        "sheet": "Đăng ký", "mapping": {"header_row": 0,
                                        "columns": {"full_name": 1,
                                                    "student_code": 1}}})

    assert (no_sheet.status_code, no_sheet.json()["error"]["code"]) == (
        422, "sheet_not_found")
    assert (bad.status_code, bad.json()["error"]["code"]) == (422, "invalid_mapping")


def test_check_whose_process_stopped_reads_interrupted_and_can_run_again(
        client, settings, school):
    admin = bearer(settings, "school_admin", school)
    content = xlsx([["Mã học sinh", "Họ và tên"], ["001", "An"]])
    import_id = post_file(client, settings, school, "a.xlsx", content).json()["id"]
    asyncio.run(_pretend_check_died(settings.database_url, import_id))

    shown = client.get(f"/api/v1/imports/{import_id}", headers=admin).json()
    again = client.post(f"/api/v1/imports/{import_id}/check", headers=admin,
                        json={"sheet": "Đăng ký"})

    assert shown["status"] == "failed"
    assert shown["error"]["code"] == "check_interrupted"
    assert again.status_code == 200
    assert again.json()["status"] in ("needs_mapping", "checked")


async def _pretend_check_died(database_url: str, import_id: str) -> None:
    db = Database(to_async_url(database_url))
    long_ago = datetime.now(UTC) - timedelta(hours=1)
    try:
        async with db.session() as session, session.begin():
            await session.execute(
                update(Import).where(Import.id == uuid.UUID(import_id))
                .values(status="checking", heartbeat_at=long_ago,
                        check_run=uuid.uuid4()))
    finally:
        await db.close()


def test_upload_for_a_school_unknown_here_is_refused_before_reading_it(
        client, settings):
    ghost = f"GHOST-{uuid.uuid4().hex[:6].upper()}"
    small = xlsx([["Mã học sinh", "Họ và tên"], ["001", "An"]])
    before = uploaded_files(settings)

    answers = [client.post(f"/api/v1/schools/{ghost}/imports", headers=who,
                           files={"file": ("a.xlsx", content)})
               for who, content in [
                   (bearer(settings, "misa_operator"), small),
                   (bearer(settings, "school_admin", ghost), small),
                   (bearer(settings, "school_admin", ghost), b"x" * (CAP * 2))]]

    assert [(a.status_code, a.json()["error"]["code"]) for a in answers] == [
        (404, "school_not_found")] * 3
    message = answers[0].json()["error"]["message"]
    assert ghost in message and "vui lòng thử lại sau ít phút" in message
    assert uploaded_files(settings) == before


def test_check_and_commit_of_an_import_of_an_unknown_school_are_refused(
        client, settings, seed):
    ghost = f"GHOST-{uuid.uuid4().hex[:6].upper()}"
    operator = bearer(settings, "misa_operator")
    import_id = seed.seed_checked_import(settings.database_url, ghost, [])
    url = f"/api/v1/imports/{import_id}"

    check = client.post(f"{url}/check", headers=operator,
                        json={"sheet": "Sheet1"})
    commit = client.post(f"{url}/commit", headers=operator)

    assert (check.status_code, check.json()["error"]["code"]) == (
        404, "school_not_found")
    assert (commit.status_code, commit.json()["error"]["code"]) == (
        404, "school_not_found")


def test_mapping_whose_header_row_is_below_the_sheet_is_refused(
        client, settings, school):
    admin = bearer(settings, "school_admin", school)
    content = xlsx([["Mã học sinh", "Họ và tên", "KNS"], ["001", "An", "x"]])
    import_id = post_file(client, settings, school, "a.xlsx", content).json()["id"]

    answer = client.post(f"/api/v1/imports/{import_id}/check", headers=admin,
                         json={"sheet": "Đăng ký", "mapping": {
                             "header_row": 5, "columns": {"student_code": 0},
                             "package_columns": {"2": "KNS"}}})
    state = client.get(f"/api/v1/imports/{import_id}", headers=admin).json()

    assert (answer.status_code, answer.json()["error"]["code"]) == (
        422, "invalid_mapping")
    [detail] = answer.json()["error"]["details"]
    assert detail["field"] == "header_row"
    assert "chỉ có 2 dòng" in detail["message"]
    assert state["status"] == "uploaded"


def test_invalid_mapping_is_explained_in_vietnamese(client, settings, school):
    admin = bearer(settings, "school_admin", school)
    content = xlsx([["Mã học sinh", "Họ và tên"], ["001", "An"]])
    import_id = post_file(client, settings, school, "a.xlsx", content).json()["id"]
    mapping = {"columns": {"full_name": "B", "lớp": 2}, "kind": "khác",
               "ignored_columns": ["C"], "thừa": 1}

    answer = client.post(f"/api/v1/imports/{import_id}/check", headers=admin,
                         json={"sheet": "Đăng ký", "mapping": mapping})

    details = {d["field"]: d for d in answer.json()["error"]["details"]}
    assert set(details) == {"header_row", "columns.full_name", "columns.lớp",
                            "kind", "ignored_columns.0", "thừa"}
    assert details["header_row"]["message"] == (
        "Dòng tiêu đề: thiếu, cần chọn thông tin này.")
    assert details["columns.full_name"]["message"] == (
        "Cột «Họ và tên»: phải là số thứ tự cột (số nguyên từ 0).")
    assert "student_code" in details["columns.lớp"]["problem"]
    assert details["thừa"]["problem"] == "không có trong cách ghép cột; hãy bỏ đi."
    english = ("Input should", "Field required", "Extra inputs", "valid")
    assert not [d for d in details.values()
                if any(word in d["message"] for word in english)]


@pytest.mark.parametrize(("rows", "reason"), [
    ([], "không có dòng dữ liệu nào"),
    ([["999999", "Không Có Ai", "6A1", "x"]], "1 dòng không hợp lệ"),
])
def test_commit_of_a_check_without_valid_rows_makes_no_batch(
        client, settings, seed, school, rows, reason):
    seed.seed_school(settings.database_url, school, students=[])
    admin = bearer(settings, "school_admin", school)
    content = xlsx([["Mã học sinh", "Họ và tên", "Lớp", "KNS"], *rows])
    import_id = post_file(client, settings, school, "a.xlsx", content).json()["id"]
    url = f"/api/v1/imports/{import_id}"
    mapping = {"header_row": 0, "columns": {"student_code": 0, "full_name": 1,
                                            "class_name": 2},
               "package_columns": {"3": "KNS"}}

    check = client.post(f"{url}/check", headers=admin,
                        json={"sheet": "Đăng ký", "mapping": mapping}).json()
    commit = client.post(f"{url}/commit", headers=admin)
    history = client.get(f"/api/v1/schools/{school}/batches", headers=admin)

    assert check["status"] == "checked" and check["counts"]["valid"] == 0
    assert (commit.status_code, commit.json()["error"]["code"]) == (
        409, "nothing_to_commit")
    assert reason in commit.json()["error"]["message"]
    assert history.json()["total"] == 0
    assert client.get(url, headers=admin).json()["batch"] is None
