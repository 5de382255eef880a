"""The consume loop: idempotent handlers, retries per error class, and a DLQ.

Each message's effect and its processed-event row commit in one database
transaction; offsets are committed only after that.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from pydantic import ValidationError
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from .db import Database
from .events import DLQ_SUFFIX, Envelope, EventBody, utcnow
from .kafka import KafkaPublisher
from .logs import correlation_id_var, school_var
from .messaging_tables import processed_events
from .metrics import CONSUMER_LAG, DLQ_MESSAGES, EVENTS_CONSUMED

log = logging.getLogger(__name__)

Handler = Callable[[AsyncSession, Envelope, EventBody], Awaitable[None]]
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError,
                    TimeoutError, OSError)


class PoisonMessage(Exception):
    """A handler found the event can never be applied; it goes to the DLQ."""


@dataclass(frozen=True)
class RetryPolicy:
    """How long to wait between attempts, per error class."""

    max_attempts: int = 5
    first_delay: float = 0.2
    max_delay: float = 30.0

    def delay(self, attempt: int) -> float:
        return min(self.first_delay * 2 ** (attempt - 1), self.max_delay)


class _Stopped(Exception):
    """The consumer is stopping while a message still waits for a retry."""


class EventConsumer:
    """Consumes the topics of a service's handlers with exactly-once effect."""

    def __init__(self, *, db: Database, publisher: KafkaPublisher,
                 handlers: dict[str, Handler], service: str, group_id: str,
                 bootstrap_servers: str, topic_prefix: str = "",
                 retry: RetryPolicy = RetryPolicy(), batch_size: int = 100):
        self.db = db
        self.publisher = publisher
        self.handlers = handlers
        self.service = service
        self.group_id = group_id
        self.bootstrap_servers = bootstrap_servers
        self.prefix = topic_prefix
        self.retry = retry
        self.batch_size = batch_size
        self._consumer: AIOKafkaConsumer | None = None
        self._stopping = asyncio.Event()
        self.assigned = asyncio.Event()
        self._next_offsets: dict[TopicPartition, int] = {}

    async def run(self) -> None:
        """Consume until stop() is called; reconnects after broker outages."""
        while not self._stopping.is_set():
            try:
                await self._start()
                await self._consume()
            except _Stopped:
                break
            except Exception:
                log.warning("Consumer lost the broker; reconnecting",
                            exc_info=True, extra={"group": self.group_id})
                await self._close()
                await self._pause(2.0)
        await self._close()

    async def stop(self) -> None:
        """Finish the message in hand, commit its offset, and leave the group."""
        self._stopping.set()

    async def _start(self) -> None:
        if self._consumer is not None:
            return
        topics = [self.prefix + t for t in self.handlers]
        consumer = AIOKafkaConsumer(
            *topics, bootstrap_servers=self.bootstrap_servers,
            group_id=self.group_id, enable_auto_commit=False,
            auto_offset_reset="earliest", max_poll_records=200,
            client_id=f"{self.service}-consumer")
        await consumer.start()
        self._consumer = consumer
        log.info("Consumer started", extra={"group": self.group_id,
                                             "topics": topics})

    async def _close(self) -> None:
        consumer, self._consumer = self._consumer, None
        if consumer is not None:
            try:
                await consumer.stop()
            except Exception:
                log.warning("Consumer did not stop cleanly", exc_info=True)

    async def _consume(self) -> None:
        consumer = self._consumer
        while not self._stopping.is_set():
            batch = await consumer.getmany(timeout_ms=200)
            if consumer.assignment():
                self.assigned.set()
            for partition, records in batch.items():
                await self._handle_partition(consumer, partition, records)
            self._record_lag(consumer)

    async def _handle_partition(self, consumer: AIOKafkaConsumer,
                                partition: TopicPartition,
                                records: list[ConsumerRecord]) -> None:
        next_offset = None
        try:
            for start in range(0, len(records), self.batch_size):
                chunk = records[start:start + self.batch_size]
                if self._stopping.is_set():
                    raise _Stopped()
                if len(chunk) > 1 and await self._apply_together(chunk):
                    next_offset = chunk[-1].offset + 1
                    continue
                for record in chunk:
                    if self._stopping.is_set():
                        raise _Stopped()
                    await self._handle(record)
                    next_offset = record.offset + 1
        finally:
            if next_offset is not None:
                # Commit what was applied, even when stopping mid-batch.
                await consumer.commit({partition: next_offset})
                self._next_offsets[partition] = next_offset

    async def _apply_together(self, chunk: list[ConsumerRecord]) -> bool:
        """Apply a run of events in one transaction; False to go one by one.

        One transaction per event caps a consumer at a few hundred events a
        second; a backlog (a roster import, a big approval) is applied in
        runs instead. Any failure rolls the whole run back, and the one-by-one
        path then gives each event its own retries and dead-letter handling.
        """
        decoded = self._decode_all(chunk)
        if decoded is None:
            return False
        try:
            async with self.db.session() as session, session.begin():
                outcomes = [await self._apply_in(session, *item) for item in decoded]
        except Exception as error:
            log.info("A run of %d events failed together (%s); applying them "
                     "one at a time", len(chunk), type(error).__name__)
            return False
        for (record, topic, envelope, _), outcome in zip(decoded, outcomes,
                                                         strict=True):
            self._report(record, topic, envelope, outcome)
        return True

    def _decode_all(self, chunk: list[ConsumerRecord]) -> list[tuple] | None:
        decoded = []
        for record in chunk:
            try:
                envelope = Envelope.from_bytes(record.value)
                body = envelope.body()
            except (ValidationError, ValueError, UnicodeDecodeError):
                return None
            decoded.append((record, record.topic.removeprefix(self.prefix),
                            envelope, body))
        return decoded

    async def _apply_in(self, session: AsyncSession, record, topic: str,
                        envelope: Envelope, body: EventBody) -> str:
        correlation_id_var.set(envelope.correlation_id)
        school_var.set(envelope.school_code)
        if not await self._mark_processed(session, topic, envelope):
            return "duplicate"
        await self.handlers[topic](session, envelope, body)
        return "applied"

    def _report(self, record, topic: str, envelope: Envelope, outcome: str) -> None:
        EVENTS_CONSUMED.labels(self.service, topic, outcome).inc()
        if outcome == "duplicate":
            log.warning("Event %s already applied; skipped", envelope.id,
                        extra=_fields(record, envelope))
        else:
            log.info("Applied %s event %s", envelope.type, envelope.id,
                     extra=_fields(record, envelope))

    async def _handle(self, record: ConsumerRecord) -> None:
        topic = record.topic.removeprefix(self.prefix)
        try:
            envelope = Envelope.from_bytes(record.value)
            body = envelope.body()
        except (ValidationError, ValueError, UnicodeDecodeError) as error:
            await self._dead_letter(record, error)
            return
        correlation_id_var.set(envelope.correlation_id)
        school_var.set(envelope.school_code)
        await self._apply_with_retries(record, topic, envelope, body)

    async def _apply_with_retries(self, record, topic, envelope, body) -> None:
        attempt = 0
        while True:
            attempt += 1
            try:
                outcome = await self._apply(topic, envelope, body)
                self._report(record, topic, envelope, outcome)
                return
            except PoisonMessage as error:
                await self._dead_letter(record, error, envelope)
                return
            except TRANSIENT_ERRORS as error:
                # The database or network is away: wait as long as it takes.
                await self._wait_retry(record, envelope, error, attempt, False)
            except Exception as error:
                if attempt >= self.retry.max_attempts:
                    await self._dead_letter(record, error, envelope)
                    return
                await self._wait_retry(record, envelope, error, attempt, True)

    async def _apply(self, topic: str, envelope: Envelope, body: EventBody) -> str:
        async with self.db.session() as session, session.begin():
            return await self._apply_in(session, None, topic, envelope, body)

    async def _mark_processed(self, session: AsyncSession, topic: str,
                              envelope: Envelope) -> bool:
        dialect = postgresql if not self.db.is_sqlite else sqlite
        statement = dialect.insert(processed_events).values(
            event_id=envelope.id, consumer=self.group_id, topic=topic,
            processed_at=utcnow()).on_conflict_do_nothing()
        return (await session.execute(statement)).rowcount == 1

    async def _wait_retry(self, record, envelope, error, attempt, counted) -> None:
        delay = self.retry.delay(attempt)
        EVENTS_CONSUMED.labels(self.service, envelope.type, "retried").inc()
        log.warning("Applying event %s failed (%s); retry %d in %.1f s",
                    envelope.id, type(error).__name__, attempt, delay,
                    exc_info=counted, extra=_fields(record, envelope))
        await self._pause(delay)
        if self._stopping.is_set():
            raise _Stopped()

    async def _dead_letter(self, record: ConsumerRecord, error: Exception,
                           envelope: Envelope | None = None) -> None:
        headers = list(record.headers or []) + [
            ("error", repr(error)[:4000].encode()),
            ("error_class", type(error).__name__.encode()),
            ("original_topic", record.topic.encode()),
            ("original_partition", str(record.partition).encode()),
            ("original_offset", str(record.offset).encode()),
            ("failed_at", utcnow().isoformat().encode()),
        ]
        key = (record.key or b"").decode("utf-8", "replace")
        await self._publish_dead_letter(record, key, headers)
        DLQ_MESSAGES.labels(self.service, record.topic).inc()
        log.error("Event moved to %s%s: %s", record.topic, DLQ_SUFFIX, error,
                  extra=_fields(record, envelope))

    async def _publish_dead_letter(self, record, key, headers) -> None:
        attempt = 0
        while True:
            try:
                await self.publisher.send_and_wait(
                    record.topic + DLQ_SUFFIX, record.value or b"", key=key,
                    headers=headers)
                return
            except Exception:
                attempt += 1
                log.warning("Could not write to the dead-letter topic; retrying",
                            exc_info=True)
                await self._pause(self.retry.delay(attempt))
                if self._stopping.is_set():
                    raise _Stopped() from None

    async def _pause(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._stopping.wait(), seconds)
        except TimeoutError:
            pass

    def _record_lag(self, consumer: AIOKafkaConsumer) -> None:
        for tp in consumer.assignment():
            high = consumer.highwater(tp)
            if high is not None and tp in self._next_offsets:
                lag = max(high - self._next_offsets[tp], 0)
                CONSUMER_LAG.labels(self.service, tp.topic, str(tp.partition)).set(lag)


def _fields(record: ConsumerRecord, envelope: Envelope | None) -> dict:
    return {
        "event_id": str(envelope.id) if envelope else None,
        "topic": record.topic,
        "partition": record.partition,
        "offset": record.offset,
    }
