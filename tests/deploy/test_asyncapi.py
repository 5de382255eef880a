"""docs/events/asyncapi.yaml: valid AsyncAPI 3.0 for @asyncapi/parser, complete."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
import yaml
from hoclieu_shared import events

ROOT = Path(__file__).resolve().parents[2]
EVENTS_DIR = ROOT / "docs" / "events"
CHECKER = ROOT / "deploy" / "tools" / "check_asyncapi.mjs"
PARSER = ROOT / "deploy" / "tools" / "node_modules" / "@asyncapi" / "parser"


def _check(run, document: Path):
    if not PARSER.is_dir():
        pytest.fail("@asyncapi/parser is not installed: "
                    "run scripts/install_check_tools.sh")
    return run("node", str(CHECKER), str(document))


def _document() -> dict:
    return yaml.safe_load((EVENTS_DIR / "asyncapi.yaml").read_text("utf-8"))


def _broken_copy(tmp_path: Path, original: str, broken: str) -> Path:
    copy = tmp_path / "events"
    shutil.copytree(EVENTS_DIR, copy)
    document = copy / "asyncapi.yaml"
    text = document.read_text("utf-8")
    assert original in text
    document.write_text(text.replace(original, broken, 1), "utf-8")
    return document


def _handled_topics(consumers_file: Path) -> set[str]:
    """The topics of a service's HANDLERS dict, read without importing it."""
    tree = ast.parse(consumers_file.read_text("utf-8"))
    for node in ast.walk(tree):
        target = getattr(node, "target", None) or next(
            iter(getattr(node, "targets", [])), None)
        if getattr(target, "id", None) == "HANDLERS" and isinstance(
                node.value, ast.Dict):
            return {_topic(key) for key in node.value.keys}
    raise AssertionError(f"no HANDLERS dict in {consumers_file}")


def _topic(key: ast.expr) -> str:
    """A HANDLERS key: events.NAME, an imported NAME, or a literal topic."""
    if isinstance(key, ast.Attribute):
        return getattr(events, key.attr)
    if isinstance(key, ast.Name):
        return getattr(events, key.id)
    return key.value


def test_asyncapi_document_is_valid(run):
    result = _check(run, EVENTS_DIR / "asyncapi.yaml")

    assert result.ok, result.output
    assert "valid AsyncAPI 3.0.0" in result.output


@pytest.mark.parametrize(("original", "broken"), [
    ("action: send", "action: publish"),
    ("./schemas/PackageActivated.json", "./schemas/PackageActivatd.json"),
    ("asyncapi: 3.0.0", "asyncapi: 3.0.9"),
    ("$ref: '#/channels/SchoolUpdated'", "$ref: '#/channels/SchoolDeleted'"),
])
def test_asyncapi_check_rejects_a_broken_copy(original, broken, run, tmp_path):
    document = _broken_copy(tmp_path, original, broken)

    result = _check(run, document)

    assert not result.ok, result.output


def test_asyncapi_check_rejects_a_broken_payload_schema(run, tmp_path):
    document = _broken_copy(tmp_path, "asyncapi:", "asyncapi:")
    schema = document.parent / "schemas" / f"{events.SCHOOL_UPDATED}.json"
    schema.write_text(schema.read_text("utf-8").replace(
        '"type": "boolean"', '"type": "bool"', 1), "utf-8")

    result = _check(run, document)

    assert not result.ok, result.output


def test_asyncapi_check_refuses_remote_references(run, tmp_path):
    document = _broken_copy(tmp_path, "./schemas/SchoolUpdated.json",
                            "http://127.0.0.1:9/SchoolUpdated.json")

    result = _check(run, document)

    assert not result.ok
    assert "remote reference refused" in result.output


def test_asyncapi_describes_every_topic_and_its_dead_letter_topic():
    channels = _document()["channels"]

    assert {c["address"] for c in channels.values()} == {
        *events.ALL_TOPICS, *(t + events.DLQ_SUFFIX for t in events.ALL_TOPICS)}


def test_every_event_has_one_publisher():
    operations = _document()["operations"].values()
    sent = [op["channel"]["$ref"].rsplit("/", 1)[1]
            for op in operations if op["action"] == "send"]

    assert sorted(sent) == sorted(events.ALL_TOPICS)


@pytest.mark.parametrize("service", ["activation-service", "template-service",
                                     "import-service", "notification-service"])
def test_documented_subscriptions_match_the_service_handlers(service):
    consumers_files = list((ROOT / "services" / service).glob("*/consumers.py"))
    if not consumers_files:
        pytest.skip(f"{service} has no consumers.py yet")
    documented = {op["channel"]["$ref"].rsplit("/", 1)[1]
                  for name, op in _document()["operations"].items()
                  if op["action"] == "receive"
                  and name.startswith(service.split("-")[0])}

    assert documented == _handled_topics(consumers_files[0]), (
        "update CONSUMERS in scripts/generate_event_docs.py")
