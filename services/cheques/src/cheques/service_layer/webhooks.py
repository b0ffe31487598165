"""Handlers of the issuer's webhooks. The raw delivery is stored in ``webhook_inbox`` in the
same transaction as its effect: a redelivery finds it and changes nothing, a refused
delivery leaves nothing behind (the issuer may deliver it again later)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date
from typing import Any

from cheques.domain.cheque import Bestelling, Cheque, Prestatie, Status, geldig_tot
from cheques.domain.grootboek import cheque_transactie, maand, reis_transactie
from cheques.domain.tarieven import Soort
from cheques.domain.verdeling import Verdeling, verdeel
from cheques.service_layer import commands
from cheques.service_layer.uow import ChequesUnitOfWork
from cheques.service_layer.vervallen import boek_terugbetaling, boek_verval, herroep_verval
from wijkwerk import prestatiecode
from wijkwerk.events.cheques import (
    ChequeGevalideerd,
    ChequesBesteld,
    ChequesUitgegeven,
    VerplaatsingsvergoedingToegekend,
)
from wijkwerk.fouten import BestaatAl, NogOnbekend, OngeldigeInvoer

Validatie = commands.ValideerCheque | commands.ValideerCheques


async def verwerk(levering: commands.Levering, cmd: object, uow: ChequesUnitOfWork) -> bool:
    """Applies one delivery; False when it is a redelivery (acknowledged, no effect)."""
    async with uow:
        if isinstance(cmd, commands.ValideerCheque | commands.ValideerCheques):
            cmd = await _met_prestatie_id(uow, cmd)
            assert cmd.prestatie_id is not None
            prestatie = await uow.prestaties.get(cmd.prestatie_id)
            if prestatie is not None:  # before any write: see GrootboekRepository.vergrendel_wijkwerker
                await uow.grootboek.vergrendel_wijkwerker(prestatie.wijkwerker_id)
        nieuw = await uow.webhooks.bewaar(
            levering.uitgever, levering.delivery_id, levering.soort, levering.ondertekend_op, levering.body
        )
        if not nieuw:
            return False
        await HANDLERS[type(cmd)](cmd, uow, levering.uitgever)
        await uow.commit()
    return True


async def _met_prestatie_id(uow: ChequesUnitOfWork, cmd: Validatie) -> Validatie:
    """A validation by the reference the gebruiker sees becomes one by the prestatie's id."""
    if cmd.prestatie_id is not None or cmd.prestatie_referentie is None:
        return cmd
    referentie = prestatiecode.lees(cmd.prestatie_referentie)
    if referentie is None:
        raise OngeldigeInvoer(
            f"{cmd.prestatie_referentie!r} is not a prestatie reference (its check character does not match).",
            rule="prestatie-referentie-ongeldig",
        )
    prestatie_id = await uow.prestaties.met_referentie(referentie)
    if prestatie_id is None:
        raise NogOnbekend("No prestatie with this reference is known here yet.", rule="prestatie-nog-onbekend")
    return replace(cmd, prestatie_id=prestatie_id)


async def registreer_bestelling(cmd: commands.RegistreerBestelling, uow: ChequesUnitOfWork, uitgever: str) -> None:
    prijs = await uow.tarieven.tarief_op(cmd.organisator_id, cmd.besteld_op)
    if prijs is None and not await uow.tarieven.organisator_bekend(cmd.organisator_id):
        # Still on its way from toeleiding: the issuer delivers again after Retry-After.
        raise NogOnbekend("This organiser is not known here yet.", rule="organisator-nog-onbekend")
    if prijs is None:
        raise OngeldigeInvoer("No tariff is known for this organiser on the order date.", rule="tarief-onbekend")
    Soort.uitgeverkost(cmd.drager)  # a carrier without an issuer fee is refused now, not at validation
    # the cheques are bound to this gebruiker and organiser, so the gebruiker holds an
    # active erkenning there on the order date. None known here: its events may still
    # be on their way from prestaties (retryable); known but not active: refused.
    stand = await uow.erkenningen.stand_op(cmd.gebruiker_id, cmd.organisator_id, cmd.besteld_op)
    if stand is None:
        raise NogOnbekend("No erkenning of this gebruiker at this organiser is known here yet.",
                          rule="erkenning-nog-onbekend")
    if stand != "actief":
        raise OngeldigeInvoer(
            f"The gebruiker holds no active erkenning at this organiser on {cmd.besteld_op} (A-14).",
            rule="geen-actieve-erkenning", erkenning_status=stand,
        )
    b = Bestelling(
        id=cmd.bestelling_id, uitgever=uitgever, gebruiker_id=cmd.gebruiker_id, organisator_id=cmd.organisator_id,
        aantal=cmd.aantal, drager=cmd.drager, besteld_op=cmd.besteld_op, prijs_cent=prijs,
    )
    if not await uow.bestellingen.add(b):
        raise BestaatAl("This order was registered before.", rule="bestelling-bestaat-al")
    uow.emit(
        ChequesBesteld(
            bestelling_id=b.id, uitgever=b.uitgever, gebruiker_id=b.gebruiker_id, organisator_id=b.organisator_id,
            aantal=b.aantal, drager=b.drager, besteld_op=b.besteld_op, prijs_cent=b.prijs_cent,
            totaal_cent=b.totaal_cent,
        ),
        aggregate_version=1,
    )


