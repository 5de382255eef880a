"""Cell values that no spreadsheet program will run as a formula."""

from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: Any) -> bool:
    """True when a text would be read as a formula by Excel or LibreOffice."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def set_text(cell, value: Any) -> None:
    """Store a value in an openpyxl cell, never as a formula.

    openpyxl marks any string starting with "=" as a formula; forcing the
    string type and the quote prefix keeps it literal text in every program.
    """
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
