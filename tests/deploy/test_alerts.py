"""Alert rules: promtool checks and unit-tests them; the Operator copy is current."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
MONITORING = ROOT / "deploy" / "base" / "monitoring"
RENDERER = ROOT / "deploy" / "tools" / "render_prometheus_rule.py"

# What the issue asks the alerts to watch, by the metric each one reads.
WATCHED_METRICS = (
    "hoclieu_consumer_lag",
    "hoclieu_dlq_messages_total",
    "hoclieu_outbox_pending",
    "hoclieu_outbox_oldest_pending_age_seconds",
    "hoclieu_http_requests_total",
    "hoclieu_import_failures_total",
)


def _copy_rules(tmp_path: Path) -> tuple[Path, Path]:
    shutil.copy(MONITORING / "alerts.yaml", tmp_path / "alerts.yaml")
    shutil.copy(MONITORING / "alerts_test.yaml", tmp_path / "alerts_test.yaml")
    return tmp_path / "alerts.yaml", tmp_path / "alerts_test.yaml"


def _alerts() -> list[dict]:
    groups = yaml.safe_load((MONITORING / "alerts.yaml").read_text("utf-8"))
    return [rule for group in groups["groups"] for rule in group["rules"]]


def _render(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(RENDERER), *args],
                          capture_output=True, text=True, timeout=60)


def test_alert_rules_pass_promtool_check(run):
    result = run("promtool", "check", "rules", str(MONITORING / "alerts.yaml"))

    assert result.ok, result.output


def test_promtool_check_rejects_a_broken_expression(run, tmp_path):
    rules, _ = _copy_rules(tmp_path)
    text = rules.read_text("utf-8")
    rules.write_text(text.replace(
        "max by (service, topic) (hoclieu_consumer_lag) > 1000",
        "max by (service, topic) (hoclieu_consumer_lag > 1000", 1), "utf-8")

    result = run("promtool", "check", "rules", str(rules))

    assert not result.ok, result.output


def test_alert_unit_tests_pass(run):
    result = run("promtool", "test", "rules", "alerts_test.yaml", cwd=MONITORING)

    assert result.ok, result.output


def test_alert_unit_tests_catch_a_wrong_threshold(run, tmp_path):
    rules, tests = _copy_rules(tmp_path)
    text = rules.read_text("utf-8")
    rules.write_text(text.replace("(hoclieu_consumer_lag) > 1000",
                                  "(hoclieu_consumer_lag) > 100000", 1), "utf-8")

    result = run("promtool", "test", "rules", tests.name, cwd=tmp_path)

    assert not result.ok, result.output
    assert "HoclieuConsumerLagHigh" in result.output


def test_every_alert_has_a_unit_test():
    tests = yaml.safe_load((MONITORING / "alerts_test.yaml").read_text("utf-8"))
    tested = {case["alertname"] for test in tests["tests"]
              for case in test.get("alert_rule_test", [])}

    assert tested == {rule["alert"] for rule in _alerts()}


def test_alerts_watch_lag_dead_letters_outbox_errors_and_imports():
    expressions = " ".join(rule["expr"] for rule in _alerts())
    used = set(re.findall(r"hoclieu_[a-z_]+", expressions))

    assert set(WATCHED_METRICS) <= used


def _anchors(markdown: str) -> set[str]:
    """The anchors a Markdown renderer gives the document's headings."""
    headings = re.findall(r"^#+ (.+)$", markdown, flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", h).strip().lower().replace(" ", "-")
            for h in headings}


def test_every_alert_has_severity_summary_and_runbook():
    anchors = _anchors((ROOT / "docs" / "operations.md").read_text("utf-8"))
    for rule in _alerts():
        assert rule["labels"]["severity"] in {"warning", "critical"}, rule
        assert rule["annotations"]["summary"], rule
        page, anchor = rule["annotations"]["runbook"].split("#", 1)
        assert page == "docs/operations.md"
        assert anchor in anchors, anchor


def test_prometheus_rule_resource_is_current():
    result = _render("--check")

    assert result.returncode == 0, result.stderr


def test_prometheus_rule_check_reports_a_stale_copy(tmp_path):
    _copy_rules(tmp_path)
    shutil.copy(MONITORING / "prometheus-rule.yaml", tmp_path)
    rules = tmp_path / "alerts.yaml"
    rules.write_text(rules.read_text("utf-8").replace("for: 10m", "for: 1h", 1),
                     "utf-8")

    result = _render("--check", "--dir", str(tmp_path))

    assert result.returncode == 1
