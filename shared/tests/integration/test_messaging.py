"""Outbox, idempotent consumer and dead-letter topic on the real broker."""

import asyncio
import json
import uuid

import pytest
from aiokafka import AIOKafkaConsumer
from sqlalchemy import Column, Integer, MetaData, String, Table, select, update

from hoclieu_shared.consumer import EventConsumer, PoisonMessage, RetryPolicy
from hoclieu_shared.db import Database
from hoclieu_shared.events import (
    ALL_TOPICS,
    DLQ_SUFFIX,
    Envelope,
    PackageCatalogUpdated,
)
from hoclieu_shared.kafka import KafkaPublisher, ensure_topics
from hoclieu_shared.localbroker import LocalBroker
from hoclieu_shared.messaging_tables import messaging_metadata, outbox_messages
from hoclieu_shared.outbox import OutboxRelay, add_event
from hoclieu_shared.settings import to_async_url

effects = MetaData()
applied = Table(
    "applied_effects", effects,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("package_code", String(50), nullable=False),
)


@pytest.fixture
async def db(database_url):
    database = Database(to_async_url(database_url))
    async with database.engine.begin() as conn:
        await conn.run_sync(messaging_metadata.create_all)
        await conn.run_sync(effects.create_all)
    yield database
    await database.close()


@pytest.fixture
def prefix():
    return f"t{uuid.uuid4().hex[:8]}."


@pytest.fixture
async def topics(broker, prefix):
    await ensure_topics(broker, prefix=prefix, partitions=3)
    return prefix


def catalog_event(code: str) -> PackageCatalogUpdated:
    return PackageCatalogUpdated(code=code, name=code, school_year="2025-2026",
                                 grades=[6], price=1000, courses=[], on_sale=True)


async def stage(db: Database, *codes: str) -> None:
    async with db.session() as session, session.begin():
        for code in codes:
            add_event(session, catalog_event(code), source="test", school_code=None)


async def read_topic(bootstrap: str, topic: str, want: int, timeout: float = 20):
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap,
                                auto_offset_reset="earliest", group_id=None)
    await consumer.start()
    got = []
    try:
        async with asyncio.timeout(timeout):
            while len(got) < want:
                batch = await consumer.getmany(timeout_ms=300)
                got += [m for msgs in batch.values() for m in msgs]
    except TimeoutError:
        pass
    finally:
        await consumer.stop()
    return got


async def wait_until(check, timeout: float = 20.0):
    async with asyncio.timeout(timeout):
        while not (result := await check()):
            await asyncio.sleep(0.1)
    return result


async def test_event_written_while_broker_down_is_published_when_it_returns(db, prefix):
    down = LocalBroker()
    publisher = KafkaPublisher(down.bootstrap_servers, client_id="t")
    relay = OutboxRelay(db, publisher, service="t", topic_prefix=prefix)
    task = asyncio.create_task(relay.run())

    await stage(db, "P1")
    await asyncio.sleep(1.5)
    with down:
        await ensure_topics(down.bootstrap_servers, prefix=prefix, partitions=3)
        relay.wake()
        messages = await read_topic(down.bootstrap_servers,
                                    prefix + "PackageCatalogUpdated", 1)
        relay.stop()
        await task
        await publisher.stop()

    assert [json.loads(m.value)["data"]["code"] for m in messages] == ["P1"]
    async with db.session() as session:
        row = (await session.execute(select(outbox_messages))).one()
    assert row.status == "published" and row.attempts >= 1


def counting_handler(fail_on: set[str] | None = None):
    async def handle(session, envelope, body):
        if fail_on and body.code in fail_on:
            raise PoisonMessage("package code refused by the test")
        await session.execute(applied.insert().values(package_code=body.code))
    return handle


def make_consumer(db, broker, prefix, group, handler, publisher, batch_size=100):
    return EventConsumer(db=db, publisher=publisher,
                         handlers={"PackageCatalogUpdated": handler},
                         service="t", group_id=group, bootstrap_servers=broker,
                         topic_prefix=prefix, batch_size=batch_size,
                         retry=RetryPolicy(max_attempts=2, first_delay=0.05))


async def produce(publisher, prefix, envelope, raw: bytes | None = None):
    await publisher.send_and_wait(prefix + envelope.type,
                                  raw or envelope.to_bytes(),
                                  key=envelope.key(), headers=envelope.headers())


