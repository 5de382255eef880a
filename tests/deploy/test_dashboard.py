"""The Grafana dashboard: valid JSON whose every query PromQL parses."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "deploy" / "base" / "monitoring" / "grafana-dashboard.json"

# Grafana fills these in before a query reaches Prometheus; any other `$name`
# outside a label matcher's quotes is left in and fails the parse.
GRAFANA_INTERVALS = {"$__rate_interval": "5m", "$__interval": "1m",
                     "$__range": "6h"}
SHOWN_METRICS = (
    "hoclieu_consumer_lag",
    "hoclieu_dlq_messages_total",
    "hoclieu_outbox_pending",
    "hoclieu_outbox_oldest_pending_age_seconds",
    "hoclieu_http_requests_total",
    "hoclieu_http_request_duration_seconds_bucket",
    "hoclieu_import_rows_checked_total",
    "hoclieu_import_failures_total",
    "hoclieu_notification_activation_to_push_seconds_bucket",
    "hoclieu_notifications_pushed_total",
)


def _panels(dashboard: dict) -> list[dict]:
    panels = []
    for panel in dashboard["panels"]:
        panels.append(panel)
        panels.extend(panel.get("panels", []))
    return panels


def _queries(dashboard: dict) -> list[tuple[str, str]]:
    return [(panel["title"], target["expr"])
            for panel in _panels(dashboard)
            for target in panel.get("targets", [])]


def _as_rule_file(queries: list[tuple[str, str]]) -> str:
    """Each query as a recording rule, so `promtool check rules` parses it."""
    rules = []
    for index, (_, expr) in enumerate(queries):
        for variable, value in GRAFANA_INTERVALS.items():
            expr = expr.replace(variable, value)
        rules.append({"record": f"dashboard:query_{index}", "expr": expr})
    return yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]})


def _check_queries(run, tmp_path: Path, dashboard: dict):
    rule_file = tmp_path / "dashboard-queries.yaml"
    rule_file.write_text(_as_rule_file(_queries(dashboard)), "utf-8")
    return run("promtool", "check", "rules", str(rule_file))


def _dashboard() -> dict:
    return json.loads(DASHBOARD.read_text("utf-8"))


def test_dashboard_queries_parse(run, tmp_path):
    result = _check_queries(run, tmp_path, _dashboard())

    assert result.ok, result.output
    assert f"{len(_queries(_dashboard()))} rules found" in result.output


def test_query_check_rejects_a_broken_query(run, tmp_path):
    dashboard = _dashboard()
    target = _panels(dashboard)[1]["targets"][0]
    target["expr"] = target["expr"].replace(")", "", 1)

    result = _check_queries(run, tmp_path, dashboard)

    assert not result.ok, result.output


def test_query_check_rejects_an_unknown_grafana_variable(run, tmp_path):
    dashboard = _dashboard()
    target = next(target for panel in _panels(dashboard)
                  for target in panel.get("targets", [])
                  if "$__rate_interval" in target["expr"])
    target["expr"] = target["expr"].replace("$__rate_interval", "$__window")

    result = _check_queries(run, tmp_path, dashboard)

    assert not result.ok, result.output


def test_dashboard_shows_health_imports_and_notification_time():
    used = set(re.findall(r"hoclieu_[a-z_]+",
                          " ".join(expr for _, expr in _queries(_dashboard()))))

    assert set(SHOWN_METRICS) <= used


def test_every_panel_has_a_query_and_a_unique_id():
    panels = _panels(_dashboard())
    graphs = [panel for panel in panels if panel["type"] != "row"]

    assert all(panel.get("targets") for panel in graphs)
    assert len({panel["id"] for panel in panels}) == len(panels)


def test_panels_use_the_datasource_variable():
    for panel in _panels(_dashboard()):
        if panel["type"] != "row":
            assert panel["datasource"]["uid"] == "${datasource}", panel["title"]
