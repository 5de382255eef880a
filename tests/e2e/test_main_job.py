"""The whole loop on the sample school, every service its own process."""

import asyncio
import importlib.util
import io
import json
import sys
from pathlib import Path

import openpyxl
import pytest
from aiokafka import AIOKafkaConsumer

from hoclieu_shared.events import ALL_TOPICS

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from main_job import MainJob  # noqa: E402

pytestmark = pytest.mark.e2e

_spec = importlib.util.spec_from_file_location(
    "schema_check", Path(__file__).resolve().parents[1] / "deploy" / "schema_check.py")
schema_check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(schema_check)

# From the sample school's roster.xlsx: 1,051 students in 28 classes (6A1 to
# 9A7, seven classes per grade).
ROSTER_STUDENTS = 1051
ROSTER_CLASSES = 28


@pytest.fixture(scope="module")
def job(local_system):
    # Its own school code: the browser test walks the sample school too.
    job = MainJob(local_system.url, school_code="E2E-NGUYENDU")
    job.run()
    return job


def visible_sheets(content: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [ws.title for ws in book.worksheets if ws.sheet_state == "visible"]


def test_roster_gives_every_student_of_the_sample_school(job):
    assert job.report.figures["students"] == ROSTER_STUDENTS


def test_templates_have_a_sheet_per_class_or_one_for_the_school(job):
    assert len(visible_sheets(job.files["per-class"])) == ROSTER_CLASSES
    assert len(visible_sheets(job.files["single-sheet"])) == 1


def test_slips_cover_every_class(job):
    assert len(visible_sheets(job.files["slips"])) == ROSTER_CLASSES


def test_check_counts_add_up_to_the_rows_read(job):
    f = job.report.figures
    assert f["valid"] > 0 and f["invalid"] > 0
    assert f["valid"] + f["invalid"] + f["skipped"] + f["superseded"] == f["rows read"]


def test_every_valid_row_is_committed_approved_activated_and_notified(job):
    f = job.report.figures
    assert f["committed"] == f["valid"]
    assert job.batch_counts["approved"] == f["valid"]
    assert f["activated"] == f["valid"]
    assert f["students notified"] == f["valid"]


def test_one_correlation_id_runs_through_every_service_log(job, local_system):
    wanted = job.report.correlation_id
    logs = {p.stem: p.read_text("utf-8", "replace")
            for p in Path(local_system.log_dir).glob("*.log")}
    carrying = sorted(name for name, text in logs.items() if wanted in text)
    # The approval's id: the portal forwards it, the import-service publishes
    # RegistrationApproved with it, the activation-service activates (and
    # updates parents, which the template-service's read model applies), and
    # the notification-service notifies.
    assert carrying == ["activation", "import", "notification", "portal",
                        "template"]


def test_every_event_on_the_broker_fits_its_published_schema(job, local_system):
    seen = asyncio.run(_all_events(local_system))

    for message in seen:
        schema_check.validate_envelope(json.loads(message))
    types = {json.loads(m)["type"] for m in seen}
    assert {"SchoolUpdated", "PackageCatalogUpdated", "StudentAccountUpdated",
            "RegistrationImported", "RegistrationApproved", "PackageActivated",
            } <= types


async def _all_events(system) -> list[bytes]:
    consumer = AIOKafkaConsumer(
        *[system.topic_prefix + name for name in ALL_TOPICS],
        bootstrap_servers=system.kafka_bootstrap, group_id=None,
        auto_offset_reset="earliest")
    await consumer.start()
    values: list[bytes] = []
    try:
        while batch := await consumer.getmany(timeout_ms=3000):
            values += [m.value for msgs in batch.values() for m in msgs]
    finally:
        await consumer.stop()
    return values


def test_the_downloaded_template_comes_back_recognised_without_mapping(job, tmp_path):
    blank = tmp_path / "mau-dang-ky.xlsx"
    blank.write_bytes(job.files["per-class"])
    upload = job.api.upload(f"/api/v1/schools/{job.code}/imports", job.admin, blank)

    first = upload["sheets"][0]
    answer = job.api.call("POST", f"/api/v1/imports/{upload['id']}/check",
                          job.admin, json={"sheet": first["name"]})

    assert len(upload["sheets"]) == ROSTER_CLASSES
    assert answer["status"] == "checked"
    assert answer["mapping"]["kind"] == "template"
    # Nobody ticked anything on the blank list: every student is skipped.
    assert answer["counts"]["valid"] == answer["counts"]["invalid"] == 0
    students = job.api.call("GET", f"/api/v1/schools/{job.code}/students"
                            f"?class={first['name']}&limit=1", job.admin)
    assert answer["counts"]["skipped"] == students["total"]