def envelope_of(code: str) -> Envelope:
    return Envelope.wrap(catalog_event(code), source="test", school_code=None,
                         correlation_id="c1")


async def applied_codes(db) -> list[str]:
    async with db.session() as session:
        rows = await session.execute(select(applied.c.package_code)
                                     .order_by(applied.c.id))
    return [r[0] for r in rows]


async def test_duplicate_and_poison_events_apply_once_and_dead_letter(
        db, broker, topics):
    publisher = KafkaPublisher(broker, client_id="t")
    first, poison = envelope_of("A"), envelope_of("BAD")
    consumer = make_consumer(db, broker, topics, f"g{uuid.uuid4().hex}",
                             counting_handler({"BAD"}), publisher)
    task = asyncio.create_task(consumer.run())

    await produce(publisher, topics, first)
    await produce(publisher, topics, first)
    await produce(publisher, topics, poison)
    await produce(publisher, topics, first, raw=b"{not json")
    await produce(publisher, topics, envelope_of("B"))
    await wait_until(lambda: _has(db, "B"), timeout=30)
    dead = await read_topic(broker, topics + "PackageCatalogUpdated" + DLQ_SUFFIX, 2)
    await consumer.stop()
    await task
    await publisher.stop()

    assert await applied_codes(db) == ["A", "B"]
    errors = sorted(dict(m.headers)["error_class"].decode() for m in dead)
    assert errors == ["PoisonMessage", "ValidationError"]


async def _has(db, code):
    return code in await applied_codes(db)


async def test_consumer_stopped_mid_batch_loses_and_repeats_nothing(db, broker, topics):
    publisher = KafkaPublisher(broker, client_id="t")
    group = f"g{uuid.uuid4().hex}"
    codes = [f"P{i:03d}" for i in range(60)]
    for code in codes:
        await produce(publisher, topics, envelope_of(code))

    slow_started = asyncio.Event()

    async def slow(session, envelope, body):
        slow_started.set()
        await asyncio.sleep(0.05)
        await session.execute(applied.insert().values(package_code=body.code))

    # Runs of five: the stop lands between runs of one fetched batch.
    first = make_consumer(db, broker, topics, group, slow, publisher, batch_size=5)
    task = asyncio.create_task(first.run())
    await asyncio.wait_for(slow_started.wait(), 30)
    await asyncio.sleep(0.5)
    await first.stop()
    await task
    halfway = len(await applied_codes(db))

    second = make_consumer(db, broker, topics, group, counting_handler(), publisher)
    task = asyncio.create_task(second.run())
    await wait_until(lambda: _count_at_least(db, len(codes)), timeout=40)
    await asyncio.sleep(1)
    await second.stop()
    await task
    await publisher.stop()

    done = await applied_codes(db)
    assert 0 < halfway < len(codes)
    assert sorted(done) == codes


async def _count_at_least(db, n):
    return len(await applied_codes(db)) >= n


async def test_replayed_outbox_rows_are_not_applied_twice(db, broker, topics):
    publisher = KafkaPublisher(broker, client_id="t")
    relay = OutboxRelay(db, publisher, service="t", topic_prefix=topics)
    consumer = make_consumer(db, broker, topics, f"g{uuid.uuid4().hex}",
                             counting_handler(), publisher)
    tasks = [asyncio.create_task(relay.run()), asyncio.create_task(consumer.run())]

    await stage(db, "R1", "R2")
    await wait_until(lambda: _count_at_least(db, 2), timeout=30)
    async with db.session() as session, session.begin():
        await session.execute(update(outbox_messages).values(status="pending"))
    relay.wake()
    await wait_until(lambda: _all_published(db), timeout=20)
    await asyncio.sleep(1.5)
    relay.stop()
    await consumer.stop()
    await asyncio.gather(*tasks)
    await publisher.stop()

    assert sorted(await applied_codes(db)) == ["R1", "R2"]


async def _all_published(db):
    async with db.session() as session:
        rows = (await session.execute(select(outbox_messages.c.status))).all()
    return rows and all(r[0] == "published" for r in rows)


def test_every_event_type_has_a_topic_constant():
    assert len(set(ALL_TOPICS)) == len(ALL_TOPICS) == 8
