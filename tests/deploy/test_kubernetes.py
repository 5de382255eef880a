"""Kubernetes manifests: rendered by kustomize, validated strictly, and complete."""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml
from hoclieu_shared.events import ALL_TOPICS, DLQ_SUFFIX

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
CRD_SCHEMAS = Path(__file__).with_name("crd_schemas")
OVERLAYS = ("production", "staging")
CUSTOM_KINDS = {"KafkaTopic", "ServiceMonitor", "PrometheusRule"}
SERVICES = {
    "web-portal": ("web_portal", False),
    "activation-service": ("activation_service", True),
    "template-service": ("template_service", True),
    "import-service": ("import_service", True),
    "notification-service": ("notification_service", True),
}


def _documents(text: str) -> list[dict]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return [doc for doc in yaml.load_all(text, Loader=loader) if doc]


def _of_kind(docs: list[dict], kind: str) -> dict[str, dict]:
    return {doc["metadata"]["name"]: doc for doc in docs if doc["kind"] == kind}


def _validate(run, tmp_path: Path, docs: list[dict]):
    manifest = tmp_path / "rendered.yaml"
    manifest.write_text(yaml.safe_dump_all(docs), "utf-8")
    return run("kubernetes-validate", "--strict", "--quiet", str(manifest),
               cwd=tmp_path)


