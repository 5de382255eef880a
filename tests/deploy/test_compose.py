"""docker-compose.yml: valid for Docker Compose itself, and the whole stack."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hoclieu_shared.events import ALL_TOPICS

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
PROMETHEUS_CONFIG = ROOT / "deploy" / "compose" / "prometheus.yml"
SERVICES = {"web-portal": 8000, "activation-service": 8001,
            "template-service": 8002, "import-service": 8003,
            "notification-service": 8004}


def _config(run) -> dict:
    result = run("docker-compose", "-f", str(COMPOSE_FILE), "config",
                 "--format", "json")
    assert result.ok, result.output
    return json.loads(result.stdout)


def test_compose_file_is_valid(run):
    result = run("docker-compose", "-f", str(COMPOSE_FILE), "config", "-q")

    assert result.ok, result.output


@pytest.mark.parametrize(("original", "broken"), [
    ("condition: service_completed_successfully", "condition: service_done"),
    ("\n  kafka-topics:\n", "\n  kafka-topic:\n"),
    ("    image: postgres:", "    imag: postgres:"),
    ("      retries: 20\n", "      retries: twenty\n"),
])
def test_compose_rejects_a_broken_copy(original, broken, run, tmp_path):
    text = COMPOSE_FILE.read_text("utf-8")
    assert original in text
    copy = tmp_path / "docker-compose.yml"
    copy.write_text(text.replace(original, broken, 1), "utf-8")

    result = run("docker-compose", "-f", str(copy), "--project-directory",
                 str(ROOT), "config", "-q")

    assert not result.ok, result.output


def test_compose_runs_kafka_in_kraft_postgres_services_and_monitoring(run):
    services = _config(run)["services"]

    assert set(services) == {*SERVICES, "kafka", "kafka-topics", "postgres",
                             "prometheus", "grafana"}
    assert services["kafka"]["image"].startswith("apache/kafka:")
    assert "controller" in services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"]


def test_compose_creates_every_topic_and_its_dead_letter_topic(run):
    script = " ".join(_config(run)["services"]["kafka-topics"]["command"])

    assert set(ALL_TOPICS) <= set(re.findall(r"\b[A-Z][A-Za-z]+\b", script))
    assert '"$$event.DLQ"' in script or '"$event.DLQ"' in script


def test_each_service_has_its_own_database(run):
    services = _config(run)["services"]
    databases = {name: services[name]["environment"]["DATABASE_URL"]
                 .rsplit("/", 1)[1]
                 for name in SERVICES if name != "web-portal"}
    created = (ROOT / "deploy" / "compose" / "postgres" / "databases.sql"
               ).read_text("utf-8")

    assert len(set(databases.values())) == len(databases)
    for database in databases.values():
        assert f"CREATE DATABASE {database} " in created


def test_services_build_from_their_dockerfiles_and_listen_on_their_ports(run):
    services = _config(run)["services"]
    for name, port in SERVICES.items():
        build = services[name]["build"]
        assert (Path(build["context"]) / build["dockerfile"]).is_file(), name
        assert services[name]["environment"]["HTTP_PORT"] == str(port), name


def test_only_loopback_ports_are_published(run):
    for name, service in _config(run)["services"].items():
        for port in service.get("ports", []):
            assert port["host_ip"] == "127.0.0.1", name


def test_bind_mounted_files_exist(run):
    for name, service in _config(run)["services"].items():
        for volume in service.get("volumes", []):
            if volume["type"] == "bind":
                assert Path(volume["source"]).exists(), (name, volume["source"])


def test_prometheus_config_is_valid_and_scrapes_every_service(run):
    result = run("promtool", "check", "config", str(PROMETHEUS_CONFIG))
    text = PROMETHEUS_CONFIG.read_text("utf-8")

    assert result.ok, result.output
    for name, port in SERVICES.items():
        assert f"{name}:{port}" in text


def test_prometheus_config_check_rejects_a_broken_copy(run, tmp_path):
    copy = tmp_path / "prometheus.yml"
    copy.write_text(PROMETHEUS_CONFIG.read_text("utf-8").replace(
        "scrape_interval:", "scrape_intervall:", 1), "utf-8")

    result = run("promtool", "check", "config", str(copy))

    assert not result.ok, result.output
