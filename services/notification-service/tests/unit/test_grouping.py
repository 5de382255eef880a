"""Which activations join the student's newest notification."""

from datetime import UTC, datetime, timedelta

from notification_service.domain.grouping import may_join
from notification_service.domain.model import Latest

NOW = datetime(2025, 9, 5, 8, 0, 0, tzinfo=UTC)
WINDOW = timedelta(milliseconds=500)


def latest(age_ms: int, delivered=False, read=False) -> Latest:
    created = NOW - timedelta(milliseconds=age_ms)
    return Latest(created, NOW if delivered else None, NOW if read else None)


def test_unseen_notification_inside_window_is_joined():
    assert may_join(latest(200), NOW, WINDOW)


def test_notification_older_than_window_is_not_joined():
    assert not may_join(latest(800), NOW, WINDOW)


def test_delivered_or_read_notification_is_never_rewritten():
    assert not may_join(latest(10, delivered=True), NOW, WINDOW)
    assert not may_join(latest(10, read=True), NOW, WINDOW)


def test_no_window_or_no_notification_means_a_new_one():
    assert not may_join(latest(0), NOW, timedelta(0))
    assert not may_join(None, NOW, WINDOW)


def test_naive_times_from_sqlite_count_as_utc():
    naive = Latest((NOW - timedelta(milliseconds=100)).replace(tzinfo=None),
                   None, None)

    assert may_join(naive, NOW, WINDOW)
