"""Replaying a dead-letter topic on the real broker."""

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from hoclieu_shared.dead_letters import DeadLetterReplay, replay_dead_letters
from hoclieu_shared.events import (
    DLQ_SUFFIX,
    PACKAGE_CATALOG_UPDATED,
    Envelope,
    PackageCatalogUpdated,
)
from hoclieu_shared.kafka import ensure_topics
from hoclieu_shared.testing.service import unique_prefix

EVENT = PACKAGE_CATALOG_UPDATED


@pytest.fixture
async def prefix(broker):
    prefix = unique_prefix()
    await ensure_topics(broker, prefix=prefix, partitions=3, names=[EVENT])
    return prefix


def envelope_of(code: str) -> Envelope:
    body = PackageCatalogUpdated(code=code, name=code, school_year="2025-2026",
                                 grades=[6], price=1000, courses=[],
                                 on_sale=True)
    return Envelope.wrap(body, source="test", school_code="S1",
                         correlation_id=f"c-{code}")


def dead_letter_headers(envelope: Envelope, topic: str, offset: int) -> list:
    """The headers EventConsumer._dead_letter writes."""
    return envelope.headers() + [
        ("error", b"PoisonMessage('refused by the test')"),
        ("error_class", b"PoisonMessage"),
        ("original_topic", topic.encode()),
        ("original_partition", b"0"),
        ("original_offset", str(offset).encode()),
        ("failed_at", b"2026-01-01T00:00:00+00:00"),
    ]


async def put_dead_letters(broker: str, prefix: str, values: list) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=broker)
    await producer.start()
    try:
        for key, value, headers in values:
            await producer.send_and_wait(prefix + EVENT + DLQ_SUFFIX, value,
                                         key=key, headers=headers)
    finally:
        await producer.stop()


def catalog_dead_letters(prefix: str, *codes: str) -> list:
    letters = []
    for offset, code in enumerate(codes):
        envelope = envelope_of(code)
        headers = dead_letter_headers(envelope, prefix + EVENT, offset)
        letters.append((envelope.key().encode(), envelope.to_bytes(), headers))
    return letters


async def read_all(broker: str, topic: str) -> list:
    """Every message on the topic now, without waiting for more."""
    consumer = AIOKafkaConsumer(bootstrap_servers=broker, group_id=None,
                                auto_offset_reset="earliest")
    await consumer.start()
    try:
        await consumer.topics()
        parts = [TopicPartition(topic, p)
                 for p in consumer.partitions_for_topic(topic)]
        consumer.assign(parts)
        ends = await consumer.end_offsets(parts)
        return [m for tp in parts for m in await _read_to(consumer, tp, ends[tp])]
    finally:
        await consumer.stop()


async def _read_to(consumer: AIOKafkaConsumer, tp: TopicPartition, end: int):
    got = []
    while await consumer.position(tp) < end:
        batch = await consumer.getmany(tp, timeout_ms=1000)
        got += batch.get(tp, [])
    return got


def job(broker: str, prefix: str, **options) -> DeadLetterReplay:
    return DeadLetterReplay(bootstrap_servers=broker, topic_prefix=prefix,
                            event=EVENT, group_id=f"g-{prefix}-dlq-replay",
                            idle_timeout=5.0, **options)


async def test_dead_letters_return_to_their_topic_once(broker, prefix):
    letters = catalog_dead_letters(prefix, "A", "B")
    await put_dead_letters(broker, prefix, letters)

    first = await replay_dead_letters(job(broker, prefix), echo=lambda _: None)
    replayed = await read_all(broker, prefix + EVENT)
    second = await replay_dead_letters(job(broker, prefix), echo=lambda _: None)
    dead = await read_all(broker, prefix + EVENT + DLQ_SUFFIX)

    assert (first.replayed, second.replayed) == (2, 0)
    assert sorted((m.key, m.value) for m in replayed) == sorted(
        (key, value) for key, value, _ in letters)
    assert len(await read_all(broker, prefix + EVENT)) == 2
    headers = [dict(m.headers) for m in replayed]
    assert all(h["type"] == EVENT.encode() and "error" not in h for h in headers)
    assert {h["replayed_from_dlq"] for h in headers} == {
        f"{m.partition}:{m.offset}".encode() for m in dead}


async def test_dry_run_lists_dead_letters_and_produces_nothing(broker, prefix):
    await put_dead_letters(broker, prefix, catalog_dead_letters(prefix, "A", "B"))
    lines: list[str] = []

    dry = await replay_dead_letters(job(broker, prefix, dry_run=True), lines.append)
    after_dry = await read_all(broker, prefix + EVENT)
    real = await replay_dead_letters(job(broker, prefix), echo=lambda _: None)

    assert dry.replayed == 2 and len(lines) == 2 and after_dry == []
    assert real.replayed == 2


async def test_value_that_is_no_event_is_left_in_the_dead_letter_topic(
        broker, prefix):
    letters = catalog_dead_letters(prefix, "A")
    broken = (b"S1:-", b"{not json", letters[0][2])
    await put_dead_letters(broker, prefix, [broken] + letters)

    totals = await replay_dead_letters(job(broker, prefix), echo=lambda _: None)

    assert (totals.replayed, totals.skipped) == (1, 1)
    assert [m.value for m in await read_all(broker, prefix + EVENT)] == [
        letters[0][1]]
