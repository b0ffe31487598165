"""The webhooks consumer (ADR 0018): each consumed platform event the catalogue names
becomes a delivery per matching subscription, written in the consumer's inbox transaction."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import orjson

from evaluatie.adapters.webhooks import Abonnementen
from evaluatie.domain import webhooks as domein
from evaluatie.service_layer.uow import EvaluatieUnitOfWork
from wijkwerk.events import Event, registry


def body(type_: str, data: dict[str, Any], occurred_at: datetime) -> bytes:
    """What a subscriber receives: the Standard Webhooks payload shape (type, timestamp,
    data), with the catalogue's fields only."""
    return orjson.dumps({"type": type_, "timestamp": occurred_at.isoformat(), "data": domein.payload(type_, data)})


async def maak_leveringen(abonnementen: Abonnementen, event_type: str, data: dict[str, Any], event_id: uuid.UUID,
                          occurred_at: datetime) -> int:
    """The deliveries one consumed event gives, from plain values (the consumer hands them)."""
    type_ = domein.PER_EVENT[event_type]
    organisator = data.get("organisator_id")
    return await abonnementen.maak_leveringen(
        type_, uuid.UUID(str(organisator)) if organisator else None, event_id, body(type_, data, occurred_at)
    )


async def event_naar_leveringen(event: Event, uow: EvaluatieUnitOfWork) -> None:
    """Consumer handler, ``(event, uow)`` with the unit of work joined to the inbox
    transaction: thin, delegates to :func:`maak_leveringen`."""
    envelope = uow.envelope
    assert envelope is not None, "a consumed event's unit of work carries its envelope"
    await maak_leveringen(uow.abonnementen, type(event).__name__, event.model_dump(mode="json"),
                          envelope.event_id, envelope.occurred_at)


# the platform events the catalogue names, each fanned out by the same thin handler
HANDLERS = {registry.model_for(soort.event): event_naar_leveringen for soort in domein.CATALOGUS.values()}
