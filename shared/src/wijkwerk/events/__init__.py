"""The platform's event contracts. Importing this package registers every event."""

from wijkwerk.events import cheques, evaluatie, prestaties, toeleiding  # noqa: F401  (register their events)
from wijkwerk.events.envelope import Actor, Envelope, Event
from wijkwerk.events.registry import EventRegistry, UnknownEvent, registry

__all__ = ["Actor", "Envelope", "Event", "EventRegistry", "UnknownEvent", "registry"]
