"""Live push over Server-Sent Events, on uvicorn and the real broker."""

import asyncio
import time
import uuid
from datetime import timedelta

import httpx
import pytest
import pytest_asyncio
from sqlalchemy import func, select

from hoclieu_shared.db import Database
from hoclieu_shared.events import NOTIFICATION_DELIVERED, utcnow
from hoclieu_shared.messaging_tables import outbox_messages
from hoclieu_shared.testing.events import wait_until
from hoclieu_shared.testing.service import test_settings, unique_prefix
from notification_service.adapters import store
from notification_service.settings import NotificationSettings

pytestmark = pytest.mark.asyncio(loop_scope="module")
SERVICE_SETTINGS = {"stream_max_per_student": 2, "stream_keepalive_seconds": 0.5}
LATENCIES: list[float] = []


async def notification_count(service, school, student) -> int:
    async with service.db.session() as session:
        page = await store.inbox_page(session, school, student, limit=1, offset=0)
    return page.total


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def warm(service, kit):
    """The consumer has fetched once, so timings see a joined, hot consumer."""
    school, student = kit.codes("WARM")
    await service.activate(school, kit.activation(student))
    await wait_until(lambda: notification_count(service, school, student), 30)
    return service


async def delivered_rows(service, notification_id) -> int:
    async with service.db.session() as session:
        return (await session.execute(
            select(func.count()).select_from(outbox_messages).where(
                outbox_messages.c.topic == NOTIFICATION_DELIVERED,
                outbox_messages.c.payload.contains(notification_id)))).scalar()


async def test_open_stream_receives_notification_within_one_second(
        warm, kit, open_stream):
    service = warm
    school, student = kit.codes("LIVE")
    async with open_stream(school, student, service.student(school, student)) \
            as stream:
        ready = await stream.next()
        started = time.perf_counter()
        await service.activate(school, kit.activation(student, "TA6"))
        event = await stream.next_notification(timeout=5)

    latency = event["received"] - started
    LATENCIES.append(latency)
    print(f"\nPackageActivated produced -> SSE event received: {latency:.3f} s")
    assert ready["event"] == "ready" and ready["id"] == "0"
    assert latency < 1.0
    assert event["id"] == "1" and event["data"]["package_codes"] == ["TA6"]
    assert event["data"]["package_names"] == ["Tiếng Anh 6 nâng cao"]
    assert "vào mục Khóa học" in event["data"]["body"]
    assert {"created_at", "activated_at", "pushed_at"} <= set(event["data"])


async def test_every_open_session_gets_it_and_delivery_is_published_once(
        warm, kit, open_stream):
    service = warm
    school, student = kit.codes("TABS")
    token = service.student(school, student)
    async with open_stream(school, student, token) as tab1, \
            open_stream(school, student, token) as tab2:
        await tab1.next(), await tab2.next()
        await service.activate(school, kit.activation(student, "TA6"))
        first = await tab1.next_notification()
        second = await tab2.next_notification()
        notification_id = first["data"]["id"]
        await wait_until(lambda: delivered_rows(service, notification_id), 10)

    assert second["data"]["id"] == notification_id
    assert await delivered_rows(service, notification_id) == 1


async def test_reconnect_with_last_event_id_receives_what_it_missed(
        warm, kit, open_stream):
    service = warm
    school, student = kit.codes("RESUME")
    token = service.student(school, student)
    async with open_stream(school, student, token) as stream:
        await stream.next()
        await service.activate(school, kit.activation(student, "TA6"))
        seen = await stream.next_notification()

    await service.activate(school, kit.activation(student, "T10"))
    await service.activate(school, kit.activation(student, "VL8"))
    await wait_until(lambda: _all_told(service, school, student, 3), 30)
    async with open_stream(school, student, token,
                           last_event_id=int(seen["id"])) as stream:
        await stream.next()
        missed = [await stream.next_notification()]
        while not {"T10", "VL8"} <= _codes(missed):
            missed.append(await stream.next_notification())

    assert all(int(e["id"]) > int(seen["id"]) for e in missed)
    assert [int(e["id"]) for e in missed] == sorted(int(e["id"]) for e in missed)


