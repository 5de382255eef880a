"""Print how long the CPU-bound parts of the service take on the sample school.

Run: python services/activation-service/benchmarks/roster_and_slips.py
Figures only; nothing is asserted. The database part of a roster import is
a handful of statements and is measured by the integration tests' timings.
"""

from __future__ import annotations

import asyncio
import sys
import time
import uuid
from pathlib import Path

from hoclieu_shared.testing.samples import SAMPLE_SCHOOL

from activation_service.adapters.hashing import PasswordHashing
from activation_service.adapters.roster_file import read_roster
from activation_service.adapters.slips import credential_slips
from activation_service.domain.model import Credentials, School, Student
from activation_service.domain.passwords import new_password
from activation_service.domain.roster import check_roster
from activation_service.settings import ActivationSettings

SAMPLE = SAMPLE_SCHOOL


def timed(label: str, work):
    started = time.perf_counter()
    result = work()
    print(f"{label:<44} {time.perf_counter() - started:8.3f} s")
    return result


def students_of(entries) -> list[Student]:
    return [Student(uuid.uuid4(), "S", e.code, e.full_name, e.date_of_birth,
                    e.gender, e.class_name, e.grade, e.parent_name,
                    e.parent_phone) for e in entries]


def main(roster_path: Path) -> None:
    content = roster_path.read_bytes()
    roster = timed("read roster (header, rows)",
                   lambda: read_roster(content, max_rows=20_000))
    checked = timed("check rows", lambda: check_roster(roster.rows))
    print(f"{'students':<44} {len(checked.entries):8d}")
    slips = [Credentials(s, f"s.{s.code}", new_password())
             for s in students_of(checked.entries)]
    timed("write credential slips (xlsx)",
          lambda: credential_slips(School("S", "Trường", None, False), slips))
    settings = ActivationSettings()
    hasher = PasswordHashing(memory_kib=settings.password_hash_memory_kib,
                             time_cost=settings.password_hash_time_cost,
                             workers=settings.password_hash_workers)
    sample = [new_password() for _ in range(100)]
    timed("hash 100 passwords (production cost)",
          lambda: asyncio.run(hasher.hash_many(sample)))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE / "roster.xlsx")
