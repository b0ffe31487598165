"""The envelope every event travels in, and the base class of every event.

An event is a frozen pydantic model named in the past tense with the domain's Dutch
noun. Its ``event_type`` and ``schema_version`` are class-level; the envelope adds
identity, ordering and tracing. JSON on the wire (orjson).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

import orjson
from pydantic import BaseModel, ConfigDict, Field


class Event(BaseModel):
    """Base of every event payload. Subclasses set ``event_type`` and ``topic``.

    ``key_field`` names the payload field whose value is the Kafka key (the
    pseudonymous ``wijkwerker_id`` where there is one), so everything about one
    worker stays in order; without it the aggregate id is the key.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_type: ClassVar[str]
    schema_version: ClassVar[int] = 1
    topic: ClassVar[str]
    aggregate_field: ClassVar[str]
    key_field: ClassVar[str | None] = "wijkwerker_id"

    def aggregate_id(self) -> str:
        return str(getattr(self, self.aggregate_field))

    def partition_key(self) -> str:
        if self.key_field and getattr(self, self.key_field, None) is not None:
            return str(getattr(self, self.key_field))
        return self.aggregate_id()


def utcnow() -> datetime:
    return datetime.now(UTC)


class Actor(BaseModel):
    """Who caused an event (the audit trail, issue #18): the verified token's subject,
    organisation and kind of caller, or the issuer for a signed webhook. A consumed event
    passes its actor on to the events it causes. No personal data: ``subject`` is the
    identity provider's opaque ``sub`` (or a service's client id), never a name or INSZ."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    subject: str = Field(description="The token's `sub` (an opaque id at the identity provider) or the issuer")
    org: str | None = Field(None, description="The caller's organisation (token claim `org`), if any")
    org_type: str = Field(description="vdab, service, organisator, toeleider, gebruiker, or uitgever (webhook)")


class Envelope(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: uuid.UUID = Field(default_factory=uuid.uuid4)
    event_type: str
    schema_version: int
    occurred_at: datetime = Field(default_factory=utcnow)
    producer: str
    aggregate_id: str
    aggregate_version: int = 0
    correlation_id: str | None = None
    causation_id: str | None = None
    # Metadata: the principal behind the change (absent for the platform's own work, such
    # as a scheduled job, and in events written before issue #18).
    actor: Actor | None = None
    # The W3C trace context of the span that emitted the event (wijkwerk.tracing); absent
    # while tracing is off and in events written before it existed.
    traceparent: str | None = Field(
        None, max_length=55, pattern=r"^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$",
        description="W3C trace context of the span that emitted the event; absent while tracing is off",
    )
    payload: dict[str, Any]

    @classmethod
    def wrap(
        cls,
        event: Event,
        *,
        producer: str,
        aggregate_version: int = 0,
        correlation_id: str | None = None,
        causation_id: str | None = None,
        occurred_at: datetime | None = None,
        actor: Actor | None = None,
        traceparent: str | None = None,
    ) -> Envelope:
        return cls(
            event_type=event.event_type,
            schema_version=event.schema_version,
            occurred_at=occurred_at or utcnow(),
            producer=producer,
            aggregate_id=event.aggregate_id(),
            aggregate_version=aggregate_version,
            correlation_id=correlation_id,
            causation_id=causation_id,
            actor=actor,
            traceparent=traceparent,
            payload=event.model_dump(mode="json"),
        )

    def to_bytes(self) -> bytes:
        data = self.model_dump(mode="json")
        if data["actor"] is None:
            del data["actor"]  # an event without one reads exactly as before issue #18
        if data["traceparent"] is None:
            del data["traceparent"]  # tracing off: the bytes are what they were before it
        return orjson.dumps(data)

    @classmethod
    def from_bytes(cls, raw: bytes) -> Envelope:
        return cls.model_validate(orjson.loads(raw))
