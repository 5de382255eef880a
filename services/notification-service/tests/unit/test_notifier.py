"""Open streams of one process: the bound, wake-ups and shutdown."""

import asyncio

from notification_service.adapters.live import Notifier
from notification_service.settings import NotificationSettings


def notifier(max_streams: int = 2) -> Notifier:
    return Notifier(NotificationSettings(stream_max_per_student=max_streams))


def test_streams_per_student_are_bounded_and_released_once():
    hub = notifier(max_streams=2)
    first, second = hub.open("S", "A", 0), hub.open("S", "A", 0)

    refused = hub.open("S", "A", 0)
    other_student = hub.open("S", "B", 0)
    hub.release(first)
    hub.release(first)

    assert refused is None and other_student is not None
    assert hub.open_count("S", "A") == 1
    assert hub.open("S", "A", 0) is not None and second is not None


def test_announce_wakes_only_streams_behind_the_new_seq():
    hub = notifier()
    behind, ahead = hub.open("S", "A", 3), hub.open("S", "A", 5)

    hub.announce("S", "A", 5)

    assert behind.wake.is_set() and not ahead.wake.is_set()


async def test_end_streams_wakes_streams_and_refuses_new_ones():
    hub = notifier()
    slot = hub.open("S", "A", 0)

    hub.end_streams()
    await asyncio.wait_for(slot.wait(10), 1)

    assert hub.closing
    assert hub.open("S", "A", 0) is None
