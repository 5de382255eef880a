"""Which form field an API error is about, so the page shows it there."""

from __future__ import annotations

from hoclieu_shared.errors import AppError

FIELDS = ("parent_name", "parent_phone", "package_codes")
# Codes the services use, by the field they concern; a word in the code is
# the fallback (e.g. "invalid_phone" -> parent_phone).
_HINTS = {"phone": "parent_phone", "parent": "parent_name",
          "package": "package_codes", "name": "parent_name"}


def field_errors(error: AppError | None) -> dict[str, str]:
    """Field name -> the Vietnamese message to show beside it."""
    if error is None:
        return {}
    named = _from_details(error.details, error.message)
    if named:
        return named
    for hint, field in _HINTS.items():
        if hint in error.code:
            return {field: _with_details(error)}
    return {}


def _with_details(error: AppError) -> str:
    """The message, followed by each detail's own message when there are some."""
    entries = error.details if isinstance(error.details, list) else []
    said = [str(e["message"]) for e in entries
            if isinstance(e, dict) and e.get("message")]
    return " ".join([error.message, *said])


def _from_details(details, message: str) -> dict[str, str]:
    entries = details if isinstance(details, list) else [details]
    found = {}
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        field = _known(entry.get("field"))
        if field:
            found[field] = entry.get("message") or message
    return found


def _known(name) -> str | None:
    if not isinstance(name, str):
        return None
    for field in FIELDS:
        if name == field or name.endswith("." + field):
            return field
    return None
