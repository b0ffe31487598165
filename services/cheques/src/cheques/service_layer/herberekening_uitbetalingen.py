"""The recompute's fold of payouts and of payouts booked back (issue #18), a part of
:class:`cheques.service_layer.herberekening.Herberekening`.

A payout is recomputed from what the worker had earned up to its month and was paid
before, never taken from the event. A payout the bank refused or returned
(``UitbetalingTeruggeboekt``) reverses the payout the fold itself computed for that worker
and run — the same storno the ledger posts —, in the booking month the event carries; the
worker's money then counts as earned again in that month, so the next run pays it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from cheques.domain.grootboek import Transactie, storno_transactie, uitbetaling_transactie
from cheques.domain.uitbetaling import Periode, te_betalen
from wijkwerk.events.cheques import UitbetalingTeruggeboekt, UitbetalingUitgevoerd


class UitbetalingenFold:
    """Mixin: uses the fold's ``_betaald``, ``_uitbetaald``, ``_verschoven``, ``_fouten``,
    ``verdiend`` and ``_boek``."""

    if TYPE_CHECKING:
        _betaald: dict[str, int]
        _uitbetaald: dict[tuple[str, str], int]
        _verschoven: list[tuple[date, date, str]]
        _fouten: list[str]

        def verdiend(self, wijkwerker_id: object, tot: date = ...) -> int: ...
        def _boek(self, transactie: Transactie) -> None: ...

    def _uitbetaling(self, e: UitbetalingUitgevoerd, wat: str) -> None:
        periode = Periode.parse(e.periode)
        w = str(e.wijkwerker_id)
        boekdatum = periode.laatste_dag
        if e.boekmaand is not None and e.boekmaand != periode.eerste_dag:  # the period was closed
            boekdatum = e.boekmaand
            self._verschoven.append((periode.eerste_dag, e.boekmaand, wat))
        bedrag = te_betalen(self.verdiend(w, tot=periode.eerste_dag), self._betaald[w], e.vastgehouden_cent)
        if bedrag > 0:
            self._betaald[w] += bedrag
            self._uitbetaald[(w, e.periode)] = bedrag
            self._boek(uitbetaling_transactie(e.periode, e.wijkwerker_id, bedrag, boekdatum))

    def _teruggeboekt(self, e: UitbetalingTeruggeboekt, wat: str) -> None:
        bedrag = self._uitbetaald.pop((str(e.wijkwerker_id), e.periode), None)
        if bedrag is None:
            self._fouten.append(f"{wat}: terugboeking-zonder-uitbetaling")
            return
        eigen = e.bankdatum.replace(day=1)
        if e.boekmaand != eigen:  # the bank's month was closed when the file came in
            self._verschoven.append((eigen, e.boekmaand, wat))
        uitbetaling = uitbetaling_transactie(e.periode, e.wijkwerker_id, bedrag, e.boekmaand)
        self._boek(storno_transactie(uitbetaling, e.boekmaand))
