"""Wiring of the import-service: the only place parts are put together."""

from __future__ import annotations

from fastapi import FastAPI
from hoclieu_shared.service import create_service_app

from .api import approvals, batches, imports
from .runtime import ImportRuntime
from .settings import ImportSettings


def create_app(settings: ImportSettings | None = None) -> FastAPI:
    """The import-service's FastAPI app with its runtime."""
    settings = settings or ImportSettings()
    return create_service_app(
        settings, ImportRuntime(settings), title="Học liệu – import-service",
        routers=[imports.router, batches.router, approvals.router])
