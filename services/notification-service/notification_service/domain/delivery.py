"""Figures about delivery: activation-to-delivery time and its median."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from .model import as_utc


def seconds_since(activated_at: datetime, delivered_at: datetime) -> float:
    """Seconds from activation to delivery, never negative (clock skew)."""
    elapsed = (as_utc(delivered_at) - as_utc(activated_at)).total_seconds()
    return max(elapsed, 0.0)


def median_window(count: int) -> tuple[int, int]:
    """Offset and length of the middle value(s) of `count` sorted values."""
    if count <= 0:
        return 0, 0
    return (count - 1) // 2, 2 - count % 2


def median_of_middle(values: Sequence[float]) -> float | None:
    """The median from the one or two middle values median_window selects."""
    if not values:
        return None
    return sum(values) / len(values)
