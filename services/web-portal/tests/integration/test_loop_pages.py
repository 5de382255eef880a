"""The whole loop through the pages, against the fakes: import to inbox."""

from __future__ import annotations

import html
import re

from portal_fakes.system import SAMPLE, seed_sample, sign_in

SCHOOL = "THCS-NGUYENDU"


def upload(client, path: str, name: str):
    with open(SAMPLE / name, "rb") as handle:
        return client.post(path, files={"file": (name, handle)})


def run_check_to_the_end(client, page: str):
    answer = client.post(f"{page}/check", data={"sheet": "Câu trả lời biểu mẫu 1"})
    mapping_page = client.get(page).text
    fields = {}
    for chunk in mapping_page.split("<select")[1:]:
        name = re.search(r'name="(map:[^"]+)"', chunk).group(1)
        chosen = re.search(r'value="([^"]*)" selected', chunk.split("</select>")[0])
        fields[name] = chosen.group(1) if chosen else ""
    rest = re.search(r'name="mapping_rest" value="([^"]*)"', mapping_page).group(1)
    client.post(f"{page}/check", data={
        "sheet": "Câu trả lời biểu mẫu 1", **fields,
        "mapping_rest": html.unescape(rest)})
    for _ in range(5):
        answer = client.get(page)
        if "Kết quả kiểm tra" in answer.text:
            break
    return mapping_page, answer


def test_import_wizard_walks_upload_mapping_check_and_commit(system, client):
    seed_sample(system.world)
    sign_in(client, "school_admin", SCHOOL)
    upload(client, f"/school/{SCHOOL}/roster", "roster.xlsx")

    moved = upload(client, f"/school/{SCHOOL}/imports", "google_form_responses.xlsx")
    page = moved.headers["location"]
    choose = client.get(page).text
    mapping_page, checked = run_check_to_the_end(client, page)
    invalid = client.get(page, params={"tab": "invalid"}).text
    download = client.get(f"{page}/records.xlsx", params={"only": "invalid"})
    committed = client.post(f"{page}/commit", follow_redirects=True).text

    assert "Câu trả lời biểu mẫu 1" in choose and "(488 dòng)" in choose
    assert "Xác nhận cột dữ liệu" in mapping_page
    assert "Họ và tên học sinh" in mapping_page
    assert '<option value="1" selected>Cột B</option>' in mapping_page
    assert re.search(r"Hợp lệ</dt><dd>[1-9]", checked.text)
    assert "Tải tất cả bản ghi" in checked.text
    assert "Chỉ tải những bản ghi không hợp lệ" in checked.text
    assert "Không tìm thấy học sinh trong lớp này." in invalid
    assert download.content[:2] == b"PK"
    assert "Đã nhập khẩu" in committed


def test_operator_approval_reaches_the_students_inbox(system, client):
    seed_sample(system.world)
    sign_in(client, "school_admin", SCHOOL)
    upload(client, f"/school/{SCHOOL}/roster", "roster.xlsx")
    page = upload(client, f"/school/{SCHOOL}/imports",
                  "google_form_responses.xlsx").headers["location"]
    run_check_to_the_end(client, page)
    client.post(f"{page}/commit")
    batch = next(iter(system.world.batches.values()))
    student = batch["registrations"][0]["student_code"]

    sign_in(client, "misa_operator")
    pending = client.get("/operator").text
    shown = client.get(f"/operator/batches/{batch['id']}").text
    nothing = client.post(f"/operator/batches/{batch['id']}/approve",
                          data={"scope": "selected"})
    client.post(f"/operator/batches/{batch['id']}/approve", data={"scope": "all"})
    sign_in(client, "student", SCHOOL, student)
    inbox = client.get("/student").text
    sign_in(client, "school_admin", SCHOOL)
    overview = client.get(f"/school/{SCHOOL}").text

    assert "Trường THCS Nguyễn Du" not in pending or batch["id"] in pending
    assert "Duyệt tất cả" in shown
    assert nothing.status_code == 422
    assert "Vui lòng chọn ít nhất một đăng ký." in nothing.text
    assert "Gói học liệu đã được kích hoạt" in inbox
    assert "?last_event_id=" in inbox
    assert '<div class="tile"><dt>Đã kích hoạt</dt><dd>1</dd></div>' in overview
    assert re.search(r'data-unread="[1-9]', inbox)


def test_reject_without_a_reason_shows_the_services_message(system, client):
    seed_sample(system.world)
    system.world.batches["b1"] = {
        "id": "b1", "school_code": SCHOOL, "created_at": "2025-09-09T01:00:00Z",
        "file_name": "a.xlsx", "registrations": [], "counts": {
            "imported": 0, "pending": 0, "approved": 0, "rejected": 0,
            "activated": 0}}
    sign_in(client, "misa_operator")

    answer = client.post("/operator/batches/b1/reject", data={"scope": "all"})

    assert answer.status_code == 422
    assert "Vui lòng nhập lý do từ chối." in answer.text


def test_student_marks_a_notification_read(system, client):
    note = system.world.notify(SCHOOL, "0160000001", "Chào em", "Nội dung", None)
    sign_in(client, "student", SCHOOL, "0160000001")

    client.post(f"/student/notifications/{note['id']}/read")

    assert note["read_at"] is not None
    assert 'data-unread="0"' in client.get("/student").text


def test_operator_edits_the_catalogue_and_creates_a_school(system, client):
    sign_in(client, "misa_operator")

    client.post("/operator/packages/edit", data={
        "code": "KNS", "name": "Kỹ năng sống", "school_year": "2025-2026",
        "grades": ["6", "7"], "price": "80.000", "courses": "Kỹ năng\nSống",
        "on_sale": "1", "is_new": "1"})
    listed = client.get("/operator/packages").text
    made = client.post("/operator/schools", data={
        "code": "S9", "name": "Trường Chín", "province": "Huế"})

    assert system.world.packages["KNS"]["price"] == 80000
    assert system.world.packages["KNS"]["courses"] == ["Kỹ năng", "Sống"]
    assert "80.000 ₫" in listed
    assert made.headers["location"] == "/school/S9"
