"""Event handlers that fold every topic into the reporting read models."""

from sqlalchemy.ext.asyncio import AsyncSession

from evaluatie.adapters.leesmodellen import Leesmodellen
from evaluatie.adapters.trajecten import TrajectRepository
from wijkwerk.events import Envelope
from wijkwerk.events.toeleiding import (
    OrganisatorGeregistreerd,
    OvereenkomstGetekend,
    ToeleidingOntvangen,
    TrajectBeeindigd,
    TrajectGeschorst,
    TrajectGestart,
    TrajectVerlengd,
    WijkwerkerIngeschreven,
)


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


async def traject_gestart(session: AsyncSession, e: TrajectGestart, _: Envelope) -> None:
    await TrajectRepository(session).gestart(e.traject_id, e.wijkwerker_id, e.organisator_id, e.start, e.gepland_einde)


async def overeenkomst_getekend(session: AsyncSession, e: OvereenkomstGetekend, _: Envelope) -> None:
    await TrajectRepository(session).wijzig(e.traject_id, overeenkomst_op=e.getekend_op)


async def traject_verlengd(session: AsyncSession, e: TrajectVerlengd | TrajectGeschorst, _: Envelope) -> None:
    await TrajectRepository(session).wijzig(e.traject_id, gepland_einde=e.gepland_einde)


async def traject_beeindigd(session: AsyncSession, e: TrajectBeeindigd, _: Envelope) -> None:
    await TrajectRepository(session).wijzig(e.traject_id, werkelijk_einde=e.einde, einde_reden=e.reden, vervolg=e.vervolg)


HANDLERS = {
    TrajectGestart: traject_gestart,
    OvereenkomstGetekend: overeenkomst_getekend,
    TrajectVerlengd: traject_verlengd,
    TrajectGeschorst: traject_verlengd,
    TrajectBeeindigd: traject_beeindigd,
    OrganisatorGeregistreerd: organisator_geregistreerd,
    WijkwerkerIngeschreven: wijkwerker_ingeschreven,
    ToeleidingOntvangen: toeleiding_ontvangen,
}
