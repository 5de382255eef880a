"""Bounds on the cell area of an OpenDocument spreadsheet before calamine.

An ODS cell or row can say "repeat me a million times"; calamine expands such
repeats of cells that hold a value, so the area is measured here first, with
expat and no DTD allowed (so no entity of any kind is ever expanded). Elements
are matched by local name whatever their prefix or namespace, a superset of
what calamine reads.
"""

from dataclasses import dataclass
from xml.parsers import expat

from .errors import sheet_error
from .limits import SheetLimits
from .xlsx_guard import check_area

TABLE = "table"
ROW = "table-row"
CELLS = ("table-cell", "covered-table-cell")
NAME = "name"
ROWS_REPEATED = "number-rows-repeated"
COLUMNS_REPEATED = "number-columns-repeated"
VALUE_TYPE = "value-type"


@dataclass
class _Table:
    name: str
    row: int = 0
    column: int = 0
    rows: int = 0
    columns: int = 0
    row_repeats: int = 1
    row_has_value: bool = False
    cell_repeats: int = 1
    cell_has_value: bool = False
    in_cell: bool = False


class OdsContentScan:
    """Streams content.xml and raises when a table's used area is too large."""

    def __init__(self, limits: SheetLimits) -> None:
        self._limits = limits
        self._tables: list[_Table] = []
        self._parser = _safe_parser()
        self._parser.StartElementHandler = self._start
        self._parser.EndElementHandler = self._end
        self._parser.CharacterDataHandler = self._text

    def feed(self, chunk: bytes) -> None:
        """Parse the next piece of content.xml."""
        self._parse(chunk, final=False)

    def close(self) -> None:
        """Finish parsing; raise when the document is not well formed."""
        self._parse(b"", final=True)

    def _parse(self, data: bytes, *, final: bool) -> None:
        try:
            self._parser.Parse(data, final)
        except expat.ExpatError:
            raise sheet_error("damaged_file") from None

    def _start(self, qname: str, raw: dict[str, str]) -> None:
        name, attributes = _local(qname), _local_keys(raw)
        if name == TABLE:
            self._tables.append(_Table(attributes.get(NAME, "")))
        elif not self._tables:
            return
        elif name == ROW:
            self._open_row(attributes)
        elif name in CELLS:
            self._open_cell(attributes)
        elif self._tables[-1].in_cell:
            self._tables[-1].cell_has_value = True

    def _open_row(self, attributes: dict[str, str]) -> None:
        table = self._tables[-1]
        table.row_repeats = _repeats(attributes.get(ROWS_REPEATED))
        table.row_has_value = False
        table.column = 0

    def _open_cell(self, attributes: dict[str, str]) -> None:
        table = self._tables[-1]
        table.cell_repeats = _repeats(attributes.get(COLUMNS_REPEATED))
        table.cell_has_value = VALUE_TYPE in attributes
        table.in_cell = True

    def _text(self, data: str) -> None:
        if self._tables and self._tables[-1].in_cell and data.strip():
            self._tables[-1].cell_has_value = True

    def _end(self, qname: str) -> None:
        name = _local(qname)
        if not self._tables:
            return
        table = self._tables[-1]
        if name == TABLE:
            self._tables.pop()
        elif name == ROW:
            self._close_row(table)
        elif name in CELLS:
            self._close_cell(table)

    def _close_cell(self, table: _Table) -> None:
        table.column += table.cell_repeats
        table.in_cell = False
        if table.cell_has_value:
            table.columns = max(table.columns, table.column)
            table.row_has_value = True

    def _close_row(self, table: _Table) -> None:
        table.row += table.row_repeats
        if table.row_has_value:
            table.rows = table.row
            check_area(table.name, table.rows, table.columns, self._limits)


def _local(qname: str) -> str:
    return qname.rpartition(":")[2]


def _local_keys(attributes: dict[str, str]) -> dict[str, str]:
    return {_local(key): value for key, value in attributes.items()}


def _repeats(value: str | None) -> int:
    if value is None:
        return 1
    if not value.isdigit():
        raise sheet_error("damaged_file")
    return max(int(value), 1)


def _safe_parser() -> expat.XMLParserType:
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    return parser


def _refuse_dtd(*_: object) -> None:
    raise sheet_error("damaged_file")
