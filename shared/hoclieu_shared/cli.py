"""The command line of every service: serve, migrate, replay outbox and DLQ."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi import FastAPI

from .db import Database
from .dead_letters import DeadLetterReplay, replay_dead_letters
from .events import ALL_TOPICS
from .logs import configure_logging
from .migrations import upgrade_to_head
from .outbox import replay_published
from .settings import ServiceSettings


def run_service_cli(settings_cls: type[ServiceSettings],
                    create_app: Callable[[ServiceSettings], FastAPI],
                    service_root: Path, argv: list[str] | None = None) -> None:
    """`python -m <package> [serve|migrate|replay-outbox|replay-dlq]`."""
    parser = _parser(settings_cls().service_name)
    args = parser.parse_args(argv)
    if args.command == "replay-dlq" and not args.topic:
        parser.error("replay-dlq needs --topic <EventName>")
    settings = settings_cls()
    configure_logging(settings.service_name, settings.log_level)
    if args.command == "migrate":
        upgrade_to_head(service_root, settings.sqlalchemy_url)
    elif args.command == "replay-outbox":
        print(asyncio.run(_replay(settings, args.hours)), "events queued again")
    elif args.command == "replay-dlq":
        _replay_dlq(settings, args)
    else:
        _serve(settings, create_app)


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("command", nargs="?", default="serve",
                        choices=["serve", "migrate", "replay-outbox", "replay-dlq"])
    parser.add_argument("--hours", type=float, default=None,
                        help="replay-outbox: rows published in the last N hours")
    parser.add_argument("--topic", choices=ALL_TOPICS, default=None,
                        help="replay-dlq: the event whose .DLQ topic to replay")
    parser.add_argument("--limit", type=int, default=None,
                        help="replay-dlq: replay at most N dead letters")
    parser.add_argument("--dry-run", action="store_true",
                        help="replay-dlq: list the dead letters, produce nothing")
    return parser


def _replay_dlq(settings: ServiceSettings, args: argparse.Namespace) -> None:
    job = DeadLetterReplay(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        topic_prefix=settings.topic_prefix, event=args.topic,
        group_id=f"{settings.group_id}-dlq-replay", limit=args.limit,
        dry_run=args.dry_run)
    try:
        totals = asyncio.run(replay_dead_letters(job))
    except LookupError as error:
        raise SystemExit(str(error)) from None
    verb = "would be replayed" if args.dry_run else "replayed"
    print(f"{totals.replayed} dead letters {verb}, {totals.skipped} skipped "
          f"as not valid events, from {job.dlq_topic}")


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
