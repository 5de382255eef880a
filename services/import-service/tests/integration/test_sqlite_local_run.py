"""The local run's database: SQLite, migrated at start, same flow."""

from __future__ import annotations

import asyncio

import pytest
from hoclieu_shared.events import REGISTRATION_IMPORTED
from hoclieu_shared.testing.service import bearer, test_settings, unique_prefix

from import_service.settings import ImportSettings


@pytest.fixture(scope="module")
def settings(broker, tmp_path_factory) -> ImportSettings:
    """A SQLite file under the data folder instead of PostgreSQL."""
    folder = tmp_path_factory.mktemp("sqlite")
    return test_settings(ImportSettings, database_url=f"sqlite:///{folder}/i.db",
                         broker=broker, prefix=unique_prefix(), data_dir=folder)


def test_sample_form_commits_and_approves_on_sqlite(client, settings, seed, school):
    seed.seed_school(settings.database_url, school)
    admin = bearer(settings, "school_admin", school)
    path = seed.sample_path() / "google_form_responses.csv"
    uploaded = client.post(f"/api/v1/schools/{school}/imports", headers=admin,
                           files={"file": (path.name, path.read_bytes())}).json()
    check_url = f"/api/v1/imports/{uploaded['id']}/check"
    check = client.post(check_url, headers=admin, json={"sheet": "CSV"}).json()
    if check["status"] == "needs_mapping":
        check = client.post(check_url, headers=admin, json={
            "sheet": "CSV", "mapping": check["mapping"]}).json()

    commit = client.post(f"/api/v1/imports/{uploaded['id']}/commit",
                         headers=admin).json()
    again = client.post(f"/api/v1/imports/{uploaded['id']}/commit",
                        headers=admin).json()
    approve = client.post(f"/api/v1/approvals/{commit['batch_id']}/approve",
                          headers=bearer(settings, "misa_operator"))
    events = asyncio.run(seed.read_events(
        settings.kafka_bootstrap_servers, settings.topic(REGISTRATION_IMPORTED),
        check["counts"]["valid"], match=seed.of_batch(commit["batch_id"])))

    assert check["status"] == "checked"
    assert commit["counts"]["imported"] == check["counts"]["valid"] > 0
    assert again["counts"]["imported"] == 0
    assert approve.json()["approved"] == check["counts"]["valid"]
    assert len(events) == check["counts"]["valid"]
