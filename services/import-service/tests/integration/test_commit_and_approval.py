"""Commit, approval, activation and tenant rules, through the HTTP API."""

from __future__ import annotations

import asyncio
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from hoclieu_shared.db import Database
from hoclieu_shared.events import (
    REGISTRATION_APPROVED,
    REGISTRATION_IMPORTED,
    REGISTRATION_REJECTED,
    PackageActivated,
    SchoolUpdated,
)
from hoclieu_shared.settings import to_async_url
from hoclieu_shared.testing.events import envelope, produce, wait_until
from hoclieu_shared.testing.service import bearer

from import_service.adapters import read_model
from import_service.adapters.tables import Student
from import_service.application import context as school_context


def committed(client, settings, seed, school, count=3, **options):
    """Seed a school and a checked import of `count` students, then commit."""
    students = seed.fake_students(count, prefix=school[-4:])
    seed.seed_school(settings.database_url, school, students=students,
                     auto_approve=options.pop("auto_approve", False))
    import_id = seed.seed_checked_import(settings.database_url, school,
                                         students, **options)
    answer = client.post(f"/api/v1/imports/{import_id}/commit",
                         headers=bearer(settings, "school_admin", school))
    assert answer.status_code == 200, answer.text
    return import_id, answer.json()


def events(settings, seed, topic, batch_id, want, **options):
    return asyncio.run(seed.read_events(
        settings.kafka_bootstrap_servers, settings.topic(topic), want,
        match=seed.of_batch(batch_id), **options))


def test_commit_creates_a_registration_per_valid_row_once(client, settings,
                                                          seed, school):
    admin = bearer(settings, "school_admin", school)
    import_id, first = committed(client, settings, seed, school, count=4)

    again = client.post(f"/api/v1/imports/{import_id}/commit", headers=admin)
    state = client.get(f"/api/v1/imports/{import_id}", headers=admin).json()
    published = events(settings, seed, REGISTRATION_IMPORTED,
                       first["batch_id"], 4)

    assert first["counts"]["imported"] == 4
    assert again.json() == {"batch_id": first["batch_id"], "counts": {
        "imported": 0, "already_registered": 4, "approved": 0}}
    assert state["batch"]["counts"] == {"imported": 4, "pending": 4,
                                        "approved": 0, "rejected": 0,
                                        "activated": 0}
    assert len(published) == 4
    assert len({e.data["registration_id"] for e in published}) == 4
    assert all(e.data["package_codes"] == ["KNS"] for e in published)
    assert all(e.body().batch_id == uuid.UUID(first["batch_id"])
               for e in published)


def test_committing_the_same_rows_from_a_new_upload_adds_nothing(
        client, settings, seed, school):
    admin = bearer(settings, "school_admin", school)
    students = seed.fake_students(3, prefix=school[-4:])
    _, first = committed(client, settings, seed, school, count=3)
    same = seed.seed_checked_import(settings.database_url, school, students)
    more = seed.seed_checked_import(settings.database_url, school, students,
                                    packages=("KNS", "STEM-KHTN"))

    again = client.post(f"/api/v1/imports/{same}/commit", headers=admin)
    extra = client.post(f"/api/v1/imports/{more}/commit", headers=admin).json()
    batch = client.get(f"/api/v1/batches/{extra['batch_id']}",
                       headers=bearer(settings, "misa_operator")).json()
    history = client.get(f"/api/v1/schools/{school}/batches",
                         headers=admin).json()

    assert (again.status_code, again.json()["error"]["code"]) == (
        409, "nothing_to_commit")
    message = again.json()["error"]["message"]
    assert "cả 3 dòng hợp lệ" in message and "«dang-ky.xlsx»" in message
    assert again.json()["error"]["details"]["batches"][0]["id"] == (
        first["batch_id"])
    assert extra["counts"]["imported"] == 3
    assert history["total"] == 2
    codes = {tuple(r["package_codes"]) for r in batch["registrations"]["items"]}
    assert codes == {("STEM-KHTN",)}


def test_approving_a_batch_publishes_one_event_per_registration(
        client, settings, seed, school):
    operator = bearer(settings, "misa_operator")
    _, commit = committed(client, settings, seed, school, count=5)
    batch_id = commit["batch_id"]
    queue = client.get(f"/api/v1/approvals?status=pending&school={school}",
                       headers=operator).json()

    approved = client.post(f"/api/v1/approvals/{batch_id}/approve",
                           headers=operator, json={})
    twice = client.post(f"/api/v1/approvals/{batch_id}/approve",
                        headers=operator)
    published = events(settings, seed, REGISTRATION_APPROVED, batch_id, 5)

    assert [item["id"] for item in queue["items"]] == [batch_id]
    assert queue["total"] == 1
    assert approved.status_code == 200 and approved.json()["approved"] == 5
    assert twice.status_code == 409
    assert twice.json()["error"]["code"] == "already_decided"
    assert len(published) == 5
    assert {e.data["approved_by"] for e in published} == {"test:misa_operator"}
    assert all(e.data["parent_phone"] == "0912345678" for e in published)


