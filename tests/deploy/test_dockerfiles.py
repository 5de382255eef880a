"""Service Dockerfiles: small, non-root, with a health check, one per service.

No Docker engine runs here, so each Dockerfile is parsed with BuildKit's own
parser (the `dockerfile` package) and its final stage checked.
"""

from __future__ import annotations

import re
from pathlib import Path

import dockerfile
import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = {
    "web-portal": ("web_portal", 8000),
    "activation-service": ("activation_service", 8001),
    "template-service": ("template_service", 8002),
    "import-service": ("import_service", 8003),
    "notification-service": ("notification_service", 8004),
}


def _final_stage(text: str) -> list:
    commands = dockerfile.parse_string(text)
    last_from = max(i for i, c in enumerate(commands) if c.cmd == "FROM")
    return commands[last_from:]


def problems(text: str, package: str, port: int) -> list[str]:
    """What keeps a Dockerfile from the image rules of docs/operations.md."""
    found = []
    stage = _final_stage(text)
    by_name = {}
    for command in stage:
        by_name.setdefault(command.cmd, []).append(command)
    args = {c.value[0].split("=", 1)[0]: c.value[0].split("=", 1)[1]
            for c in dockerfile.parse_string(text)
            if c.cmd == "ARG" and "=" in c.value[0]}
    base = re.sub(r"\$\{?(\w+)\}?", lambda m: args.get(m[1], m[0]),
                  stage[0].value[0])
    if not re.search(r":\d+(\.\d+)+-slim", base):
        found.append(f"final base image {base} is not a pinned slim image")
    users = [c.value[0] for c in by_name.get("USER", [])]
    if not users or users[-1].split(":")[0] in {"root", "0"}:
        found.append("the final stage does not switch to a non-root user")
    if "HEALTHCHECK" not in by_name:
        found.append("no HEALTHCHECK")
    if [c.value for c in by_name.get("EXPOSE", [])] != [(str(port),)]:
        found.append(f"does not EXPOSE {port} alone")
    if [c.value for c in by_name.get("CMD", [])][-1:] != [
            ("python", "-m", package)]:
        found.append(f"CMD is not python -m {package}")
    return found


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_dockerfile_builds_a_small_non_root_image_with_a_health_check(service):
    package, port = SERVICES[service]
    text = (ROOT / "services" / service / "Dockerfile").read_text("utf-8")

    assert problems(text, package, port) == []


@pytest.mark.parametrize(("original", "broken"), [
    ("USER 10001:10001", "USER root"),
    ("HEALTHCHECK", "# HEALTHCHECK"),
    ('CMD ["python", "-m", "import_service"]', 'CMD ["python", "-m", "other"]'),
    ("EXPOSE 8003", "EXPOSE 8080"),
    ("python:3.11.13-slim-bookworm", "python:latest"),
])
def test_dockerfile_check_rejects_a_broken_copy(original, broken):
    text = (ROOT / "services" / "import-service" / "Dockerfile").read_text("utf-8")
    assert original in text

    found = problems(text.replace(original, broken), "import_service", 8003)

    assert found != []


def test_health_check_script_is_in_the_build_context():
    ignored = (ROOT / ".dockerignore").read_text("utf-8").splitlines()

    assert (ROOT / "deploy" / "docker" / "healthcheck.py").is_file()
    assert "!deploy/docker" in ignored
    assert not {"shared", "services", "constraints.txt"} & set(ignored)
