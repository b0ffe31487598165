"""Events of the prestaties (hour registration) service, topic ``wijkwerk.prestaties.v1``."""

from __future__ import annotations

from wijkwerk.events import topics
from wijkwerk.events.envelope import Event


class _PrestatiesEvent(Event):
    topic = topics.PRESTATIES
