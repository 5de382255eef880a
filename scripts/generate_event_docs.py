"""Write docs/events/: the JSON Schema of every event and the AsyncAPI document.

The schemas come from the shared event models (hoclieu_shared.events), the
topic sizes from the Kafka topics of deploy/base/kafka/topics.yaml, and who
publishes and consumes what from DESIGN.md §2 (the table below).

    python scripts/generate_event_docs.py           rewrite docs/events/
    python scripts/generate_event_docs.py --check   exit 1 when not current
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml

from hoclieu_shared import events

ROOT = Path(__file__).resolve().parents[1]
EVENTS_DIR = ROOT / "docs" / "events"
TOPICS_FILE = ROOT / "deploy" / "base" / "kafka" / "topics.yaml"
ASYNCAPI_FILE = "asyncapi.yaml"

# DESIGN.md §2 and docs/architecture.md: the service that publishes each event.
PUBLISHERS = {
    events.REGISTRATION_IMPORTED: "import-service",
    events.REGISTRATION_APPROVED: "import-service",
    events.REGISTRATION_REJECTED: "import-service",
    events.PACKAGE_ACTIVATED: "activation-service",
    events.STUDENT_ACCOUNT_UPDATED: "activation-service",
    events.PACKAGE_CATALOG_UPDATED: "activation-service",
    events.SCHOOL_UPDATED: "activation-service",
    events.NOTIFICATION_DELIVERED: "notification-service",
}
# The topics each service's consumers.HANDLERS subscribes to.
CONSUMERS = {
    "activation-service": [events.REGISTRATION_APPROVED],
    "template-service": [
        events.SCHOOL_UPDATED,
        events.STUDENT_ACCOUNT_UPDATED,
        events.PACKAGE_CATALOG_UPDATED,
    ],
    "import-service": [
        events.SCHOOL_UPDATED,
        events.STUDENT_ACCOUNT_UPDATED,
        events.PACKAGE_CATALOG_UPDATED,
        events.PACKAGE_ACTIVATED,
    ],
    "notification-service": [events.PACKAGE_ACTIVATED],
}
KEYS = {
    events.PACKAGE_CATALOG_UPDATED: "catalog:<package_code>",
    events.SCHOOL_UPDATED: "<school_code>:-",
}
STUDENT_KEY = "<school_code>:<student_code>"
DEAD_LETTER_HEADERS = {
    "error": "repr() of the exception, at most 4000 characters",
    "error_class": "the exception's class name",
    "original_topic": "the topic the message was read from",
    "original_partition": "its partition",
    "original_offset": "its offset",
    "failed_at": "when it was dead-lettered (RFC 3339, UTC)",
}
INFO_DESCRIPTION = """\
The events of Học liệu, the registration and activation of learning packages
for Vietnamese schools (DESIGN.md §3).

Every message value is a UTF-8 JSON envelope: `id` (UUID, unique per event;
consumers use it to apply each event once), `type` (the event name), `version`,
`occurred_at` (RFC 3339, UTC), `source` (the publishing service), `school_code`,
`correlation_id` (follows one user action through every service) and `data`
(the event body). The headers repeat `type`, `version` and `correlation_id`.

