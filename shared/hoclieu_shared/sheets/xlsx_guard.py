"""Bounds on the cell area of xlsx parts, found before calamine reads them.

calamine holds a sheet as a dense grid from its first to its last cell, so two
far-apart cells in a few bytes of XML would ask for gigabytes. A cheap screen
proves the common case with byte counts: every cell tag starts `<c r="A1"`
(one capital letter of column), no other r attribute exists, and no reference
passes the row limit. Anything else is measured by the exact scan, which
follows calamine's own rules for cell positions, conservatively.
"""

import re
import string

from .errors import sheet_error
from .limits import SheetLimits

_TAIL = 32
_SINGLE_LETTER_COLUMNS = 26
# The screen reads a "shape" of the XML: capitals become A and digits 0
# ("AB12" reads "AA00"); whitespace, quotes, ">", "/" and "=" become spaces;
# ":" becomes "<" so a prefixed "<x:c" still holds "<c ".
_SHAPE = bytes.maketrans(
    string.ascii_uppercase.encode() + string.digits.encode() + b"\t\n\r>/=\"':",
    b"A" * 26 + b"0" * 10 + b" " * 8 + b"<",
)
CELL_TAGS, PLAIN_CELLS = b"<c ", b"<c r  A0"
R_ATTRIBUTES, ROW_REFS = b" r ", b"<row r  0"
_COUNTED = (CELL_TAGS, PLAIN_CELLS, R_ATTRIBUTES, ROW_REFS)
_TAG = re.compile(
    rb"<(/?)(?:[A-Za-z_][\w.\-]*:)?(row|c)(?=[\s/>])"
    rb"((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>"
)
_R_ATTR = re.compile(rb"(?:^|\s)r\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_REF = re.compile(rb"([A-Za-z]*)(\d*)")
_UNIQUE_COUNT = re.compile(rb"uniqueCount\s*=\s*[\"']\s*(\d+)")


class WorksheetScreen:
    """Streams a worksheet part; says when the exact scan is needed."""

    def __init__(self, limits: SheetLimits) -> None:
        digits = len(str(limits.max_rows))
        self.needs_exact = not _screen_can_prove(limits)
        self._max_rows = limits.max_rows
        self._long_number = b"0" * digits + b" "
        self._tall_ref = re.compile(
            rb"\br\s*=\s*[\"']?[A-Za-z]{0,3}(\d{%d,})" % digits
        )
        self._raw_tail = self._shape_tail = b""
        self._counts = dict.fromkeys(_COUNTED, 0)

    def feed(self, chunk: bytes) -> None:
        """Screen the next piece of the part."""
        if self.needs_exact:
            return
        shape = chunk.translate(_SHAPE)
        seam = len(self._shape_tail)
        edge = self._shape_tail + shape[:_TAIL]
        for pattern in _COUNTED:
            self._counts[pattern] += shape.count(pattern) + _across(edge, seam, pattern)
        if self._long_number in shape or self._long_number in edge:
            self.needs_exact = self._tall(self._raw_tail + chunk)
        self._raw_tail = _last(self._raw_tail, chunk)
        self._shape_tail = _last(self._shape_tail, shape)

    def close(self) -> None:
        """Decide, from the whole part, whether every cell tag is plain."""
        counts = self._counts
        plain = counts[CELL_TAGS] == counts[PLAIN_CELLS]
        refs = counts[R_ATTRIBUTES] == counts[PLAIN_CELLS] + counts[ROW_REFS]
        self.needs_exact = self.needs_exact or not (plain and refs)

    def _tall(self, data: bytes) -> bool:
        rows = (int(m.group(1)) for m in self._tall_ref.finditer(data))
        return any(row > self._max_rows for row in rows)


def _across(edge: bytes, seam: int, pattern: bytes) -> int:
    """Occurrences that start before the seam and end after it."""
    first = max(0, seam - len(pattern) + 1)
    return edge.count(pattern, first, seam + len(pattern) - 1)


def _last(tail: bytes, chunk: bytes) -> bytes:
    """The last bytes of everything seen, however small the pieces."""
    return chunk[-_TAIL:] if len(chunk) >= _TAIL else (tail + chunk)[-_TAIL:]


def _screen_can_prove(limits: SheetLimits) -> bool:
    wide_enough = limits.max_columns >= _SINGLE_LETTER_COLUMNS
    return wide_enough and limits.max_rows * _SINGLE_LETTER_COLUMNS <= limits.max_cells


class ExactExtent:
    """Follows calamine's cell positions through a worksheet part."""

    def __init__(self, sheet: str, limits: SheetLimits) -> None:
        self._sheet = sheet
        self._limits = limits
        self._pending = b""
        self._row = 0
        self._column = 0
        self.last_row = -1
        self.last_column = -1

    def feed(self, chunk: bytes) -> None:
        """Measure the next piece of the part."""
        data = self._pending + chunk
        cut = data.rfind(b"<")
        cut = len(data) if cut < 0 else cut
        for match in _TAG.finditer(data, 0, cut):
            self._on_tag(*match.groups())
        self._pending = data[cut:]
        self._check()

    def _on_tag(self, closing: bytes, name: bytes, attributes: bytes) -> None:
        empty = attributes.endswith(b"/")
        if name == b"row":
            self._on_row(closing, attributes, empty)
        elif not closing:
            self._on_cell(attributes, empty)

    def _on_row(self, closing: bytes, attributes: bytes, empty: bool) -> None:
        if not closing:
            refs = _refs(attributes)
            if refs:
                self._row = max(row for row, _ in refs)
        if closing or empty:
            self._row += 1
            self._column = 0

    def _on_cell(self, attributes: bytes, empty: bool) -> None:
        refs = [(row, col) for row, col in _refs(attributes) if col >= 0]
        if refs:
            self._row = max(row for row, _ in refs)
            self._column = max(col for _, col in refs)
        if not empty:
            self.last_row = max(self.last_row, self._row)
            self.last_column = max(self.last_column, self._column)
        self._column += 1

    def _check(self) -> None:
        check_area(self._sheet, self.last_row + 1, self.last_column + 1, self._limits)


def _refs(attributes: bytes) -> list[tuple[int, int]]:
    """0-based (row, column) of each r attribute; column -1 when absent."""
    found = []
    for match in _R_ATTR.finditer(attributes):
        ref = _REF.fullmatch(match.group(1) or match.group(2) or b"")
        if ref and ref.group(2):
            found.append((int(ref.group(2)) - 1, _column_index(ref.group(1))))
    return found


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters.upper():
        index = index * 26 + letter - 64
    return index - 1


def check_area(sheet: str, rows: int, columns: int, limits: SheetLimits) -> None:
    """Raise when a sheet's used area passes the row, column or cell limits."""
    if rows > limits.max_rows:
        raise sheet_error(
            "too_many_rows", sheet=sheet, found=rows, limit=limits.max_rows
        )
    if columns > limits.max_columns:
        raise sheet_error(
            "too_many_columns", sheet=sheet, found=columns, limit=limits.max_columns
        )
    if rows * columns > limits.max_cells:
        raise sheet_error("too_many_cells", sheet=sheet, rows=rows, columns=columns)


class SharedStringsCheck:
    """The declared string count, which calamine allocates for up front."""

    def __init__(self) -> None:
        self._tail = b""
        self._declared = 0
        self._items = 0

    def feed(self, chunk: bytes) -> None:
        """Count the strings in the next piece of the part."""
        data = self._tail + chunk
        start = max(0, len(self._tail) - 2)
        self._items += data.count(b"<si", start) + data.count(b":si", start)
        for match in _UNIQUE_COUNT.finditer(data):
            self._declared = max(self._declared, int(match.group(1)))
        self._tail = data[-_TAIL:]

    def close(self) -> None:
        """Raise when the part declares more strings than it holds."""
        if self._declared > self._items + 1:
            raise sheet_error("damaged_file")
