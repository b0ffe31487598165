"""Event handlers that keep the reference data in step with toeleiding: organisers and
their area, and the workers' trajectory windows (consumed through the inbox, so each
event is applied exactly once; per worker the events arrive in order). Each gets a unit of work joined to the inbox
transaction (``(event, uow)``, as commands)."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from prestaties.domain.traject import TrajectVenster
from prestaties.service_layer.uow import PrestatiesUnitOfWork
from wijkwerk.events import Event
from wijkwerk.events.toeleiding import (
    OrganisatorGeregistreerd,
    OvereenkomstGetekend,
    TrajectBeeindigd,
    TrajectGeschorst,
    TrajectGestart,
    TrajectVerlengd,
    WerkingsgebiedGewijzigd,
)

log = logging.getLogger("prestaties.referentie")


async def organisator_geregistreerd(event: OrganisatorGeregistreerd, uow: PrestatiesUnitOfWork) -> None:
    await uow.organisatoren.bewaar(
        event.organisator_id, event.naam, event.samenwerkingsverband, [g.nis_code for g in event.gemeenten]
    )


async def werkingsgebied_gewijzigd(event: WerkingsgebiedGewijzigd, uow: PrestatiesUnitOfWork) -> None:
    await uow.organisatoren.vervang_gebied(event.organisator_id, [g.nis_code for g in event.gemeenten])


async def traject_gestart(event: TrajectGestart, uow: PrestatiesUnitOfWork) -> None:
    await uow.vensters.start(
        TrajectVenster(
            traject_id=event.traject_id, wijkwerker_id=event.wijkwerker_id, organisator_id=event.organisator_id,
            start=event.start, gepland_einde=event.gepland_einde,
        )
    )


def _bekend(known: bool, event: Event, traject_id: uuid.UUID) -> bool:
    if not known:
        # Only possible when TrajectGestart never reached this service: nothing to fold into.
        log.warning("%s for unknown trajectory %s ignored", event.event_type, traject_id)
    return known


async def _wijzig(uow: PrestatiesUnitOfWork, event: Event, traject_id: uuid.UUID, **waarden: Any) -> bool:
    return _bekend(await uow.vensters.wijzig(traject_id, **waarden), event, traject_id)


async def overeenkomst_getekend(event: OvereenkomstGetekend, uow: PrestatiesUnitOfWork) -> None:
    await _wijzig(uow, event, event.traject_id, overeenkomst_op=event.getekend_op)


async def traject_verlengd(event: TrajectVerlengd, uow: PrestatiesUnitOfWork) -> None:
    # A prolongation may follow the housekeeping job's end at the old planned end: that end
    # no longer holds (toeleiding reopens the trajectory; a decided end refuses it there).
    await _wijzig(uow, event, event.traject_id, gepland_einde=event.gepland_einde, werkelijk_einde=None)


async def traject_geschorst(event: TrajectGeschorst, uow: PrestatiesUnitOfWork) -> None:
    # A suspension may also move the planned end (PR-24); the event carries the new one.
    # When it moved, a job's end at the old planned end no longer holds (as above).
    verschoven = await uow.vensters.wijzig_gepland_einde(event.traject_id, event.gepland_einde)
    if _bekend(verschoven, event, event.traject_id):
        await uow.vensters.schors(event.traject_id, event.van, event.tot)


async def traject_beeindigd(event: TrajectBeeindigd, uow: PrestatiesUnitOfWork) -> None:
    await _wijzig(uow, event, event.traject_id, werkelijk_einde=event.einde)


HANDLERS = {
    OrganisatorGeregistreerd: organisator_geregistreerd,
    WerkingsgebiedGewijzigd: werkingsgebied_gewijzigd,
    TrajectGestart: traject_gestart,
    OvereenkomstGetekend: overeenkomst_getekend,
    TrajectVerlengd: traject_verlengd,
    TrajectGeschorst: traject_geschorst,
    TrajectBeeindigd: traject_beeindigd,
}
