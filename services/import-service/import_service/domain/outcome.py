"""What the check says about each row of a sheet."""

from dataclasses import asdict, dataclass, field
from datetime import datetime

VALID = "valid"
INVALID = "invalid"
SKIPPED = "skipped"
SUPERSEDED = "superseded"
STATUSES = (VALID, INVALID, SKIPPED, SUPERSEDED)

# How the status reads in the downloaded records, in Vietnamese.
STATUS_LABELS = {
    VALID: "Hợp lệ",
    INVALID: "Không hợp lệ",
    SKIPPED: "Bỏ qua",
    SUPERSEDED: "Bị thay thế",
}


@dataclass(frozen=True, slots=True)
class CellIssue:
    """A problem on one cell: 0-based column, its letter, a code and a message.

    `message` names the cell ("Ô G12: ..."); `detail` is the same text without
    the cell, for places where the row moves (the downloaded records).
    """

    column: int
    column_letter: str
    code: str
    message: str
    detail: str


@dataclass(slots=True)
class RowOutcome:
    """The verdict on one row and the registration it stands for."""

    row_number: int
    status: str = INVALID
    student_code: str | None = None
    class_name: str | None = None
    full_name: str | None = None
    parent_name: str | None = None
    parent_phone: str | None = None
    package_codes: list[str] = field(default_factory=list)
    already_active: list[str] = field(default_factory=list)
    submitted_at: datetime | None = None
    errors: list[CellIssue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    remark: str | None = None

    def as_dict(self) -> dict:
        """Plain data for JSON (datetimes stay datetimes)."""
        return asdict(self)


@dataclass(slots=True)
class CheckResult:
    """Every row's outcome, in sheet order, and how many of each status."""

    rows: list[RowOutcome]
    counts: dict[str, int]

    def by_row(self) -> dict[int, RowOutcome]:
        """Outcomes keyed by their sheet row number."""
        return {outcome.row_number: outcome for outcome in self.rows}


def count_statuses(rows: list[RowOutcome]) -> dict[str, int]:
    """How many rows have each status; every status is present."""
    counts = dict.fromkeys(STATUSES, 0)
    for outcome in rows:
        counts[outcome.status] += 1
    return counts


# Headers of the two columns the downloaded records add; a sheet uploaded
# again is read without them.
STATUS_HEADER = "Kết quả kiểm tra"
REASONS_HEADER = "Lý do (kết quả kiểm tra)"
