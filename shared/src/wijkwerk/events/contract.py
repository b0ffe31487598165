"""Guard for "a published schema only grows".

``published.json`` (next to this module) records every event type's fields per
``schema_version`` as published. Against the current models, a field may be added only
with a default (not required); no field may disappear or change its schema within a
version. A breaking change needs a new ``schema_version`` and an upcaster.
``python -m wijkwerk.events.contract --update`` records newly published fields.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from wijkwerk.events.registry import registry

PUBLISHED = Path(__file__).with_name("published.json")


def current() -> dict[str, dict[str, Any]]:
    snapshot: dict[str, dict[str, Any]] = {}
    for event_type, model in sorted(registry.models().items()):
        schema = model.model_json_schema()
        snapshot[event_type] = {
            str(model.schema_version): {
                "properties": schema.get("properties", {}),
                "required": sorted(schema.get("required", [])),
                "defs": schema.get("$defs", {}),
            }
        }
    return snapshot


def load() -> dict[str, dict[str, Any]]:
    return json.loads(PUBLISHED.read_text(encoding="utf-8")) if PUBLISHED.exists() else {}


def violations(published: dict[str, dict[str, Any]], now: dict[str, dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    for event_type, versions in published.items():
        if event_type not in now:
            problems.append(f"{event_type}: a published event type was removed")
            continue
        for version, old in versions.items():
            new = now[event_type].get(version)
            if new is None:
                if int(version) > int(next(iter(now[event_type]))):
                    problems.append(f"{event_type} v{version}: the model went back to an older version")
                continue  # an older version: the upcaster chain covers it
            for field, field_schema in old["properties"].items():
                if field not in new["properties"]:
                    problems.append(f"{event_type} v{version}: field {field!r} was removed")
                elif new["properties"][field] != field_schema:
                    problems.append(f"{event_type} v{version}: field {field!r} changed its schema")
            for field in set(new["required"]) - set(old["required"]):
                problems.append(f"{event_type} v{version}: new field {field!r} must have a default")
            for name, definition in old.get("defs", {}).items():
                if new.get("defs", {}).get(name, definition) != definition:
                    problems.append(f"{event_type} v{version}: nested schema {name!r} changed")
    return problems


def unpublished(published: dict[str, dict[str, Any]], now: dict[str, dict[str, Any]]) -> list[str]:
    return [
        f"{event_type} v{version}"
        for event_type, versions in now.items()
        for version, schema in versions.items()
        if published.get(event_type, {}).get(version) != schema
    ]


def update() -> None:
    published, now = load(), current()
    if problems := violations(published, now):
        raise SystemExit("refusing to record a breaking change:\n" + "\n".join(problems))
    for event_type, versions in now.items():
        published.setdefault(event_type, {}).update(versions)
    PUBLISHED.write_text(json.dumps(published, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--update", action="store_true", help="record the current schemas as published")
    if parser.parse_args().update:
        update()
