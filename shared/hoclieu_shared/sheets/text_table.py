"""CSV files: the encoding and the delimiter found from the content."""

import codecs
import csv
import io
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from .errors import sheet_error
from .limits import SheetLimits

DELIMITERS = (",", ";", "\t")
# Excel on Windows saves "CSV" in the ANSI code page, 1258 for Vietnamese.
LEGACY_ENCODING = "cp1258"
_SAMPLE_LINES = 50
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def read_text(path: Path) -> str:
    """The file's text in NFC: UTF-8 (BOM or not), UTF-16 with BOM or cp1258."""
    data = path.read_bytes()
    return unicodedata.normalize("NFC", _decoded(data))


def _decoded(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data[len(codecs.BOM_UTF8) :], "utf-8")
    if data.startswith(_UTF16_BOMS):
        return _decode(data, "utf-16")
    if b"\0" in data:
        raise sheet_error("unsupported_format")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode(data, LEGACY_ENCODING)


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise sheet_error("unknown_encoding") from None


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the steadiest columns."""
    lines = [line for line in text.splitlines()[: _SAMPLE_LINES * 2] if line.strip()]
    sample = lines[:_SAMPLE_LINES]
    best = max(DELIMITERS, key=lambda delimiter: _steadiness(sample, delimiter))
    if _steadiness(sample, best) <= (0, 1):
        raise sheet_error("unsupported_format")
    return best


def _steadiness(lines: list[str], delimiter: str) -> tuple[int, int]:
    """How many lines share the commonest field count, and that count."""
    try:
        widths = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
    except csv.Error:
        return (0, 0)
    width, lines_with_it = Counter(widths).most_common(1)[0] if widths else (0, 0)
    return (lines_with_it, width) if width > 1 else (0, width)


def csv_rows(text: str, delimiter: str, sheet: str, limits: SheetLimits) -> Iterator:
    """Each record of the text as a list of strings."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as error:
        raise _csv_error(error, reader.line_num, sheet, limits) from None


def _csv_error(error: csv.Error, line: int, sheet: str, limits: SheetLimits):
    # The csv module has one exception class; its text tells a huge field.
    if "field limit" not in str(error):
        return sheet_error("damaged_file")
    return sheet_error(
        "cell_too_long", sheet=sheet, cell=f"ở dòng {line}", limit=limits.max_cell_chars
    )
