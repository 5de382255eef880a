"""Activation-to-delivery time and its median."""

from datetime import UTC, datetime, timedelta

from notification_service.domain.delivery import (
    median_of_middle,
    median_window,
    seconds_since,
)

T0 = datetime(2025, 9, 5, 8, 0, tzinfo=UTC)


def median_of(values: list[float]) -> float | None:
    offset, length = median_window(len(values))
    return median_of_middle(sorted(values)[offset:offset + length])


def test_median_of_odd_and_even_counts():
    assert median_of([5.0, 1.0, 3.0]) == 3.0
    assert median_of([4.0, 1.0, 3.0, 2.0]) == 2.5
    assert median_of([7.0]) == 7.0


def test_median_of_nothing_is_none():
    assert median_window(0) == (0, 0)
    assert median_of([]) is None


def test_seconds_since_activation_never_negative():
    assert seconds_since(T0, T0 + timedelta(seconds=1.5)) == 1.5
    assert seconds_since(T0, T0 - timedelta(seconds=2)) == 0.0
