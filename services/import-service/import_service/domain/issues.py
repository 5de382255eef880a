"""Cell values as text, and problems that name their cell."""

from functools import lru_cache

from hoclieu_shared.vn.text import clean_text
from openpyxl.utils.cell import get_column_letter

from .outcome import CellIssue

# A problem about the whole row (no single cell to blame) has this column.
ROW = -1


def text_of(value: object) -> str:
    """A cell as trimmed NFC text; whole numbers lose their ".0"."""
    if value is None:
        return ""
    if isinstance(value, str):
        if value.isascii():
            # Nothing to normalise or strip beyond spaces in plain ASCII.
            return value if value.isalnum() else " ".join(value.split())
        return clean_text(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_text(str(value))


@lru_cache(maxsize=1024)
def letter(column: int) -> str:
    """Spreadsheet letter of a 0-based column: 0 -> A; the row marker -> ""."""
    return get_column_letter(column + 1) if column >= 0 else ""


def place(row_number: int, column: int) -> str:
    """How a message names its place: "Ô G12" or, for the row, "Dòng 12"."""
    if column < 0:
        return f"Dòng {row_number}"
    return f"Ô {letter(column)}{row_number}"


def issue(row_number: int, column: int | None, code: str, detail: str) -> CellIssue:
    """A problem on a cell (or on the row when the column is unknown)."""
    column = ROW if column is None else column
    message = f"{place(row_number, column)}: {detail}"
    return CellIssue(column, letter(column), code, message, detail)


def quoted(text: str, limit: int = 60) -> str:
    """A user's text inside a message, shortened when long."""
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return f"“{shown}”"
