"""The ledger, recomputed from the event streams alone (ARCHITECTURE §4 invariant).

:class:`Herberekening` folds the replayed events in topic order: every validated cheque is
split again from its price, carrier, order date and prestatie date with the rate rows
(the split parts in the event are not used), the travel allowance of a (placement, day)
is posted once with that day's first cheque, fees from the prestaties topic, and every
payout is recomputed from what the worker had earned up to its month and was paid before.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from cheques.domain.grootboek import (
    CHEQUEGELDEN,
    REISFONDS,
    UITGEVER,
    VERZEKERING,
    Transactie,
    cheque_transactie,
    inschrijving_transactie,
    reis_transactie,
    uitbetaling_transactie,
)
from cheques.domain.grootboek import organisator as organisator_rekening
from cheques.domain.grootboek import wijkwerker as wijkwerker_rekening
from cheques.domain.tarieven import Tarieven
from cheques.domain.uitbetaling import Periode, te_betalen
from cheques.domain.verdeling import Verdeling, verdeel
from wijkwerk.events import Envelope, Event
from wijkwerk.events.cheques import ChequeGevalideerd, UitbetalingUitgevoerd
from wijkwerk.events.prestaties import InschrijvingsrechtBetaald, PrestatieGeregistreerd
from wijkwerk.problems import DomainError


@dataclass
class Herberekening:
    tarieven: Tarieven
    saldi: dict[tuple[str, date], int] = field(default_factory=lambda: defaultdict(int))
    events: int = 0
    duplicaten: int = 0
    fouten: list[str] = field(default_factory=list)
    _gezien: set[uuid.UUID] = field(default_factory=set)
    _reisvergoeding: dict[uuid.UUID, int] = field(default_factory=dict)
    _reis_geboekt: set[tuple[uuid.UUID, date]] = field(default_factory=set)
    _verdiend: dict[uuid.UUID, list[tuple[date, int]]] = field(default_factory=lambda: defaultdict(list))
    _betaald: dict[uuid.UUID, int] = field(default_factory=lambda: defaultdict(int))
    _wijkwerkers: dict[str, uuid.UUID] = field(default_factory=dict)
    _verdelingen: dict[tuple, Verdeling] = field(default_factory=dict)
    _wijkwerkerrekeningen: dict[uuid.UUID, str] = field(default_factory=dict)
    _organisatorrekeningen: dict[uuid.UUID, str] = field(default_factory=dict)

    def verwerk(self, envelope: Envelope, event: Event) -> None:
        """One replayed event; a duplicate delivery (same event id) counts once."""
        if envelope.event_id in self._gezien:
            self.duplicaten += 1
            return
        self._gezien.add(envelope.event_id)
        self.events += 1
        try:
            if isinstance(event, PrestatieGeregistreerd):
                self._reisvergoeding[event.prestatie_id] = event.verplaatsingsvergoeding_dag_cent
            elif isinstance(event, InschrijvingsrechtBetaald) and event.bedrag_cent > 0:
                self._boek(inschrijving_transactie(
                    event.erkenning_id, event.jaar, event.bedrag_cent, event.organisator_id, event.betaald_op))
            elif isinstance(event, ChequeGevalideerd):
                self._cheque(event)
            elif isinstance(event, UitbetalingUitgevoerd):
                self._uitbetaling(event)
        except DomainError as exc:
            self.fouten.append(f"{envelope.event_type} {envelope.event_id}: {exc.rule}")

    def _boek(self, transactie: Transactie) -> None:
        boekmaand = transactie.boekmaand
        saldi = self.saldi
        for boeking in transactie.boekingen:
            rekening = boeking.rekening
            saldi[(rekening, boekmaand)] += boeking.debet - boeking.credit
            if boeking.credit and rekening.startswith("wijkwerker:"):
                wijkwerker_id = self._wijkwerkers.get(rekening)
                if wijkwerker_id is None:
                    wijkwerker_id = self._wijkwerkers[rekening] = uuid.UUID(rekening.split(":", 1)[1])
                self._verdiend[wijkwerker_id].append((boekmaand, boeking.credit))

    def _cheque(self, e: ChequeGevalideerd) -> None:
        # verdeel is a pure function of its arguments and the (fixed) rates: one split per
        # distinct (price, carrier, order date, prestatie date) instead of one per cheque.
        sleutel = (e.prijs_cent, e.drager, e.besteld_op, e.prestatie_datum)
        verdeling = self._verdelingen.get(sleutel)
        if verdeling is None:
            verdeling = self._verdelingen[sleutel] = verdeel(*sleutel, self.tarieven)
            # The first cheque of each split goes through the domain's transaction (which
            # refuses an unbalanced one); the others post the same lines directly.
            self._boek(cheque_transactie(e.serienummer, verdeling, e.wijkwerker_id, e.organisator_id, e.gevalideerd_op))
        else:
            self._boek_cheque(verdeling, e)
        dag = (e.koppeling_id, e.prestatie_datum)
        bedrag = self._reisvergoeding.get(e.prestatie_id, 0)
        if dag not in self._reis_geboekt and bedrag > 0:
            self._reis_geboekt.add(dag)
            self._boek(reis_transactie(e.koppeling_id, e.prestatie_datum, bedrag, e.wijkwerker_id, e.gevalideerd_op))

    def _boek_cheque(self, v: Verdeling, e: ChequeGevalideerd) -> None:
        """The lines of :func:`cheque_transactie` for a split already validated once."""
        boekmaand = e.gevalideerd_op.replace(day=1)
        saldi = self.saldi
        saldi[(CHEQUEGELDEN, boekmaand)] += v.prijs
        if v.wijkwerker:
            w = e.wijkwerker_id
            if (naam := self._wijkwerkerrekeningen.get(w)) is None:
                naam = self._wijkwerkerrekeningen[w] = wijkwerker_rekening(w)
            saldi[(naam, boekmaand)] -= v.wijkwerker
            self._verdiend[w].append((boekmaand, v.wijkwerker))
        if (organisator := self._organisatorrekeningen.get(e.organisator_id)) is None:
            organisator = self._organisatorrekeningen[e.organisator_id] = organisator_rekening(e.organisator_id)
        for rekening, bedrag in (
            (VERZEKERING, v.verzekering), (REISFONDS, v.reisfonds), (UITGEVER, v.uitgever), (organisator, v.organisator),
        ):
            if bedrag:
                saldi[(rekening, boekmaand)] -= bedrag

    def _uitbetaling(self, e: UitbetalingUitgevoerd) -> None:
        periode = Periode.parse(e.periode)
        verdiend = sum(b for m, b in self._verdiend[e.wijkwerker_id] if m <= periode.eerste_dag)
        bedrag = te_betalen(verdiend, self._betaald[e.wijkwerker_id])
        if bedrag > 0:
            self._betaald[e.wijkwerker_id] += bedrag
            self._boek(uitbetaling_transactie(e.periode, e.wijkwerker_id, bedrag, periode.laatste_dag))