def test_concurrent_approvals_give_one_set_of_events(client, settings, seed,
                                                     school):
    operator = bearer(settings, "misa_operator")
    _, commit = committed(client, settings, seed, school, count=300)
    url = f"/api/v1/approvals/{commit['batch_id']}/approve"

    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda _: client.post(url, headers=operator),
                                range(2)))
    published = events(settings, seed, REGISTRATION_APPROVED,
                       commit["batch_id"], 300, linger=2.0)

    assert sorted(a.status_code for a in answers) == [200, 409]
    assert len(published) == 300
    assert len({e.data["registration_id"] for e in published}) == 300


def test_auto_approving_school_is_approved_at_commit(client, settings, seed,
                                                     school):
    admin = bearer(settings, "school_admin", school)
    import_id, commit = committed(client, settings, seed, school, count=3,
                                  auto_approve=True)

    state = client.get(f"/api/v1/imports/{import_id}", headers=admin).json()
    published = events(settings, seed, REGISTRATION_APPROVED,
                       commit["batch_id"], 3)

    assert commit["counts"]["approved"] == 3
    assert state["batch"]["counts"]["approved"] == 3
    assert {e.data["approved_by"] for e in published} == {"auto"}


def test_rejecting_part_of_a_batch_leaves_the_rest_pending(client, settings,
                                                           seed, school):
    operator = bearer(settings, "misa_operator")
    _, commit = committed(client, settings, seed, school, count=3)
    batch_id = commit["batch_id"]
    batch = client.get(f"/api/v1/batches/{batch_id}", headers=operator).json()
    first = batch["registrations"]["items"][0]["id"]

    rejected = client.post(f"/api/v1/approvals/{batch_id}/reject", headers=operator,
                           json={"reason": "Sai số điện thoại",
                                 "registration_ids": [first]})
    published = events(settings, seed, REGISTRATION_REJECTED, batch_id, 1)

    assert rejected.json()["rejected"] == 1
    assert rejected.json()["counts"]["pending"] == 2
    assert [e.data["registration_id"] for e in published] == [first]
    assert published[0].data["reason"] == "Sai số điện thoại"


def test_rejected_choice_can_be_imported_again(client, settings, seed, school):
    operator = bearer(settings, "misa_operator")
    students = seed.fake_students(2, prefix=school[-4:])
    _, commit = committed(client, settings, seed, school, count=2)
    client.post(f"/api/v1/approvals/{commit['batch_id']}/reject",
                headers=operator, json={"reason": "Phụ huynh chưa ký"})
    fixed = seed.seed_checked_import(settings.database_url, school, students)

    answer = client.post(f"/api/v1/imports/{fixed}/commit",
                         headers=bearer(settings, "school_admin", school))

    assert answer.json()["counts"]["imported"] == 2


def test_package_activation_marks_the_registration_activated(
        client, settings, seed, school):
    operator = bearer(settings, "misa_operator")
    admin = bearer(settings, "school_admin", school)
    import_id, commit = committed(client, settings, seed, school, count=2)
    client.post(f"/api/v1/approvals/{commit['batch_id']}/approve",
                headers=operator)
    batch = client.get(f"/api/v1/batches/{commit['batch_id']}",
                       headers=operator).json()
    activations = [_activation(school, r) for r in
                   batch["registrations"]["items"]]

    asyncio.run(produce(settings.kafka_bootstrap_servers, settings.topic_prefix,
                        *activations))

    def activated():
        state = client.get(f"/api/v1/imports/{import_id}", headers=admin).json()
        return state["batch"]["counts"]["activated"] == 2

    asyncio.run(wait_until(_async(activated), timeout=30))
    listed = client.get(f"/api/v1/schools/{school}/batches", headers=admin).json()
    shown = client.get(f"/api/v1/batches/{commit['batch_id']}?status=activated",
                       headers=admin).json()["registrations"]
    assert listed["items"][0]["counts"]["activated"] == 2
    assert listed["items"][0]["counts"]["approved"] == 2
    assert shown["total"] == 2
    assert {r["status"] for r in shown["items"]} == {"activated"}


