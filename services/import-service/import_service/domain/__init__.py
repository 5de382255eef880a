"""The registration check: pure rules, no HTTP, database or Kafka.

context (what the school has) -> mapping (which column is what) ->
check (a verdict per row) -> records (the rows written back, marked).
"""

from .check import check_rows
from .context import CataloguePackage, RosterStudent, SchoolContext
from .mapping import ColumnMapping, propose_mapping, read_template_keys
from .outcome import (
    INVALID,
    SKIPPED,
    STATUSES,
    SUPERSEDED,
    VALID,
    CellIssue,
    CheckResult,
    RowOutcome,
)
from .records import write_records

__all__ = [
    "INVALID",
    "SKIPPED",
    "STATUSES",
    "SUPERSEDED",
    "VALID",
    "CataloguePackage",
    "CellIssue",
    "CheckResult",
    "ColumnMapping",
    "RosterStudent",
    "RowOutcome",
    "SchoolContext",
    "check_rows",
    "propose_mapping",
    "read_template_keys",
    "write_records",
]
