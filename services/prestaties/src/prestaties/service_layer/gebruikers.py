"""Handlers for gebruikers, their erkenningen and registration fees, and contacts."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.exc import IntegrityError

from prestaties.domain.contact import Contact
from prestaties.domain.gebruiker import Erkenning, ErkenningRegels, Gebruiker, Geldigheid
from prestaties.service_layer import commands
from prestaties.service_layer.uow import PrestatiesUnitOfWork
from wijkwerk.events.prestaties import (
    ContactGeregistreerd,
    ErkenningHernieuwd,
    ErkenningOndertekend,
    ErkenningStopgezet,
    ErkenningVerleend,
    GebruikerGeregistreerd,
    InschrijvingsrechtBetaald,
)
from wijkwerk.fouten import BestaatAl, NietGevonden, NogOnbekend


async def _gebruiker(uow: PrestatiesUnitOfWork, gebruiker_id: uuid.UUID) -> Gebruiker:
    gebruiker = await uow.gebruikers.get(gebruiker_id)
    if gebruiker is None:
        raise NietGevonden("No such gebruiker.", rule="gebruiker-onbekend")
    return gebruiker


async def gebruiker_bij(
    uow: PrestatiesUnitOfWork, gebruiker_id: uuid.UUID, organisator_id: uuid.UUID
) -> tuple[Gebruiker, Erkenning | None]:
    """The gebruiker as an organiser knows it (signed up there, or holding an erkenning with
    it) and that erkenning. Another area's gebruiker gets the same 404 as an unknown id,
    so nothing leaks about other areas."""
    gebruiker = await uow.gebruikers.get(gebruiker_id)
    erkenning = await uow.erkenningen.bij(gebruiker.id, organisator_id) if gebruiker else None
    if gebruiker is None or (erkenning is None and gebruiker.aangemeld_bij != organisator_id):
        raise NietGevonden("No such gebruiker.", rule="gebruiker-onbekend")
    return gebruiker, erkenning


async def _bekende_organisator(uow: PrestatiesUnitOfWork, organisator_id: uuid.UUID) -> None:
    if await uow.organisatoren.get(organisator_id) is None:
        raise NogOnbekend("This organiser is not known here yet.", rule="organisator-nog-onbekend")


async def registreer_gebruiker(cmd: commands.RegistreerGebruiker, uow: PrestatiesUnitOfWork,
                              vingerafdruk_sleutel: bytes | None = None) -> Gebruiker:
    """The optional IBAN and address stay here; the event carries their keyed fingerprints."""
    gebruiker = Gebruiker.registreer(
        categorie=cmd.categorie, naam=cmd.naam, aangemeld_op=cmd.aangemeld_op,
        aangemeld_bij=cmd.aangemeld_bij, geslacht=cmd.geslacht, iban=cmd.iban, adres=cmd.adres,
    )
    async with uow:
        await _bekende_organisator(uow, cmd.aangemeld_bij)
        await uow.gebruikers.add(gebruiker)
        uow.emit(
            GebruikerGeregistreerd(
                gebruiker_id=gebruiker.id, categorie=gebruiker.categorie.value,
                geslacht=gebruiker.geslacht.value if gebruiker.geslacht else None,
                aangemeld_op=gebruiker.aangemeld_op, aangemeld_bij=gebruiker.aangemeld_bij,
                iban_vingerafdruk=gebruiker.iban_vingerafdruk(vingerafdruk_sleutel),
                adres_vingerafdruk=gebruiker.adres_vingerafdruk(vingerafdruk_sleutel),
            ),
            aggregate_version=gebruiker.version,
        )
        await uow.commit()
    return gebruiker


def _betaald(e: Erkenning, periode: Geldigheid) -> InschrijvingsrechtBetaald:
    assert periode.betaald_op is not None
    return InschrijvingsrechtBetaald(
        erkenning_id=e.id, gebruiker_id=e.gebruiker_id, organisator_id=e.organisator_id,
        bedrag_cent=periode.inschrijvingsrecht_cent, jaar=periode.van.year, geldig_van=periode.van,
        geldig_tot=periode.tot, betaald_op=periode.betaald_op,
    )


async def verleen_erkenning(
    cmd: commands.VerleenErkenning, uow: PrestatiesUnitOfWork, regels: ErkenningRegels
) -> Erkenning:
    async with uow:
        gebruiker = await _gebruiker(uow, cmd.gebruiker_id)
        await _bekende_organisator(uow, cmd.organisator_id)
        erkenning = Erkenning.verleen(
            gebruiker_id=gebruiker.id, organisator_id=cmd.organisator_id, vanaf=cmd.geldig_vanaf,
            overeenkomst_op=cmd.overeenkomst_op, regels=regels,
        )
        if await uow.erkenningen.bij(gebruiker.id, cmd.organisator_id) is not None:
            raise BestaatAl("The gebruiker already holds an erkenning with this organiser.", rule="erkenning-bestaat-al")
        try:
            await uow.erkenningen.add(erkenning)
        except IntegrityError as exc:  # a concurrent grant for the same pair won
            raise BestaatAl("The gebruiker already holds an erkenning with this organiser.", rule="erkenning-bestaat-al") from exc
        periode = erkenning.perioden[0]
        uow.emit(
            ErkenningVerleend(
                erkenning_id=erkenning.id, gebruiker_id=gebruiker.id, organisator_id=erkenning.organisator_id,
                gebruiker_categorie=gebruiker.categorie.value, geldig_van=periode.van, geldig_tot=periode.tot,
                inschrijvingsrecht_cent=periode.inschrijvingsrecht_cent, overeenkomst_op=erkenning.overeenkomst_op,
            ),
            aggregate_version=erkenning.version,
        )
        if periode.betaald_op is not None:
            uow.emit(_betaald(erkenning, periode), aggregate_version=erkenning.version)
        await uow.commit()
    return erkenning


async def _erkenning(uow: PrestatiesUnitOfWork, erkenning_id: uuid.UUID) -> Erkenning:
    erkenning = await uow.erkenningen.get(erkenning_id, for_update=True)
    if erkenning is None:
        raise NietGevonden("No such erkenning.", rule="erkenning-onbekend")
    return erkenning


async def onderteken_erkenning(cmd: commands.OndertekenErkenning, uow: PrestatiesUnitOfWork) -> Erkenning:
    async with uow:
        e = await _erkenning(uow, cmd.erkenning_id)
        e.onderteken(cmd.op)
        await uow.erkenningen.save(e)
        uow.emit(
            ErkenningOndertekend(
                erkenning_id=e.id, gebruiker_id=e.gebruiker_id, organisator_id=e.organisator_id, overeenkomst_op=cmd.op
            ),
            aggregate_version=e.version,
        )
        await uow.commit()
    return e


async def betaal_inschrijvingsrecht(cmd: commands.BetaalInschrijvingsrecht, uow: PrestatiesUnitOfWork) -> Erkenning:
    async with uow:
        e = await _erkenning(uow, cmd.erkenning_id)
        periode = e.betaal(cmd.betaald_op)
        await uow.erkenningen.save(e)
        uow.emit(_betaald(e, periode), aggregate_version=e.version)
        await uow.commit()
    return e


async def hernieuw_erkenning(
    cmd: commands.HernieuwErkenning, uow: PrestatiesUnitOfWork, regels: ErkenningRegels
) -> Erkenning:
    async with uow:
        e = await _erkenning(uow, cmd.erkenning_id)
        periode = e.hernieuw(cmd.vanaf, regels)
        await uow.erkenningen.save(e)
        uow.emit(
            ErkenningHernieuwd(
                erkenning_id=e.id, gebruiker_id=e.gebruiker_id, organisator_id=e.organisator_id,
                geldig_van=periode.van, geldig_tot=periode.tot, inschrijvingsrecht_cent=periode.inschrijvingsrecht_cent,
            ),
            aggregate_version=e.version,
        )
        if periode.betaald_op is not None:
            uow.emit(_betaald(e, periode), aggregate_version=e.version)
        await uow.commit()
    return e


async def stop_erkenning(cmd: commands.StopErkenning, uow: PrestatiesUnitOfWork) -> Erkenning:
    async with uow:
        e = await _erkenning(uow, cmd.erkenning_id)
        e.stop(cmd.einde, cmd.reden)
        await uow.erkenningen.save(e)
        uow.emit(
            ErkenningStopgezet(
                erkenning_id=e.id, gebruiker_id=e.gebruiker_id, organisator_id=e.organisator_id,
                einde=cmd.einde, reden=cmd.reden,
            ),
            aggregate_version=e.version,
        )
        await uow.commit()
    return e


async def registreer_contact(cmd: commands.RegistreerContact, uow: PrestatiesUnitOfWork, vandaag: date) -> Contact:
    contact = Contact.registreer(
        vandaag=vandaag, gebruiker_id=cmd.gebruiker_id, organisator_id=cmd.organisator_id, datum=cmd.datum,
        door=cmd.door, door_rol=cmd.door_rol, kanaal=cmd.kanaal, reden=cmd.reden, notitie=cmd.notitie,
    )
    async with uow:
        await gebruiker_bij(uow, cmd.gebruiker_id, cmd.organisator_id)  # contacts with gebruikers it knows
        await uow.contacten.add(contact)
        uow.emit(
            ContactGeregistreerd(
                contact_id=contact.id, gebruiker_id=contact.gebruiker_id, organisator_id=contact.organisator_id,
                datum=contact.datum, door_rol=contact.door_rol.value, kanaal=contact.kanaal.value,
                reden=contact.reden.value,
            )
        )
        await uow.commit()
    return contact
