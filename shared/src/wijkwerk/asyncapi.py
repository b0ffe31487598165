"""The event catalogue as an AsyncAPI 3 document, generated from the event models.

``python -m wijkwerk.asyncapi --output docs/asyncapi.yaml`` writes it; a test fails
when the committed document is stale.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import yaml

from wijkwerk.events import Envelope, registry
from wijkwerk.events.topics import ALL_TOPICS, dlq_topic

SERVICES = {t: t.split(".")[1] for t in ALL_TOPICS}


def _schema(model) -> dict[str, Any]:
    return model.model_json_schema(ref_template="#/components/schemas/{model}")


def build() -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}

    envelope = _schema(Envelope)
    schemas.update(envelope.pop("$defs", {}))
    schemas["Envelope"] = envelope

    by_topic: dict[str, list[str]] = {t: [] for t in ALL_TOPICS}
    for event_type, model in sorted(registry.models().items()):
        payload = _schema(model)
        schemas.update(payload.pop("$defs", {}))
        schemas[event_type] = payload
        messages[event_type] = {
            "name": event_type,
            "title": event_type,
            "summary": (model.__doc__ or event_type).strip().splitlines()[0],
            "contentType": "application/json",
            "headers": {"type": "object", "description": "Kafka key: " + (model.key_field or model.aggregate_field)},
            "payload": {
                "allOf": [
                    {"$ref": "#/components/schemas/Envelope"},
                    {
                        "type": "object",
                        "properties": {
                            "event_type": {"const": event_type},
                            "schema_version": {"const": model.schema_version},
                            "payload": {"$ref": f"#/components/schemas/{event_type}"},
                        },
                    },
                ]
            },
        }
        by_topic[model.topic].append(event_type)

    for topic, event_types in by_topic.items():
        key = topic.replace(".", "_")
        channels[key] = {
            "address": topic,
            "description": f"Events of the {SERVICES[topic]} service; poison messages go to {dlq_topic(topic)}.",
            "messages": {e: {"$ref": f"#/components/messages/{e}"} for e in event_types},
        }
        operations[f"publish_{key}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{key}"},
            "summary": f"{SERVICES[topic]} publishes through its transactional outbox",
            "messages": [{"$ref": f"#/channels/{key}/messages/{e}"} for e in event_types],
        }

    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Wijk-werken platform events",
            "version": "1.0.0",
            "description": (
                "Every event travels in one JSON envelope. Topics are keyed by wijkwerker_id where the "
                "event has one. Delivery is at-least-once (transactional outbox); consumers deduplicate on "
                "event_id (inbox). Schemas only grow; a breaking change is a new schema_version with an upcaster. "
                "Metadata: `actor` names the principal behind the change (token subject, org, org_type; "
                "the issuer for a webhook), carried on to the events a consumed event causes "
                "(with causation_id); no personal data."
            ),
        },
        "defaultContentType": "application/json",
        "servers": {
            "embedded": {"host": "127.0.0.1:19092", "protocol": "kafka", "description": "wijkwerk up (Tansu)"},
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": dict(sorted(schemas.items()))},
    }


def render() -> str:
    return yaml.safe_dump(build(), sort_keys=False, allow_unicode=True, width=100)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", type=Path, default=Path("docs/asyncapi.yaml"))
    args = parser.parse_args()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(render(), encoding="utf-8")


if __name__ == "__main__":
    main()
