"""The sample school's Google Form export, from upload to approval."""

from __future__ import annotations

import asyncio
import io

import openpyxl
from hoclieu_shared.events import REGISTRATION_APPROVED, REGISTRATION_IMPORTED
from hoclieu_shared.testing.service import bearer


def upload(client, headers, school, path):
    with open(path, "rb") as handle:
        return client.post(f"/api/v1/schools/{school}/imports", headers=headers,
                           files={"file": (path.name, handle)})


def checked(client, headers, import_id, sheet):
    """Check a sheet, confirming the proposed mapping when asked."""
    url = f"/api/v1/imports/{import_id}/check"
    answer = client.post(url, headers=headers, json={"sheet": sheet}).json()
    if answer["status"] == "needs_mapping":
        answer = client.post(url, headers=headers, json={
            "sheet": sheet, "mapping": answer["mapping"]}).json()
    return answer


def test_google_form_rows_commit_once_and_approve(client, settings, seed, school):
    seed.seed_school(settings.database_url, school)
    admin = bearer(settings, "school_admin", school)
    operator = bearer(settings, "misa_operator")
    uploaded = upload(client, admin, school,
                      seed.sample_path() / "google_form_responses.xlsx").json()
    import_id, sheet = uploaded["id"], uploaded["sheets"][0]["name"]

    check = checked(client, admin, import_id, sheet)
    commit = client.post(f"/api/v1/imports/{import_id}/commit",
                         headers=admin).json()
    again = client.post(f"/api/v1/imports/{import_id}/commit",
                        headers=admin).json()
    state = client.get(f"/api/v1/imports/{import_id}", headers=admin).json()
    approve = client.post(f"/api/v1/approvals/{commit['batch_id']}/approve",
                          headers=operator)
    valid = check["counts"]["valid"]
    imported = asyncio.run(seed.read_events(
        settings.kafka_bootstrap_servers, settings.topic(REGISTRATION_IMPORTED),
        valid, match=seed.of_batch(commit["batch_id"])))
    approved = asyncio.run(seed.read_events(
        settings.kafka_bootstrap_servers, settings.topic(REGISTRATION_APPROVED),
        valid, match=seed.of_batch(commit["batch_id"])))

    assert check["status"] == "checked" and valid > 0
    assert check["mapping"]["kind"] == "google-form"
    assert commit["counts"]["imported"] == valid
    assert state["batch"]["counts"]["imported"] == valid
    assert again["counts"]["imported"] == 0
    assert approve.status_code == 200
    assert len(imported) == valid and len(approved) == valid
    assert {e.data["source"] for e in imported} == {"google-form"}


def test_records_download_comes_back_in_the_users_layout(client, settings, seed,
                                                         school):
    seed.seed_school(settings.database_url, school)
    admin = bearer(settings, "school_admin", school)
    uploaded = upload(client, admin, school,
                      seed.sample_path() / "retyped_grade9.xlsx").json()
    import_id, sheet = uploaded["id"], uploaded["sheets"][0]["name"]
    check = checked(client, admin, import_id, sheet)

    invalid = client.get(f"/api/v1/imports/{import_id}/records.xlsx?only=invalid",
                         headers=admin)
    every = client.get(f"/api/v1/imports/{import_id}/records.xlsx?only=all",
                       headers=admin)
    listed = client.get(f"/api/v1/imports/{import_id}/rows?status=invalid",
                        headers=admin).json()

    book = openpyxl.load_workbook(io.BytesIO(every.content))
    assert invalid.status_code == 200 and every.status_code == 200
    assert book.worksheets[0].title == sheet
    assert listed["total"] == check["counts"]["invalid"]
    assert all(row["errors"] for row in listed["items"])
