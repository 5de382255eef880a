"""Every route checks the caller's role and school (DESIGN.md §5)."""

from __future__ import annotations

import pytest
from hoclieu_shared.testing.service import bearer

# Each route of the service with a request that would succeed for its owner.
ROSTER = "Mã học sinh,Họ và tên,Ngày sinh,Lớp\nHS01,Nguyễn An,02/10/2013,6A1\n"
CALLS = {
    ("POST", "/api/v1/schools"): {"json": {"code": "NEW1", "name": "Mới"}},
    ("GET", "/api/v1/schools"): {},
    ("GET", "/api/v1/schools/{school}"): {},
    ("PATCH", "/api/v1/schools/{school}"): {"json": {"auto_approve": True}},
    ("GET", "/api/v1/schools/{school}/classes"): {},
    ("GET", "/api/v1/schools/{school}/summary"): {},
    ("PUT", "/api/v1/packages/{code}"): {"json": {
        "name": "Gói", "school_year": "2025-2026", "grades": [6], "price": 1,
        "courses": [], "on_sale": True}},
    ("GET", "/api/v1/packages"): {},
    ("POST", "/api/v1/schools/{school}/roster"): {
        "files": {"file": ("roster.csv", ROSTER.encode())}},
    ("GET", "/api/v1/schools/{school}/students"): {},
    ("GET", "/api/v1/schools/{school}/students/{student}"): {},
    ("PUT", "/api/v1/schools/{school}/students/{student}/packages"): {"json": {
        "parent_name": "Trần Bình", "parent_phone": "0912345678",
        "package_codes": []}},
    ("POST", "/api/v1/schools/{school}/accounts"): {"json": {}},
    ("GET", "/api/v1/schools/{school}/accounts.xlsx"): {},
    ("POST", "/api/v1/schools/{school}/students/{student}/password-reset"): {},
    ("PATCH", "/api/v1/schools/{school}/students/{student}/account"): {
        "json": {"status": "locked"}},
}
OPERATOR_ONLY = {("POST", "/api/v1/schools"), ("PATCH", "/api/v1/schools/{school}"),
                 ("PUT", "/api/v1/packages/{code}")}
OPEN_TO_STAFF = {("GET", "/api/v1/schools"), ("GET", "/api/v1/packages")}


@pytest.fixture(scope="module")
def school(service) -> str:
    code = service.new_code()
    service.make_school(code)
    return code


def api_routes(service) -> set[tuple[str, str]]:
    """Every method and path the service's OpenAPI document declares."""
    paths = service.client.get("/openapi.json").json()["paths"]
    return {(method.upper(), path) for path, methods in paths.items()
            if path.startswith("/api/v1/") and path != "/api/v1/auth/dev-token"
            for method in methods}


def call(service, key, headers, school, student="HS01"):
    method, path = key
    url = path.format(school=school, student=student, code="P-ACCESS")
    return service.client.request(method, url, headers=headers, **CALLS[key])


def test_every_route_has_a_case_here(service):
    assert api_routes(service) == set(CALLS)


@pytest.mark.parametrize("key", sorted(set(CALLS) - OPEN_TO_STAFF))
def test_admin_of_another_school_is_refused(service, school, key):
    other = bearer(service.settings, "school_admin", service.new_code())

    answer = call(service, key, other, school)

    assert answer.status_code == 403, answer.text
    assert answer.json()["error"]["code"].startswith("forbidden")


@pytest.mark.parametrize("key", sorted(set(CALLS) - {
    ("GET", "/api/v1/schools/{school}/students/{student}")}))
def test_student_is_refused(service, school, key):
    student = bearer(service.settings, "student", school, "HS01")

    answer = call(service, key, student, school)

    assert answer.status_code == 403, answer.text


def test_student_reads_only_their_own_record(service, school):
    mine = bearer(service.settings, "student", school, "HS01")

    other = call(service, ("GET", "/api/v1/schools/{school}/students/{student}"),
                 mine, school, student="HS02")

    assert other.status_code == 403


@pytest.mark.parametrize("key", sorted(CALLS))
def test_anonymous_caller_must_log_in(service, school, key):
    answer = call(service, key, {}, school)

    assert answer.status_code == 401


def test_own_admin_reaches_every_school_route(service, school):
    own = service.admin(school)
    answers = {key: call(service, key, own, school).status_code
               for key in sorted(set(CALLS) - OPERATOR_ONLY)}

    assert all(code < 400 or code in (404, 409) for code in answers.values()), \
        answers
