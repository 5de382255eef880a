"""Styled write-only cells, made cheaply from one prototype per kind."""

from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from hoclieu_shared.sheets.cells import set_text

FONT = "Times New Roman"
TEXT = "@"
CELL_TEXT_MAX = 32767
BLOCKED_GREY = "BFBFBF"
HEADER_BLUE = "DDEBF7"

_THIN = Side(style="thin", color="000000")
_MEDIUM = Side(style="medium", color="000000")
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CLASS_START = Border(left=_THIN, right=_THIN, top=_MEDIUM, bottom=_THIN)
_MIDDLE = Alignment(horizontal="center", vertical="center")
_LEFT = Alignment(horizontal="left", vertical="center")
_WRAP_MIDDLE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_WRAP_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


def _grey() -> PatternFill:
    return PatternFill(fill_type="solid", start_color=BLOCKED_GREY)


# kind -> font, alignment, number format, fill, bordered
KINDS = {
    "school": (Font(name=FONT, size=12, bold=True), _LEFT, None, None, False),
    "title": (Font(name=FONT, size=16, bold=True), _MIDDLE, None, None, False),
    "year": (Font(name=FONT, size=12, bold=True), _MIDDLE, None, None, False),
    "heading": (Font(name=FONT, size=12, bold=True), _MIDDLE, None, None, False),
    "note": (Font(name=FONT, size=11, italic=True), _WRAP_LEFT, None, None, False),
    "header": (
        Font(name=FONT, size=11, bold=True),
        _WRAP_MIDDLE,
        None,
        PatternFill(fill_type="solid", start_color=HEADER_BLUE),
        True,
    ),
    "stt": (Font(name=FONT, size=11), _MIDDLE, None, None, True),
    "code": (Font(name=FONT, size=11), _MIDDLE, TEXT, None, True),
    "text": (Font(name=FONT, size=11), _LEFT, None, None, True),
    "date": (Font(name=FONT, size=11), _MIDDLE, TEXT, None, True),
    "class": (Font(name=FONT, size=11), _MIDDLE, None, None, True),
    "phone": (Font(name=FONT, size=11), _MIDDLE, TEXT, None, True),
    "tick": (Font(name=FONT, size=12, bold=True), _MIDDLE, None, None, True),
    "blocked": (Font(name=FONT, size=11), _MIDDLE, None, _grey(), True),
    "blank": (Font(name=FONT, size=11), _LEFT, None, None, True),
}


class Palette:
    """Cell factory holding one ready style per kind of cell."""

    def __init__(self, ws):
        self._styles = {}
        for kind, spec in KINDS.items():
            self._styles[kind, False] = _style_of(ws, *spec, _GRID)
            self._styles[kind, True] = _style_of(ws, *spec, _CLASS_START)

    def cell(self, ws, kind: str, value: Any = None, class_start=False) -> Cell:
        """A write-only cell of this kind holding `value` safely."""
        # Copying a finished style array skips openpyxl's per-attribute
        # style lookups, the main cost of styled write-only output.
        cell = Cell(ws, row=1, column=1, style_array=self._styles[kind, class_start])
        write_value(cell, value)
        return cell


def _style_of(ws, font, alignment, number_format, fill, bordered, border):
    prototype = WriteOnlyCell(ws)
    prototype.font = font
    prototype.alignment = alignment
    if number_format:
        prototype.number_format = number_format
    if fill:
        prototype.fill = fill
    if bordered:
        prototype.border = border
    return prototype._style


def write_value(cell: Cell, value: Any) -> None:
    """Store a value; text is cleaned and never becomes a formula."""
    if isinstance(value, str):
        value = clean_text(value)
        if value:
            set_text(cell, value)
    elif value is not None:
        cell.value = value


def clean_text(text: str) -> str:
    """Text without the control characters xlsx cannot hold, length-capped."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:CELL_TEXT_MAX]
