"""aiokafka helpers: a publisher, topic set-up, and the consume loop.

No idempotent producer is used: the outbox plus idempotent consumers give
exactly-once effect on brokers that lack it.
"""

from __future__ import annotations

import asyncio
import logging

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from .events import ALL_TOPICS, DLQ_SUFFIX

log = logging.getLogger(__name__)


class KafkaPublisher:
    """One producer per process, started lazily and restarted after failure."""

    def __init__(self, bootstrap_servers: str, *, client_id: str):
        self.bootstrap_servers = bootstrap_servers
        self.client_id = client_id
        self._producer: AIOKafkaProducer | None = None
        self._lock = asyncio.Lock()

    async def ensure_started(self) -> AIOKafkaProducer:
        """The running producer; raises while the broker is unreachable."""
        async with self._lock:
            if self._producer is None:
                producer = AIOKafkaProducer(
                    bootstrap_servers=self.bootstrap_servers,
                    client_id=self.client_id, acks="all",
                    enable_idempotence=False, linger_ms=5,
                    request_timeout_ms=15000)
                try:
                    await producer.start()
                except Exception:
                    await producer.stop()
                    raise
                self._producer = producer
            return self._producer

    async def send(self, topic: str, value: bytes, *, key: str,
                   headers: list[tuple[str, bytes]]) -> asyncio.Future:
        """Queue a message; the returned future resolves when acknowledged."""
        producer = await self.ensure_started()
        return await producer.send(topic, value, key=key.encode("utf-8"),
                                   headers=headers)

    async def send_and_wait(self, topic: str, value: bytes, *, key: str,
                            headers: list[tuple[str, bytes]]) -> None:
        await (await self.send(topic, value, key=key, headers=headers))

    async def ping(self) -> None:
        """Raise when no broker answers a metadata request."""
        producer = await self.ensure_started()
        await asyncio.wait_for(producer.client.fetch_all_metadata(), 5)

    async def stop(self) -> None:
        if self._producer is not None:
            producer, self._producer = self._producer, None
            await producer.stop()


async def ensure_topics(bootstrap_servers: str, *, prefix: str = "",
                        partitions: int = 6, names=ALL_TOPICS) -> None:
    """Create every event topic and its dead-letter topic when missing."""
    wanted = [prefix + n for n in names] + [prefix + n + DLQ_SUFFIX for n in names]
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [NewTopic(t, partitions, 1) for t in wanted if t not in existing]
        if missing:
            try:
                await admin.create_topics(missing)
            except TopicAlreadyExistsError:
                pass
            log.info("Created %d topics", len(missing))
    finally:
        await admin.close()
