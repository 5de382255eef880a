"""Reading untrusted spreadsheets and writing safe ones."""

from .detect import FileKind
from .errors import SheetError
from .headers import ColumnSpec, HeaderMatch, find_header, map_columns
from .limits import DEFAULT_LIMITS, SheetLimits
from .reader import SheetInfo, Workbook, open_workbook

__all__ = [
    "DEFAULT_LIMITS",
    "ColumnSpec",
    "FileKind",
    "HeaderMatch",
    "SheetError",
    "SheetInfo",
    "SheetLimits",
    "Workbook",
    "find_header",
    "map_columns",
    "open_workbook",
]
