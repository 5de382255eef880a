"""Fixtures for tests that run the whole system as separate processes."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from hoclieu_shared.localrun import LocalSystem

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture(scope="session")
def local_system(broker, postgres, tmp_path_factory):
    """Every service and the portal, each its own process, on PostgreSQL."""
    data_dir = tmp_path_factory.mktemp("system")
    system = LocalSystem(
        data_dir=data_dir, postgres_server_url=postgres, kafka_bootstrap=broker,
        fixed_ports=False, topic_prefix=f"e2e{uuid.uuid4().hex[:8]}.",
        extra_env={"LOG_LEVEL": os.environ.get("E2E_LOG_LEVEL", "INFO")})
    try:
        system.start(timeout=120)
        yield system
    finally:
        system.stop()
        _keep_logs(system)


def _keep_logs(system: LocalSystem) -> None:
    target = ARTIFACTS / "e2e-logs"
    target.mkdir(parents=True, exist_ok=True)
    for log_file in system.log_dir.glob("*.log"):
        (target / log_file.name).write_bytes(log_file.read_bytes())
