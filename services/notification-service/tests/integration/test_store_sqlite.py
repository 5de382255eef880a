"""The same queries on SQLite, the database of the local run."""

import uuid
from datetime import timedelta
from pathlib import Path

import pytest

from hoclieu_shared.db import Database
from hoclieu_shared.events import utcnow
from hoclieu_shared.migrations import upgrade_to_head_async
from hoclieu_shared.settings import to_async_url
from notification_service.adapters import store
from notification_service.main import SERVICE_ROOT

WINDOW = timedelta(seconds=5)


@pytest.fixture
async def db(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'notification.db'}"
    await upgrade_to_head_async(SERVICE_ROOT, url)
    database = Database(to_async_url(url))
    yield database
    await database.close()


async def tell(db, kit, student, code, window=WINDOW):
    async with db.session() as session, session.begin():
        return await store.record_activation(
            session, "S1", uuid.uuid4(), kit.activation(student, code),
            window=window, now=utcnow())


async def test_grouping_then_delivery_then_a_new_notification(db, kit):
    first = await tell(db, kit, "HS1", "TA6")
    grouped = await tell(db, kit, "HS1", "T10")
    async with db.session() as session, session.begin():
        rows = await store.after(session, "S1", "HS1", 0)
        delivered = await store.mark_delivered(session, rows, channel=store.LIVE,
                                               now=utcnow(), source="test")
    after_delivery = await tell(db, kit, "HS1", "VL8")

    assert (first.seq, grouped.seq, after_delivery.seq) == (1, 2, 3)
    assert grouped.grouped and not after_delivery.grouped
    assert [r.package_codes for r in rows] == [["TA6", "T10"]]
    assert len(delivered) == 1 and delivered[0].seconds >= 0


async def test_inbox_read_summary_and_recent_heads(db, kit):
    await tell(db, kit, "HS2", "TA6", window=timedelta(0))
    await tell(db, kit, "HS2", "T10", window=timedelta(0))
    async with db.session() as session, session.begin():
        page = await store.inbox_page(session, "S1", "HS2", limit=10, offset=0)
        row, changed = await store.mark_read(session, "S1", "HS2",
                                             page.items[0].id, utcnow())
        await store.mark_delivered(session, [row], channel=store.INBOX,
                                   now=utcnow(), source="test")
    async with db.session() as session:
        summary = await store.delivery_summary(session, "S1")
        heads = await store.recent_heads(session, utcnow() - timedelta(seconds=5))

    assert (page.total, page.unread, page.last_seq) == (2, 2, 2)
    assert changed and row.read_at is not None
    assert summary["created"] == 2 and summary["read"] == 1
    assert summary["delivered"] == 1 and summary["delivered_live"] == 0
    assert summary["median_seconds_to_delivery"] is not None
    assert heads == [("S1", "HS2", 2)]
