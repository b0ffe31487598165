"""Outbound webhooks: subscriptions (commands) and the fan-out of consumed events into
deliveries, in the consumer's inbox transaction (ADR 0018)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from evaluatie.adapters.webhooks import Abonnementen
from evaluatie.domain import webhooks as domein
from evaluatie.service_layer.uow import EvaluatieUnitOfWork
from wijkwerk import webhooks
from wijkwerk.events import Event, registry
from wijkwerk.fouten import NietGevonden


@dataclass(frozen=True)
class NeemAbonnement:
    eigenaar: domein.Eigenaar
    door: str
    url: str
    types: tuple[str, ...]
    organisator_id: uuid.UUID | None


async def neem_abonnement(cmd: NeemAbonnement, uow: EvaluatieUnitOfWork, *, productie: bool) -> tuple[uuid.UUID, str]:
    """The new subscription's id and its secret (shown once)."""
    gevraagd = str(cmd.organisator_id) if cmd.organisator_id else None
    organisator = domein.bereik(cmd.eigenaar.type, cmd.eigenaar.org or None, gevraagd, list(cmd.types))
    url = domein.controleer_url(cmd.url, productie=productie)
    id, geheim = uuid.uuid4(), webhooks.nieuw_geheim()
    async with uow:
        await uow.abonnementen.nieuw(id, cmd.eigenaar, cmd.door, url, sorted(set(cmd.types)), organisator, geheim)
        await uow.commit()
    return id, geheim


async def _eigen(uow: EvaluatieUnitOfWork, id: uuid.UUID, eigenaar: domein.Eigenaar) -> Any:
    abonnement = await uow.abonnementen.get(id, eigenaar)
    if abonnement is None:  # someone else's answers alike: nothing tells it exists
        raise NietGevonden("No such subscription.", rule="abonnement-onbekend")
    return abonnement


async def zeg_op(id: uuid.UUID, eigenaar: domein.Eigenaar, uow: EvaluatieUnitOfWork) -> None:
    async with uow:
        await _eigen(uow, id, eigenaar)
        await uow.abonnementen.zeg_op(id)
        await uow.commit()


async def roteer(id: uuid.UUID, eigenaar: domein.Eigenaar, uow: EvaluatieUnitOfWork, overlap_s: float
                 ) -> tuple[str, datetime]:
    """A new secret; deliveries are signed with the old one too until the returned moment."""
    geheim = webhooks.nieuw_geheim()
    async with uow:
        await _eigen(uow, id, eigenaar)
        tot = await uow.abonnementen.roteer(id, geheim, overlap_s)
        await uow.commit()
    return geheim, tot


async def leveringen(id: uuid.UUID, eigenaar: domein.Eigenaar, uow: EvaluatieUnitOfWork, status: str | None,
                     limit: int, offset: int) -> list[tuple[Any, list[Any]]]:
    async with uow:
        await _eigen(uow, id, eigenaar)
        rijen = await uow.abonnementen.leveringen(id, status, limit, offset)
        pogingen = await uow.abonnementen.pogingen([r.id for r in rijen])
    return [(r, pogingen.get(r.id, [])) for r in rijen]


async def opnieuw(id: uuid.UUID, levering_id: uuid.UUID, eigenaar: domein.Eigenaar, uow: EvaluatieUnitOfWork
                  ) -> Any:
    async with uow:
        await _eigen(uow, id, eigenaar)
        levering = await uow.abonnementen.opnieuw(id, levering_id)
        if levering is None:
            raise NietGevonden("No such delivery of this subscription.", rule="levering-onbekend")
        await uow.commit()
    return levering


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
