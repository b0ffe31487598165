"""Validations a prestatie no longer pays (issue #6): after a correction to fewer started
hours or a cancellation, the cheques it took beyond its hours are released, newest
validation first, each with a storno of its ledger transaction.

Two steps, because a worker's money events must reach the topic in the order their
effects happened (ARCHITECTURE §3 pitfall 1): the consumer of the prestaties topic only
writes an order (:func:`noteer`, in the transaction of its inbox row, so a redelivery
writes nothing), and :func:`voer_uit` applies each order in a transaction of its own
that takes the worker's lock before it writes anything, as a validation or a payout does.

The storno is booked in the month of the correction's business date (A-20:
``gecorrigeerd_op`` / ``geannuleerd_op``, else the event's date in Brussels for events
from before they carried it), never before the validation it reverses, or in the first
open month when that month was closed already (issue #17), and mirrors the posted
transaction line by line. The day's travel allowance (A-03: once per
day and placement) is reversed with the cheque that leaves that day and placement without
any validated cheque; while one remains, the day was still worked and paid, so the
allowance stays. A later validation on that day grants it again under a new key.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from zoneinfo import ZoneInfo

from cheques.adapters.terugdraaiingen import Opdracht
from cheques.domain.cheque import Cheque, Prestatie, overtollige
from cheques.domain.grootboek import cheque_sleutel, maand, reis_sleutel, storno_transactie, verdeling_van
from cheques.service_layer.uow import ChequesUnitOfWork
from cheques.service_layer.vervallen import boek_verval
from wijkwerk.actor import zet_actor
from wijkwerk.events import Actor
from wijkwerk.events.cheques import ChequeValidatieTeruggedraaid
from wijkwerk.events.prestaties import PrestatieGeannuleerd, PrestatieGecorrigeerd

BRUSSEL = ZoneInfo("Europe/Brussels")
log = logging.getLogger("cheques.terugdraaien")


class OntbrekendeBoeking(RuntimeError):
    """A validated cheque without its ledger transaction: nothing to mirror."""


async def noteer(event: PrestatieGecorrigeerd | PrestatieGeannuleerd, uow: ChequesUnitOfWork) -> None:
    """Every correction and cancellation becomes an order; whether anything is reversed is
    decided under the worker's lock, after any validation that raced with it."""
    envelope = uow.envelope
    assert envelope is not None  # a consumed event's unit of work
    if isinstance(event, PrestatieGeannuleerd):
        reden, datum = "geannuleerd", event.geannuleerd_op
    else:
        reden, datum = "gecorrigeerd", event.gecorrigeerd_op
    await uow.opdrachten.add(Opdracht(
        id=envelope.event_id, prestatie_id=event.prestatie_id, wijkwerker_id=event.wijkwerker_id,
        datum=datum or envelope.occurred_at.astimezone(BRUSSEL).date(), reden=reden,
        actor=envelope.actor.model_dump() if envelope.actor else None,
    ))


async def voer_uit(nieuwe_uow: Callable[[], ChequesUnitOfWork], limiet: int = 500) -> int:
    """Applies up to ``limiet`` open orders, oldest first, one transaction each; returns how
    many validations were reversed. An order that fails stays open for the next run."""
    async with nieuwe_uow() as uow:
        open_opdrachten = await uow.opdrachten.open(limiet)
    teruggedraaid = 0
    for open_opdracht in open_opdrachten:
        try:
            teruggedraaid += await _voer_uit(nieuwe_uow, open_opdracht)
        except OntbrekendeBoeking:
            log.exception("reversal order %s cannot be applied", open_opdracht.id)
    return teruggedraaid


