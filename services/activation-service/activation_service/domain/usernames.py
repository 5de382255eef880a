"""Usernames of review accounts: readable, unique, stable."""

from __future__ import annotations

import re
from collections.abc import Hashable

from hoclieu_shared.vn.text import fold

_NOT_ALLOWED = re.compile(r"[^a-z0-9]+")
MAX_LENGTH = 100


def base_username(school_code: str, student_code: str) -> str:
    """School and student code, lower case ASCII: "thcs-nguyendu.0160000001"."""
    school = _slug(school_code)[:40]
    student = _slug(student_code)[:MAX_LENGTH - len(school) - 6]
    return f"{school}.{student}"


def _slug(text: str) -> str:
    return _NOT_ALLOWED.sub("-", fold(text)).strip("-") or "x"


def assign_usernames(wanted: dict[Hashable, str],
                     taken: set[str]) -> dict[Hashable, str]:
    """A distinct username per key: its base, or the base with -2, -3..."""
    used = set(taken)
    assigned = {}
    for key, base in wanted.items():
        name, n = base, 1
        while name in used:
            n += 1
            name = f"{base}-{n}"
        used.add(name)
        assigned[key] = name
    return assigned
