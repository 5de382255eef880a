"""The database of one service: engine, sessions and the health probe."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


class Database:
    """An async engine and its session factory, made at start-up."""

    def __init__(self, url: str, *, echo: bool = False, pool_size: int = 5,
                 max_overflow: int = 5):
        self.url = url
        self.engine: AsyncEngine = _make_engine(url, echo, pool_size, max_overflow)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def session(self) -> AsyncSession:
        """A new session; use as `async with db.session() as s, s.begin():`."""
        return self.sessions()

    async def ping(self) -> None:
        """Raise when the database cannot answer."""
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def close(self) -> None:
        await self.engine.dispose()


def _make_engine(url: str, echo: bool, pool_size: int,
                 max_overflow: int) -> AsyncEngine:
    if url.startswith("sqlite"):
        ensure_sqlite_folder(url)
        engine = create_async_engine(url, echo=echo,
                                     connect_args={"timeout": 30})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(url, echo=echo, pool_size=pool_size,
                               max_overflow=max_overflow, pool_pre_ping=True)


def ensure_sqlite_folder(url: str) -> None:
    """Create the folder of a SQLite database file when it is missing."""
    path = url.split(":///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # WAL lets the relay read while a request writes; foreign keys are off
    # by default in SQLite.
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
