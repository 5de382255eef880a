"""Initial passwords of review accounts: random, readable by a child."""

from __future__ import annotations

import secrets
import string

# No 0/o, 1/l/i: slips are read off paper and typed by children.
LETTERS = "abcdefghjkmnpqrstuvwxyz"
DIGITS = "23456789"
LENGTH = 10


def new_password() -> str:
    """A fresh password of letters and digits (about 49 bits of entropy)."""
    while True:
        password = "".join(secrets.choice(LETTERS + DIGITS) for _ in range(LENGTH))
        if _mixed(password):
            return password


def _mixed(password: str) -> bool:
    digits = sum(ch in string.digits for ch in password)
    return 2 <= digits <= LENGTH - 2
