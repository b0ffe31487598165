"""Outbound webhooks: the subscription commands (ADR 0018). The fan-out of consumed events
into deliveries is the webhooks consumer's (``service_layer.consumenten.webhooks``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from evaluatie.domain import webhooks as domein
from evaluatie.service_layer.uow import EvaluatieUnitOfWork
from wijkwerk import webhooks
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
