"""Event handlers that keep organiser and tariff reference data in step with toeleiding."""

from sqlalchemy.ext.asyncio import AsyncSession

from cheques.adapters.referentie import TariefReferentie
from wijkwerk.events import Envelope
from wijkwerk.events.toeleiding import OrganisatorGeregistreerd, TariefVastgelegd


async def organisator_geregistreerd(session: AsyncSession, event: OrganisatorGeregistreerd, _: Envelope) -> None:
    await TariefReferentie(session).bewaar_organisator(event.organisator_id, event.naam)


async def tarief_vastgelegd(session: AsyncSession, event: TariefVastgelegd, _: Envelope) -> None:
    await TariefReferentie(session).bewaar_tarief(event.organisator_id, event.geldig_vanaf, event.prijs_cent)


HANDLERS = {OrganisatorGeregistreerd: organisator_geregistreerd, TariefVastgelegd: tarief_vastgelegd}
