"""One running import-service per test module, on PostgreSQL and the broker."""

from __future__ import annotations

import importlib.util
import sys
import uuid
from pathlib import Path

import pytest
from hoclieu_shared.testing.infrastructure import create_database, drop_database
from hoclieu_shared.testing.service import running, test_settings, unique_prefix

from import_service.main import create_app
from import_service.settings import ImportSettings


@pytest.fixture(scope="module")
def module_database(postgres):
    """A PostgreSQL database shared by one module's tests."""
    url = create_database(postgres, "imp")
    yield url
    drop_database(postgres, url)


@pytest.fixture(scope="module")
def settings(module_database, broker, tmp_path_factory) -> ImportSettings:
    """The service's settings for this module: own topics, own data folder."""
    return test_settings(
        ImportSettings, database_url=module_database, broker=broker,
        prefix=unique_prefix(), data_dir=tmp_path_factory.mktemp("import"),
        outbox_poll_seconds=0.1)


@pytest.fixture(scope="module")
def client(settings):
    """The app with its lifespan running (migrations, relay, consumer)."""
    with running(create_app, settings) as test_client:
        yield test_client


@pytest.fixture
def school(client, settings, seed) -> str:
    """A school code of this test's own, already known from SchoolUpdated."""
    code = f"T-{uuid.uuid4().hex[:8].upper()}"
    seed.announce_school(settings.database_url, code)
    return code


def _load_seed():
    # Test modules are imported by path (--import-mode=importlib), so the
    # helpers travel as a fixture rather than as an importable module.
    name = "import_service_tests_seed"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, Path(__file__).with_name("seed.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="session")
def seed():
    """Sample data and seeding helpers (tests/integration/seed.py)."""
    return _load_seed()
