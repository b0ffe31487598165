"""Event handlers that fold every topic into the reporting read models."""

from sqlalchemy.ext.asyncio import AsyncSession

from evaluatie.adapters.leesmodellen import Leesmodellen
from wijkwerk.events import Envelope
from wijkwerk.events.toeleiding import OrganisatorGeregistreerd, WijkwerkerIngeschreven


async def organisator_geregistreerd(session: AsyncSession, event: OrganisatorGeregistreerd, _: Envelope) -> None:
    await Leesmodellen(session).organisator(event.organisator_id, event.naam, event.samenwerkingsverband)


async def wijkwerker_ingeschreven(session: AsyncSession, event: WijkwerkerIngeschreven, _: Envelope) -> None:
    await Leesmodellen(session).dossier(
        event.wijkwerker_id, event.organisator_id, event.ex_pwa, event.uitkeringsstatus, event.ingeschreven_op
    )


HANDLERS = {OrganisatorGeregistreerd: organisator_geregistreerd, WijkwerkerIngeschreven: wijkwerker_ingeschreven}
