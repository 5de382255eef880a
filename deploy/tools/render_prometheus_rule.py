"""Write deploy/base/monitoring/prometheus-rule.yaml from alerts.yaml.

alerts.yaml (Prometheus rule-file format) is the one source of the alert
rules; the Prometheus Operator needs them wrapped in a PrometheusRule.
`--check` exits 1 when the committed resource differs from alerts.yaml.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

MONITORING = Path(__file__).resolve().parents[1] / "base" / "monitoring"
HEADER = (
    "# Generated from alerts.yaml by deploy/tools/render_prometheus_rule.py;\n"
    "# edit alerts.yaml and run the script again.\n"
)


def render(alerts_file: Path) -> str:
    """The PrometheusRule resource that carries the groups of a rule file."""
    groups = yaml.safe_load(alerts_file.read_text(encoding="utf-8"))["groups"]
    resource = {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PrometheusRule",
        "metadata": {
            "name": "hoclieu-alerts",
            "labels": {"app.kubernetes.io/part-of": "hoclieu",
                       "role": "alert-rules"},
        },
        "spec": {"groups": groups},
    }
    body = yaml.safe_dump(resource, sort_keys=False, allow_unicode=True,
                          width=88)
    return HEADER + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="fail when the committed file is not current")
    parser.add_argument("--dir", type=Path, default=MONITORING,
                        help="folder holding alerts.yaml")
    args = parser.parse_args(argv)
    target = args.dir / "prometheus-rule.yaml"
    text = render(args.dir / "alerts.yaml")
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print(f"{target} is not current: run {Path(__file__).name}",
                  file=sys.stderr)
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
