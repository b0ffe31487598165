"""Event handlers that keep the organiser reference data in step with toeleiding."""

from sqlalchemy.ext.asyncio import AsyncSession

from prestaties.adapters.referentie import OrganisatorReferentie
from wijkwerk.events import Envelope
from wijkwerk.events.toeleiding import OrganisatorGeregistreerd


async def organisator_geregistreerd(session: AsyncSession, event: OrganisatorGeregistreerd, _: Envelope) -> None:
    await OrganisatorReferentie(session).bewaar(
        event.organisator_id, event.naam, event.samenwerkingsverband, [g.nis_code for g in event.gemeenten]
    )


HANDLERS = {OrganisatorGeregistreerd: organisator_geregistreerd}
