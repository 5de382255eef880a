"""The local run's database: the same flows on SQLite."""

from __future__ import annotations

import io

import openpyxl
import pytest
from hoclieu_shared.events import RegistrationApproved
from hoclieu_shared.testing.events import envelope, produce, wait_until
from hoclieu_shared.testing.samples import SAMPLE_SCHOOL
from hoclieu_shared.testing.service import (
    bearer,
    running,
    test_settings,
    unique_prefix,
)

from activation_service.main import create_app
from activation_service.settings import ActivationSettings

SAMPLE = SAMPLE_SCHOOL
SCHOOL = "THCS-NGUYENDU"
YEAR = "2025-2026"

pytestmark = pytest.mark.skipif(not SAMPLE.exists(),
                                reason="the sample school is not beside the repo")


@pytest.fixture(scope="module")
def local(broker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("sqlite")
    settings = test_settings(
        ActivationSettings, database_url=f"sqlite:///{folder / 'activation.db'}",
        broker=broker, prefix=unique_prefix(), password_hash_memory_kib=4096,
        password_hash_time_cost=1)
    with running(create_app, settings) as client:
        yield client, settings


def test_sample_school_on_sqlite(local):
    client, settings = local
    operator = bearer(settings, "misa_operator")
    admin = bearer(settings, "school_admin", SCHOOL)
    client.post("/api/v1/schools", headers=operator,
                json={"code": SCHOOL, "name": "Trường THCS Nguyễn Du"})
    client.put("/api/v1/packages/TA6-NC", headers=operator, json={
        "name": "Tiếng Anh 6 nâng cao", "school_year": YEAR, "grades": [6],
        "price": 150000, "courses": ["Ngữ pháp tiếng Anh 6"]})

    first = _upload(client, admin)
    again = _upload(client, admin)
    slips = client.post(f"/api/v1/schools/{SCHOOL}/accounts", headers=admin,
                        json={"class_name": "6A1"})
    activated = client.put(
        f"/api/v1/schools/{SCHOOL}/students/0160000001/packages", headers=admin,
        json={"package_codes": ["TA6-NC"], "parent_phone": "+84 912 345 678"})

    assert (first["created"], again["unchanged"]) == (1051, 1051)
    book = openpyxl.load_workbook(io.BytesIO(slips.content))
    assert book.sheetnames == ["6A1"]
    body = activated.json()
    assert body["activated"] == ["TA6-NC"] and body["parent_phone"] == "0912345678"


async def test_approval_activates_on_sqlite(local):
    client, settings = local
    admin = bearer(settings, "school_admin", SCHOOL)
    approved = envelope(RegistrationApproved(
        registration_id="00000000-0000-4000-8000-000000000001",
        batch_id="00000000-0000-4000-8000-000000000002", school_year=YEAR,
        student_code="0117000002", package_codes=["TA6-NC"],
        approved_by="auto"), SCHOOL)

    await produce(settings.kafka_bootstrap_servers, settings.topic_prefix,
                  approved, approved)
    student = await wait_until(lambda: _active(client, admin, "0117000002"),
                               timeout=30)

    assert student["packages"] == ["TA6-NC"]
    assert student["account"]["status"] == "active"


async def _active(client, admin, code):
    found = client.get(f"/api/v1/schools/{SCHOOL}/students/{code}",
                       headers=admin).json()
    return found if found["packages"] else None


def _upload(client, admin) -> dict:
    with (SAMPLE / "roster.xlsx").open("rb") as handle:
        answer = client.post(f"/api/v1/schools/{SCHOOL}/roster", headers=admin,
                             files={"file": ("roster.xlsx", handle)})
    assert answer.status_code == 200, answer.text
    return answer.json()
