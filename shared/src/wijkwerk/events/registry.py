"""From ``event_type`` to model, with upcasters for old schema versions.

A published schema only grows (new optional fields). A breaking change bumps the
class's ``schema_version`` and registers an upcaster from the previous version, so a
consumer always sees the current model whatever is still on the topic.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wijkwerk.events.envelope import Envelope, Event

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


class UnknownEvent(Exception):
    """The event type or its schema version is not known to this consumer."""


class EventRegistry:
    def __init__(self) -> None:
        self._models: dict[str, type[Event]] = {}
        self._upcasters: dict[tuple[str, int], Upcaster] = {}

    def register(self, model: type[Event]) -> type[Event]:
        existing = self._models.get(model.event_type)
        if existing is not None and existing is not model:
            raise ValueError(f"event type {model.event_type} registered twice")
        self._models[model.event_type] = model
        return model

    def upcaster(self, event_type: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
        def decorate(fn: Upcaster) -> Upcaster:
            self._upcasters[(event_type, from_version)] = fn
            return fn

        return decorate

    def models(self) -> dict[str, type[Event]]:
        return dict(self._models)

    def model_for(self, event_type: str) -> type[Event]:
        try:
            return self._models[event_type]
        except KeyError:
            raise UnknownEvent(f"unknown event type {event_type!r}") from None

    def decode(self, envelope: Envelope) -> Event:
        """The envelope's payload as the current model, upcast step by step."""
        model = self.model_for(envelope.event_type)
        version, payload = envelope.schema_version, envelope.payload
        if version > model.schema_version:
            raise UnknownEvent(
                f"{envelope.event_type} schema_version {version} is newer than this "
                f"consumer knows ({model.schema_version})"
            )
        while version < model.schema_version:
            step = self._upcasters.get((envelope.event_type, version))
            if step is None:
                raise UnknownEvent(
                    f"no upcaster for {envelope.event_type} from version {version}"
                )
            payload, version = step(payload), version + 1
        return model.model_validate(payload)


registry = EventRegistry()
"""The platform's one registry; event modules register into it on import."""
