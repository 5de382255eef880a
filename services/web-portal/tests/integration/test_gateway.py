"""The /api/v1 gateway: routing, headers, streaming both ways, outages."""

from __future__ import annotations

import http.client
import json
import time
from urllib.parse import urlsplit

import httpx
import pytest
from portal_fakes.system import fake_system

from hoclieu_shared.auth import Principal, issue_token
from hoclieu_shared.settings import LOCAL_JWT_SECRET


def bearer(role="misa_operator", school=None, student=None) -> dict:
    token = issue_token(LOCAL_JWT_SECRET, Principal("t", role, school, student))
    return {"Authorization": f"Bearer {token}"}


def raw_get(connection: http.client.HTTPConnection, target: str,
            headers: dict | None = None) -> tuple[int, dict]:
    """GET the request-target exactly as written (httpx would tidy it)."""
    connection.request("GET", target, headers=headers or {})
    answer = connection.getresponse()
    body = answer.read()
    return answer.status, json.loads(body) if body else {}


def connect(system) -> http.client.HTTPConnection:
    address = urlsplit(system.url)
    return http.client.HTTPConnection(address.hostname, address.port, timeout=10)


@pytest.mark.parametrize(("path", "owner"), [
    ("/api/v1/packages", "activation"),
    ("/api/v1/schools/S1/classes", "activation"),
    (("/api/v1/schools/S1/templates/registration.xlsx?layout=per-class"
     "&school_year=2025-2026"), "template"),
    ("/api/v1/schools/S1/batches", "import"),
    ("/api/v1/approvals?status=pending", "import"),
    ("/api/v1/students/S1/ST1/notifications", "notification"),
    ("/api/v1/notifications/delivery", "notification"),
])
def test_gateway_sends_each_path_to_its_owner(system, path, owner):
    with httpx.Client(base_url=system.url, timeout=10) as http:
        answer = http.get(path, headers=bearer())

    assert answer.status_code == 200
    assert system.world.calls[-1]["service"] == owner
    assert system.world.calls[-1]["path"] == path.split("?")[0]


@pytest.mark.parametrize("target", [
    "/api/v1/schools/QA-A/students/..%2F..%2F..%2F..%2F..%2Fmetrics",
    "/api/v1/schools/QA-A/students/..%2F..%2F..%2F..%2F..%2Fdocs",
    "/api/v1/schools/QA-A/students/..%2F..%2F..%2F..%2F..%2Fopenapi.json",
    ("/api/v1/students/QA-A/x/notifications/..%2F..%2F..%2F..%2F"
     "notifications%2Fdelivery"),
    "/api/v1/schools/../../openapi.json",
    "/api/v1/schools/%2e%2e/%2e%2e/openapi.json",
    "/api/v1/schools/S1%2Ftemplates/registration.xlsx",
])
def test_gateway_refuses_paths_that_climb_out_of_their_route(system, target):
    connection = connect(system)

    status, body = raw_get(connection, target)

    assert status == 400
    assert body["error"]["code"] == "invalid_path"
    assert body["error"]["message"] == "Địa chỉ yêu cầu không hợp lệ."
    assert system.world.calls == []


@pytest.mark.parametrize("target", [
    "/api/v1/imports/%00", "/api/v1/students/QA-A/%01/notifications",
    "/api/v1/schools/QA-A/students/%7f", "/api/v1/packages/%FF",
])
def test_gateway_answers_400_to_control_characters_and_keeps_the_connection(
        system, target):
    connection = connect(system)

    status, body = raw_get(connection, target, bearer())
    after, _ = raw_get(connection, "/api/v1/packages", bearer())

    assert status == 400
    assert body["error"]["code"] == "invalid_path"
    assert after == 200


def test_gateway_forwards_the_checked_path_encoded_per_segment(system):
    connection = connect(system)

    status, _ = raw_get(connection, "/api/v1/schools/S%201/%65cho/x%3Fy%23z",
                        bearer())

    assert status == 404
    assert system.world.calls[-1]["service"] == "activation"
    assert system.world.calls[-1]["raw_path"] == \
        "/api/v1/schools/S%201/echo/x%3Fy%23z"
    assert system.world.calls[-1]["query"] == ""


