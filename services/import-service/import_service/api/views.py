"""How imports, rows, batches and registrations look in the API's answers."""

from __future__ import annotations

from ..adapters.tables import Batch, Import, ImportRow, Registration

ROW_KEYS = ("row_number", "status", "student_code", "class_name", "full_name",
            "parent_name", "parent_phone", "package_codes", "already_active",
            "submitted_at", "errors", "notes", "remark")


def row_view(row: ImportRow) -> dict:
    """One row outcome."""
    view = {key: getattr(row, key) for key in ROW_KEYS}
    if row.submitted_at is not None:
        view["submitted_at"] = row.submitted_at.isoformat()
    return view


def batch_view(batch: Batch, counts: dict) -> dict:
    """A batch with its counts per status."""
    return {
        "id": str(batch.id), "school_code": batch.school_code,
        "school_year": batch.school_year, "import_id": str(batch.import_id),
        "file_name": batch.file_name, "sheet": batch.sheet,
        "source": batch.source, "valid_rows": batch.valid_rows,
        "already_registered": batch.already_registered,
        "created_by": batch.created_by,
        "created_at": batch.created_at.isoformat(), "counts": counts,
    }


def registration_view(registration: Registration, packages: list) -> dict:
    """A registration with its packages and where it came from."""
    return {
        "id": str(registration.id), "student_code": registration.student_code,
        "class_name": registration.class_name,
        "full_name": registration.full_name,
        "parent_name": registration.parent_name,
        "parent_phone": registration.parent_phone,
        "package_codes": [p.package_code for p in packages],
        "activated_packages": [p.package_code for p in packages
                               if p.activated_at is not None],
        "status": shown_status(registration),
        "decided_by": registration.decided_by,
        "decided_at": _iso(registration.decided_at),
        "reason": registration.reason,
        "activated_at": _iso(registration.activated_at),
        "source": registration.source, "source_file": registration.source_file,
        "sheet": registration.sheet, "row_number": registration.row_number,
        "imported_by": registration.imported_by,
        "imported_at": _iso(registration.imported_at),
    }


def shown_status(registration: Registration) -> str:
    """pending, approved, rejected, or activated once every package is on."""
    if registration.activated_at is not None:
        return "activated"
    return registration.status


def import_view(imported: Import, *, progress: dict | None,
                batch: dict | None) -> dict:
    """An upload with its check state, progress and batch."""
    return {
        "id": str(imported.id), "school_code": imported.school_code,
        "file_name": imported.file_name, "sheets": imported.sheets,
        "uploaded_by": imported.uploaded_by,
        "uploaded_at": imported.uploaded_at.isoformat(),
        "status": imported.status, "sheet": imported.sheet,
        "school_year": imported.school_year, "source": imported.source,
        "mapping": imported.mapping, "headers": imported.headers,
        "counts": imported.counts or zero_counts(),
        "already_registered": imported.already_registered or 0,
        "progress": progress,
        "error": _error(imported), "checked_at": _iso(imported.checked_at),
        "batch": batch,
    }


def zero_counts() -> dict:
    """Counts of a check that has not finished."""
    return {"valid": 0, "invalid": 0, "skipped": 0, "superseded": 0}


def _error(imported: Import) -> dict | None:
    if not imported.error_code:
        return None
    return {"code": imported.error_code, "message": imported.error_message}


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None
