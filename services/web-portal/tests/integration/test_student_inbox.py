"""The student's inbox page: package names, and a stream that comes back."""

from __future__ import annotations

import re

from portal_fakes.system import sign_in


def test_inbox_shows_package_names_from_the_notifications(system, client):
    system.world.notify("S1", "HS1", "Gói mới", "Đã kích hoạt", "TA6",
                        "Tiếng Anh 6 nâng cao")
    system.world.notify("S1", "HS1", "Gói mới", "Đã kích hoạt", "KNS")
    sign_in(client, "student", "S1", "HS1")

    page = client.get("/student").text

    assert '<li data-code="TA6">Tiếng Anh 6 nâng cao</li>' in page
    assert '<li data-code="KNS">KNS</li>' in page


def test_inbox_script_reopens_a_closed_stream_from_the_last_event_id(
        system, client):
    system.world.notify("S1", "HS2", "Gói mới", "Đã kích hoạt", "TA6")
    sign_in(client, "student", "S1", "HS2")

    page = client.get("/student").text
    script = client.get("/static/app.js").text

    assert re.search(r'data-stream="[^"]*/stream\?last_event_id=1"', page)
    assert "EventSource.CLOSED" in script
    assert 'searchParams.set("last_event_id", lastId)' in script
    assert "RECONNECT_FIRST_MS = 1000" in script
    assert "RECONNECT_MAX_MS = 30000" in script
    assert "Math.random()" in script
    assert "Đang kết nối lại…" in script


def test_busy_stream_is_passed_through_as_503_with_its_json(system, client):
    system.world.streams_busy = True
    sign_in(client, "student", "S1", "HS3")

    answer = client.get("/api/v1/students/S1/HS3/notifications/stream",
                        params={"last_event_id": 4})

    assert answer.status_code == 503
    assert answer.json()["error"]["code"] == "service_busy"
    assert answer.headers["retry-after"] == "2"