def test_gateway_forwards_token_correlation_id_and_query(system, client):
    headers = {**bearer(), "X-Correlation-ID": "abc123"}

    answer = client.get("/api/v1/schools/S1/echo?class=6A1&class=6A2",
                        headers=headers)

    seen = answer.json()
    assert seen["headers"]["authorization"] == headers["Authorization"]
    assert seen["headers"]["x-correlation-id"] == "abc123"
    assert seen["query"] == "class=6A1&class=6A2"
    assert answer.headers["x-correlation-id"] == "abc123"


def test_gateway_turns_the_cookie_into_a_bearer(system, client):
    token = bearer()["Authorization"][7:]
    client.cookies.set("hoclieu_token", token)

    seen = client.get("/api/v1/schools/S1/echo").json()

    assert seen["headers"]["authorization"] == f"Bearer {token}"
    assert "cookie" not in seen["headers"]


def test_gateway_streams_a_large_upload_to_the_owner(system, client):
    body = b"ma,ten\n" + b"0160000001,Nguyen Van A\n" * 400_000

    answer = client.post("/api/v1/schools/S1/imports", headers=bearer(),
                         files={"file": ("lon.csv", body, "text/csv")})

    assert answer.status_code == 201
    assert system.world.last_upload["size"] == len(body)
    assert answer.json()["sheets"][0]["rows"] == 400_000


def test_gateway_passes_files_with_their_headers(system, client):
    system.world.schools["S1"] = {"code": "S1"}

    answer = client.get("/api/v1/schools/S1/templates/registration.xlsx",
                        params={"layout": "single-sheet",
                                "school_year": "2025-2026"},
                        headers=bearer("school_admin", "S1"))

    assert answer.content[:2] == b"PK"
    assert "single-sheet" in answer.headers["content-disposition"]


def test_gateway_streams_server_sent_events_without_buffering(system):
    headers = bearer("student", "S1", "ST1")
    with httpx.Client(base_url=system.url, timeout=10) as http, http.stream(
            "GET", "/api/v1/students/S1/ST1/notifications/stream",
            headers=headers) as stream:
        lines = (line for line in stream.iter_lines() if line)
        assert [next(lines), next(lines)][1] == "event: ready"
        next(lines)
        started = time.monotonic()
        system.world.notify("S1", "ST1", "Gói mới", "Đã kích hoạt", "KNS")
        event = [next(lines), next(lines), next(lines)]

    assert event[:2] == ["id: 1", "event: notification"]
    assert '"package_code": "KNS"' in event[2]
    assert time.monotonic() - started < 3
    assert stream.headers["content-type"].startswith("text/event-stream")


def test_gateway_answers_503_in_vietnamese_when_the_owner_is_down():
    with fake_system(down=("notification",)) as system, httpx.Client(
            base_url=system.url, timeout=10) as http:
        answer = http.get("/api/v1/students/S1/ST1/notifications",
                          headers=bearer())

    assert answer.status_code == 503
    error = answer.json()["error"]
    assert error["code"] == "service_unavailable"
    assert "dịch vụ thông báo" in error["message"]


def test_gateway_refuses_paths_no_service_owns(client):
    answer = client.get("/api/v1/nothing/here", headers=bearer())

    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"


def test_gateway_passes_service_errors_through(system, client):
    answer = client.get("/api/v1/schools/S2", headers=bearer("school_admin", "S1"))

    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "forbidden_school"


def test_readyz_is_200_when_every_service_is_ready(client):
    answer = client.get("/readyz")

    assert answer.status_code == 200
    assert set(answer.json()["services"].values()) == {"ok"}


def test_readyz_is_503_and_names_the_service_that_is_down():
    with fake_system(down=("import",)) as system:
        answer = httpx.get(f"{system.url}/readyz", timeout=10)

    assert answer.status_code == 503
    services = answer.json()["services"]
    assert services["import"].startswith("unavailable")
    assert services["activation"] == "ok"


def test_health_metrics_and_dev_login_answer(client):
    token = client.post("/api/v1/auth/dev-token",
                        json={"role": "school_admin", "school_code": "S1"})

    assert client.get("/healthz").json() == {"status": "alive"}
    assert "hoclieu_http_requests_total" in client.get("/metrics").text
    assert token.json()["access_token"]
