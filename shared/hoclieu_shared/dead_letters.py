"""Replay a dead-letter topic: put its messages back on their event topic.

The replay reads `<prefix><Event>.DLQ` as far as it reached when the replay
started, with a consumer group of its own whose offsets are committed after
each message is produced again, so a second run never repeats a message.
Consumers are idempotent: an event that had in fact been applied is skipped.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from pydantic import ValidationError

from .events import DLQ_SUFFIX, Envelope
from .kafka import KafkaPublisher

log = logging.getLogger(__name__)

# Headers the consumer adds when it dead-letters a message; not replayed.
DEAD_LETTER_HEADERS = frozenset({
    "error", "error_class", "original_topic", "original_partition",
    "original_offset", "failed_at", "replayed_from_dlq",
})


@dataclass(frozen=True)
class DeadLetterReplay:
    """What to replay: one event's dead-letter topic, for one service."""

    bootstrap_servers: str
    topic_prefix: str
    event: str
    group_id: str
    limit: int | None = None
    dry_run: bool = False
    idle_timeout: float = 10.0

    @property
    def dlq_topic(self) -> str:
        return self.topic_prefix + self.event + DLQ_SUFFIX

    @property
    def default_topic(self) -> str:
        return self.topic_prefix + self.event


@dataclass
class ReplayTotals:
    """How many dead letters were replayed and how many were left out."""

    replayed: int = 0
    skipped: int = 0

    @property
    def handled(self) -> int:
        return self.replayed + self.skipped


async def replay_dead_letters(job: DeadLetterReplay,
                              echo: Callable[[str], None] = print) -> ReplayTotals:
    """Produce the job's dead letters again; dry runs only list them."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=job.bootstrap_servers, group_id=job.group_id,
        enable_auto_commit=False, auto_offset_reset="earliest",
        client_id=job.group_id)
    publisher = KafkaPublisher(job.bootstrap_servers, client_id=job.group_id)
    await consumer.start()
    try:
        ends = await _assign_dead_letter_partitions(consumer, job.dlq_topic)
        return await _replay_until(consumer, publisher, job, ends, echo)
    finally:
        await consumer.stop()
        await publisher.stop()


async def _assign_dead_letter_partitions(
        consumer: AIOKafkaConsumer, topic: str) -> dict[TopicPartition, int]:
    """Assign every partition of the topic; its end offsets as of now."""
    await consumer.topics()
    partitions = consumer.partitions_for_topic(topic)
    if not partitions:
        raise LookupError(f"the dead-letter topic {topic} does not exist")
    assigned = [TopicPartition(topic, p) for p in sorted(partitions)]
    consumer.assign(assigned)
    return await consumer.end_offsets(assigned)


async def _replay_until(consumer: AIOKafkaConsumer, publisher: KafkaPublisher,
                        job: DeadLetterReplay, ends: dict[TopicPartition, int],
                        echo: Callable[[str], None]) -> ReplayTotals:
    """Replay until the start-time end of every partition, the limit, or idle."""
    totals = ReplayTotals()
    pending = await _unfinished(consumer, ends)
    while pending and not _limit_reached(job, totals):
        batch = await _fetch(consumer, pending, job.idle_timeout)
        if batch is None:
            log.warning("No dead letters arrived for %.0f s before the end of "
                        "%s was reached; stopping early", job.idle_timeout,
                        job.dlq_topic)
            break
        for tp, records in batch.items():
            for record in records:
                if record.offset >= ends[tp] or _limit_reached(job, totals):
                    break
                await _replay_one(consumer, publisher, job, record, totals, echo)
        pending = await _unfinished(consumer, ends)
    return totals


async def _unfinished(consumer: AIOKafkaConsumer,
                      ends: dict[TopicPartition, int]) -> list[TopicPartition]:
    """The partitions whose position is still short of their end at start."""
    return [tp for tp, end in ends.items() if await consumer.position(tp) < end]


async def _fetch(consumer: AIOKafkaConsumer, partitions: list[TopicPartition],
                 idle_timeout: float) -> dict | None:
    """The next records of the partitions; None when none came in time."""
    try:
        async with asyncio.timeout(idle_timeout):
            while True:
                batch = await consumer.getmany(*partitions, timeout_ms=500)
                if batch:
                    return batch
    except TimeoutError:
        return None


def _limit_reached(job: DeadLetterReplay, totals: ReplayTotals) -> bool:
    return job.limit is not None and totals.handled >= job.limit


async def _replay_one(consumer: AIOKafkaConsumer, publisher: KafkaPublisher,
                      job: DeadLetterReplay, record: ConsumerRecord,
                      totals: ReplayTotals, echo: Callable[[str], None]) -> None:
    """Produce one dead letter again (or list it), then commit past it."""
    target = _target_topic(job, record)
    if not _is_envelope(record.value):
        totals.skipped += 1
        _describe(echo, job, record, target, "skipped: not a valid event")
    elif job.dry_run:
        totals.replayed += 1
        _describe(echo, job, record, target, "would be replayed")
    else:
        producer = await publisher.ensure_started()
        await _produce(producer, target, record)
        totals.replayed += 1
        log.info("Dead letter %d:%d of %s replayed to %s", record.partition,
                 record.offset, record.topic, target)
    if not job.dry_run:
        tp = TopicPartition(record.topic, record.partition)
        await consumer.commit({tp: record.offset + 1})


async def _produce(producer: AIOKafkaProducer, topic: str,
                   record: ConsumerRecord) -> None:
    """Send the original value, key and event headers, marked as replayed."""
    headers = [(k, v) for k, v in record.headers or []
               if k not in DEAD_LETTER_HEADERS]
    mark = f"{record.partition}:{record.offset}".encode()
    await producer.send_and_wait(topic, record.value, key=record.key,
                                 headers=headers + [("replayed_from_dlq", mark)])


def _target_topic(job: DeadLetterReplay, record: ConsumerRecord) -> str:
    """The original topic from the headers; never a dead-letter topic."""
    named = dict(record.headers or []).get("original_topic", b"").decode(
        "utf-8", "replace")
    if not named or named.endswith(DLQ_SUFFIX):
        return job.default_topic
    return named


def _is_envelope(value: bytes | None) -> bool:
    """Whether the value is an event the consumer could ever apply."""
    try:
        Envelope.from_bytes(value or b"").body()
    except (ValidationError, ValueError, UnicodeDecodeError):
        return False
    return True


def _describe(echo: Callable[[str], None], job: DeadLetterReplay,
              record: ConsumerRecord, target: str, outcome: str) -> None:
    headers = dict(record.headers or [])
    error = headers.get("error_class", b"?").decode("utf-8", "replace")
    key = (record.key or b"").decode("utf-8", "replace")
    echo(f"{job.dlq_topic} {record.partition}:{record.offset} key={key} "
         f"error={error} -> {target}: {outcome}")
