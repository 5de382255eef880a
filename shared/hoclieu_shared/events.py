"""The events of Học liệu: topics, the envelope, and one frozen model per event.

Topic names are the event names (DESIGN.md §3); they are spelled out here and
never derived from a class name.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

REGISTRATION_IMPORTED = "RegistrationImported"
REGISTRATION_APPROVED = "RegistrationApproved"
REGISTRATION_REJECTED = "RegistrationRejected"
PACKAGE_ACTIVATED = "PackageActivated"
STUDENT_ACCOUNT_UPDATED = "StudentAccountUpdated"
PACKAGE_CATALOG_UPDATED = "PackageCatalogUpdated"
SCHOOL_UPDATED = "SchoolUpdated"
NOTIFICATION_DELIVERED = "NotificationDelivered"

ALL_TOPICS = (
    REGISTRATION_IMPORTED,
    REGISTRATION_APPROVED,
    REGISTRATION_REJECTED,
    PACKAGE_ACTIVATED,
    STUDENT_ACCOUNT_UPDATED,
    PACKAGE_CATALOG_UPDATED,
    SCHOOL_UPDATED,
    NOTIFICATION_DELIVERED,
)
DLQ_SUFFIX = ".DLQ"

RegistrationSource = Literal["template", "google-form", "retyped", "manual"]


class EventBody(BaseModel):
    """The data of one event; subclasses name their topic and version."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    TOPIC: ClassVar[str]
    VERSION: ClassVar[int] = 1

    def partition_key(self, school_code: str | None) -> str:
        """Events of one student share a key so they stay in order."""
        student = getattr(self, "student_code", None)
        return f"{school_code or '-'}:{student or '-'}"


class RegistrationImported(EventBody):
    """A student's package choice was committed from an import."""

    TOPIC: ClassVar[str] = REGISTRATION_IMPORTED

    registration_id: uuid.UUID
    batch_id: uuid.UUID
    school_year: str
    student_code: str
    class_name: str
    full_name: str
    parent_name: str | None = None
    parent_phone: str | None = Field(None, pattern=r"^0\d{9}$")
    package_codes: list[str] = Field(min_length=1)
    source: RegistrationSource
    source_file: str
    sheet: str | None = None
    row_number: int
    imported_by: str


class RegistrationApproved(EventBody):
    """The vendor (or the school's contract) approved a registration."""

    TOPIC: ClassVar[str] = REGISTRATION_APPROVED

    registration_id: uuid.UUID
    batch_id: uuid.UUID
    school_year: str
    student_code: str
    parent_name: str | None = None
    parent_phone: str | None = Field(None, pattern=r"^0\d{9}$")
    package_codes: list[str] = Field(min_length=1)
    approved_by: str


class RegistrationRejected(EventBody):
    """The vendor rejected a registration, with the reason."""

    TOPIC: ClassVar[str] = REGISTRATION_REJECTED

    registration_id: uuid.UUID
    batch_id: uuid.UUID
    school_year: str
    student_code: str
    package_codes: list[str]
    rejected_by: str
    reason: str


class PackageActivated(EventBody):
    """A package was switched on in a student's review account."""

    TOPIC: ClassVar[str] = PACKAGE_ACTIVATED

    activation_id: uuid.UUID
    student_code: str
    account_id: uuid.UUID
    username: str | None = None
    school_year: str
    package_code: str
    package_name: str
    courses: list[str]
    activated_by: str
    via: Literal["manual", "import"]
    registration_id: uuid.UUID | None = None
    activated_at: datetime


class StudentAccountUpdated(EventBody):
    """A student or their review account was created, changed or deleted."""

    TOPIC: ClassVar[str] = STUDENT_ACCOUNT_UPDATED

    student_code: str
    full_name: str
    date_of_birth: date | None = None
    gender: str | None = None
    class_name: str
    grade: int | None = None
    account_status: Literal["none", "active", "locked"]
    username: str | None = None
    parent_name: str | None = None
    parent_phone: str | None = Field(None, pattern=r"^0\d{9}$")
    deleted: bool = False