def _activation(school: str, registration: dict):
    return envelope(PackageActivated(
        activation_id=uuid.uuid4(), student_code=registration["student_code"],
        account_id=uuid.uuid4(), school_year="2025-2026", package_code="KNS",
        package_name="Kỹ năng sống", courses=["Kỹ năng sống THCS"],
        activated_by="auto", via="import",
        registration_id=uuid.UUID(registration["id"]),
        activated_at=datetime.now(UTC)), school_code=school)


def _async(check):
    async def poll():
        return await asyncio.to_thread(check)
    return poll


def test_school_admin_sees_only_its_own_school(client, settings, seed, school):
    stranger = bearer(settings, "school_admin", "OTHER-SCHOOL")
    admin = bearer(settings, "school_admin", school)
    import_id, commit = committed(client, settings, seed, school, count=1)
    batch_id = commit["batch_id"]

    refused = [
        client.get(f"/api/v1/imports/{import_id}", headers=stranger),
        client.get(f"/api/v1/imports/{import_id}/rows", headers=stranger),
        client.post(f"/api/v1/imports/{import_id}/commit", headers=stranger),
        client.get(f"/api/v1/schools/{school}/batches", headers=stranger),
        client.get(f"/api/v1/batches/{batch_id}", headers=stranger),
        client.get("/api/v1/approvals", headers=admin),
        client.post(f"/api/v1/approvals/{batch_id}/approve", headers=admin),
        client.post(f"/api/v1/approvals/{batch_id}/reject", headers=admin,
                    json={"reason": "x"}),
    ]

    assert [r.status_code for r in refused] == [403] * len(refused)
    assert client.get(f"/api/v1/batches/{batch_id}").status_code == 401


def test_events_of_other_services_feed_the_read_model(client, settings, seed,
                                                      school):
    students = seed.fake_students(2, prefix=school[-4:])
    gone = students[1].model_copy(update={"deleted": True})
    school_event = SchoolUpdated(code=school, name="Trường thử",
                                 auto_approve=True)
    published = [envelope(school_event, school_code=school),
                 *[envelope(p) for p in seed.catalogue()],
                 *[envelope(s, school_code=school) for s in [*students, gone]]]

    asyncio.run(produce(settings.kafka_bootstrap_servers, settings.topic_prefix,
                        *published))
    context = asyncio.run(wait_until(
        lambda: _context_once_known(settings.database_url, school, gone),
        timeout=30))

    assert [s.code for s in context.students] == [students[0].student_code]
    assert "KNS" in {p.code for p in context.packages}
    assert context.school_year == "2025-2026"


async def _context_once_known(database_url, school, gone):
    db = Database(to_async_url(database_url))
    try:
        async with db.session() as session:
            known = await read_model.find_school(session, school)
            deleted = await session.get(Student, (school, gone.student_code))
            context = await school_context.build(session, school, "2025-2026")
    finally:
        await db.close()
    applied = known and known.auto_approve and deleted and deleted.deleted
    return context if applied else None


def test_check_notes_rows_an_earlier_batch_already_registered(
        client, settings, seed, school):
    admin = bearer(settings, "school_admin", school)
    first, second = seed.fake_students(2, prefix=school[-4:])
    committed(client, settings, seed, school, count=2)
    sheet = ("Mã học sinh,Họ và tên,Lớp,KNS,STEM-KHTN\n"
             f"{first.student_code},{first.full_name},6A1,x,\n"
             f"{second.student_code},{second.full_name},6A1,x,x\n")
    uploaded = client.post(f"/api/v1/schools/{school}/imports", headers=admin,
                           files={"file": ("lan-2.csv", sheet.encode())})
    url = f"/api/v1/imports/{uploaded.json()['id']}"
    mapping = {"header_row": 0, "columns": {"student_code": 0, "full_name": 1,
                                            "class_name": 2},
               "package_columns": {"3": "KNS", "4": "STEM-KHTN"}}

    check = client.post(f"{url}/check", headers=admin,
                        json={"sheet": "CSV", "mapping": mapping}).json()
    state = client.get(url, headers=admin).json()
    commit = client.post(f"{url}/commit", headers=admin).json()

    assert check["counts"] == {"valid": 2, "invalid": 0, "skipped": 0,
                               "superseded": 0}
    assert check["already_registered"] == state["already_registered"] == 1
    whole, partly = (row["notes"] for row in check["rows"])
    assert whole[-1].startswith("Đã có trong đợt nhập trước")
    assert "đang chờ duyệt" in whole[-1]
    assert partly[-1].startswith("Gói KNS đã có trong đợt nhập trước")
    assert commit["counts"] == {"imported": 1, "already_registered": 1,
                                "approved": 0}