async def _bestelling(uow: ChequesUnitOfWork, cmd: commands.GeefChequesUit, uitgever: str) -> Bestelling:
    bestelling = await uow.bestellingen.get(cmd.bestelling_id, for_update=True)
    if bestelling is None or bestelling.uitgever != uitgever:
        raise OngeldigeInvoer("No such order from this issuer.", rule="bestelling-onbekend")
    return bestelling


async def geef_cheques_uit(cmd: commands.GeefChequesUit, uow: ChequesUnitOfWork, uitgever: str) -> None:
    bestelling = await _bestelling(uow, cmd, uitgever)
    bestelling.controleer_uitgifte(await uow.cheques.aantal_van(bestelling.id), cmd.serienummers, cmd.uitgegeven_op)
    tarieven = await uow.tarieven_voor_splitsing()
    tot = geldig_tot(cmd.uitgegeven_op, tarieven.op(Soort.GELDIGHEID_MAANDEN, cmd.uitgegeven_op))
    nieuwe = [Cheque(s, bestelling, cmd.uitgegeven_op, tot) for s in cmd.serienummers]
    if await uow.cheques.add_all(bestelling, nieuwe) != len(nieuwe):
        raise BestaatAl("A serial number in this batch exists already.", rule="serienummer-bestaat-al")
    uow.emit(
        ChequesUitgegeven(
            bestelling_id=bestelling.id, uitgever=uitgever, gebruiker_id=bestelling.gebruiker_id,
            organisator_id=bestelling.organisator_id, drager=bestelling.drager, prijs_cent=bestelling.prijs_cent,
            serienummers=cmd.serienummers, uitgegeven_op=cmd.uitgegeven_op, geldig_tot=tot,
        )
    )


async def _cheque(uow: ChequesUnitOfWork, serienummer: str, uitgever: str) -> Cheque:
    cheque = await uow.cheques.get(serienummer, for_update=True)
    if cheque is None or cheque.bestelling.uitgever != uitgever:
        raise OngeldigeInvoer(f"Cheque {serienummer} is not known.", rule="cheque-onbekend")
    return cheque


async def valideer_cheques(cmd: commands.ValideerCheques, uow: ChequesUnitOfWork, uitgever: str) -> None:
    """Each cheque as if delivered alone, in one transaction: a refusal of any of them
    rolls back the others (the delivery is refused as a whole and may come again)."""
    if len(set(cmd.serienummers)) != len(cmd.serienummers):
        raise OngeldigeInvoer("A serial number occurs twice in this delivery.", rule="serienummer-dubbel")
    for serienummer in cmd.serienummers:
        await valideer_cheque(
            commands.ValideerCheque(serienummer, cmd.prestatie_id, cmd.gevalideerd_op), uow, uitgever
        )


