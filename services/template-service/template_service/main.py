"""Wiring of the template-service: the only place parts are put together."""

from pathlib import Path

from fastapi import FastAPI

from hoclieu_shared.service import ServiceRuntime, create_service_app

from .api.templates import router as templates_router
from .consumers import HANDLERS
from .settings import TemplateSettings

SERVICE_ROOT = Path(__file__).resolve().parents[1]


def create_app(settings: TemplateSettings | None = None) -> FastAPI:
    """The template-service application."""
    settings = settings or TemplateSettings()
    runtime = ServiceRuntime(settings, service_root=SERVICE_ROOT, handlers=HANDLERS)
    return create_service_app(settings, runtime, title="Học liệu template-service",
                              routers=[templates_router])
