"""Streams against a one-connection pool: queued, refused with 503, never 500."""

import asyncio
import contextlib

import pytest

pytestmark = pytest.mark.asyncio(loop_scope="module")
SERVICE_SETTINGS = {"db_pool_size": 1, "db_max_overflow": 0,
                    "stream_open_wait_seconds": 1.0,
                    "stream_fallback_seconds": 0.3,
                    "stream_keepalive_seconds": 0.5}
OPENINGS = 12


async def _open_many(service, kit, open_stream, stack, label: str, count: int):
    async def one(index: int):
        school, student = kit.codes(f"{label}{index}")
        stream = open_stream(school, student, service.student(school, student))
        return await stack.enter_async_context(stream)

    return await asyncio.wait_for(
        asyncio.gather(*(one(i) for i in range(count))), 8)


async def test_more_openings_than_connections_all_get_ready(
        service, kit, open_stream):
    async with contextlib.AsyncExitStack() as stack:
        streams = await _open_many(service, kit, open_stream, stack, "MANY",
                                   OPENINGS)
        firsts = [await s.next() for s in streams]

    assert [s.response.status_code for s in streams] == [200] * OPENINGS
    assert {e["event"] for e in firsts} == {"ready"}


async def test_busy_database_answers_503_and_open_streams_live_on(
        service, kit, open_stream):
    school, student = kit.codes("STAY")
    async with contextlib.AsyncExitStack() as stack:
        staying = await stack.enter_async_context(
            open_stream(school, student, service.student(school, student)))
        await staying.next()
        async with service.db.engine.connect() as held:
            await held.exec_driver_sql("SELECT 1")
            refused = await _open_many(service, kit, open_stream, stack, "BUSY", 6)
            await asyncio.sleep(0.6)  # the open stream's re-reads now queue
        await service.activate(school, kit.activation(student, "TA6"))
        pushed = await staying.next_notification(timeout=15)
        survived = not staying.ended.is_set()

    assert {s.response.status_code for s in refused} == {503}
    bodies = [s.response.json()["error"] for s in refused]
    assert {b["code"] for b in bodies} == {"service_busy"}
    assert all("bận" in b["message"] for b in bodies)
    assert all(s.response.headers["Retry-After"].isdigit() for s in refused)
    assert survived
    assert pushed["data"]["package_codes"] == ["TA6"]
