"""Rows of cells as plain Python values, whatever format they came from."""

from collections.abc import Iterable, Iterator
from datetime import time, timedelta
from unicodedata import is_normalized, normalize

from .errors import cell_name, sheet_error
from .limits import SheetLimits

# Floats beyond 2**53 are not exact integers any more; leave them as floats.
_EXACT = float(2**53)
_AS_TEXT = (time, timedelta)
# First characters of whitespace-only text; a cheap test before isspace().
_SPACES = frozenset(chr(c) for c in range(0x3001) if chr(c).isspace())


def tidy_rows(
    rows: Iterable[list], sheet: str, limits: SheetLimits, indent: int = 0
) -> Iterator[list]:
    """Rows with empty cells as None, whole floats as int, no trailing blanks.

    Text comes back in NFC, whatever form the file stored (some keep NFD).
    The lists given are changed in place. `indent` empty cells are put before
    each row, for readers whose rows start at the first used column.
    """
    padding = [None] * indent
    max_rows, max_columns = limits.max_rows, limits.max_columns
    for number, row in enumerate(rows):
        if number >= max_rows:
            raise sheet_error(
                "too_many_rows", sheet=sheet, found=number + 1, limit=max_rows
            )
        if indent:
            row = padding + row
        while row and row[-1] == "":
            row.pop()
        _tidy_cells(row, sheet, number, limits.max_cell_chars)
        while row and row[-1] is None:
            row.pop()
        if len(row) > max_columns:
            raise sheet_error(
                "too_many_columns", sheet=sheet, found=len(row), limit=max_columns
            )
        yield row


def _tidy_cells(row: list, sheet: str, number: int, longest: int) -> None:
    # The hot loop of every import: plain, short text takes one branch.
    for index, value in enumerate(row):
        kind = value.__class__
        if kind is str:
            if not value:
                row[index] = None
            elif (
                value[0] in _SPACES
                or len(value) > longest
                or not (value.isascii() or is_normalized("NFC", value))
            ):
                row[index] = _text(value, sheet, number, index, longest)
        elif kind is float:
            if value.is_integer() and -_EXACT < value < _EXACT:
                row[index] = int(value)
        elif kind in _AS_TEXT:
            row[index] = str(value)


def _text(value: str, sheet: str, row: int, column: int, longest: int) -> str | None:
    if value.isspace():
        return None
    if len(value) > longest:
        raise sheet_error(
            "cell_too_long", sheet=sheet, cell=cell_name(row, column), limit=longest
        )
    return value if is_normalized("NFC", value) else normalize("NFC", value)
