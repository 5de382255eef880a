"""Check an event envelope against the JSON Schema committed in docs/events/.

    validate_envelope(json.loads(message.value))

raises jsonschema.ValidationError when the envelope does not match the schema
of its `type`, and KeyError when no schema exists for that type. The schemas
are read from docs/events/schemas/, so what is checked is what other services
were promised, not what the code happens to produce today.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker

SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "events" / "schemas"
RFC3339_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# jsonschema checks "uuid" by itself; without optional packages it would let
# any string pass as a date or a date-time.
FORMATS = FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return bool(RFC3339_DATE_TIME.fullmatch(value)) and bool(
        datetime.fromisoformat(value))


@FORMATS.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return bool(ISO_DATE.fullmatch(value)) and bool(date.fromisoformat(value))


@cache
def validator(event_type: str, schemas: Path = SCHEMAS) -> Draft202012Validator:
    """The validator of one event type's committed schema."""
    path = schemas / f"{event_type}.json"
    if not path.is_file():
        raise KeyError(f"no schema for event type {event_type!r} in {schemas}")
    schema = json.loads(path.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=FORMATS)


def validate_envelope(envelope: dict, schemas: Path = SCHEMAS) -> None:
    """Raise jsonschema.ValidationError unless the envelope fits its schema."""
    validator(str(envelope.get("type")), schemas).validate(envelope)
