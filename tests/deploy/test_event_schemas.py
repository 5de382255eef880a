"""docs/events/schemas: current with the shared models, and what events obey."""

from __future__ import annotations

import importlib.util
import json
import shutil
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import jsonschema
import pytest
from hoclieu_shared import events
from hoclieu_shared.events import Envelope

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "docs" / "events" / "schemas"
GENERATOR = ROOT / "scripts" / "generate_event_docs.py"
AT = datetime(2025, 9, 8, 7, 30, tzinfo=UTC)
SCHOOL = "THCS-NGUYEN-DU"

# One body of every event, as the services build them.
EXAMPLES = {
    events.REGISTRATION_IMPORTED: events.RegistrationImported(
        registration_id=uuid.uuid4(), batch_id=uuid.uuid4(),
        school_year="2025-2026", student_code="HS0001", class_name="6A1",
        full_name="Nguyễn Văn An", parent_name="Nguyễn Thị Bình",
        parent_phone="0912345678", package_codes=["TA6-NC", "TOAN6"],
        source="template", source_file="dang-ky-6A1.xlsx", sheet="6A1",
        row_number=7, imported_by="it-officer@thcs-nguyen-du"),
    events.REGISTRATION_APPROVED: events.RegistrationApproved(
        registration_id=uuid.uuid4(), batch_id=uuid.uuid4(),
        school_year="2025-2026", student_code="HS0001",
        parent_phone="0912345678", package_codes=["TA6-NC"], approved_by="auto"),
    events.REGISTRATION_REJECTED: events.RegistrationRejected(
        registration_id=uuid.uuid4(), batch_id=uuid.uuid4(),
        school_year="2025-2026", student_code="HS0002", package_codes=["TOAN6"],
        rejected_by="operator-1", reason="Gói không còn bán cho khối 6"),
    events.PACKAGE_ACTIVATED: events.PackageActivated(
        activation_id=uuid.uuid4(), student_code="HS0001",
        account_id=uuid.uuid4(), username="hs0001.ngd", school_year="2025-2026",
        package_code="TA6-NC", package_name="Tiếng Anh 6 nâng cao",
        courses=["Unit 1", "Unit 2"], activated_by="auto", via="import",
        registration_id=uuid.uuid4(), activated_at=AT),
    events.STUDENT_ACCOUNT_UPDATED: events.StudentAccountUpdated(
        student_code="HS0001", full_name="Nguyễn Văn An",
        date_of_birth=date(2014, 3, 2), gender="Nam", class_name="6A1", grade=6,
        account_status="active", username="hs0001.ngd",
        parent_name="Nguyễn Thị Bình", parent_phone="0912345678"),
    events.PACKAGE_CATALOG_UPDATED: events.PackageCatalogUpdated(
        code="TA6-NC", name="Tiếng Anh 6 nâng cao", school_year="2025-2026",
        grades=[6], price=350000, courses=["Unit 1", "Unit 2"], on_sale=True),
    events.SCHOOL_UPDATED: events.SchoolUpdated(
        code=SCHOOL, name="Trường THCS Nguyễn Du", province="Hà Nội",
        auto_approve=False),
    events.NOTIFICATION_DELIVERED: events.NotificationDelivered(
        notification_id=uuid.uuid4(), student_code="HS0001",
        activation_ids=[uuid.uuid4()], package_codes=["TA6-NC"], channel="live",
        delivered_at=AT, seconds_since_activation=0.8),
}


def _generator():
    spec = importlib.util.spec_from_file_location("generate_event_docs", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _envelope(event_type: str) -> dict:
    envelope = Envelope.wrap(EXAMPLES[event_type], source="test",
                             school_code=SCHOOL, correlation_id="corr-1")
    return json.loads(envelope.to_bytes())


def test_committed_schemas_match_the_shared_models():
    generator = _generator()

    stale = generator.stale_files(SCHEMAS.parent, generator.render())

    assert stale == [], (
        f"not current: {stale}; run python scripts/generate_event_docs.py")


def test_schema_check_reports_a_stale_copy(tmp_path):
    generator = _generator()
    copy = tmp_path / "events"
    shutil.copytree(SCHEMAS.parent, copy)
    schema_file = copy / "schemas" / f"{events.PACKAGE_ACTIVATED}.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    del schema["properties"]["data"]["properties"]["courses"]
    schema_file.write_text(json.dumps(schema, indent=2), encoding="utf-8")

    exit_code = generator.main(["--check", "--out", str(copy)])

    assert exit_code == 1


def test_every_event_type_has_a_schema_and_an_example():
    committed = {path.stem for path in SCHEMAS.glob("*.json")}

    assert committed == set(events.EVENT_TYPES)
    assert set(EXAMPLES) == set(events.EVENT_TYPES), (
        "add an example body of the new event to EXAMPLES")


@pytest.mark.parametrize("event_type", sorted(events.EVENT_TYPES))
def test_committed_schema_is_valid_json_schema(event_type):
    schema = json.loads((SCHEMAS / f"{event_type}.json").read_text("utf-8"))

    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_check_rejects_a_broken_schema():
    schema = json.loads(
        (SCHEMAS / f"{events.SCHOOL_UPDATED}.json").read_text("utf-8"))
    schema["properties"]["data"]["properties"]["code"]["type"] = "strng"

    with pytest.raises(jsonschema.SchemaError):
        jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("event_type", sorted(events.EVENT_TYPES))
def test_published_envelope_validates_against_its_schema(
        event_type, validate_envelope):
    envelope = _envelope(event_type)

    validate_envelope(envelope)


@pytest.mark.parametrize(("event_type", "field", "value"), [
    (events.REGISTRATION_IMPORTED, "parent_phone", "+84 912 345 678"),
    (events.REGISTRATION_IMPORTED, "package_codes", []),
    (events.PACKAGE_ACTIVATED, "via", "email"),
    (events.PACKAGE_ACTIVATED, "account_id", "not-a-uuid"),
    (events.PACKAGE_ACTIVATED, "activated_at", "08/09/2025 07:30"),
    (events.STUDENT_ACCOUNT_UPDATED, "date_of_birth", "02/03/2014"),
    (events.PACKAGE_CATALOG_UPDATED, "price", -1),
    (events.SCHOOL_UPDATED, "unexpected", True),
])
def test_envelope_with_a_bad_body_is_rejected(
        event_type, field, value, validate_envelope):
    envelope = _envelope(event_type)
    envelope["data"][field] = value

    with pytest.raises(jsonschema.ValidationError):
        validate_envelope(envelope)


@pytest.mark.parametrize(("field", "value"), [
    ("id", "42"), ("version", 2), ("type", events.SCHOOL_UPDATED),
    ("occurred_at", "2025-09-08T07:30:00"), ("correlation_id", None),
])
def test_envelope_with_a_bad_header_field_is_rejected(
        field, value, validate_envelope):
    envelope = _envelope(events.PACKAGE_ACTIVATED)
    envelope[field] = value

    with pytest.raises((jsonschema.ValidationError, KeyError)):
        validate_envelope(envelope)


def test_envelope_without_required_field_is_rejected(validate_envelope):
    envelope = _envelope(events.REGISTRATION_APPROVED)
    del envelope["data"]["approved_by"]

    with pytest.raises(jsonschema.ValidationError):
        validate_envelope(envelope)


def test_envelope_of_an_unknown_type_is_rejected(validate_envelope):
    envelope = _envelope(events.SCHOOL_UPDATED) | {"type": "SchoolDeleted"}

    with pytest.raises(KeyError):
        validate_envelope(envelope)
