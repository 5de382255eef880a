"""Class names typed in queries and bodies, read the way the roster reads them."""

from __future__ import annotations

from hoclieu_shared.errors import AppError
from hoclieu_shared.vn.classes import normalize_class_name
from hoclieu_shared.vn.errors import VnValueError


def class_filter(raw: str | None) -> str | None:
    """The canonical class name ("lớp 6a1" is 6A1), or None for all classes."""
    if raw is None or not raw.strip():
        return None
    try:
        return normalize_class_name(raw)
    except VnValueError as error:
        raise AppError(error.code, error.message, status=422) from None
