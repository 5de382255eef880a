"""Open an untrusted spreadsheet and read its sheets as rows of values.

The format is judged from the content. Zip containers and .xls records are
measured under the limits first (see archive.py and xls_guard.py), because
calamine trusts sizes and counts written in the file and aborts the whole
process, not just the call, when an allocation fails.
"""

from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Self

from python_calamine import (
    CalamineError,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
    WorkbookClosed,
)

from .archive import inspect_archive
from .detect import FileKind, detect_kind
from .errors import sheet_error
from .limits import DEFAULT_LIMITS, SheetLimits
from .rows import tidy_rows
from .text_table import csv_rows, read_text, sniff_delimiter
from .xls_guard import inspect_xls

CSV_SHEET_NAME = "CSV"
_CALAMINE_FAILURES = (CalamineError, ValueError, TypeError, OSError, OverflowError)

Row = list


@dataclass(frozen=True)
class SheetInfo:
    """A sheet as offered to the user: its size, and whether it is hidden."""

    name: str
    index: int
    rows: int
    columns: int
    hidden: bool


class Workbook:
    """An opened spreadsheet: its sheets and their rows."""

    kind: FileKind
    date1904: bool = False

    def sheets(self) -> list[SheetInfo]:
        """Every sheet, hidden ones included (flagged)."""
        raise NotImplementedError

    def visible_sheets(self) -> list[SheetInfo]:
        """The sheets a user may choose from."""
        return [sheet for sheet in self.sheets() if not sheet.hidden]

    def rows(self, sheet: str | int) -> Iterator[Row]:
        """The rows of a sheet, by name or index, from the sheet's first row."""
        raise NotImplementedError

    def close(self) -> None:
        """Let go of the file's data."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def open_workbook(path: str | Path, limits: SheetLimits = DEFAULT_LIMITS) -> Workbook:
    """Open a spreadsheet, judging its format from its bytes, never its name."""
    path = Path(path)
    kind = detect_kind(path, limits)
    if kind is FileKind.CSV:
        return CsvWorkbook(path, limits)
    if kind is FileKind.XLS:
        date1904 = inspect_xls(path.read_bytes(), limits).date1904
    else:
        date1904 = inspect_archive(path, kind, limits).date1904
    return CalamineBook(path, kind, date1904, limits)


class CsvWorkbook(Workbook):
    """A CSV file seen as a workbook of one sheet."""

    kind = FileKind.CSV

    def __init__(self, path: Path, limits: SheetLimits) -> None:
        self._text = read_text(path)
        self._delimiter = sniff_delimiter(self._text)
        self._limits = limits
        self._info: SheetInfo | None = None

    def sheets(self) -> list[SheetInfo]:
        if self._info is None:
            self._info = self._measure()
        return [self._info]

    def _measure(self) -> SheetInfo:
        rows = columns = 0
        for number, row in enumerate(self.rows(0), start=1):
            if row:
                rows, columns = number, max(columns, len(row))
        return SheetInfo(CSV_SHEET_NAME, 0, rows, columns, hidden=False)

    def rows(self, sheet: str | int) -> Iterator[Row]:
        if sheet not in (0, CSV_SHEET_NAME):
            raise sheet_error("sheet_not_found", sheet=sheet)
        records = csv_rows(self._text, self._delimiter, CSV_SHEET_NAME, self._limits)
        return tidy_rows(records, CSV_SHEET_NAME, self._limits)

    def close(self) -> None:
        self._text = ""


class CalamineBook(Workbook):
    """An xlsx, xlsm, xls or ods file read by python-calamine."""

    def __init__(
        self, path: Path, kind: FileKind, date1904: bool, limits: SheetLimits
    ) -> None:
        self.kind = kind
        self.date1904 = date1904
        self._limits = limits
        with path.open("rb") as handle:
            self._book = _calamine(CalamineWorkbook.from_filelike, handle)
        self._worksheets = [
            meta
            for meta in self._book.sheets_metadata
            if meta.typ == SheetTypeEnum.WorkSheet
        ]
        if len(self._worksheets) > limits.max_sheets:
            raise sheet_error("too_many_sheets", limit=limits.max_sheets)

    def sheets(self) -> list[SheetInfo]:
        return [self._info(index, meta) for index, meta in enumerate(self._worksheets)]

    def _info(self, index: int, meta) -> SheetInfo:
        end = self._load(meta.name).end
        rows, columns = (end[0] + 1, end[1] + 1) if end else (0, 0)
        hidden = meta.visible != SheetVisibleEnum.Visible
        return SheetInfo(meta.name, index, rows, columns, hidden)

    def rows(self, sheet: str | int) -> Iterator[Row]:
        name = self._name_of(sheet)
        grid = self._load(name)
        if grid.start is None:
            return iter(())
        # python-calamine starts iter_rows at row 1 but at the first used column.
        indent = grid.start[1]
        cells = _guarded(_calamine(grid.iter_rows))
        return tidy_rows(cells, name, self._limits, indent)

    def _name_of(self, sheet: str | int) -> str:
        names = [meta.name for meta in self._worksheets]
        if isinstance(sheet, int) and 0 <= sheet < len(names):
            return names[sheet]
        if sheet in names:
            return sheet
        raise sheet_error("sheet_not_found", sheet=sheet)

    def _load(self, name: str):
        return _calamine(self._book.get_sheet_by_name, name)

    def close(self) -> None:
        with suppress(WorkbookClosed):
            self._book.close()


def _calamine(call, *args):
    """Call python-calamine; its failures become damaged_file or encrypted_file."""
    try:
        return call(*args)
    # A Rust panic arrives as pyo3's PanicException, a BaseException;
    # anything that is not calamine's is raised again unchanged.
    except BaseException as error:
        translated = _translated(error)
        if translated is error:
            raise
        raise translated from None


def _guarded(cells: Iterator[Row]) -> Iterator[Row]:
    try:
        yield from cells
    except BaseException as error:
        translated = _translated(error)
        if translated is error:
            raise
        raise translated from None


def _translated(error: BaseException) -> BaseException:
    if isinstance(error, PasswordError):
        return sheet_error("encrypted_file")
    if isinstance(error, _CALAMINE_FAILURES) or _is_panic(error):
        return sheet_error("damaged_file")
    return error


def _is_panic(error: BaseException) -> bool:
    # A Rust panic reaches Python as pyo3's PanicException, a BaseException.
    return type(error).__name__ == "PanicException"
