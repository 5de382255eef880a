"""A real notification-service on uvicorn, PostgreSQL and the test broker.

Each test module gets its own server, database and topic prefix; the tests
of a module share them and keep apart by unique school and student codes.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI

from hoclieu_shared.events import PackageActivated
from hoclieu_shared.localbroker import free_port
from hoclieu_shared.testing.events import envelope, produce, wait_until
from hoclieu_shared.testing.infrastructure import create_database, drop_database
from hoclieu_shared.testing.service import bearer, test_settings, unique_prefix
from notification_service.main import create_app
from notification_service.server import StreamAwareServer, build_server
from notification_service.settings import NotificationSettings


@dataclass
class Running:
    """A started service and what tests need to talk to it."""

    app: FastAPI
    server: StreamAwareServer
    task: asyncio.Task
    url: str
    settings: NotificationSettings
    broker: str

    @property
    def db(self):
        return self.app.state.runtime.db

    def headers(self, role: str, school: str | None = None,
                student: str | None = None) -> dict[str, str]:
        return bearer(self.settings, role, school, student)

    def student(self, school: str, student: str) -> dict[str, str]:
        return self.headers("student", school, student)

    async def activate(self, school: str, *bodies: PackageActivated) -> list:
        """Produce PackageActivated events, each in a new envelope."""
        items = [envelope(body, school) for body in bodies]
        await self.produce(*items)
        return items

    async def produce(self, *envelopes) -> None:
        """Put these very envelopes on the real broker (again)."""
        await produce(self.broker, self.settings.topic_prefix, *envelopes)


def codes(label: str) -> tuple[str, str]:
    """A school and a student code nobody else uses."""
    tag = uuid.uuid4().hex[:8].upper()
    return f"SCH{tag}", f"HS{label}{tag}"


def activation(student: str, code: str = "TA6", name: str = "Tiếng Anh 6 nâng cao",
               courses: tuple[str, ...] = ("Ngữ pháp 6", "Từ vựng 6"),
               activation_id: uuid.UUID | None = None) -> PackageActivated:
    """A PackageActivated body for a student, activated now."""
    return PackageActivated(
        activation_id=activation_id or uuid.uuid4(), student_code=student,
        account_id=uuid.uuid4(), username=f"{student.lower()}@ontap",
        school_year="2025-2026", package_code=code, package_name=name,
        courses=list(courses), activated_by="auto", via="import",
        activated_at=datetime.now(UTC))


@pytest.fixture(scope="module")
def module_database(postgres):
    url = create_database(postgres, "notif")
    yield url
    drop_database(postgres, url)


@pytest.fixture(scope="module")
def service_settings(request, module_database, broker) -> NotificationSettings:
    overrides = getattr(request.module, "SERVICE_SETTINGS", {})
    return test_settings(NotificationSettings, database_url=module_database,
                         broker=broker, prefix=unique_prefix(), **overrides)


async def start_server(settings: NotificationSettings, broker: str) -> Running:
    """Start the app on uvicorn on a free 127.0.0.1 port."""
    app = create_app(settings)
    port = free_port()
    server = build_server(app, port=port)
    task = asyncio.create_task(server.serve())

    async def started() -> bool:
        if task.done():
            task.result()
            raise RuntimeError("the server stopped while starting")
        return server.started

    await wait_until(started, timeout=60)
    return Running(app, server, task, f"http://127.0.0.1:{port}", settings, broker)


async def stop_server(running: Running) -> None:
    running.server.should_exit = True
    await asyncio.wait_for(running.task, 30)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def service(service_settings, broker):
    running = await start_server(service_settings, broker)
    await asyncio.wait_for(running.app.state.runtime.consumer.assigned.wait(), 60)
    yield running
    await stop_server(running)


@pytest_asyncio.fixture(loop_scope="module")
async def client(service):
    async with httpx.AsyncClient(base_url=service.url, timeout=10) as http:
        yield http


class SseStream:
    """An open text/event-stream read in the background into a queue."""

    def __init__(self, http: httpx.AsyncClient, url: str, headers: dict):
        self._request = http.stream("GET", url, headers=headers,
                                    timeout=httpx.Timeout(10, read=None))
        self.events: asyncio.Queue[dict] = asyncio.Queue()
        self.comments = 0
        self.ended = asyncio.Event()
        self.response: httpx.Response | None = None
        self._task: asyncio.Task | None = None

    async def __aenter__(self) -> SseStream:
        self.response = await self._request.__aenter__()
        if self.response.status_code == 200:
            self._task = asyncio.create_task(self._read())
        else:
            await self.response.aread()
        return self

    async def __aexit__(self, *exc) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        await self._request.__aexit__(*exc)

    async def _read(self) -> None:
        fields: dict = {}
        try:
            async for line in self.response.aiter_lines():
                if line.startswith(":"):
                    self.comments += 1
                elif line:
                    name, _, value = line.partition(":")
                    fields[name] = value.removeprefix(" ")
                elif fields:
                    fields["received"] = time.perf_counter()
                    self.events.put_nowait(fields)
                    fields = {}
        finally:
            self.ended.set()

    async def next(self, timeout: float = 5.0) -> dict:
        """The next event, its data parsed from JSON."""
        event = await asyncio.wait_for(self.events.get(), timeout)
        event["data"] = json.loads(event["data"])
        return event

    async def next_notification(self, timeout: float = 5.0) -> dict:
        """The next `notification` event, skipping others."""
        async with asyncio.timeout(timeout):
            while (event := await self.next(timeout))["event"] != "notification":
                pass
        return event


@pytest.fixture
def open_stream(client):
    """Open a student's event stream: `async with open_stream(...) as s`."""

    def opener(school: str, student: str, headers: dict,
               last_event_id: int | None = None, query: str = "") -> SseStream:
        if last_event_id is not None:
            headers = {**headers, "Last-Event-ID": str(last_event_id)}
        url = f"/api/v1/students/{school}/{student}/notifications/stream{query}"
        return SseStream(client, url, headers)

    return opener


@pytest.fixture(scope="session")
def kit():
    """Helpers of this folder: unique codes and event bodies."""
    return _Kit


class _Kit:
    codes = staticmethod(codes)
    activation = staticmethod(activation)
    start_server = staticmethod(start_server)
    stop_server = staticmethod(stop_server)
    SseStream = SseStream