def _crd_validator(kind: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((CRD_SCHEMAS / f"{kind}.json").read_text("utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _env(container: dict) -> dict[str, dict]:
    return {item["name"]: item for item in container.get("env", [])}


@pytest.fixture(scope="module")
def parsed_overlays(rendered_overlays) -> dict[str, list[dict]]:
    return {name: _documents(text) for name, text in rendered_overlays.items()}


@pytest.fixture
def overlays(parsed_overlays) -> dict[str, list[dict]]:
    """The rendered documents, copied so that a test may break its own."""
    return copy.deepcopy(parsed_overlays)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_rendered_manifests_pass_strict_validation(overlay, overlays, run,
                                                   tmp_path):
    result = _validate(run, tmp_path, overlays[overlay])

    assert result.ok, result.output
    warned = set(re.findall(r"schema for kind (\w+)", result.output))
    assert warned <= CUSTOM_KINDS, result.output


def test_strict_validation_rejects_an_unknown_field(overlays, run, tmp_path):
    docs = overlays["production"]
    deployment = _of_kind(docs, "Deployment")["import-service"]
    deployment["spec"]["template"]["spec"]["containers"][0]["livenessProbes"] = {}

    result = _validate(run, tmp_path, docs)

    assert not result.ok, result.output
    assert "livenessProbes" in result.output


def test_strict_validation_rejects_a_wrong_type(overlays, run, tmp_path):
    docs = overlays["staging"]
    _of_kind(docs, "HorizontalPodAutoscaler")["web-portal"]["spec"][
        "maxReplicas"] = "two"

    result = _validate(run, tmp_path, docs)

    assert not result.ok, result.output


def test_kustomize_rejects_a_kustomization_with_a_missing_file(run, tmp_path):
    for part in ("base", "overlays"):
        shutil.copytree(DEPLOY / part, tmp_path / part)
    (tmp_path / "base" / "network-policy.yaml").unlink()

    result = run("kubectl", "kustomize", str(tmp_path / "overlays" / "production"))

    assert not result.ok, result.output


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_custom_resources_match_their_schemas(overlay, overlays):
    customs = [doc for doc in overlays[overlay] if doc["kind"] in CUSTOM_KINDS]

    assert {doc["kind"] for doc in customs} == CUSTOM_KINDS
    for doc in customs:
        _crd_validator(doc["kind"]).validate(doc)


@pytest.mark.parametrize(("kind", "path", "value"), [
    ("KafkaTopic", ("spec", "partitions"), "twelve"),
    ("KafkaTopic", ("spec", "replica"), 3),
    ("ServiceMonitor", ("spec", "endpoints", 0, "interval"), "half a minute"),
    ("PrometheusRule", ("spec", "groups", 0, "rules", 0, "for"), 10),
])
def test_custom_resource_schemas_reject_a_broken_copy(kind, path, value,
                                                      overlays):
    doc = next(d for d in overlays["production"] if d["kind"] == kind)
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value

    with pytest.raises(jsonschema.ValidationError):
        _crd_validator(kind).validate(doc)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_service_has_its_deployment_parts(overlay, overlays):
    docs = overlays[overlay]
    for kind in ("Deployment", "Service", "HorizontalPodAutoscaler",
                 "PodDisruptionBudget"):
        assert set(_of_kind(docs, kind)) == set(SERVICES), kind


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_deployments_probe_limit_spread_and_run_unprivileged(overlay, overlays):
    for name, deployment in _of_kind(overlays[overlay], "Deployment").items():
        pod = deployment["spec"]["template"]["spec"]
        container = pod["containers"][0]
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz", name
        # The portal's /readyz waits for every service: see web-portal.yaml.
        readiness = "/healthz" if name == "web-portal" else "/readyz"
        assert container["readinessProbe"]["httpGet"]["path"] == readiness, name
        assert {"cpu", "memory"} <= set(container["resources"]["requests"]), name
        assert "memory" in container["resources"]["limits"], name
        assert {c["topologyKey"] for c in pod["topologySpreadConstraints"]} == {
            "topology.kubernetes.io/zone", "kubernetes.io/hostname"}, name
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert container["securityContext"]["readOnlyRootFilesystem"], name
        assert container["securityContext"]["allowPrivilegeEscalation"] is False


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_database_is_migrated_by_a_job_not_at_start(overlay, overlays):
    docs = overlays[overlay]
    jobs = _of_kind(docs, "Job")
    config = next(doc for doc in _of_kind(docs, "ConfigMap").values()
                  if doc["metadata"]["name"].startswith("hoclieu-config"))

    assert config["data"]["RUN_MIGRATIONS_ON_START"] == "false"
    for name, (package, has_database) in SERVICES.items():
        if not has_database:
            assert f"{name}-migrate" not in jobs
            continue
        container = jobs[f"{name}-migrate"]["spec"]["template"]["spec"][
            "containers"][0]
        assert container["command"] == ["python", "-m", package, "migrate"]
        assert "DATABASE_URL" in _env(container)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_secrets_are_referenced_never_included(overlay, overlays):
    docs = overlays[overlay]

    assert not [doc for doc in docs if doc["kind"] == "Secret"]
    for workload in [*_of_kind(docs, "Deployment").values(),
                     *_of_kind(docs, "Job").values()]:
        env = _env(workload["spec"]["template"]["spec"]["containers"][0])
        for secret in ("AUTH_JWT_SECRET", "DATABASE_URL"):
            if secret in env:
                assert "secretKeyRef" in env[secret]["valueFrom"], secret


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_kafka_topics_cover_every_event_and_dead_letter_topic(overlay, overlays):
    topics = {doc["spec"]["topicName"]: doc["spec"]
              for doc in overlays[overlay] if doc["kind"] == "KafkaTopic"}

    assert set(topics) == {*ALL_TOPICS, *(t + DLQ_SUFFIX for t in ALL_TOPICS)}
    for spec in topics.values():
        assert int(spec["config"]["retention.ms"]) >= 7 * 24 * 3600 * 1000


def test_production_topics_survive_the_loss_of_a_broker(overlays):
    for doc in overlays["production"]:
        if doc["kind"] == "KafkaTopic":
            assert doc["spec"]["replicas"] == 3
            assert int(doc["spec"]["config"]["min.insync.replicas"]) == 2


def test_production_images_are_pinned_and_namespaced(overlays):
    docs = overlays["production"]
    for name, workload in [*_of_kind(docs, "Deployment").items(),
                           *_of_kind(docs, "Job").items()]:
        image = workload["spec"]["template"]["spec"]["containers"][0]["image"]
        assert re.fullmatch(r"hoclieu/[a-z-]+:\d+\.\d+\.\d+", image), name
    namespaced = [doc for doc in docs if doc["kind"] != "Namespace"]
    assert {doc["metadata"].get("namespace") for doc in namespaced} == {"hoclieu"}


def test_prometheus_rule_carries_the_alert_file(overlays):
    rule = _of_kind(overlays["production"], "PrometheusRule")["hoclieu-alerts"]
    alerts = yaml.safe_load(
        (DEPLOY / "base" / "monitoring" / "alerts.yaml").read_text("utf-8"))

    assert rule["spec"]["groups"] == alerts["groups"]


def test_service_monitor_keeps_the_service_label_of_the_metrics(overlays):
    monitor = _of_kind(overlays["production"], "ServiceMonitor")["hoclieu"]

    assert all(endpoint["honorLabels"] for endpoint in monitor["spec"]["endpoints"])


def test_network_policies_deny_by_default(overlays):
    policies = _of_kind(overlays["production"], "NetworkPolicy")
    deny = policies["hoclieu-default-deny"]["spec"]

    assert deny["policyTypes"] == ["Ingress", "Egress"]
    assert "ingress" not in deny and "egress" not in deny
