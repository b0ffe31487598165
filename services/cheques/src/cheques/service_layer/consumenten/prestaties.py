"""Reactions to the prestaties topic (consumed through the inbox): the local prestatie
reference that validation checks against, the registration fees for the ledger, and the
reversal orders of corrected or cancelled prestaties (:mod:`terugdraaien`). Each handler
gets a unit of work joined to the inbox transaction (``(event, uow)``, as commands)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from cheques.domain.cheque import Prestatie
from cheques.domain.grootboek import inschrijving_transactie, maand
from cheques.domain.signaal import Drempels
from cheques.service_layer import signalen, terugdraaien
from cheques.service_layer.consumenten import referentie
from cheques.service_layer.uow import ChequesUnitOfWork
from wijkwerk.events.cheques import InschrijvingsrechtGeboekt
from wijkwerk.events.prestaties import (
    ErkenningHernieuwd,
    ErkenningOndertekend,
    ErkenningStopgezet,
    ErkenningVerleend,
    GebruikerGeregistreerd,
    InschrijvingsrechtBetaald,
    PrestatieBetwist,
    PrestatieBetwistingBeslecht,
    PrestatieGeannuleerd,
    PrestatieGecorrigeerd,
    PrestatieGeregistreerd,
)


async def prestatie_geregistreerd(event: PrestatieGeregistreerd, uow: ChequesUnitOfWork) -> None:
    await uow.prestaties.bewaar(
        Prestatie(
            id=event.prestatie_id, wijkwerker_id=event.wijkwerker_id, gebruiker_id=event.gebruiker_id,
            organisator_id=event.organisator_id, koppeling_id=event.koppeling_id, datum=event.datum,
            begonnen_uren=event.begonnen_uren,
            verplaatsingsvergoeding_dag_cent=event.verplaatsingsvergoeding_dag_cent, referentie=event.referentie,
            start=event.start, minuten=event.minuten,
        )
    )


async def prestatie_gecorrigeerd(event: PrestatieGecorrigeerd, uow: ChequesUnitOfWork) -> None:
    # Further cheques count against the new hours; those validated beyond them are released
    # (terugdraaien: in a transaction of its own).
    # A correction opens a new confirmation window: an open dispute no longer holds it.
    await uow.prestaties.wijzig(event.prestatie_id, begonnen_uren=event.begonnen_uren, betwist_op=None,
                                beslecht_op=None, uitkomst=None, start=event.start, minuten=event.minuten)
    await terugdraaien.noteer(event, uow)


async def prestatie_betwist(event: PrestatieBetwist, uow: ChequesUnitOfWork) -> None:
    """Issue #23 item 3: held from the payout runs dated on or after the dispute's date."""
    assert uow.envelope is not None
    op = event.betwist_op or uow.envelope.occurred_at.astimezone(terugdraaien.BRUSSEL).date()
    await uow.prestaties.wijzig(event.prestatie_id, betwist_op=op, beslecht_op=None, uitkomst=None)


async def prestatie_betwisting_beslecht(event: PrestatieBetwistingBeslecht, uow: ChequesUnitOfWork) -> None:
    """Upheld: payable by the runs dated from the resolution. Rejected: stays held; the
    cancellation that follows reverses its validations (terugdraaien)."""
    await uow.prestaties.wijzig(event.prestatie_id, beslecht_op=event.beslecht_op, uitkomst=event.uitkomst)


async def prestatie_geannuleerd(event: PrestatieGeannuleerd, uow: ChequesUnitOfWork) -> None:
    await uow.prestaties.wijzig(event.prestatie_id, geannuleerd=True)
    await terugdraaien.noteer(event, uow)


async def inschrijvingsrecht_betaald(event: InschrijvingsrechtBetaald, uow: ChequesUnitOfWork) -> None:
    """G-3: the yearly fee goes to the organiser, booked in the month it was paid, or in the
    first open month when that month was closed (issue #17); the booking month is published
    (``InschrijvingsrechtGeboekt``) so the recompute books it there too. A fee of zero
    (PR-21) moves no money and posts nothing."""
    await uow.erkenningen.periode(event.erkenning_id, event.geldig_van, event.geldig_tot, event.betaald_op)
    if event.bedrag_cent <= 0:
        return
    boekdatum = await uow.boekdatum(event.betaald_op)
    if await uow.boek(
        inschrijving_transactie(event.erkenning_id, event.jaar, event.bedrag_cent, event.organisator_id, boekdatum)
    ):
        uow.emit(InschrijvingsrechtGeboekt(
            erkenning_id=event.erkenning_id, organisator_id=event.organisator_id, jaar=event.jaar,
            bedrag_cent=event.bedrag_cent, betaald_op=event.betaald_op, boekmaand=maand(boekdatum),
        ))


async def erkenning_verleend(event: ErkenningVerleend, uow: ChequesUnitOfWork) -> None:
    """A-14: orders need an active erkenning of the gebruiker at the order's organiser."""
    erkenningen = uow.erkenningen
    await erkenningen.verleend(event.erkenning_id, event.gebruiker_id, event.organisator_id, event.overeenkomst_op)
    await erkenningen.periode(event.erkenning_id, event.geldig_van, event.geldig_tot)


async def erkenning_ondertekend(event: ErkenningOndertekend, uow: ChequesUnitOfWork) -> None:
    await uow.erkenningen.wijzig(event.erkenning_id, overeenkomst_op=event.overeenkomst_op)


async def erkenning_hernieuwd(event: ErkenningHernieuwd, uow: ChequesUnitOfWork) -> None:
    await uow.erkenningen.periode(event.erkenning_id, event.geldig_van, event.geldig_tot)


async def erkenning_stopgezet(event: ErkenningStopgezet, uow: ChequesUnitOfWork) -> None:
    await uow.erkenningen.wijzig(event.erkenning_id, einde=event.einde)


def _met_signalen(handler: Callable[[Any, ChequesUnitOfWork], Awaitable[None]], drempels: Drempels
                  ) -> Callable[[Any, ChequesUnitOfWork], Awaitable[None]]:
    """Issue #23 item 4: after a prestatie is kept or corrected, the fraud and error rules
    run on its day (in the same transaction, so a flag is there before any payout run)."""
    async def met_signalen(event: Any, uow: ChequesUnitOfWork) -> None:
        await handler(event, uow)
        if (prestatie := await uow.prestaties.get(event.prestatie_id)) is not None:
            await signalen.controleer(prestatie, uow, drempels)
    return met_signalen


def handlers(drempels: Drempels) -> dict[Any, Any]:
    """The handlers with the flags' thresholds (settings) bound."""
    return {**HANDLERS, GebruikerGeregistreerd: referentie.gebruiker_vingerafdrukken,
            PrestatieGeregistreerd: _met_signalen(prestatie_geregistreerd, drempels),
            PrestatieGecorrigeerd: _met_signalen(prestatie_gecorrigeerd, drempels)}


HANDLERS = {
    ErkenningVerleend: erkenning_verleend,
    ErkenningOndertekend: erkenning_ondertekend,
    ErkenningHernieuwd: erkenning_hernieuwd,
    ErkenningStopgezet: erkenning_stopgezet,
    PrestatieGeregistreerd: prestatie_geregistreerd,
    PrestatieGecorrigeerd: prestatie_gecorrigeerd,
    PrestatieBetwist: prestatie_betwist,
    PrestatieBetwistingBeslecht: prestatie_betwisting_beslecht,
    PrestatieGeannuleerd: prestatie_geannuleerd,
    InschrijvingsrechtBetaald: inschrijvingsrecht_betaald,
}
