"""Bounds on a legacy .xls workbook, measured from its records before calamine.

calamine reads every sheet of an .xls when it opens it, into dense grids, and
sizes some buffers from counts written in the file; both are checked here.
"""

import io
import struct
from dataclasses import dataclass, field

from xlrd.compdoc import CompDoc, CompDocError

from .errors import sheet_error
from .limits import SheetLimits
from .xlsx_guard import check_area

BOF, EOF, FILEPASS, DATEMODE = 0x0809, 0x000A, 0x002F, 0x0022
BOUNDSHEET, SST, CONTINUE, DIMENSIONS = 0x0085, 0x00FC, 0x003C, 0x0200
MULRK = 0x00BD
# Records that put one value in a cell; their first 4 bytes are row, column.
CELL_RECORDS = frozenset(
    {0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x00D6, 0x00FD, 0x0203, 0x0204,
     0x0205, 0x027E}
)
_SMALLEST_STRING = 3
_CFB_ERRORS = (CompDocError, AssertionError, IndexError, struct.error, ValueError)


@dataclass
class XlsFacts:
    """What the records say about the workbook as a whole."""

    date1904: bool = False
    sheet_names: dict[int, str] = field(default_factory=dict)


@dataclass
class _Sheet:
    name: str
    rows: int = 0
    columns: int = 0


def inspect_xls(data: bytes, limits: SheetLimits) -> XlsFacts:
    """Walk the Workbook stream; raise when a limit or a count is broken."""
    stream = _workbook_stream(data)
    walker = _Walker(limits)
    try:
        walker.walk(stream)
    except (struct.error, IndexError, UnicodeDecodeError):
        raise sheet_error("damaged_file") from None
    return walker.facts


def _workbook_stream(data: bytes) -> bytes:
    try:
        container = CompDoc(data, logfile=io.StringIO())
        stream = container.get_named_stream("Workbook")
        stream = stream or container.get_named_stream("Book")
    except _CFB_ERRORS:
        raise sheet_error("damaged_file") from None
    if not stream:
        raise sheet_error("damaged_file")
    return stream


class _Walker:
    def __init__(self, limits: SheetLimits) -> None:
        self.facts = XlsFacts()
        self._limits = limits
        self._sheet: _Sheet | None = None
        self._sst_declared = 0
        self._sst_bytes = 0

    def walk(self, stream: bytes) -> None:
        position = 0
        while position + 4 <= len(stream):
            kind, size = struct.unpack_from("<HH", stream, position)
            body = stream[position + 4 : position + 4 + size]
            self._on_record(kind, body, position)
            position += 4 + size
        self._close_sst()

    def _on_record(self, kind: int, body: bytes, position: int) -> None:
        if kind != CONTINUE:
            self._close_sst()
        if kind in CELL_RECORDS:
            row, column = struct.unpack_from("<HH", body)
            self._touch(row, column)
        else:
            self._on_other(kind, body, position)

    def _on_other(self, kind: int, body: bytes, position: int) -> None:
        if kind == MULRK:
            row, _ = struct.unpack_from("<HH", body)
            self._touch(row, struct.unpack_from("<H", body, len(body) - 2)[0])
        elif kind == BOF:
            self._open_sheet(position)
        elif kind == FILEPASS:
            raise sheet_error("encrypted_file")
        elif kind == DATEMODE:
            self.facts.date1904 = struct.unpack_from("<H", body)[0] == 1
        elif kind == BOUNDSHEET:
            self._name_sheet(body)
        else:
            self._on_sizes(kind, body)

    def _on_sizes(self, kind: int, body: bytes) -> None:
        if kind == SST:
            self._sst_declared = struct.unpack_from("<i", body, 4)[0]
            self._sst_bytes = len(body)
        elif kind == CONTINUE:
            self._sst_bytes += len(body)
        elif kind == DIMENSIONS and self._sheet is not None:
            self._check_dimensions(body)

    def _open_sheet(self, position: int) -> None:
        name = self.facts.sheet_names.get(position, f"#{position}")
        self._sheet = _Sheet(name)

    def _name_sheet(self, body: bytes) -> None:
        offset = struct.unpack_from("<I", body)[0]
        self.facts.sheet_names[offset] = _short_string(body[6:])

    def _touch(self, row: int, column: int) -> None:
        if self._sheet is None:
            raise sheet_error("damaged_file")
        sheet = self._sheet
        sheet.rows = max(sheet.rows, row + 1)
        sheet.columns = max(sheet.columns, column + 1)
        check_area(sheet.name, sheet.rows, sheet.columns, self._limits)

    def _check_dimensions(self, body: bytes) -> None:
        if len(body) == 14:
            first_row, last_row, first_col, last_col = struct.unpack_from("<IIHH", body)
        else:
            first_row, last_row, first_col, last_col = struct.unpack_from("<HHHH", body)
        rows, columns = max(last_row - first_row, 0), max(last_col - first_col, 0)
        if rows * columns > self._limits.max_cells:
            raise sheet_error(
                "too_many_cells", sheet=self._sheet.name, rows=rows, columns=columns
            )

    def _close_sst(self) -> None:
        declared, self._sst_declared = self._sst_declared, 0
        if declared < 0 or declared > self._sst_bytes // _SMALLEST_STRING:
            raise sheet_error("damaged_file")


def _short_string(data: bytes) -> str:
    length, flags = data[0], data[1]
    if flags & 0x1:
        return data[2 : 2 + 2 * length].decode("utf-16-le", "replace")
    return data[2 : 2 + length].decode("latin-1")
