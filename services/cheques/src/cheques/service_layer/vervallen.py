"""Cheque expiry as a dated fact the platform records itself (issue #23 item 2; A-13, A-21).

:func:`laat_vervallen` is the expiry job: every issued cheque, neither used nor refunded
and without an open refund request, whose expiry day (last valid day + 1) is on or before
``tot`` lapses **on that expiry day**, with its posting (the price from ``chequegelden`` to
the organiser, :func:`cheques.domain.grootboek.verval_transactie`) and ``ChequeVervallen``.
The facts are the same whenever the job runs and however often: a late run records the
same dates, a second run finds nothing left (the cheque's status and the ledger's key).
Only the booking month can differ, and only when the expiry day's month was closed before
the job ran (issue #17: then the first open month) — the period close runs the job up to
the month's last day first (:mod:`cheques.entrypoints.routes.periodes`), so it never is.

A lapsed cheque may still pay a prestatie within its validity when it is submitted later
(A-21): :func:`herroep_verval` reverses the expiry's posting (a storno, never dated before
the expiry it reverses) and publishes ``ChequeVervallingHerroepen``.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import date

from cheques.domain.cheque import Cheque
from cheques.domain.grootboek import (
    maand,
    storno_transactie,
    terugbetaling_transactie,
    verval_sleutel,
    verval_transactie,
)
from cheques.service_layer.uow import ChequesUnitOfWork
from wijkwerk.events.cheques import ChequeTerugbetaald, ChequeVervallen, ChequeVervallingHerroepen

log = logging.getLogger("cheques.vervallen")


async def boek_verval(uow: ChequesUnitOfWork, cheque: Cheque) -> None:
    """Posts and publishes the expiry the cheque now records (``afgesloten_op``)."""
    op, b = cheque.afgesloten_op, cheque.bestelling
    assert op is not None
    boekdatum = await uow.boekdatum(op)
    if not await uow.boek(verval_transactie(cheque.serienummer, b.prijs_cent, b.organisator_id, boekdatum,
                                            cheque.validatie)):
        return  # posted before: the fact exists already
    uow.emit(ChequeVervallen(
        serienummer=cheque.serienummer, bestelling_id=b.id, gebruiker_id=b.gebruiker_id,
        organisator_id=b.organisator_id, prijs_cent=b.prijs_cent, vervallen_op=op, geldig_tot=cheque.geldig_tot,
        boekmaand=maand(boekdatum), validatie=cheque.validatie,
    ))


async def herroep_verval(uow: ChequesUnitOfWork, cheque: Cheque, validatie: int, vervallen_op: date, op: date) -> None:
    """A lapsed cheque (its ``validatie``-th expiry, dated ``vervallen_op``) pays a prestatie
    after all, validated on ``op``: the storno of its expiry posting, if one was posted."""
    origineel = await uow.grootboek.get(verval_sleutel(cheque.serienummer, validatie))
    if origineel is None:
        return  # lapsed before expiries were booked: no money moved
    herroepen_op = max(op, origineel.boekdatum)
    boekdatum = await uow.boekdatum(herroepen_op)
    await uow.boek(storno_transactie(origineel, boekdatum))
    b = cheque.bestelling
    uow.emit(ChequeVervallingHerroepen(
        serienummer=cheque.serienummer, bestelling_id=b.id, gebruiker_id=b.gebruiker_id,
        organisator_id=b.organisator_id, prijs_cent=b.prijs_cent, vervallen_op=vervallen_op,
        herroepen_op=herroepen_op, boekmaand=maand(boekdatum), validatie=validatie,
    ))


async def boek_terugbetaling(uow: ChequesUnitOfWork, cheque: Cheque, aanvraag_id: uuid.UUID | None = None) -> None:
    """Posts and publishes the refund the cheque now records (``afgesloten_op``)."""
    op, b = cheque.afgesloten_op, cheque.bestelling
    assert op is not None
    boekdatum = await uow.boekdatum(op)
    await uow.boek(terugbetaling_transactie(cheque.serienummer, b.prijs_cent, b.gebruiker_id, boekdatum))
    uow.emit(ChequeTerugbetaald(
        serienummer=cheque.serienummer, bestelling_id=b.id, gebruiker_id=b.gebruiker_id,
        organisator_id=b.organisator_id, prijs_cent=b.prijs_cent, terugbetaald_op=op, boekmaand=maand(boekdatum),
        aanvraag_id=aanvraag_id,
    ))


async def laat_vervallen(uow_factory: Callable[[], ChequesUnitOfWork], tot: date, limiet: int = 200) -> list[str]:
    """The expiry job up to ``tot`` (inclusive): the serial numbers that lapsed in this run,
    in batches of ``limiet`` (one transaction each)."""
    vervallen: list[str] = []
    while True:
        uow = uow_factory()
        async with uow:
            nu: list[str] = []
            for serienummer in await uow.aanvragen.te_laten_vervallen(tot, limiet):
                cheque = await uow.cheques.get(serienummer, for_update=True)
                if cheque is not None and cheque.vervalt_tegen(tot):
                    await uow.cheques.save(cheque)
                    await boek_verval(uow, cheque)
                    nu.append(serienummer)
            await uow.commit()
        vervallen += nu
        if len(nu) < limiet:
            break
    if vervallen:
        log.info("%d cheques lapsed (expiry days up to %s)", len(vervallen), tot)
    return vervallen
