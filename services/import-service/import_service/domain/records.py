"""The checked rows written back in the user's own layout, to fix and re-import.

Their title rows, header and cells come back as they were, plus a status
column and a reasons column (recognised and ignored when the file is
uploaded again). Problem cells are filled red and carry the message as a
comment. No text is ever written as a formula.

"All records" keeps every row where it was, so row numbers in notes stay
true; "only invalid" packs the invalid rows under the header, and each
message is re-addressed to the cell's new place.
"""

import os
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import BinaryIO

from hoclieu_shared.sheets import template_keys as keys
from hoclieu_shared.sheets.cells import set_text
from hoclieu_shared.vn.text import fold
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from .issues import place, text_of
from .outcome import (
    INVALID,
    REASONS_HEADER,
    STATUS_HEADER,
    STATUS_LABELS,
    RowOutcome,
)

AUTHOR = "Học liệu"
PROBLEM_RED = "FFC7CE"
DATE_FORMAT = "dd/mm/yyyy"
MOMENT_FORMAT = "dd/mm/yyyy hh:mm:ss"
# Comment boxes sized for a sentence or two of Vietnamese.
COMMENT_WIDTH, COMMENT_HEIGHT = 260, 90
OWN_HEADERS = frozenset({fold(STATUS_HEADER), fold(REASONS_HEADER)})


def write_records(
    out: str | os.PathLike | BinaryIO,
    *,
    sheet_name: str,
    header_rows: list[list],
    rows: Iterable[tuple[int, list]],
    outcomes: dict[int, RowOutcome],
    only_invalid: bool,
    template_rows: list[list] | None = None,
) -> None:
    """Write the records workbook; `template_rows` keeps a template's keys."""
    workbook = Workbook(write_only=True)
    sheet = _RecordsSheet(workbook.create_sheet(sheet_name[:31] or "Sheet1"))
    keep = sheet.write_header(header_rows)
    number = len(header_rows)
    for original, values in rows:
        outcome = outcomes.get(original)
        if only_invalid and (outcome is None or outcome.status != INVALID):
            continue
        number = number + 1 if only_invalid else original
        sheet.write_row(number, _kept(values, keep), outcome, keep)
    if template_rows:
        _write_hidden(workbook, template_rows)
    workbook.save(out)


def own_columns(header: list) -> list[int]:
    """Columns of a header row that hold a records file's status or reasons."""
    return [i for i, value in enumerate(header) if fold(text_of(value)) in OWN_HEADERS]


class _RecordsSheet:
    """Streams rows into a write-only worksheet, keeping track of its row."""

    def __init__(self, ws) -> None:
        self.ws, self.written, self.width = ws, 0, 0
        self.red = PatternFill(fill_type="solid", start_color=PROBLEM_RED)
        self.bold = Font(bold=True)

    def write_header(self, header_rows: list[list]) -> list[int] | None:
        """Title rows and header; returns the columns kept (None: all)."""
        header = header_rows[-1] if header_rows else []
        drop = set(own_columns(header))
        keep = [i for i in range(len(header)) if i not in drop] if drop else None
        self.width = len(_trimmed(_kept(header, keep)))
        for index, values in enumerate(header_rows, 1):
            cells = [self._cell(v) for v in _kept(values, keep)]
            if index == len(header_rows):
                cells = _padded(cells, self.width, self._cell)
                cells += [self._cell(STATUS_HEADER, bold=True)]
                cells += [self._cell(REASONS_HEADER, bold=True)]
            self._append(index, cells)
        return keep

    def write_row(self, number: int, values: list, outcome, keep) -> None:
        """One data row at sheet row `number`, with its status and reasons."""
        problems = _problems_by_column(outcome, keep)
        cells = [self._cell(v, problems.get(i)) for i, v in enumerate(values)]
        head, tail = cells[: self.width], cells[self.width :]
        head = _padded(head, self.width, self._cell)
        status = STATUS_LABELS.get(outcome.status) if outcome else None
        reasons = (_reasons(number, outcome, keep) or None) if outcome else None
        self._append(number, [*head, self._cell(status), self._cell(reasons), *tail])

    def _append(self, number: int, cells: list) -> None:
        # Rows with no outcome keep their place: pad with empty rows.
        while self.written < number - 1:
            self.ws.append([])
            self.written += 1
        self.ws.append(cells)
        self.written += 1

    def _cell(self, value, problem: str | None = None, bold: bool = False):
        cell = WriteOnlyCell(self.ws)
        _store(cell, value)
        if bold:
            cell.font = self.bold
        if problem:
            cell.fill = self.red
            comment = Comment(problem, AUTHOR)
            comment.width, comment.height = COMMENT_WIDTH, COMMENT_HEIGHT
            cell.comment = comment
        return cell


def _store(cell, value) -> None:
    if isinstance(value, str):
        set_text(cell, value)
    elif isinstance(value, datetime):
        cell.value = value
        cell.number_format = MOMENT_FORMAT if value.time() != time() else DATE_FORMAT
    elif isinstance(value, date):
        cell.value, cell.number_format = value, DATE_FORMAT
    elif value is not None:
        cell.value = value


def _kept(values: list, keep: list[int] | None) -> list:
    if keep is None:
        return list(values)
    dropped = set(range(len(values))) - set(keep)
    return [v for i, v in enumerate(values) if i not in dropped]


def _new_column(column: int, keep: list[int] | None) -> int:
    if keep is None or column < 0:
        return column
    return keep.index(column) if column in keep else column


def _problems_by_column(outcome, keep) -> dict[int, str]:
    if outcome is None:
        return {}
    problems: dict[int, list[str]] = {}
    for problem in outcome.errors:
        if problem.column >= 0:
            column = _new_column(problem.column, keep)
            problems.setdefault(column, []).append(problem.detail)
    return {column: "\n".join(texts) for column, texts in problems.items()}


def _reasons(number: int, outcome: RowOutcome, keep) -> str:
    if outcome.errors:
        return "\n".join(
            f"{place(number, _new_column(p.column, keep))}: {p.detail}"
            for p in outcome.errors
        )
    return "\n".join(outcome.notes)


def _trimmed(values: list) -> list:
    end = len(values)
    while end and text_of(values[end - 1]) == "":
        end -= 1
    return values[:end]


def _padded(cells: list, width: int, make) -> list:
    return cells + [make(None) for _ in range(width - len(cells))]


def _write_hidden(workbook: Workbook, rows: list[list]) -> None:
    ws = workbook.create_sheet(keys.HIDDEN_SHEET)
    ws.sheet_state = "hidden"
    for values in rows:
        cells = []
        for value in values:
            cell = WriteOnlyCell(ws)
            _store(cell, value)
            cells.append(cell)
        ws.append(cells)
