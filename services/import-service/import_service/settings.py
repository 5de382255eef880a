"""Settings of the import-service, read from the environment."""

from __future__ import annotations

from pathlib import Path

from hoclieu_shared.settings import ServiceSettings
from hoclieu_shared.sheets.limits import SheetLimits

SERVICE_ROOT = Path(__file__).resolve().parent.parent


class ImportSettings(ServiceSettings):
    """What the import-service reads at start-up (env vars, case-insensitive)."""

    service_name: str = "import"
    http_port: int = 8003
    # Uploads: the cap applies while the body streams to disk.
    max_upload_bytes: int = 20 * 1024 * 1024
    uploads_folder: str = "uploads"
    # Rows of one sheet, title and header rows included.
    max_sheet_rows: int = 100_000
    # Sheets with more data rows than this are checked in the background.
    background_check_rows: int = 2000
    # Rows returned inside a check answer; the rest are paged via /rows.
    answer_rows_limit: int = 200
    # A background check that has not reported progress for this long is
    # taken as interrupted (its process stopped) and may be started again.
    check_stale_seconds: float = 60.0
    # Registrations written per statement when COPY is not available.
    commit_chunk_rows: int = 2000

    @property
    def sheet_limits(self) -> SheetLimits:
        """Bounds on reading an uploaded file (size, rows, zip bombs, cells)."""
        return SheetLimits(max_file_bytes=self.max_upload_bytes,
                           max_rows=self.max_sheet_rows)

    @property
    def uploads_dir(self) -> Path:
        """Where uploaded files are kept, one file per import."""
        return self.data_dir / self.uploads_folder