Topic names are the event names, after an optional environment prefix
(TOPIC_PREFIX, e.g. `prod.`; none in the Kubernetes deployment). Delivery is
at least once: a subscriber must ignore an `id` it has already applied. Events
of one student share the message key `<school_code>:<student_code>` and so
keep their order. A message that cannot be applied after bounded retries goes,
unchanged, to `<topic>.DLQ` with the error in its headers.
"""


def event_schemas() -> dict[str, dict]:
    """The JSON Schema of each event, by event type."""
    return {name: events.event_json_schema(name) for name in events.EVENT_TYPES}


def topic_settings(topics_file: Path = TOPICS_FILE) -> dict[str, dict]:
    """Partitions, replicas and config of each topic, by topic name."""
    documents = yaml.safe_load_all(topics_file.read_text(encoding="utf-8"))
    return {doc["spec"]["topicName"]: doc["spec"]
            for doc in documents if doc and doc.get("kind") == "KafkaTopic"}


def asyncapi_document(topics: dict[str, dict]) -> dict:
    """The AsyncAPI 3.0 document of every topic and its dead-letter topic."""
    channels, operations, messages = {}, {}, {}
    for name, model in events.EVENT_TYPES.items():
        dead_letter = name + events.DLQ_SUFFIX
        channels[name] = _channel(name, name, topics[name], model)
        channels[dead_letter] = _channel(
            dead_letter, dead_letter, topics[dead_letter], None)
        messages[name] = _message(name, model)
        messages[dead_letter] = _dead_letter_message(name)
        operations.update(_operations(name))
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Học liệu events",
            "version": "1.0.0",
            "description": INFO_DESCRIPTION,
        },
        "defaultContentType": "application/json",
        "servers": {
            "production": {
                "host": "hoclieu-kafka-bootstrap:9092",
                "protocol": "kafka",
                "description": "The Strimzi Kafka cluster beside the services "
                               "(deploy/overlays/production).",
            },
            "local": {
                "host": "127.0.0.1:9092",
                "protocol": "kafka",
                "description": "The broker of `make run` and docker-compose.",
            },
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages},
    }


def _channel(key: str, topic: str, spec: dict, model) -> dict:
    if model is None:
        event = topic.removesuffix(events.DLQ_SUFFIX)
        description = (f"Messages of {event} that could not be applied, "
                       "unchanged, with the error in their headers.")
    else:
        description = _doc(model)
    return {
        "address": topic,
        "description": description,
        "messages": {key: {"$ref": f"#/components/messages/{key}"}},
        "bindings": {"kafka": {
            "topic": topic,
            "partitions": spec["partitions"],
            "replicas": spec["replicas"],
            "topicConfiguration": {
                "cleanup.policy": [spec["config"]["cleanup.policy"]],
                "retention.ms": spec["config"]["retention.ms"],
            },
            "bindingVersion": "0.5.0",
        }},
    }


def _message(name: str, model) -> dict:
    return {
        "name": name,
        "title": name,
        "summary": _doc(model),
        "contentType": "application/json",
        "correlationId": {"location": "$message.header#/correlation_id"},
        "headers": {
            "type": "object",
            "properties": {
                "type": {"type": "string", "const": name},
                "version": {"type": "string", "const": str(model.VERSION)},
                "correlation_id": {"type": "string"},
            },
            "required": ["type", "version", "correlation_id"],
        },
        "payload": {"$ref": f"./schemas/{name}.json"},
        "bindings": {"kafka": {
            "key": {"type": "string",
                    "description": f"`{KEYS.get(name, STUDENT_KEY)}`"},
            "bindingVersion": "0.5.0",
        }},
    }


def _dead_letter_message(name: str) -> dict:
    properties = {header: {"type": "string", "description": text}
                  for header, text in DEAD_LETTER_HEADERS.items()}
    return {
        "name": name + events.DLQ_SUFFIX,
        "title": f"Dead letter of {name}",
        "summary": f"A {name} message that could not be applied, as it was "
                   "read; its value may not even be valid JSON.",
        "headers": {"type": "object", "properties": properties,
                    "required": sorted(properties)},
        "payload": {"description": "The original message value, unchanged."},
    }


def _operations(name: str) -> dict:
    channel = {"$ref": f"#/channels/{name}"}
    message = [{"$ref": f"#/channels/{name}/messages/{name}"}]
    publisher = PUBLISHERS[name]
    found = {
        f"{_camel(publisher)}Sends{name}": {
            "action": "send",
            "channel": channel,
            "summary": f"The {publisher} publishes {name} through its outbox.",
            "messages": message,
        }
    }
    for service, topics in CONSUMERS.items():
        if name in topics:
            group = "hoclieu-" + service.removesuffix("-service")
            found[f"{_camel(service)}Receives{name}"] = {
                "action": "receive",
                "channel": channel,
                "summary": f"The {service} applies {name} (consumer group "
                           f"`{group}`).",
                "messages": message,
                "bindings": {"kafka": {
                    "groupId": {"type": "string", "enum": [group]},
                    "bindingVersion": "0.5.0",
                }},
            }
    return found


def _camel(service: str) -> str:
    first, *rest = service.removesuffix("-service").split("-")
    return first + "".join(part.title() for part in rest) + "Service"


def _doc(model) -> str:
    return " ".join((model.__doc__ or "").split())


def render(topics_file: Path = TOPICS_FILE) -> dict[str, str]:
    """Every file of docs/events/ by relative path, with its text."""
    files = {
        f"schemas/{name}.json": json.dumps(schema, indent=2, ensure_ascii=False)
        + "\n"
        for name, schema in event_schemas().items()
    }
    document = asyncapi_document(topic_settings(topics_file))
    files[ASYNCAPI_FILE] = (
        "# Generated by scripts/generate_event_docs.py: do not edit by hand.\n"
        + yaml.dump(document, Dumper=_BlockDumper, sort_keys=False,
                    allow_unicode=True, width=80)
    )
    return files


class _BlockDumper(yaml.SafeDumper):
    """Writes multi-line strings as literal blocks, and repeats, not aliases."""

    def ignore_aliases(self, data) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_BlockDumper.add_representer(str, _represent_str)


def stale_files(out_dir: Path, files: dict[str, str]) -> list[str]:
    """Files under out_dir that differ from, lack, or add to the render."""
    stale = [path for path, text in files.items()
             if not (out_dir / path).is_file()
             or (out_dir / path).read_text(encoding="utf-8") != text]
    extra = [str(p.relative_to(out_dir)) for p in out_dir.glob("schemas/*.json")
             if str(p.relative_to(out_dir)) not in files]
    return sorted(stale + extra)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when a file is not current")
    parser.add_argument("--out", type=Path, default=EVENTS_DIR,
                        help="the folder to write or check")
    args = parser.parse_args(argv)
    files = render()
    if args.check:
        stale = stale_files(args.out, files)
        for path in stale:
            print(f"not current: {args.out / path}", file=sys.stderr)
        if stale:
            print("run: python scripts/generate_event_docs.py", file=sys.stderr)
        return 1 if stale else 0
    for path in stale_files(args.out, files):
        if path not in files:
            (args.out / path).unlink()
    for path, text in files.items():
        (args.out / path).parent.mkdir(parents=True, exist_ok=True)
        (args.out / path).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
