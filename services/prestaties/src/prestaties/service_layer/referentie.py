"""Event handlers that keep the reference data in step with toeleiding: organisers and
their area, and the workers' trajectory windows (consumed through the inbox, so each
event is applied exactly once; per worker the events arrive in order)."""

from __future__ import annotations

import logging

from sqlalchemy import case
from sqlalchemy.ext.asyncio import AsyncSession

from prestaties.adapters.tables import trajecten_ref

from prestaties.adapters.referentie import OrganisatorReferentie, VensterRepository
from prestaties.domain.traject import TrajectVenster
from wijkwerk.events import Envelope
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


async def organisator_geregistreerd(session: AsyncSession, event: OrganisatorGeregistreerd, _: Envelope) -> None:
    await OrganisatorReferentie(session).bewaar(
        event.organisator_id, event.naam, event.samenwerkingsverband, [g.nis_code for g in event.gemeenten]
    )


async def werkingsgebied_gewijzigd(session: AsyncSession, event: WerkingsgebiedGewijzigd, _: Envelope) -> None:
    await OrganisatorReferentie(session).vervang_gebied(event.organisator_id, [g.nis_code for g in event.gemeenten])


async def traject_gestart(session: AsyncSession, event: TrajectGestart, _: Envelope) -> None:
    await VensterRepository(session).start(
        TrajectVenster(
            traject_id=event.traject_id, wijkwerker_id=event.wijkwerker_id, organisator_id=event.organisator_id,
            start=event.start, gepland_einde=event.gepland_einde,
        )
    )


async def _wijzig(session: AsyncSession, envelope: Envelope, traject_id, **waarden) -> bool:
    known = await VensterRepository(session).wijzig(traject_id, **waarden)
    if not known:
        # Only possible when TrajectGestart never reached this service: nothing to fold into.
        log.warning("%s for unknown trajectory %s ignored", envelope.event_type, traject_id)
    return known


async def overeenkomst_getekend(session: AsyncSession, event: OvereenkomstGetekend, envelope: Envelope) -> None:
    await _wijzig(session, envelope, event.traject_id, overeenkomst_op=event.getekend_op)


async def traject_verlengd(session: AsyncSession, event: TrajectVerlengd, envelope: Envelope) -> None:
    # A prolongation may follow the housekeeping job's end at the old planned end: that end
    # no longer holds (toeleiding reopens the trajectory; a decided end refuses it there).
    await _wijzig(session, envelope, event.traject_id, gepland_einde=event.gepland_einde, werkelijk_einde=None)


async def traject_geschorst(session: AsyncSession, event: TrajectGeschorst, envelope: Envelope) -> None:
    # A suspension may also move the planned end (PR-24); the event carries the new one.
    # When it moved, a job's end at the old planned end no longer holds (as above).
    werkelijk = case((trajecten_ref.c.gepland_einde.is_distinct_from(event.gepland_einde), None),
                     else_=trajecten_ref.c.werkelijk_einde)
    if await _wijzig(session, envelope, event.traject_id, gepland_einde=event.gepland_einde, werkelijk_einde=werkelijk):
        await VensterRepository(session).schors(event.traject_id, event.van, event.tot)


async def traject_beeindigd(session: AsyncSession, event: TrajectBeeindigd, envelope: Envelope) -> None:
    await _wijzig(session, envelope, event.traject_id, werkelijk_einde=event.einde)


HANDLERS = {
    OrganisatorGeregistreerd: organisator_geregistreerd,
    WerkingsgebiedGewijzigd: werkingsgebied_gewijzigd,
    TrajectGestart: traject_gestart,
    OvereenkomstGetekend: overeenkomst_getekend,
    TrajectVerlengd: traject_verlengd,
    TrajectGeschorst: traject_geschorst,
    TrajectBeeindigd: traject_beeindigd,
}
