"""Event handlers that fold every topic into the reporting read models."""

from sqlalchemy.ext.asyncio import AsyncSession

from evaluatie.adapters.leesmodellen import Leesmodellen
from wijkwerk.events import Envelope
from wijkwerk.events.toeleiding import OrganisatorGeregistreerd, ToeleidingOntvangen, WijkwerkerIngeschreven


async def organisator_geregistreerd(session: AsyncSession, event: OrganisatorGeregistreerd, _: Envelope) -> None:
    await Leesmodellen(session).organisator(event.organisator_id, event.naam, event.samenwerkingsverband)


async def wijkwerker_ingeschreven(session: AsyncSession, event: WijkwerkerIngeschreven, _: Envelope) -> None:
    await Leesmodellen(session).dossier(
        event.wijkwerker_id, event.organisator_id, event.ex_pwa, event.uitkeringsstatus, event.ingeschreven_op
    )


async def toeleiding_ontvangen(session: AsyncSession, event: ToeleidingOntvangen, _: Envelope) -> None:
    await Leesmodellen(session).toeleiding(
        event.model_dump(
            include={
                "toeleiding_id", "wijkwerker_id", "organisator_id", "toeleider_type", "advies_maanden",
                "ontvangen_op", "uitkeringsstatus", "ex_pwa", "hertoeleiding",
            }
        )
    )


HANDLERS = {
    OrganisatorGeregistreerd: organisator_geregistreerd,
    WijkwerkerIngeschreven: wijkwerker_ingeschreven,
    ToeleidingOntvangen: toeleiding_ontvangen,
}
