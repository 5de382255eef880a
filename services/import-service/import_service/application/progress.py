"""Progress of long work in this process, for the status answers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass
class Progress:
    """How far one piece of work has got."""

    phase: str
    total: int
    done: int = 0

    def advance_to(self, done: int) -> None:
        """Record the rows done so far (called from any thread)."""
        self.done = done

    @property
    def percent(self) -> int:
        """Done as a whole percentage of the total."""
        if self.total <= 0:
            return 0
        return min(100, self.done * 100 // self.total)

    def as_dict(self) -> dict:
        """The shape the API shows."""
        return {"phase": self.phase, "percent": self.percent,
                "rows_done": self.done, "rows_total": self.total}


class ProgressBoard:
    """Work in progress per import, in this process."""

    def __init__(self) -> None:
        self._items: dict[uuid.UUID, Progress] = {}

    def start(self, import_id: uuid.UUID, phase: str, total: int) -> Progress:
        """Begin tracking a piece of work on an import."""
        progress = self._items[import_id] = Progress(phase, total)
        return progress

    def get(self, import_id: uuid.UUID) -> Progress | None:
        """The work in progress on an import here, if any."""
        return self._items.get(import_id)

    def finish(self, import_id: uuid.UUID, progress: Progress) -> None:
        """Stop tracking, unless newer work on the import replaced it."""
        if self._items.get(import_id) is progress:
            del self._items[import_id]
