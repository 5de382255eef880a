"""The operator's approve and reject forms never widen what was chosen."""

from __future__ import annotations

import uuid

import pytest
from portal_fakes.system import seed_sample, sign_in

SCHOOL = "THCS-NGUYENDU"


def pending_batch(world, size: int = 3) -> dict:
    seed_sample(world)
    registrations = []
    for n in range(size):
        code = f"01600000{n:02d}"
        world.students.setdefault(SCHOOL, {})[code] = {
            "code": code, "full_name": f"Học sinh {n}", "class_name": "6A1",
            "grade": 6, "account": None, "packages": []}
        registrations.append({
            "id": str(uuid.uuid4()), "status": "pending", "student_code": code,
            "full_name": f"Học sinh {n}", "class_name": "6A1",
            "package_codes": ["KNS"]})
    batch = {"id": f"b-{uuid.uuid4().hex[:8]}", "school_code": SCHOOL,
             "created_at": "2025-09-09T01:00:00Z", "file_name": "a.xlsx",
             "registrations": registrations, "counts": {
                 "imported": size, "pending": size, "approved": 0,
                 "rejected": 0, "activated": 0}}
    world.batches[batch["id"]] = batch
    return batch


def statuses(batch: dict) -> list[str]:
    return [r["status"] for r in batch["registrations"]]


def decisions_sent(world) -> list[dict]:
    return [c for c in world.calls if c["path"].startswith("/api/v1/approvals/")]


@pytest.mark.parametrize("form", [
    {"registration_ids": "not-a-uuid"},
    {"registration_ids": "not-a-uuid", "scope": "everything"},
    {"scope": ["all", "selected"]},
    {},
])
def test_approve_without_one_clear_scope_approves_nothing(system, client, form):
    batch = pending_batch(system.world)
    sign_in(client, "misa_operator")

    answer = client.post(f"/operator/batches/{batch['id']}/approve", data=form)

    assert answer.status_code == 422
    assert "Vui lòng chọn phạm vi" in answer.text
    assert statuses(batch) == ["pending"] * 3
    assert decisions_sent(system.world) == []


def test_approve_selected_with_no_valid_id_approves_nothing(system, client):
    batch = pending_batch(system.world)
    sign_in(client, "misa_operator")

    answer = client.post(f"/operator/batches/{batch['id']}/approve", data={
        "scope": "selected", "registration_ids": ["not-a-uuid"]})

    assert answer.status_code == 422
    assert "Có đăng ký đã chọn không hợp lệ" in answer.text
    assert statuses(batch) == ["pending"] * 3
    assert decisions_sent(system.world) == []


def test_approve_selected_approves_only_the_chosen(system, client):
    batch = pending_batch(system.world)
    chosen = batch["registrations"][1]["id"]
    sign_in(client, "misa_operator")

    answer = client.post(f"/operator/batches/{batch['id']}/approve", data={
        "scope": "selected", "registration_ids": [chosen, chosen]})

    assert answer.status_code == 303
    assert statuses(batch) == ["pending", "approved", "pending"]


def test_reject_without_a_scope_rejects_nothing(system, client):
    batch = pending_batch(system.world)
    sign_in(client, "misa_operator")

    answer = client.post(f"/operator/batches/{batch['id']}/reject", data={
        "reason": "Thiếu thông tin", "registration_ids": "not-a-uuid"})

    assert answer.status_code == 422
    assert statuses(batch) == ["pending"] * 3


def test_approve_all_is_still_one_click(system, client):
    batch = pending_batch(system.world)
    sign_in(client, "misa_operator")

    answer = client.post(f"/operator/batches/{batch['id']}/approve",
                         data={"scope": "all"})

    assert answer.status_code == 303
    assert statuses(batch) == ["approved"] * 3


def test_a_page_url_with_a_control_character_is_a_400_page(system, client):
    sign_in(client, "misa_operator")

    answer = client.get("/operator/batches/%00")
    dots = client.get("/operator/batches/%2e%2e")

    assert answer.status_code == 400
    assert "Địa chỉ yêu cầu không hợp lệ." in answer.text
    assert dots.status_code == 400
