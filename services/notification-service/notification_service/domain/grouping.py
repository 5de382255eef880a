"""When a new activation joins the student's newest notification."""

from __future__ import annotations

from datetime import datetime, timedelta

from .model import Latest, as_utc


def may_join(latest: Latest | None, now: datetime, window: timedelta) -> bool:
    """Join only a notification nobody has seen yet, created within the window.

    A notification that reached a session or was read stays as the student
    saw it, so grouping never delays a push nor rewrites what was shown.
    """
    if latest is None or window <= timedelta(0):
        return False
    if latest.delivered_at is not None or latest.read_at is not None:
        return False
    return now - as_utc(latest.created_at) <= window
