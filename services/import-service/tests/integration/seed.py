"""Sample data for the import-service's tests: the sample school's roster and
catalogue, and checked imports written straight into the service's tables."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import date, datetime
from pathlib import Path

import openpyxl
from aiokafka import AIOKafkaConsumer
from hoclieu_shared.db import Database
from hoclieu_shared.events import (
    Envelope,
    PackageCatalogUpdated,
    SchoolUpdated,
    StudentAccountUpdated,
    utcnow,
)
from hoclieu_shared.settings import to_async_url
from hoclieu_shared.testing.samples import SAMPLE_SCHOOL
from sqlalchemy import insert

from import_service.adapters import read_model
from import_service.adapters.tables import Import, ImportRow

SAMPLE = SAMPLE_SCHOOL
SCHOOL_YEAR = "2025-2026"


def sample_path() -> Path:
    """The sample school's folder (read-only)."""
    return SAMPLE


def catalogue() -> list[PackageCatalogUpdated]:
    """The sample catalogue as events, every package on sale."""
    data = json.loads((SAMPLE / "packages.json").read_text("utf-8"))
    return [PackageCatalogUpdated(
        code=p["code"], name=p["name"], school_year=data["school_year"],
        grades=p["grades"], price=p["price"], courses=p["courses"],
        on_sale=True) for p in data["packages"]]


def roster() -> list[StudentAccountUpdated]:
    """The sample roster as events."""
    book = openpyxl.load_workbook(SAMPLE / "roster.xlsx", read_only=True)
    rows = list(book.worksheets[0].iter_rows(min_row=4, values_only=True))
    book.close()
    return [_student(row) for row in rows if row[1]]


def _student(row: tuple) -> StudentAccountUpdated:
    _, code, name, born, gender, klass, parent, phone = row[:8]
    return StudentAccountUpdated(
        student_code=str(code), full_name=name,
        date_of_birth=_date(born), gender=gender, class_name=klass,
        grade=int("".join(ch for ch in klass if ch.isdigit())[:1] or 0) or None,
        account_status="none", parent_name=parent or None,
        parent_phone=phone or None)


def _date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str) and value.count("/") == 2:
        day, month, year = value.split("/")
        return date(int(year), int(month), int(day))
    return None


def seed_school(database_url: str, school_code: str, *,
                auto_approve: bool = False, students=None) -> None:
    """Write a school, the sample catalogue and roster into the read model."""
    asyncio.run(_seed_school(database_url, school_code, auto_approve,
                             roster() if students is None else students))


def announce_school(database_url: str, school_code: str) -> None:
    """Only the school in the read model, as its SchoolUpdated leaves it."""
    asyncio.run(_seed_school(database_url, school_code, False, [],
                             packages=[]))


async def _seed_school(url: str, school_code: str, auto_approve: bool,
                       students, packages=None) -> None:
    db = Database(to_async_url(url))
    try:
        async with db.session() as session, session.begin():
            await read_model.save_school(session, SchoolUpdated(
                code=school_code, name="Trường THCS Nguyễn Du",
                province="Hà Nội", auto_approve=auto_approve))
            for package in catalogue() if packages is None else packages:
                await read_model.save_package(session, package)
            for student in students:
                await read_model.save_student(session, school_code, student)
    finally:
        await db.close()


def seed_checked_import(database_url: str, school_code: str,
                        students: list[StudentAccountUpdated], *,
                        packages=("KNS",), file_name="dang-ky.xlsx") -> uuid.UUID:
    """A checked import whose rows are the given students, all valid."""
    return asyncio.run(_seed_import(database_url, school_code, students,
                                    list(packages), file_name))


async def _seed_import(url, school_code, students, packages, file_name):
    db = Database(to_async_url(url))
    import_id = uuid.uuid4()
    try:
        async with db.session() as session, session.begin():
            session.add(_checked_import(import_id, school_code, file_name,
                                        len(students)))
            await session.flush()
            rows = [_valid_row(import_id, n + 2, s, packages)
                    for n, s in enumerate(students)]
            for start in range(0, len(rows), 2000):
                await session.execute(insert(ImportRow), rows[start:start + 2000])
    finally:
        await db.close()
    return import_id


def _checked_import(import_id, school_code, file_name, valid) -> Import:
    return Import(
        id=import_id, school_code=school_code, file_name=file_name,
        stored_name=f"{import_id}.xlsx", size_bytes=1, file_kind="xlsx",
        sheets=[{"name": "Sheet1", "rows": valid + 1}], uploaded_by="test",
        uploaded_at=utcnow(), status="checked", sheet="Sheet1",
        school_year=SCHOOL_YEAR, source="retyped", rows_total=valid,
        rows_done=valid, counts={"valid": valid, "invalid": 0, "skipped": 0,
                                 "superseded": 0}, checked_at=utcnow())


def _valid_row(import_id, row_number, student, packages) -> dict:
    return {"import_id": import_id, "row_number": row_number,
            "status": "valid", "student_code": student.student_code,
            "class_name": student.class_name, "full_name": student.full_name,
            "parent_name": student.parent_name or "Phụ huynh",
            "parent_phone": student.parent_phone or "0912345678",
            "package_codes": packages, "already_active": [],
            "submitted_at": None, "errors": [], "notes": [], "remark": None}


def fake_students(count: int, prefix: str = "S") -> list[StudentAccountUpdated]:
    """Students that exist only in a test (codes unique to the prefix)."""
    return [StudentAccountUpdated(
        student_code=f"{prefix}{n:06d}", full_name=f"Học Sinh {n}",
        class_name="6A1", grade=6, account_status="none",
        parent_name="Nguyễn Văn Bố", parent_phone="0912345678")
        for n in range(count)]


async def read_events(bootstrap: str, topic: str, want: int, *, match=None,
                      timeout: float = 30.0, linger: float = 1.0):
    """Envelopes on a topic (from its start) that match, once `want` are seen.

    Reads on for `linger` seconds after that, so a duplicate would show.
    """
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap,
                                auto_offset_reset="earliest", group_id=None)
    await consumer.start()
    found = []
    try:
        async with asyncio.timeout(timeout):
            while len(found) < want:
                found += _matching(await consumer.getmany(timeout_ms=300), match)
        async with asyncio.timeout(linger):
            while True:
                found += _matching(await consumer.getmany(timeout_ms=200), match)
    except TimeoutError:
        pass
    finally:
        await consumer.stop()
    return found


def _matching(batch, match):
    envelopes = [Envelope.from_bytes(m.value)
                 for messages in batch.values() for m in messages]
    return [e for e in envelopes if match is None or match(e)]


def of_batch(batch_id: str):
    """A filter for read_events: events of one batch."""
    return lambda envelope: envelope.data.get("batch_id") == str(batch_id)
