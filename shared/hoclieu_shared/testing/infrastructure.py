"""Where the tests' broker and databases come from.

With a Docker engine, testcontainers runs Apache Kafka and PostgreSQL
images; without one, the tansu broker binary and the PostgreSQL server on
127.0.0.1:5432 are used instead. The tests themselves are the same.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import asyncpg

from ..localbroker import LocalBroker

LOCAL_POSTGRES = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def docker_engine_available() -> bool:
    """True when a Docker engine answers (testcontainers can start images)."""
    if os.environ.get("HOCLIEU_TESTS_NO_DOCKER"):
        return False
    try:
        import docker

        docker.from_env(timeout=3).ping()
        return True
    except Exception:
        return False


@contextmanager
def kafka_bootstrap(use_docker: bool) -> Iterator[str]:
    """A running Kafka-protocol broker for the test session."""
    if use_docker:
        from testcontainers.kafka import KafkaContainer

        with KafkaContainer("apache/kafka:3.9.1").with_kraft() as kafka:
            yield kafka.get_bootstrap_server()
        return
    with LocalBroker() as broker:
        yield broker.bootstrap_servers


@contextmanager
def postgres_server(use_docker: bool) -> Iterator[str]:
    """The URL of a PostgreSQL maintenance database for the test session."""
    if use_docker:
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer("postgres:16-alpine", driver=None) as pg:
            yield pg.get_connection_url()
        return
    yield LOCAL_POSTGRES


def _with_database(url: str, name: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


async def _admin(url: str, statement: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


def create_database(server_url: str, label: str) -> str:
    """Create a fresh database for one test run; returns its URL."""
    name = f"hl_{label}_{uuid.uuid4().hex[:10]}".lower().replace("-", "_")
    asyncio.run(_admin(server_url, f'CREATE DATABASE "{name}"'))
    return _with_database(server_url, name)


def drop_database(server_url: str, database_url: str) -> None:
    """Drop a database made by create_database, closing its connections."""
    name = database_url.rpartition("/")[2]
    asyncio.run(_admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
