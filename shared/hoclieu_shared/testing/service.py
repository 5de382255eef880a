"""Running one service app in a test, on the real broker and PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from contextlib import contextmanager

from fastapi import FastAPI
from fastapi.testclient import TestClient

from ..auth import Principal, issue_token
from ..kafka import ensure_topics
from ..settings import ServiceSettings


def unique_prefix() -> str:
    """A topic prefix of its own, so tests never read each other's events."""
    return f"t{uuid.uuid4().hex[:10]}."


def test_settings(settings_cls: type[ServiceSettings], *, database_url: str,
                  broker: str, prefix: str, **overrides) -> ServiceSettings:
    """Settings of a service pointed at the test's database and broker."""
    asyncio.run(ensure_topics(broker, prefix=prefix, partitions=3))
    return settings_cls(database_url=database_url, kafka_bootstrap_servers=broker,
                        topic_prefix=prefix, consumer_group=f"g-{prefix}",
                        auth_dev_login=True, **overrides)


@contextmanager
def running(create_app: Callable[[ServiceSettings], FastAPI],
            settings: ServiceSettings):
    """The app with its lifespan (migrations, relay, consumer) running."""
    with TestClient(create_app(settings)) as client:
        yield client


def bearer(settings: ServiceSettings, role: str, school: str | None = None,
           student: str | None = None) -> dict[str, str]:
    """Authorization header for a principal."""
    token = issue_token(settings.auth_jwt_secret,
                        Principal(f"test:{role}", role, school, student))
    return {"Authorization": f"Bearer {token}"}


# The name reads well in tests; it is not itself a test.
test_settings.__test__ = False
