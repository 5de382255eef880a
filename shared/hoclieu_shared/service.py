"""One service process: its database, outbox relay, consumer and HTTP edge."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from .auth import dev_login_router
from .consumer import EventConsumer, Handler, RetryPolicy
from .db import Database
from .errors import install_error_handlers
from .events import utcnow
from .kafka import KafkaPublisher
from .logs import configure_logging, correlation_id_var, new_correlation_id
from .metrics import HTTP_LATENCY, HTTP_REQUESTS
from .migrations import upgrade_to_head_async
from .outbox import OutboxRelay, replay_published
from .settings import ServiceSettings

log = logging.getLogger(__name__)
CORRELATION_HEADER = "X-Correlation-ID"


class ServiceRuntime:
    """What a service runs beside its routes, started and stopped together."""

    def __init__(self, settings: ServiceSettings, *, service_root: Path,
                 handlers: dict[str, Handler] | None = None):
        self.settings = settings
        self.service_root = service_root
        self.handlers = handlers or {}
        self.db: Database | None = None
        self.publisher: KafkaPublisher | None = None
        self.relay: OutboxRelay | None = None
        self.consumer: EventConsumer | None = None
        self._tasks: list[asyncio.Task] = []

    async def start(self) -> None:
        """Migrate, connect, and start the relay and the consumer."""
        s = self.settings
        if s.run_migrations_on_start:
            await upgrade_to_head_async(self.service_root, s.sqlalchemy_url)
        self.db = Database(s.sqlalchemy_url, pool_size=s.db_pool_size,
                           max_overflow=s.db_max_overflow)
        if s.outbox_replay_on_start:
            # The local broker forgets everything when it stops; what was
            # published shortly before may not have been applied everywhere.
            # Consumers drop what they already applied.
            since = utcnow() - timedelta(hours=s.outbox_replay_hours)
            count = await replay_published(self.db, since)
            log.info("Queued %d recent events again for the new broker", count)
        self.publisher = KafkaPublisher(s.kafka_bootstrap_servers,
                                        client_id=s.service_name)
        self.relay = OutboxRelay(
            self.db, self.publisher, service=s.service_name,
            topic_prefix=s.topic_prefix, poll_seconds=s.outbox_poll_seconds,
            retention=timedelta(days=s.outbox_retention_days))
        self._tasks.append(asyncio.create_task(self.relay.run()))
        if self.handlers:
            self.consumer = self._make_consumer()
            self._tasks.append(asyncio.create_task(self.consumer.run()))
        log.info("Service %s started", s.service_name)

    def _make_consumer(self) -> EventConsumer:
        s = self.settings
        return EventConsumer(
            db=self.db, publisher=self.publisher, handlers=self.handlers,
            service=s.service_name, group_id=s.group_id,
            bootstrap_servers=s.kafka_bootstrap_servers,
            topic_prefix=s.topic_prefix,
            retry=RetryPolicy(max_attempts=s.consumer_max_attempts))

    async def stop(self) -> None:
        """Finish the message in hand, publish what can be, and close."""
        if self.consumer:
            await self.consumer.stop()
        if self.relay:
            self.relay.stop()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self.publisher:
            await self.publisher.stop()
        if self.db:
            await self.db.close()
        log.info("Service %s stopped", self.settings.service_name)

    async def readiness(self) -> dict[str, str]:
        """The state of each dependency: "ok" or what is wrong."""
        return {
            "database": await _probe(self.db.ping()),
            "broker": await _probe(self.publisher.ping()),
        }


async def _probe(check) -> str:
    try:
        await asyncio.wait_for(check, 5)
        return "ok"
    except Exception as error:
        return f"unavailable: {type(error).__name__}"


def create_service_app(settings: ServiceSettings, runtime: ServiceRuntime, *,
                       title: str, routers: list[APIRouter],
                       on_started: Callable | None = None) -> FastAPI:
    """A FastAPI app with the parts every service shares."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        configure_logging(settings.service_name, settings.log_level)
        await runtime.start()
        if on_started:
            await on_started(runtime)
        yield
        await runtime.stop()

    app = FastAPI(title=title, lifespan=lifespan, version="1.0.0")
    app.state.settings = settings
    app.state.runtime = runtime
    install_error_handlers(app)
    app.middleware("http")(_request_context(settings.service_name))
    app.include_router(operations_router(lambda _: runtime.readiness()))
    if settings.auth_dev_login:
        app.include_router(dev_login_router())
    for router in routers:
        app.include_router(router)
    return app


def _request_context(service: str):
    async def middleware(request: Request, call_next) -> Response:
        correlation_id = request.headers.get(CORRELATION_HEADER) or \
            new_correlation_id()
        correlation_id_var.set(correlation_id[:64])
        started = time.perf_counter()
        response = await call_next(request)
        route = getattr(request.scope.get("route"), "path", "unmatched")
        HTTP_REQUESTS.labels(service, request.method, route,
                             str(response.status_code)).inc()
        HTTP_LATENCY.labels(service, request.method, route).observe(
            time.perf_counter() - started)
        response.headers[CORRELATION_HEADER] = correlation_id[:64]
        return response

    return middleware


def operations_router(readiness: Callable[[Request], Awaitable[dict[str, str]]],
                      *, body_key: str = "checks") -> APIRouter:
    """/healthz, /readyz (200 when every check says "ok") and /metrics."""
    router = APIRouter(tags=["operations"])

    @router.get("/healthz")
    async def healthz() -> dict:
        return {"status": "alive"}

    @router.get("/readyz")
    async def readyz(request: Request) -> JSONResponse:
        checks = await readiness(request)
        ready = all(v == "ok" for v in checks.values())
        return JSONResponse({"ready": ready, body_key: checks},
                            200 if ready else 503)

    @router.get("/metrics")
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router


def _runtime_database(request: Request) -> Database:
    return request.app.state.runtime.db


RuntimeDb = Annotated[Database, Depends(_runtime_database)]
"""Route parameter: the database of the service's runtime."""
