"""Where the tests' broker and database come from, on this machine."""

import asyncio

import asyncpg
import pytest

from hoclieu_shared.events import SchoolUpdated
from hoclieu_shared.kafka import ensure_topics
from hoclieu_shared.testing.events import collect, envelope, produce
from hoclieu_shared.testing.infrastructure import (
    docker_engine_available,
    kafka_bootstrap,
    postgres_server,
)


@pytest.mark.docker
@pytest.mark.skipif(not docker_engine_available(),
                    reason="no Docker engine answers; local services are used")
def test_testcontainers_give_a_working_kafka_and_postgres():
    with kafka_bootstrap(use_docker=True) as servers, \
            postgres_server(use_docker=True) as url:
        assert asyncio.run(_round_trip(servers)) == ["C1"]
        assert asyncio.run(_select_one(url)) == 1


def test_the_session_broker_and_database_answer(broker, database_url):
    assert asyncio.run(_round_trip(broker)) == ["C1"]
    assert asyncio.run(_select_one(database_url)) == 1


async def _round_trip(servers: str) -> list[str]:
    prefix = "infra."
    await ensure_topics(servers, prefix=prefix, partitions=1)
    school = SchoolUpdated(code="C1", name="Trường", auto_approve=False)
    await produce(servers, prefix, envelope(school, "C1"))
    got = await collect(servers, prefix + "SchoolUpdated", 1)
    return [e.body().code for e in got]


async def _select_one(url: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval("SELECT 1")
    finally:
        await conn.close()
