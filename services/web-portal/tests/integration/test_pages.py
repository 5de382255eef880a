"""The Vietnamese pages: sign-in, role checks, escaping, formats, errors."""

from __future__ import annotations

import httpx
from portal_fakes.system import fake_system, seed_sample, sign_in


def add_student(world, school="S1", code="0160000001", **fields):
    world.schools.setdefault(school, {"code": school, "name": "Trường THCS Thử"})
    record = {"code": code, "full_name": "Nguyễn Văn An",
              "date_of_birth": "2013-10-02", "gender": "Nam", "class_name": "6A1",
              "grade": 6, "parent_name": None, "parent_phone": None,
              "account": None, "packages": [], **fields}
    world.students.setdefault(school, {})[code] = record
    return record


def test_sign_in_sets_an_httponly_cookie_and_opens_the_role_home(client):
    answer = sign_in(client, "school_admin", "S1")

    cookie = answer.headers["set-cookie"]
    assert "hoclieu_token=" in cookie and "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert answer.headers["location"] == "/school/S1"


def test_sign_in_form_shows_missing_fields_in_vietnamese(client):
    answer = client.post("/login", data={"role": "student", "school_code": "S1"})

    assert answer.status_code == 422
    assert "Vui lòng nhập mã học sinh." in answer.text


def test_pages_without_a_session_lead_to_sign_in(client):
    answer = client.get("/school/S1/students", follow_redirects=False)

    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=/school/S1/students"


def test_officer_cannot_open_another_schools_pages(client):
    sign_in(client, "school_admin", "S1")

    answer = client.get("/school/S2/students")

    assert answer.status_code == 403
    assert "Không có quyền truy cập" in answer.text
    assert "Bạn không có quyền với dữ liệu của trường này." in answer.text


def test_each_role_sees_only_its_own_pages(client):
    sign_in(client, "student", "S1", "0160000001")

    assert client.get("/operator").status_code == 403
    assert client.get("/school/S1").status_code == 403
    sign_in(client, "school_admin", "S1")
    assert client.get("/operator/packages").status_code == 403
    assert client.get("/student").status_code == 403


def test_navigation_offers_only_what_the_role_may_do(system, client):
    add_student(system.world)
    sign_in(client, "school_admin", "S1")

    page = client.get("/school/S1").text

    assert "Bước 2: Nhập khẩu" in page
    assert "/operator" not in page


def test_output_from_the_services_is_escaped(system, client):
    add_student(system.world, full_name="<script>alert('x')</script>")
    sign_in(client, "school_admin", "S1")

    page = client.get("/school/S1/students", params={"class_name": "6A1"}).text

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page


def test_numbers_money_and_dates_are_vietnamese(system, client):
    seed_sample(system.world)
    for n in range(1051):
        add_student(system.world, "THCS-NGUYENDU", f"{n:010d}")
    sign_in(client, "school_admin", "THCS-NGUYENDU")

    overview = client.get("/school/THCS-NGUYENDU").text
    student = client.get("/school/THCS-NGUYENDU/students/0000000007").text

    assert "1.051" in overview
    assert "02/10/2013" in student
    assert "150.000 ₫" in student


def test_student_save_shows_the_api_error_beside_the_field(system, client):
    seed_sample(system.world)
    add_student(system.world, "THCS-NGUYENDU")
    sign_in(client, "school_admin", "THCS-NGUYENDU")

    answer = client.post("/school/THCS-NGUYENDU/students/0160000001", data={
        "parent_name": "Trần Thị Bình", "parent_phone": "12345",
        "package_codes": ["TA6-NC"]})

    assert answer.status_code == 422
    assert '<p id="parent_phone_error" class="field-error">Số điện thoại ' \
        'không hợp lệ.</p>' in answer.text
    assert 'value="Trần Thị Bình"' in answer.text


def test_student_save_activates_the_ticked_packages(system, client):
    seed_sample(system.world)
    record = add_student(system.world, "THCS-NGUYENDU")
    sign_in(client, "school_admin", "THCS-NGUYENDU")

    answer = client.post("/school/THCS-NGUYENDU/students/0160000001", data={
        "parent_name": "Trần Thị Bình", "parent_phone": "0912 345 678",
        "package_codes": ["TA6-NC", "KNS"]})

    assert answer.status_code == 200
    assert "Đã lưu." in answer.text
    assert record["packages"] == ["KNS", "TA6-NC"]


def test_a_service_outage_is_a_vietnamese_page_not_json():
    with fake_system(down=("activation",)) as system, httpx.Client(
            base_url=system.url, timeout=10, follow_redirects=True) as http:
        sign_in(http, "school_admin", "S1")
        answer = http.get("/school/S1/students")

    assert answer.status_code == 503
    assert "Dịch vụ tạm thời gián đoạn" in answer.text
    assert "dịch vụ kích hoạt" in answer.text
    assert '"error"' not in answer.text


def test_form_posts_from_another_site_are_refused(system, client):
    sign_in(client, "school_admin", "S1")

    answer = client.post("/school/S1/accounts", data={},
                         headers={"Origin": "http://evil.example"})

    assert answer.status_code == 403
    assert "trang khác" in answer.text


def test_template_download_streams_the_workbook(system, client):
    system.world.schools["S1"] = {"code": "S1"}
    sign_in(client, "school_admin", "S1")

    answer = client.get("/school/S1/template.xlsx",
                        params={"layout": "single-sheet", "school_year": "2025-2026"})

    assert answer.content[:2] == b"PK"
    assert "attachment" in answer.headers["content-disposition"]


def test_sign_out_forgets_the_session(client):
    sign_in(client, "school_admin", "S1")

    client.post("/logout")

    assert client.get("/school/S1", follow_redirects=False).status_code == 303


def test_pages_start_from_the_newest_year_of_the_catalogue():
    with fake_system(school_year="2030-2031") as system, httpx.Client(
            base_url=system.url, timeout=10) as http:
        seed_sample(system.world)
        sign_in(http, "school_admin", "THCS-NGUYENDU")
        page = http.get("/school/THCS-NGUYENDU/template").text

    assert '<option value="2025-2026" selected>' in page
    assert "2030-2031" not in page
