"""The routing table sends each /api/v1 path to the service that owns it."""

import pytest

from web_portal.routing import owner_of


@pytest.mark.parametrize(("path", "owner"), [
    ("schools", "activation"),
    ("schools/S1", "activation"),
    ("schools/S1/summary", "activation"),
    ("schools/S1/roster", "activation"),
    ("schools/S1/students/0160000001/packages", "activation"),
    ("schools/S1/accounts.xlsx", "activation"),
    ("schools/S1/classes", "activation"),
    ("packages/TA6-NC", "activation"),
    ("packages", "activation"),
    ("schools/S1/templates/registration.xlsx", "template"),
    ("schools/S1/imports", "import"),
    ("schools/S1/batches", "import"),
    ("imports/42/records.xlsx", "import"),
    ("batches/7", "import"),
    ("approvals", "import"),
    ("approvals/7/approve", "import"),
    ("students/S1/0160000001/notifications", "notification"),
    ("students/S1/0160000001/notifications/stream", "notification"),
    ("schools/S1/notifications/recent", "notification"),
])
def test_owner_of_known_paths(path, owner):
    assert owner_of(path) == owner


@pytest.mark.parametrize("path", [
    "", "auth/dev-token", "students/S1/0160000001", "schoolsX", "importsy/1",
    "../schools", "approvalsx",
])
def test_owner_of_unknown_paths_is_none(path):
    assert owner_of(path) is None
