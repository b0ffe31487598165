"""Event handlers that keep organiser, tariff and fingerprint reference data in step with
toeleiding (and the gebruikers' fingerprints from prestaties, ADR 0024)."""

from cheques.service_layer.uow import ChequesUnitOfWork
from wijkwerk.events.prestaties import GebruikerGeregistreerd
from wijkwerk.events.toeleiding import (
    OrganisatorGeregistreerd,
    TariefVastgelegd,
    WijkwerkerGewijzigd,
    WijkwerkerIngeschreven,
)


async def organisator_geregistreerd(event: OrganisatorGeregistreerd, uow: ChequesUnitOfWork) -> None:
    await uow.tarieven.bewaar_organisator(event.organisator_id, event.naam)


async def tarief_vastgelegd(event: TariefVastgelegd, uow: ChequesUnitOfWork) -> None:
    await uow.tarieven.bewaar_tarief(event.organisator_id, event.geldig_vanaf, event.prijs_cent)


async def wijkwerker_vingerafdrukken(event: WijkwerkerIngeschreven | WijkwerkerGewijzigd,
                                     uow: ChequesUnitOfWork) -> None:
    """The worker's IBAN and address fingerprints (rule gedeelde-iban-of-adres)."""
    await uow.signalen.bewaar_vingerafdrukken(event.wijkwerker_id, "wijkwerker", event.iban_vingerafdruk,
                                              event.adres_vingerafdruk)


async def gebruiker_vingerafdrukken(event: GebruikerGeregistreerd, uow: ChequesUnitOfWork) -> None:
    """The gebruiker's (consumed with the prestaties topic)."""
    await uow.signalen.bewaar_vingerafdrukken(event.gebruiker_id, "gebruiker", event.iban_vingerafdruk,
                                              event.adres_vingerafdruk)


HANDLERS = {OrganisatorGeregistreerd: organisator_geregistreerd, TariefVastgelegd: tarief_vastgelegd,
            WijkwerkerIngeschreven: wijkwerker_vingerafdrukken, WijkwerkerGewijzigd: wijkwerker_vingerafdrukken}
