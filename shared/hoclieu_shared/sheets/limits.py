"""How much of an uploaded spreadsheet the readers accept."""

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class SheetLimits:
    """Bounds on an untrusted upload; each breach is a SheetError."""

    max_file_bytes: int = 20 * MB
    max_unzipped_bytes: int = 200 * MB
    # Deflate cannot pass about 1030:1; real workbooks stay far below 100:1.
    max_compression_ratio: int = 200
    # Parts smaller than this may be highly compressible without harm.
    ratio_floor_bytes: int = 1 * MB
    max_zip_members: int = 10_000
    max_sheets: int = 200
    max_rows: int = 100_000
    max_columns: int = 200
    # The readers hold a sheet as a dense grid, so its area is bounded too.
    max_cells: int = 4_000_000
    max_cell_chars: int = 2_000


DEFAULT_LIMITS = SheetLimits()
