"""Request and response schemas of the public API. Requests reject extra fields and
carry an example each, so /docs shows a request that works."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import ConfigDict, Field

Nis = Annotated[str, Field(pattern=r"^\d{5}$", examples=["31005"])]
Reden = Annotated[str, Field(min_length=1, max_length=200)]


def verzoek(**voorbeeld: Any) -> ConfigDict:
    """The config of a request model: strict, with one worked example."""
    return ConfigDict(extra="forbid", json_schema_extra={"examples": [voorbeeld]})
