"""School years, written "2025-2026"."""

from __future__ import annotations

import re

from .errors import invalid_school_year

_PATTERN = re.compile(r"^(\d{4})-(\d{4})$")


def is_school_year(value: str) -> bool:
    """True for "YYYY-YYYY" where the second year follows the first."""
    match = _PATTERN.match(value or "")
    return bool(match) and int(match[2]) == int(match[1]) + 1


def checked_school_year(value: str) -> str:
    """The value when it is a school year; raises the user-facing error."""
    if not is_school_year(value):
        raise invalid_school_year(value)
    return value
