"""Wiring: the portal app from its settings (the only place)."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from hoclieu_shared.auth import dev_login_router
from hoclieu_shared.logs import configure_logging
from hoclieu_shared.service import operations_router

from .backends import Backends
from .context import RequestContext
from .edge import install_edge
from .gateway import gateway_router
from .pages import auth, operator, school, student, wizard
from .settings import PortalSettings

STATIC = Path(__file__).resolve().parent / "static"


def create_app(settings: PortalSettings | None = None, *,
               transport: httpx.AsyncBaseTransport | None = None) -> FastAPI:
    """The portal: pages, the /api/v1 gateway, probes and the dev login."""
    settings = settings or PortalSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        configure_logging(settings.service_name, settings.log_level)
        # One line per forwarded call is the portal's job, not httpx's.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        app.state.backends = Backends(settings, transport)
        yield
        await app.state.backends.close()

    app = FastAPI(title="Học liệu — cổng web", lifespan=lifespan,
                  version="1.0.0")
    app.state.settings = settings
    install_edge(app)
    app.add_middleware(RequestContext, service=settings.service_name)
    app.include_router(operations_router(_services_readiness,
                                         body_key="services"))
    if settings.auth_dev_login:
        app.include_router(dev_login_router())
    app.include_router(gateway_router())
    for pages in (auth, school, wizard, operator, student):
        app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


async def _services_readiness(request) -> dict[str, str]:
    """The portal is ready when every service it routes to is ready."""
    settings = request.app.state.settings
    return await request.app.state.backends.readiness(
        settings.readiness_timeout_seconds)