class PackageCatalogUpdated(EventBody):
    """A package of the catalogue was created or changed."""

    TOPIC: ClassVar[str] = PACKAGE_CATALOG_UPDATED

    code: str
    name: str
    school_year: str
    grades: list[int]
    price: int = Field(ge=0)
    courses: list[str]
    on_sale: bool

    def partition_key(self, school_code: str | None) -> str:
        return f"catalog:{self.code}"


class SchoolUpdated(EventBody):
    """A school was created or its settings changed."""

    TOPIC: ClassVar[str] = SCHOOL_UPDATED

    code: str
    name: str
    province: str | None = None
    auto_approve: bool

    def partition_key(self, school_code: str | None) -> str:
        return f"{self.code}:-"


class NotificationDelivered(EventBody):
    """A notification reached an open session of the student, or was read."""

    TOPIC: ClassVar[str] = NOTIFICATION_DELIVERED

    notification_id: uuid.UUID
    student_code: str
    activation_ids: list[uuid.UUID]
    package_codes: list[str]
    channel: Literal["live", "inbox"]
    delivered_at: datetime
    seconds_since_activation: float | None = None


EVENT_TYPES: dict[str, type[EventBody]] = {
    cls.TOPIC: cls
    for cls in (
        RegistrationImported,
        RegistrationApproved,
        RegistrationRejected,
        PackageActivated,
        StudentAccountUpdated,
        PackageCatalogUpdated,
        SchoolUpdated,
        NotificationDelivered,
    )
}


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


class Envelope(BaseModel):
    """The JSON wrapper every message travels in (DESIGN.md §3)."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    type: str
    version: int = Field(1, ge=1)
    occurred_at: datetime = Field(default_factory=utcnow)
    source: str
    school_code: str | None = None
    correlation_id: str
    data: dict[str, Any]

    @classmethod
    def wrap(
        cls,
        body: EventBody,
        *,
        source: str,
        school_code: str | None,
        correlation_id: str,
    ) -> Envelope:
        """Put an event body into a new envelope with a fresh id."""
        return cls(
            type=body.TOPIC,
            version=body.VERSION,
            source=source,
            school_code=school_code,
            correlation_id=correlation_id,
            data=body.model_dump(mode="json"),
        )

    def body(self) -> EventBody:
        """The typed event body; raises ValueError for unknown or bad data."""
        model = EVENT_TYPES.get(self.type)
        if model is None:
            raise ValueError(f"unknown event type {self.type!r}")
        return model.model_validate(self.data)

    def key(self) -> str:
        """The Kafka message key: <school_code>:<student_code>."""
        return self.body().partition_key(self.school_code)

    def to_bytes(self) -> bytes:
        """The UTF-8 JSON message value."""
        return self.model_dump_json().encode("utf-8")

    @classmethod
    def from_bytes(cls, raw: bytes) -> Envelope:
        """Parse a message value; raises pydantic.ValidationError when bad."""
        return cls.model_validate_json(raw)

    def headers(self) -> list[tuple[str, bytes]]:
        """Kafka headers: type, version and correlation id."""
        return [
            ("type", self.type.encode()),
            ("version", str(self.version).encode()),
            ("correlation_id", self.correlation_id.encode()),
        ]


def envelope_json_schema() -> dict[str, Any]:
    """JSON Schema of the envelope (data left open)."""
    return Envelope.model_json_schema()


def event_json_schema(event_type: str) -> dict[str, Any]:
    """JSON Schema of one event: the envelope with its typed body."""
    body = EVENT_TYPES[event_type]
    schema = Envelope.model_json_schema()
    body_schema = body.model_json_schema()
    defs = {**schema.pop("$defs", {}), **body_schema.pop("$defs", {})}
    schema["title"] = event_type
    schema["description"] = (body.__doc__ or "").strip()
    schema["properties"]["type"] = {"const": event_type, "type": "string"}
    schema["properties"]["version"] = {"const": body.VERSION, "type": "integer"}
    schema["properties"]["data"] = body_schema
    schema["required"] = sorted(
        {"id", "type", "version", "occurred_at", "source", "correlation_id", "data"}
    )
    if defs:
        schema["$defs"] = defs
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
