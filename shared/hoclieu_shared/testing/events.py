"""Producing and reading events on the real broker from tests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from ..events import Envelope, EventBody


def envelope(body: EventBody, school_code: str | None = None,
             correlation_id: str = "test") -> Envelope:
    """An envelope around a body, as a service would publish it."""
    return Envelope.wrap(body, source="test", school_code=school_code,
                         correlation_id=correlation_id)


async def produce(bootstrap: str, prefix: str, *envelopes: Envelope,
                  raw: bytes | None = None) -> None:
    """Put envelopes (or one raw value) on their topics."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap,
                                enable_idempotence=False)
    await producer.start()
    try:
        for item in envelopes:
            await producer.send_and_wait(
                prefix + item.type, raw or item.to_bytes(),
                key=item.key().encode(), headers=item.headers())
    finally:
        await producer.stop()


async def collect(bootstrap: str, topic: str, want: int,
                  timeout: float = 20.0) -> list[Envelope]:
    """Read a topic from the start until `want` envelopes or the timeout."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap,
                                auto_offset_reset="earliest", group_id=None)
    await consumer.start()
    got: list[Envelope] = []
    try:
        async with asyncio.timeout(timeout):
            while len(got) < want:
                batch = await consumer.getmany(timeout_ms=300)
                got += [Envelope.from_bytes(m.value)
                        for msgs in batch.values() for m in msgs]
    except TimeoutError:
        pass
    finally:
        await consumer.stop()
    return got


async def wait_until(check: Callable[[], Awaitable], timeout: float = 20.0,
                     interval: float = 0.1):
    """Poll an async check until it returns something truthy, or fail."""
    async with asyncio.timeout(timeout):
        while not (result := await check()):
            await asyncio.sleep(interval)
    return result
