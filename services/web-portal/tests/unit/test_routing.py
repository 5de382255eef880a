"""The routing table sends each /api/v1 path to the service that owns it."""

import httpx
import pytest
from portal_fakes.system import portal_settings

from web_portal.backends import Backends
from web_portal.routing import InvalidPath, forwarded_path, owner_of, wire_segments


@pytest.mark.parametrize(("path", "owner"), [
    ("schools", "activation"),
    ("schools/S1", "activation"),
    ("schools/S1/summary", "activation"),
    ("schools/S1/roster", "activation"),
    ("schools/S1/students/0160000001/packages", "activation"),
    ("schools/S1/accounts.xlsx", "activation"),
    ("schools/S1/classes", "activation"),
    ("packages/TA6-NC", "activation"),
    ("packages", "activation"),
    ("schools/S1/templates/registration.xlsx", "template"),
    ("schools/S1/imports", "import"),
    ("schools/S1/batches", "import"),
    ("imports/42/records.xlsx", "import"),
    ("batches/7", "import"),
    ("approvals", "import"),
    ("approvals/7/approve", "import"),
    ("students/S1/0160000001/notifications", "notification"),
    ("students/S1/0160000001/notifications/stream", "notification"),
    ("schools/S1/notifications/recent", "notification"),
    ("schools/S1/notifications/delivery", "notification"),
    ("notifications/delivery", "notification"),
])
def test_owner_of_known_paths(path, owner):
    assert owner_of(path) == owner


@pytest.mark.parametrize("path", [
    "", "auth/dev-token", "students/S1/0160000001", "schoolsX", "importsy/1",
    "../schools", "approvalsx",
])
def test_owner_of_unknown_paths_is_none(path):
    assert owner_of(path) is None


@pytest.mark.parametrize("raw", [
    b"/api/v1/schools/QA-A/students/..%2F..%2F..%2Fmetrics",
    b"/api/v1/students/QA-A/x/notifications/..%2F..%2Fnotifications%2Fdelivery",
    b"/api/v1/schools/S1%2Ftemplates/registration.xlsx",
    b"/api/v1/schools/../../openapi.json",
    b"/api/v1/schools/%2e%2e/%2E%2E/docs",
    b"/api/v1/schools/./S1",
    b"/api/v1/schools/S1%5C..%5Cdocs",
    b"/api/v1/imports/%00",
    b"/api/v1/students/QA-A/%01/notifications",
    b"/api/v1/schools/QA-A/students/%7f",
    b"/api/v1/schools/S1%C2%85",
    b"/api/v1/packages/%FF",
    b"/api/v1/schools//S1",
    b"/api/v1/packages/",
    "/api/v1/schools/Tr\u01b0\u1eddng".encode(),
])
def test_wire_segments_refuse_paths_that_could_leave_their_route(raw):
    with pytest.raises(InvalidPath) as refused:
        wire_segments(raw)

    assert refused.value.status == 400
    assert refused.value.code == "invalid_path"
    assert refused.value.message == "Địa chỉ yêu cầu không hợp lệ."


def test_wire_segments_decode_each_segment_on_its_own():
    segments = wire_segments(b"/api/v1/schools/S%201/%65cho/a%3Fb%23c%25")

    assert segments == ("api", "v1", "schools", "S 1", "echo", "a?b#c%")


def test_forwarded_path_encodes_each_segment():
    path = forwarded_path(("schools", "S 1", "a?b#c%", "Trường"))

    assert path == "schools/S%201/a%3Fb%23c%25/Tr%C6%B0%E1%BB%9Dng"


@pytest.mark.parametrize("api_path", [
    "batches/..", "batches/../../metrics", "batches/\x00", "packages/a\\b",
])
async def test_backends_refuse_unsafe_paths_from_pages(api_path):
    backends = offline_backends()

    with pytest.raises(InvalidPath):
        await backends.send("GET", api_path, headers={})
    await backends.close()


async def test_backends_answer_400_when_httpx_refuses_the_url():
    backends = offline_backends()

    with pytest.raises(InvalidPath):
        await backends.send("GET", "packages/" + "a" * 70_000, headers={})
    await backends.close()


def offline_backends() -> Backends:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"path": request.url.raw_path.decode()})

    urls = dict.fromkeys(("activation", "template", "import", "notification"),
                         "http://127.0.0.1:9")
    return Backends(portal_settings(urls), httpx.MockTransport(answer))
