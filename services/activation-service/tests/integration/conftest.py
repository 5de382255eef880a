"""The activation-service running on the real broker and PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import asyncpg
import pytest
from fastapi.testclient import TestClient
from hoclieu_shared.testing.events import collect
from hoclieu_shared.testing.infrastructure import create_database, drop_database
from hoclieu_shared.testing.service import (
    bearer,
    running,
    test_settings,
    unique_prefix,
)

from activation_service.main import create_app
from activation_service.settings import ActivationSettings


@dataclass
class Service:
    """A running app and what tests need to talk to it."""

    client: TestClient
    settings: ActivationSettings
    broker: str
    prefix: str
    database_url: str

    @staticmethod
    def new_code(label: str = "S") -> str:
        """A code of its own for each test."""
        return f"{label}{uuid.uuid4().hex[:8].upper()}"

    def make_school(self, code: str, auto_approve: bool = False) -> None:
        """Create a school as the operator."""
        answer = self.client.post("/api/v1/schools", headers=self.operator(),
                                  json={"code": code, "name": f"Trường {code}",
                                        "province": "Hà Nội",
                                        "auto_approve": auto_approve})
        assert answer.status_code == 201, answer.text

    def operator(self) -> dict[str, str]:
        return bearer(self.settings, "misa_operator")

    def admin(self, school: str) -> dict[str, str]:
        return bearer(self.settings, "school_admin", school)

    async def events(self, topic: str, school: str, want: int,
                     timeout: float = 20.0) -> list:
        """The envelopes of one school on a topic, once `want` are there."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            found = [e for e in await collect(self.broker, self.prefix + topic,
                                              10**6, timeout=1.5)
                     if e.school_code == school]
            if len(found) >= want or loop.time() > deadline:
                return found

    async def sql(self, query: str, *args) -> list:
        """Rows of a query on the service's database."""
        conn = await asyncpg.connect(self.database_url)
        try:
            return await conn.fetch(query, *args)
        finally:
            await conn.close()


@pytest.fixture(scope="module")
def service(broker: str, postgres: str) -> Iterator[Service]:
    """One app per test module: a consumer group takes seconds to join."""
    url = create_database(postgres, "activation")
    prefix = unique_prefix()
    # Cheaper Argon2 than production: 1,051 hashes at the OWASP floor take
    # 15-45 s on a busy two-core box; the hash keeps its own parameters.
    settings = test_settings(ActivationSettings, database_url=url, broker=broker,
                             prefix=prefix, password_hash_memory_kib=4096,
                             password_hash_time_cost=1)
    try:
        with running(create_app, settings) as client:
            yield Service(client, settings, broker, prefix, url)
    finally:
        drop_database(postgres, url)
