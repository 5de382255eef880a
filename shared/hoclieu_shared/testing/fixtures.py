"""pytest plugin: real broker and real PostgreSQL for every test session."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator

import pytest

from ..kafka import ensure_topics
from .infrastructure import (
    create_database,
    docker_engine_available,
    drop_database,
    kafka_bootstrap,
    postgres_server,
)


@pytest.fixture(scope="session")
def use_docker() -> bool:
    """Whether this session runs its services in testcontainers."""
    return docker_engine_available()


@pytest.fixture(scope="session")
def broker(use_docker: bool) -> Iterator[str]:
    """Bootstrap servers of a real broker with every event topic created."""
    with kafka_bootstrap(use_docker) as servers:
        asyncio.run(ensure_topics(servers, partitions=3))
        yield servers


@pytest.fixture(scope="session")
def postgres(use_docker: bool) -> Iterator[str]:
    """URL of the PostgreSQL server's maintenance database."""
    with postgres_server(use_docker) as url:
        yield url


@pytest.fixture
def make_database(postgres: str) -> Iterator[Callable[[str], str]]:
    """Factory of fresh PostgreSQL databases, dropped after the test."""
    made: list[str] = []

    def make(label: str = "t") -> str:
        made.append(create_database(postgres, label))
        return made[-1]

    yield make
    for url in made:
        drop_database(postgres, url)


@pytest.fixture
def database_url(make_database) -> str:
    """A fresh PostgreSQL database for one test."""
    return make_database("t")
