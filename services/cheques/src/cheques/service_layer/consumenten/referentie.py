"""Event handlers that keep organiser and tariff reference data in step with toeleiding."""

from cheques.service_layer.uow import ChequesUnitOfWork
from wijkwerk.events.toeleiding import OrganisatorGeregistreerd, TariefVastgelegd


async def organisator_geregistreerd(event: OrganisatorGeregistreerd, uow: ChequesUnitOfWork) -> None:
    await uow.tarieven.bewaar_organisator(event.organisator_id, event.naam)


async def tarief_vastgelegd(event: TariefVastgelegd, uow: ChequesUnitOfWork) -> None:
    await uow.tarieven.bewaar_tarief(event.organisator_id, event.geldig_vanaf, event.prijs_cent)


HANDLERS = {OrganisatorGeregistreerd: organisator_geregistreerd, TariefVastgelegd: tarief_vastgelegd}
