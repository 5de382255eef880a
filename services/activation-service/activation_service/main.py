"""Wiring of the activation-service: the one place its parts meet."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from hoclieu_shared.service import ServiceRuntime, create_service_app

from .adapters.hashing import PasswordHashing
from .api import accounts, packages, roster, schools, students
from .consumers import HANDLERS
from .settings import ActivationSettings
from .usecases.context import Context

SERVICE_ROOT = Path(__file__).resolve().parent.parent


def create_app(settings: ActivationSettings | None = None) -> FastAPI:
    """The FastAPI app with its runtime (migrations, relay, consumer)."""
    settings = settings or ActivationSettings()
    runtime = ServiceRuntime(settings, service_root=SERVICE_ROOT,
                             handlers=HANDLERS)
    app = create_service_app(
        settings, runtime, title="Học liệu – activation-service",
        routers=[schools.router, packages.router, roster.router,
                 students.router, accounts.router])
    app.state.context = Context(runtime, settings, PasswordHashing(
        memory_kib=settings.password_hash_memory_kib,
        time_cost=settings.password_hash_time_cost,
        workers=settings.password_hash_workers))
    return app
