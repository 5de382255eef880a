"""The registration check: every row of a sheet against the school's data.

Pure: rows in, verdicts out. Statuses:
- valid: a known student, readable cells, at least one package not yet
  active; `package_codes` holds only those new packages.
- invalid: at least one problem in `errors`, each naming its cell.
- skipped: nothing to register ("không đăng ký"): no package chosen, every
  chosen package already active (listed in `already_active`), or an exact
  repeat of an earlier row (note "Trùng dòng N"). Problems in other cells
  of such a row are not reported: there is nothing to import from it.
- superseded: an earlier Google Forms submission of a student who sent a
  later one.
Rows with neither a student nor a package (blank lines, footers) get no
outcome at all.
"""

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from .context import SchoolContext
from .duplicates import resolve_duplicates
from .mapping import ColumnMapping
from .outcome import CellIssue, CheckResult, RowOutcome, count_statuses
from .row import RowChecker

PROGRESS_EVERY = 1000

__all__ = ["CellIssue", "CheckResult", "RowOutcome", "check_rows"]


def check_rows(
    rows: Iterable[tuple[int, list]],
    mapping: ColumnMapping,
    context: SchoolContext,
    *,
    date1904: bool = False,
    progress: Callable[[int], None] | None = None,
) -> CheckResult:
    """Check (1-based row number, values) pairs read below the header row."""
    checker = RowChecker(mapping, context, date1904=date1904)
    outcomes: list[RowOutcome] = []
    seen = 0
    with _cycle_collector_paused():
        for seen, (number, values) in enumerate(rows, 1):
            outcome = checker.check(number, values)
            if outcome is not None:
                outcomes.append(outcome)
            if progress is not None and seen % PROGRESS_EVERY == 0:
                progress(seen)
        resolve_duplicates(outcomes, mapping.columns, checker.asked)
    if progress is not None:
        progress(seen)
    return CheckResult(outcomes, count_statuses(outcomes))


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a sheet is checked.

    The check makes a few small lists per row and keeps them, so the
    collector's full passes re-scan the whole roster and every outcome again
    and again: about 40% of the time at 100k rows (see the benchmark). The
    objects made here hold no cycles; reference counting frees them anyway.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
