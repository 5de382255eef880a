"""The "all records" / "only invalid records" download, in the user's layout."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hoclieu_shared.sheets.limits import SheetLimits

from ..adapters import spreadsheet
from ..adapters.tables import ImportRow
from ..domain.mapping import ColumnMapping
from ..domain.outcome import CellIssue, RowOutcome
from ..domain.records import write_records


def outcome_of(row: ImportRow) -> RowOutcome:
    """A stored row outcome back as the domain's RowOutcome."""
    return RowOutcome(
        row_number=row.row_number, status=row.status,
        student_code=row.student_code, class_name=row.class_name,
        full_name=row.full_name, parent_name=row.parent_name,
        parent_phone=row.parent_phone, package_codes=list(row.package_codes),
        already_active=list(row.already_active),
        submitted_at=row.submitted_at,
        errors=[CellIssue(**issue) for issue in row.errors],
        notes=list(row.notes), remark=row.remark)


def build_records_file(source: Path, sheet: str, mapping: ColumnMapping,
                       rows: list[ImportRow], only_invalid: bool,
                       folder: Path, limits: SheetLimits) -> Path:
    """Write the records workbook to a temporary file; the caller deletes it."""
    folder.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(dir=folder, suffix=".xlsx",
                                         delete=False)
    handle.close()
    out = Path(handle.name)
    try:
        seen = spreadsheet.preview(source, sheet, mapping.header_row + 1, limits)
        data = spreadsheet.data_rows(source, sheet, mapping.header_row, limits)
        write_records(out, sheet_name=sheet, header_rows=seen.head, rows=data,
                      outcomes={row.row_number: outcome_of(row) for row in rows},
                      only_invalid=only_invalid,
                      template_rows=seen.facts.hidden_rows)
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    return out
