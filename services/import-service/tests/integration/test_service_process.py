"""The service as a real process: killed between commit and publish, and
approved twice at once over real HTTP."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from contextlib import contextmanager

import httpx
from hoclieu_shared.db import Database
from hoclieu_shared.events import REGISTRATION_APPROVED, REGISTRATION_IMPORTED
from hoclieu_shared.kafka import ensure_topics
from hoclieu_shared.localbroker import free_port, wait_for_port
from hoclieu_shared.messaging_tables import outbox_messages
from hoclieu_shared.settings import to_async_url
from hoclieu_shared.testing.service import bearer, unique_prefix
from sqlalchemy import func, select

from import_service.adapters.tables import Registration
from import_service.settings import ImportSettings


@contextmanager
def service(env: dict[str, str], log_path):
    """`python -m import_service` on a free port; yields (process, base URL)."""
    port = free_port()
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "import_service"],
            env={**os.environ, **env, "HTTP_PORT": str(port)}, stdout=log,
            stderr=subprocess.STDOUT, cwd=log_path.parent)
    try:
        wait_for_port(port, timeout=60)
        yield process, f"http://127.0.0.1:{port}"
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)


def environment(database_url: str, broker: str, prefix: str, tmp_path) -> dict:
    return {"DATABASE_URL": database_url, "KAFKA_BOOTSTRAP_SERVERS": broker,
            "TOPIC_PREFIX": prefix, "CONSUMER_GROUP": f"g-{prefix}",
            "DATA_DIR": str(tmp_path), "OUTBOX_POLL_SECONDS": "0.1"}


async def count_rows(database_url: str, query) -> int:
    db = Database(to_async_url(database_url))
    try:
        async with db.session() as session:
            return int(await session.scalar(query))
    finally:
        await db.close()


def pending_outbox():
    return select(func.count()).select_from(outbox_messages).where(
        outbox_messages.c.status == "pending")


def registrations_of(batch_id: str):
    return select(func.count()).select_from(Registration).where(
        Registration.batch_id == uuid.UUID(batch_id))


def test_events_committed_before_a_kill_are_published_once_after_restart(
        database_url, broker, tmp_path, seed):
    prefix, school = unique_prefix(), f"K-{uuid.uuid4().hex[:6].upper()}"
    asyncio.run(ensure_topics(broker, prefix=prefix, partitions=3))
    dead_broker = f"127.0.0.1:{free_port()}"
    admin = bearer(ImportSettings(), "school_admin", school)
    students = seed.fake_students(50, prefix="K")
    log = tmp_path / "service.log"

    with service(environment(database_url, dead_broker, prefix, tmp_path),
                 log) as (first, url):
        seed.seed_school(database_url, school, students=students)
        import_id = seed.seed_checked_import(database_url, school, students)
        answer = httpx.post(f"{url}/api/v1/imports/{import_id}/commit",
                            headers=admin, timeout=30)
        held_back = asyncio.run(count_rows(database_url, pending_outbox()))
        first.kill()
        first.wait(10)
    batch_id = answer.json()["batch_id"]
    with service(environment(database_url, broker, prefix, tmp_path), log):
        published = asyncio.run(seed.read_events(
            broker, prefix + REGISTRATION_IMPORTED, 50,
            match=seed.of_batch(batch_id), timeout=60, linger=3.0))
    stored = asyncio.run(count_rows(database_url, registrations_of(batch_id)))

    assert answer.status_code == 200 and held_back == 50
    assert stored == 50
    assert len(published) == 50
    assert len({e.id for e in published}) == 50
    assert len({e.data["registration_id"] for e in published}) == 50


def test_two_approvals_at_once_over_http_approve_once(database_url, broker,
                                                      tmp_path, seed):
    prefix, school = unique_prefix(), f"C-{uuid.uuid4().hex[:6].upper()}"
    asyncio.run(ensure_topics(broker, prefix=prefix, partitions=3))
    settings = ImportSettings()
    students = seed.fake_students(500, prefix="C")

    with service(environment(database_url, broker, prefix, tmp_path),
                 tmp_path / "service.log") as (_, url):
        seed.seed_school(database_url, school, students=students)
        import_id = seed.seed_checked_import(database_url, school, students)
        commit = httpx.post(f"{url}/api/v1/imports/{import_id}/commit",
                            headers=bearer(settings, "school_admin", school),
                            timeout=30).json()
        answers = asyncio.run(_approve_twice(
            url, commit["batch_id"], bearer(settings, "misa_operator")))
        published = asyncio.run(seed.read_events(
            broker, prefix + REGISTRATION_APPROVED, 500,
            match=seed.of_batch(commit["batch_id"]), timeout=60, linger=3.0))

    assert sorted(a.status_code for a in answers) == [200, 409]
    assert len(published) == 500
    assert len({e.data["registration_id"] for e in published}) == 500


async def _approve_twice(url: str, batch_id: str, headers: dict):
    async with httpx.AsyncClient(base_url=url, headers=headers,
                                 timeout=60) as client:
        path = f"/api/v1/approvals/{batch_id}/approve"
        return await asyncio.gather(client.post(path), client.post(path))