async def valideer_cheque(cmd: commands.ValideerCheque, uow: ChequesUnitOfWork, uitgever: str) -> None:
    cheque = await _cheque(uow, cmd.serienummer, uitgever)
    # The cheque's own refusals first (used, refunded): they hold whatever the prestatie.
    # Expiry is judged on the prestatie's date, so it waits for the prestatie.
    cheque.moet_beschikbaar_zijn()
    assert cmd.prestatie_id is not None  # verwerk() resolved a prestatie_referentie
    prestatie = await uow.prestaties.get(cmd.prestatie_id)
    if prestatie is None:
        # Its PrestatieGeregistreerd may still be on its way: the issuer delivers again later.
        raise NogOnbekend("The prestatie is not known here yet.", rule="prestatie-nog-onbekend")
    # A lapsed cheque paying a prestatie within its validity: its expiry is reversed.
    vervallen = (cheque.validatie, cheque.afgesloten_op) if cheque.status is Status.VERVALLEN else None
    cheque.valideer(prestatie, cmd.gevalideerd_op, await uow.cheques.gevalideerd_voor(prestatie.id))
    if vervallen is not None and vervallen[1] is not None:
        await herroep_verval(uow, cheque, vervallen[0], vervallen[1], cmd.gevalideerd_op)
    b = cheque.bestelling
    v = verdeel(b.prijs_cent, b.drager, b.besteld_op, prestatie.datum, await uow.tarieven_voor_splitsing())
    await uow.cheques.save(cheque)
    # Booked on the validation date; when that month is closed, in the first open
    # month (issue #17): the prestatie's date only chooses the rates, never the month.
    boekdatum = await uow.boekdatum(cmd.gevalideerd_op)
    await uow.boek(cheque_transactie(
        cheque.serienummer, v, prestatie.wijkwerker_id, b.organisator_id, boekdatum, cheque.validatie
    ))
    uow.emit(_gevalideerd(cheque, prestatie, v, boekdatum))
    bedrag = prestatie.verplaatsingsvergoeding_dag_cent
    if bedrag <= 0:
        return
    # once per day and placement, with that day's first validated cheque (again after
    # a storno of the day's allowance: the next grant has its own key).
    toekenning = await uow.reisdagen.terugdraaiingen(prestatie.koppeling_id, prestatie.datum) + 1
    reis = reis_transactie(
        prestatie.koppeling_id, prestatie.datum, bedrag, prestatie.wijkwerker_id, boekdatum, toekenning
    )
    if await uow.boek(reis):
        uow.emit(
            VerplaatsingsvergoedingToegekend(
                wijkwerker_id=prestatie.wijkwerker_id, koppeling_id=prestatie.koppeling_id,
                organisator_id=prestatie.organisator_id, prestatie_id=prestatie.id, serienummer=cheque.serienummer,
                datum=prestatie.datum, bedrag_cent=bedrag, gevalideerd_op=cmd.gevalideerd_op,
                boekmaand=maand(boekdatum),
            )
        )


def _gevalideerd(cheque: Cheque, prestatie: Prestatie, v: Verdeling, boekdatum: date) -> ChequeGevalideerd:
    """Everything evaluatie's money reports need (RPT-17, RPT-18), without calling back."""
    b, gevalideerd_op = cheque.bestelling, cheque.gevalideerd_op
    assert gevalideerd_op is not None
    return ChequeGevalideerd(
        serienummer=cheque.serienummer, bestelling_id=b.id, prestatie_id=prestatie.id,
        koppeling_id=prestatie.koppeling_id, wijkwerker_id=prestatie.wijkwerker_id, gebruiker_id=b.gebruiker_id,
        organisator_id=b.organisator_id, drager=b.drager, prijs_cent=b.prijs_cent, besteld_op=b.besteld_op,
        prestatie_datum=prestatie.datum, gevalideerd_op=gevalideerd_op, boekmaand=maand(boekdatum),
        wijkwerker_cent=v.wijkwerker, verzekering_cent=v.verzekering, reisfonds_cent=v.reisfonds,
        uitgever_cent=v.uitgever, organisator_cent=v.organisator, validatie=cheque.validatie,
    )


async def betaal_cheque_terug(cmd: commands.BetaalChequeTerug, uow: ChequesUnitOfWork, uitgever: str) -> None:
    """The issuer refunded an unused cheque: the whole price back to the gebruiker."""
    cheque = await _cheque(uow, cmd.serienummer, uitgever)
    cheque.betaal_terug(cmd.terugbetaald_op)
    await uow.cheques.save(cheque)
    await boek_terugbetaling(uow, cheque)


async def laat_cheque_vervallen(cmd: commands.LaatChequeVervallen, uow: ChequesUnitOfWork, uitgever: str) -> None:
    """The issuer reports a lapse: the same fact the platform's expiry job records, dated the
    cheque's own expiry day; nothing new when it lapsed already."""
    cheque = await _cheque(uow, cmd.serienummer, uitgever)
    if cheque.laat_vervallen(cmd.vervallen_op):
        await uow.cheques.save(cheque)
        await boek_verval(uow, cheque)


HANDLERS: dict[type[Any], Callable[..., Awaitable[None]]] = {
    commands.RegistreerBestelling: registreer_bestelling,
    commands.GeefChequesUit: geef_cheques_uit,
    commands.ValideerCheque: valideer_cheque,
    commands.ValideerCheques: valideer_cheques,
    commands.BetaalChequeTerug: betaal_cheque_terug,
    commands.LaatChequeVervallen: laat_cheque_vervallen,
}
