"""Argon2id password hashes, computed off the event loop."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


class PasswordHashing:
    """Hashes and checks passwords with Argon2id on a few worker threads."""

    def __init__(self, *, memory_kib: int, time_cost: int, workers: int):
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib,
                                      parallelism=1)
        self._workers = max(workers, 1)

    def hash(self, password: str) -> str:
        """The Argon2id hash of one password."""
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        """Whether a password matches a stored hash."""
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            # Accounts made by an activation hold a marker, not a hash.
            return False

    async def hash_many(self, passwords: list[str]) -> list[str]:
        """Hashes of many passwords; argon2 frees the GIL, so threads help."""
        if len(passwords) <= 1:
            return [await asyncio.to_thread(self.hash, p) for p in passwords]
        with ThreadPoolExecutor(self._workers, "argon2") as pool:
            loop = asyncio.get_running_loop()
            futures = [loop.run_in_executor(pool, self.hash, p) for p in passwords]
            return list(await asyncio.gather(*futures))
