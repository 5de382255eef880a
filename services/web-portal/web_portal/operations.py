"""/healthz, /readyz (every service ready) and /metrics of the portal."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest


def operations_router() -> APIRouter:
    """Probes and metrics for the operations engineer."""
    router = APIRouter(tags=["operations"])

    @router.get("/healthz")
    async def healthz() -> dict:
        return {"status": "alive"}

    @router.get("/readyz")
    async def readyz(request: Request) -> JSONResponse:
        settings = request.app.state.settings
        services = await request.app.state.backends.readiness(
            settings.readiness_timeout_seconds)
        ready = all(state == "ok" for state in services.values())
        return JSONResponse({"ready": ready, "services": services},
                            200 if ready else 503)

    @router.get("/metrics")
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router
