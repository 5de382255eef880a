"""Uploaded spreadsheets, read through hoclieu_shared.sheets under the limits."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from hoclieu_shared.sheets import template_keys
from hoclieu_shared.sheets.limits import SheetLimits
from hoclieu_shared.sheets.reader import SheetInfo, Workbook, open_workbook


@dataclass(frozen=True)
class BookFacts:
    """What the service keeps knowing about a file: kind, sheets, template keys."""

    kind: str
    date1904: bool
    sheets: list[SheetInfo]
    hidden_rows: list[list] | None


@dataclass(frozen=True)
class Preview:
    """A file's facts and the first rows of one sheet."""

    facts: BookFacts
    head: list[list]


def describe(path: Path, limits: SheetLimits) -> BookFacts:
    """Open a file (never trusting its name) and list its sheets."""
    with open_workbook(path, limits) as book:
        return _facts(book)


def preview(path: Path, sheet: str, count: int, limits: SheetLimits) -> Preview:
    """The file's facts and the first `count` rows of a sheet."""
    with open_workbook(path, limits) as book:
        return Preview(_facts(book), list(islice(book.rows(sheet), count)))


def data_rows(path: Path, sheet: str, header_row: int,
              limits: SheetLimits) -> Iterator[tuple[int, list]]:
    """(1-based row number, values) of every row below the 0-based header row."""
    with open_workbook(path, limits) as book:
        for index, values in enumerate(book.rows(sheet)):
            if index > header_row:
                yield index + 1, values


def _facts(book: Workbook) -> BookFacts:
    sheets = book.sheets()
    return BookFacts(str(book.kind), book.date1904, sheets, _hidden_rows(book, sheets))


def _hidden_rows(book: Workbook, sheets: list[SheetInfo]) -> list[list] | None:
    # Only the template's own hidden sheet is read; other hidden sheets are
    # neither offered nor looked at.
    if any(s.hidden and s.name == template_keys.HIDDEN_SHEET for s in sheets):
        return list(book.rows(template_keys.HIDDEN_SHEET))
    return None
