"""Alembic glue: each service's env.py is three lines on top of this."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool
from sqlalchemy.ext.asyncio import create_async_engine

from .db import ensure_sqlite_folder
from .messaging_tables import messaging_metadata
from .settings import to_async_url


def run_env(service_metadata: MetaData) -> None:
    """The body of a service's migrations/env.py."""
    url = to_async_url(context.config.get_main_option("sqlalchemy.url"))
    metadata = [service_metadata, messaging_metadata]
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata,
                          literal_binds=True, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    asyncio.run(_run_online(url, metadata))


async def _run_online(url: str, metadata: list[MetaData]) -> None:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(_migrate, metadata)
    await engine.dispose()


def _migrate(connection, metadata) -> None:
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def alembic_config(service_root: Path, url: str) -> Config:
    """The Alembic config of a service, pointed at a database."""
    config = Config(str(service_root / "alembic.ini"))
    config.set_main_option("script_location", str(service_root / "migrations"))
    config.set_main_option("sqlalchemy.url", url)
    return config


def upgrade_to_head(service_root: Path, url: str) -> None:
    """Apply every migration; safe to run on each start-up."""
    if url.startswith("sqlite"):
        ensure_sqlite_folder(url)
    command.upgrade(alembic_config(service_root, url), "head")


async def upgrade_to_head_async(service_root: Path, url: str) -> None:
    # Alembic's env.py runs its own event loop, so it needs its own thread.
    await asyncio.to_thread(upgrade_to_head, service_root, url)
