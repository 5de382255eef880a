"""Server-Sent Events framing (text/event-stream)."""

from __future__ import annotations

import json


def event(name: str, data: dict, *, event_id: int | None = None,
          retry_ms: int | None = None) -> str:
    """One event; JSON keeps the data on a single line whatever it holds."""
    lines = []
    if retry_ms is not None:
        lines.append(f"retry: {retry_ms}")
    if event_id is not None:
        lines.append(f"id: {event_id}")
    lines.append(f"event: {name}")
    lines.append("data: " + json.dumps(data, ensure_ascii=False,
                                       separators=(",", ":")))
    return "\n".join(lines) + "\n\n"


def keep_alive() -> str:
    """A comment line: proxies see traffic, clients ignore it."""
    return ": keep-alive\n\n"


def parse_event_id(value: str | None) -> int | None:
    """The seq in a Last-Event-ID; None when absent, ValueError when bad."""
    if value is None or not value.strip():
        return None
    number = int(value.strip())
    if number < 0:
        raise ValueError("negative event id")
    return number
