"""Request and response schemas of the public API. Requests reject extra fields and
carry an example each, so /docs shows a request that works."""

from __future__ import annotations

import re
from datetime import time
from typing import Annotated, Any

from pydantic import BeforeValidator, ConfigDict, Field, WithJsonSchema

Nis = Annotated[str, Field(pattern=r"^\d{5}$", examples=["31005"])]
Reden = Annotated[str, Field(min_length=1, max_length=200)]

_LOKALE_TIJD = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


def _lokale_tijd(waarde: object) -> object:
    """Only ``HH:MM`` or ``HH:MM:SS``: no offset (the time is local, on the prestatie's day),
    no fraction, no number of seconds."""
    if isinstance(waarde, time) or (isinstance(waarde, str) and re.match(_LOKALE_TIJD, waarde)):
        return waarde
    raise ValueError("a local time HH:MM or HH:MM:SS, without an offset")


# OpenAPI's ``format: time`` is RFC 3339's full-time, which requires an offset: generated
# clients refuse "09:00:00". The start of a prestatie is a local time (RFC 3339 partial-time).
LokaleTijd = Annotated[time, BeforeValidator(_lokale_tijd), WithJsonSchema({
    "type": "string", "format": "partial-time", "pattern": _LOKALE_TIJD, "examples": ["09:00:00"],
    "description": "Local time on the prestatie's day (Europe/Brussels), HH:MM or HH:MM:SS, no offset",
})]


def verzoek(**voorbeeld: Any) -> ConfigDict:
    """The config of a request model: strict, with one worked example."""
    return ConfigDict(extra="forbid", json_schema_extra={"examples": [voorbeeld]})