async def _voer_uit(nieuwe_uow: Callable[[], ChequesUnitOfWork], open_opdracht: Opdracht) -> int:
    async with nieuwe_uow() as uow:
        await uow.grootboek.vergrendel_wijkwerker(open_opdracht.wijkwerker_id)  # before any write
        opdracht = await uow.opdrachten.neem(open_opdracht.id)
        if opdracht is None:  # applied by another replica meanwhile
            return 0
        # The storno and its events name whoever corrected or cancelled the prestatie.
        zet_actor(Actor.model_validate(opdracht.actor) if opdracht.actor else None, rechtstreeks=False)
        try:
            teruggedraaid = await _pas_toe(uow, opdracht)
        finally:
            zet_actor(None, rechtstreeks=False)
        await uow.opdrachten.klaar(opdracht.id)
        await uow.commit()
    return teruggedraaid


async def _pas_toe(uow: ChequesUnitOfWork, opdracht: Opdracht) -> int:
    prestatie = await uow.prestaties.get(opdracht.prestatie_id)
    if prestatie is None:  # never registered here: nothing was validated against it
        return 0
    te_veel = overtollige(await uow.cheques.gevalideerd_voor_prestatie(prestatie.id), prestatie.te_betalen_uren)
    for cheque in te_veel:
        await _draai_cheque_terug(uow, cheque, prestatie, opdracht)
    return len(te_veel)


async def _draai_cheque_terug(uow: ChequesUnitOfWork, cheque: Cheque, prestatie: Prestatie, opdracht: Opdracht) -> None:
    validatie = cheque.validatie
    origineel = await uow.grootboek.get(cheque_sleutel(cheque.serienummer, validatie))
    if origineel is None:
        raise OntbrekendeBoeking(f"cheque {cheque.serienummer} has no posted validation {cheque.validatie}")
    gevalideerd_op = cheque.gevalideerd_op
    assert gevalideerd_op is not None
    # The correction's business date, but a storno never precedes what it reverses.
    op = max(opdracht.datum, gevalideerd_op)
    bruikbaar = cheque.draai_validatie_terug(op)
    await uow.cheques.save(cheque)
    # The correction's month, or the first open month when that one is closed (issue #17).
    boekdatum = await uow.boekdatum(op)
    await uow.boek(storno_transactie(origineel, boekdatum))
    reis = 0
    if await uow.cheques.gevalideerd_op_dag(prestatie.koppeling_id, prestatie.datum) == 0:
        reis = await _draai_reis_terug(uow, prestatie, boekdatum)
    v, b = verdeling_van(origineel), cheque.bestelling
    uow.emit(ChequeValidatieTeruggedraaid(
        serienummer=cheque.serienummer, bestelling_id=b.id, prestatie_id=prestatie.id,
        koppeling_id=prestatie.koppeling_id, wijkwerker_id=prestatie.wijkwerker_id, gebruiker_id=b.gebruiker_id,
        organisator_id=b.organisator_id, drager=b.drager, prijs_cent=b.prijs_cent, besteld_op=b.besteld_op,
        prestatie_datum=prestatie.datum, gevalideerd_op=gevalideerd_op, teruggedraaid_op=op,
        boekmaand=maand(boekdatum), reden=opdracht.reden, wijkwerker_cent=v.wijkwerker,
        verzekering_cent=v.verzekering, reisfonds_cent=v.reisfonds, uitgever_cent=v.uitgever,
        organisator_cent=v.organisator, verplaatsingsvergoeding_cent=reis, opnieuw_bruikbaar=bruikbaar,
        validatie=validatie,
    ))
    if not bruikbaar:  # released after its validity: it lapses on the storno's date, booked as any expiry
        await boek_verval(uow, cheque)


async def _draai_reis_terug(uow: ChequesUnitOfWork, prestatie: Prestatie, op: date) -> int:
    """The storno of the day's granted allowance, if one was granted; its cents."""
    eerdere = await uow.reisdagen.terugdraaiingen(prestatie.koppeling_id, prestatie.datum)
    origineel = await uow.grootboek.get(reis_sleutel(prestatie.koppeling_id, prestatie.datum, eerdere + 1))
    if origineel is None:
        return 0
    await uow.boek(storno_transactie(origineel, op))
    await uow.reisdagen.teruggedraaid(prestatie.koppeling_id, prestatie.datum)
    return origineel.debet
