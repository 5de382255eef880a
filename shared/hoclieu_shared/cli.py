"""The command line of every service: serve, migrate, replay the outbox."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi import FastAPI

from .db import Database
from .logs import configure_logging
from .migrations import upgrade_to_head
from .outbox import replay_published
from .settings import ServiceSettings


def run_service_cli(settings_cls: type[ServiceSettings],
                    create_app: Callable[[ServiceSettings], FastAPI],
                    service_root: Path, argv: list[str] | None = None) -> None:
    """`python -m <package> [serve|migrate|replay-outbox --hours N]`."""
    parser = argparse.ArgumentParser(prog=settings_cls().service_name)
    parser.add_argument("command", nargs="?", default="serve",
                        choices=["serve", "migrate", "replay-outbox"])
    parser.add_argument("--hours", type=float, default=None,
                        help="replay rows published in the last N hours")
    args = parser.parse_args(argv)
    settings = settings_cls()
    configure_logging(settings.service_name, settings.log_level)
    if args.command == "migrate":
        upgrade_to_head(service_root, settings.sqlalchemy_url)
    elif args.command == "replay-outbox":
        print(asyncio.run(_replay(settings, args.hours)), "events queued again")
    else:
        _serve(settings, create_app)


async def _replay(settings: ServiceSettings, hours: float | None) -> int:
    since = None
    if hours is not None:
        since = datetime.now(UTC) - timedelta(hours=hours)
    db = Database(settings.sqlalchemy_url)
    try:
        return await replay_published(db, since)
    finally:
        await db.close()


def _serve(settings: ServiceSettings, create_app) -> None:
    import uvicorn

    uvicorn.run(create_app(settings), host=settings.http_host,
                port=settings.http_port, log_config=None,
                timeout_graceful_shutdown=10, access_log=False)