def _codes(events: list[dict]) -> set[str]:
    # A notification grown by grouping comes again with the same id.
    return {c for e in events for c in e["data"]["package_codes"]}


async def _all_told(service, school, student, activations: int) -> bool:
    async with service.db.session() as session:
        rows = await store.after(session, school, student, 0)
    return sum(len(r.package_codes) for r in rows) >= activations


async def test_stream_started_from_inbox_cursor_gets_later_rows(
        warm, kit, open_stream):
    service = warm
    school, student = kit.codes("QRY")
    await _write_elsewhere(service, kit, school, student, "TA6")
    await _write_elsewhere(service, kit, school, student, "T10")

    async with open_stream(school, student, service.student(school, student),
                           query="?last_event_id=1") as stream:
        ready = await stream.next()
        event = await stream.next_notification()

    assert ready["id"] == "1"
    assert event["id"] == "2" and event["data"]["package_code"] == "T10"


async def test_notification_written_by_another_replica_reaches_the_stream(
        warm, kit, open_stream):
    service = warm
    school, student = kit.codes("REPL")
    async with open_stream(school, student, service.student(school, student)) \
            as stream:
        await stream.next()
        started = time.perf_counter()
        await _write_elsewhere(service, kit, school, student, "TA6")
        event = await stream.next_notification(timeout=5)

    assert event["received"] - started < 1.0
    assert event["data"]["package_code"] == "TA6"


async def _write_elsewhere(service, kit, school, student, code) -> None:
    """Write as another replica would: its own engine, no local wake-up."""
    other = Database(service.settings.sqlalchemy_url)
    try:
        async with other.session() as session, session.begin():
            await store.record_activation(
                session, school, uuid.uuid4(), kit.activation(student, code),
                window=timedelta(0), now=utcnow())
    finally:
        await other.close()


async def test_streams_per_student_are_bounded(warm, kit, open_stream):
    service = warm
    school, student = kit.codes("CAP")
    token = service.student(school, student)
    async with open_stream(school, student, token) as one:
        async with open_stream(school, student, token) as two:
            async with open_stream(school, student, token) as three:
                refused = three.response
            await one.next(), await two.next()
        notifier = service.app.state.notifier
        await wait_until(lambda: _open_count(notifier, school, student, 1), 5)
        async with open_stream(school, student, token) as again:
            accepted = again.response

    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "too_many_streams"
    assert accepted.status_code == 200


async def _open_count(notifier, school, student, count) -> bool:
    return notifier.open_count(school, student) == count


async def test_idle_stream_sends_keep_alive_comments(warm, kit, open_stream):
    service = warm
    school, student = kit.codes("IDLE")

    async with open_stream(school, student, service.student(school, student)) \
            as stream:
        await stream.next()
        await wait_until(lambda: _comments(stream, 2), timeout=5)

    assert stream.events.empty()


async def _comments(stream, count: int) -> bool:
    return stream.comments >= count


async def test_bad_last_event_id_is_refused(warm, kit, open_stream):
    service = warm
    school, student = kit.codes("BAD")

    async with open_stream(school, student, service.student(school, student),
                           query="?last_event_id=abc") as stream:
        response = stream.response

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_last_event_id"


@pytest.fixture
def own_settings(make_database, broker) -> NotificationSettings:
    return test_settings(NotificationSettings, database_url=make_database("stop"),
                         broker=broker, prefix=unique_prefix())


async def test_server_stop_ends_open_streams_promptly(own_settings, broker, kit):
    running = await kit.start_server(own_settings, broker)
    school, student = kit.codes("STOP")
    headers = running.student(school, student)
    url = f"/api/v1/students/{school}/{student}/notifications/stream"
    async with httpx.AsyncClient(base_url=running.url) as http, \
            kit.SseStream(http, url, headers) as stream:
        await stream.next()
        started = time.perf_counter()
        running.server.should_exit = True
        await asyncio.wait_for(stream.ended.wait(), 5)
        ended_after = time.perf_counter() - started
    await asyncio.wait_for(running.task, 20)

    assert ended_after < 2.0
