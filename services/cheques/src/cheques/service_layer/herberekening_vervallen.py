"""The recompute's fold of expiries, their reversals and refunds (issue #23 item 2): a part
of :class:`cheques.service_layer.herberekening.Herberekening`.

Each event carries what its posting needs (serial, price fixed at purchase, organiser or
gebruiker, booking month), so the fold posts the same transaction the ledger did, whatever
the order of the events: ``ChequeVervallen`` the price from ``chequegelden`` to the
organiser, ``ChequeVervallingHerroepen`` its storno, ``ChequeTerugbetaald`` the price to
the gebruiker. Events written before expiries and refunds were booked carry no booking
month and moved no money: they post nothing. A booking outside its own month must follow
a close, as every other (``boeking-verschoven-zonder-afsluiting``)."""

from __future__ import annotations

from datetime import date

from cheques.domain.grootboek import Transactie, storno_transactie, terugbetaling_transactie, verval_transactie
from wijkwerk.events import Event
from wijkwerk.events.cheques import ChequeTerugbetaald, ChequeVervallen, ChequeVervallingHerroepen


class VervalFold:
    """Mixin: uses the fold's ``_boek`` and ``_verschoven`` (see :class:`Herberekening`)."""

    _verschoven: list[tuple[date, date, str]]

    def _boek(self, transactie: Transactie) -> None:  # pragma: no cover - Herberekening's
        raise NotImplementedError

    def _verval_of_terugbetaling(self, event: Event, wat: str) -> None:
        if isinstance(event, ChequeVervallen) and event.boekmaand is not None:
            transactie = verval_transactie(
                event.serienummer, event.prijs_cent, event.organisator_id, event.boekmaand, event.validatie)
            eigen = event.vervallen_op
        elif isinstance(event, ChequeVervallingHerroepen):
            verval = verval_transactie(
                event.serienummer, event.prijs_cent, event.organisator_id, event.boekmaand, event.validatie)
            transactie, eigen = storno_transactie(verval, event.boekmaand), event.herroepen_op
        elif isinstance(event, ChequeTerugbetaald) and event.boekmaand is not None:
            transactie = terugbetaling_transactie(
                event.serienummer, event.prijs_cent, event.gebruiker_id, event.boekmaand)
            eigen = event.terugbetaald_op
        else:
            return
        if transactie.boekmaand != eigen.replace(day=1):  # booked after its month was closed
            self._verschoven.append((eigen.replace(day=1), transactie.boekmaand, wat))
        self._boek(transactie)
