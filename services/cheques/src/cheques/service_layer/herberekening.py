"""The ledger, recomputed from the event streams alone (ARCHITECTURE §4 invariant).

:class:`Herberekening` folds the replayed events in topic order: every validated cheque is
split again from its price, carrier, order date and prestatie date with the rate rows
(the split parts in the event are not used), the travel allowance of a (placement, day)
is posted once with that day's first cheque, a reversed validation posts the same split
back in its own month (and the day's allowance when no cheque of that day is left), fees
come from the prestaties topic, and every payout is recomputed from what the worker had
earned up to its month and was paid before; a payout the bank refused or returned is
reversed (:mod:`herberekening_uitbetalingen`).

Booking months (issue #17): a validation, a storno and a payout are folded in the booking
month their event carries (``boekmaand``), a fee in the one ``InschrijvingsrechtGeboekt``
carries (else the month it was paid). That month differs from the fact's own month only
when the own month was closed before the fact was booked; whether that was so depends on
the order of the booking and the close (on different partitions, in no order a replay can
see), so the event records it and the fold checks it against the closes it folded
(``PeriodeAfgesloten``): a booking moved out of its month must land in the first month
after a close that covers its own month, else the report names it (``boeking-verschoven-zonder-afsluiting``).

Speed (the payout replay must reach tens of thousands of events per second): a message
of a type in ``_SNEL`` at the current schema version, with exactly the envelope's and the
payload's fields (optional ones may be missing: schemas only grow), is decoded by msgspec
into a struct generated from the event model with the wire's types (ids, dates and
timestamps as strings; unknown fields refused) and folded without building pydantic
models; dates are parsed once per distinct value. Anything else — another type, an older
or newer version, a missing or extra field, a value of the wrong type — goes through the
envelope model and the registry exactly as the live consumers decode it, so an unknown
version is skipped and an old one upcast. Cheques are counted per (split, month) and per
worker and organiser and month, and turned into account balances once at the end.
"""

from __future__ import annotations

import enum
import types
import typing
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, NamedTuple

import msgspec
from pydantic import BaseModel, ValidationError

from cheques.domain.afsluiting import van_dag, volgende
from cheques.domain.grootboek import (
    CHEQUEGELDEN,
    REISFONDS,
    UITBETALING,
    UITGEVER,
    VERZEKERING,
    Transactie,
    cheque_transactie,
    inschrijving_transactie,
)
from cheques.domain.grootboek import organisator as organisator_rekening
from cheques.domain.tarieven import Tarieven
from cheques.domain.verdeling import Verdeling, verdeel
from cheques.service_layer.herberekening_overdracht import OverdrachtFold
from cheques.service_layer.herberekening_uitbetalingen import UitbetalingenFold
from cheques.service_layer.herberekening_vervallen import VervalFold
from wijkwerk.events import Envelope, Event, UnknownEvent, registry
from wijkwerk.events.cheques import (
    ChequeGevalideerd,
    ChequeValidatieTeruggedraaid,
    InschrijvingsrechtGeboekt,
    PeriodeAfgesloten,
    UitbetalingTeruggeboekt,
    UitbetalingUitgevoerd,
)
from wijkwerk.events.prestaties import InschrijvingsrechtBetaald, PrestatieGeregistreerd
from wijkwerk.fouten import DomainError

_WIJKWERKER = "wijkwerker:"
_CONTROLE_ID = uuid.UUID(int=0)

Split = tuple[int, str, str, str]  # price, carrier, order date, prestatie date (ISO strings as on the wire)


class _Ongeldig(Exception):
    """The fast path cannot judge this message: decode it with the models."""


@dataclass
class Herberekening(VervalFold, UitbetalingenFold, OverdrachtFold):
    tarieven: Tarieven
    events: int = 0
    duplicaten: int = 0
    _fouten: list[str] = field(default_factory=list)
    _gezien: set[str] = field(default_factory=set)
    _datums: dict[str, date] = field(default_factory=dict)
    _maanden: dict[str, date] = field(default_factory=dict)
    _verdelingen: dict[Split, Verdeling] = field(default_factory=dict)
    _per_split: dict[tuple[Split, date], int] = field(default_factory=dict)  # cheques, less reversals
    _organisator: dict[tuple[str, date], int] = field(default_factory=dict)  # organiser's remainders
    _verdiend: dict[str, dict[date, int]] = field(default_factory=dict)  # worker → month → net earned
    _saldi: dict[tuple[str, date], int] = field(default_factory=lambda: defaultdict(int))  # other postings
    _betaald: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    _uitbetaald: dict[tuple[str, str], int] = field(default_factory=dict)  # (worker, period) → recomputed payout
    _reisvergoeding: dict[str, int] = field(default_factory=dict)  # prestatie → the day's allowance
    _dag_cheques: dict[tuple[str, str], int] = field(default_factory=dict)  # (placement, day) → validated
    _reis: dict[tuple[str, str], int] = field(default_factory=dict)  # (placement, day) → allowance granted
    # (serial number, worker) validated and not reversed: a cheque released by one worker
    # may pay another's prestatie, whose events are on another partition (another order).
    _actief: set[tuple[str, str]] = field(default_factory=set)
    # Period closes (issue #17): month → hash; bookings moved out of their own month
    # (own month, booking month, what); fees by key and the month they were booked in.
    _afgesloten: dict[date, str] = field(default_factory=dict)
    _verschoven: list[tuple[date, date, str]] = field(default_factory=list)
    _inschrijvingen: dict[str, Transactie] = field(default_factory=dict)
    _inschrijving_maand: dict[str, date] = field(default_factory=dict)

    # --- input ---------------------------------------------------------------------

    def verwerk_bericht(self, waarde: bytes | None) -> None:
        """One replayed message as it is on the topic."""
        try:
            envelop: Any = _ENVELOP.decode(waarde or b"")
        except (msgspec.DecodeError, TypeError):
            envelop = None
        if (envelop is not None and (snel := _SNEL.get(envelop.event_type)) is not None
                and envelop.schema_version == snel.model.schema_version):
            try:
                snel.verwerk(self, envelop.event_id, envelop.event_type, snel.lezer.decode(envelop.payload))
                return
            except (msgspec.DecodeError, _Ongeldig):
                pass
        self._verwerk_model(waarde)

    def _verwerk_model(self, waarde: bytes | None) -> None:
        try:
            envelope = Envelope.model_validate_json(waarde or b"")
            event = registry.decode(envelope)
        except (ValidationError, UnknownEvent, TypeError):
            return  # as the live consumers: they dead-letter it, it changed nothing
        self.verwerk(envelope, event)

    def verwerk(self, envelope: Envelope, event: Event) -> None:
        """One replayed event, decoded; a duplicate delivery (same event id) counts once."""
        if isinstance(event, ChequeGevalideerd | ChequeValidatieTeruggedraaid):
            snel = _SNEL[event.event_type]
            payload = msgspec.convert(event.model_dump(mode="json"), snel.struct)
            snel.verwerk(self, str(envelope.event_id), event.event_type, payload)
            return
        if not self._nieuw(str(envelope.event_id)):
            return
        try:
            if isinstance(event, PrestatieGeregistreerd):
                self._reisvergoeding[str(event.prestatie_id)] = event.verplaatsingsvergoeding_dag_cent
            elif isinstance(event, InschrijvingsrechtBetaald) and event.bedrag_cent > 0:
                # Booked once per key, as the ledger does; the month is decided at the end.
                fee = inschrijving_transactie(
                    event.erkenning_id, event.jaar, event.bedrag_cent, event.organisator_id, event.betaald_op)
                self._inschrijvingen.setdefault(fee.sleutel, fee)
            elif isinstance(event, InschrijvingsrechtGeboekt):
                self._inschrijving_geboekt(event, f"{envelope.event_type} {envelope.event_id}")
            elif isinstance(event, UitbetalingUitgevoerd):
                self._uitbetaling(event, f"{envelope.event_type} {envelope.event_id}")
            elif isinstance(event, UitbetalingTeruggeboekt):
                self._teruggeboekt(event, f"{envelope.event_type} {envelope.event_id}")
            elif isinstance(event, PeriodeAfgesloten):
                self._afgesloten[event.maand] = event.hash
            else:  # expiries, their reversals, refunds
                self._verval_of_terugbetaling(event, f"{envelope.event_type} {envelope.event_id}")
        except DomainError as exc:
            self._fouten.append(f"{envelope.event_type} {envelope.event_id}: {exc.rule}")

    def _nieuw(self, event_id: str) -> bool:
        if event_id in self._gezien:
            self.duplicaten += 1
            return False
        self._gezien.add(event_id)
        self.events += 1
        return True

    # --- cheques -------------------------------------------------------------------

    def _gevalideerd(self, event_id: str, event_type: str, p: Any) -> None:
        # The hot path of the replay: what _tel and _verdien do, inlined.
        split, v, m, w, o, dag = self._lees(p, p.boekmaand)
        prestatie_id, serienummer = p.prestatie_id, p.serienummer
        if not self._nieuw(event_id):
            return
        if p.boekmaand[:7] != p.gevalideerd_op[:7]:  # booked after its month was closed
            self._verschoven.append((self._datum(p.gevalideerd_op).replace(day=1), m, f"{event_type} {event_id}"))
        if v is None and (v := self._verdeling(split, event_id, event_type)) is None:
            return
        per_split, sleutel = self._per_split, (split, m)
        per_split[sleutel] = per_split.get(sleutel, 0) + 1
        if v.wijkwerker:
            per_maand = self._verdiend.get(w)
            if per_maand is None:
                per_maand = self._verdiend[w] = {}
            per_maand[m] = per_maand.get(m, 0) + v.wijkwerker
        if v.organisator:
            organisator, sleutel_o = self._organisator, (o, m)
            organisator[sleutel_o] = organisator.get(sleutel_o, 0) + v.organisator
        self._actief.add((serienummer, w))
        tellingen = self._dag_cheques
        tellingen[dag] = tellingen.get(dag, 0) + 1
        if dag not in self._reis and (bedrag := self._reisvergoeding.get(prestatie_id, 0)) > 0:
            self._reis[dag] = bedrag
            self._reisboeking(w, m, bedrag)

    def _teruggedraaid(self, event_id: str, event_type: str, p: Any) -> None:
        split, v, m, w, o, dag = self._lees(p, p.boekmaand)
        serienummer = p.serienummer
        if not self._nieuw(event_id):
            return
        if p.boekmaand[:7] != p.teruggedraaid_op[:7]:
            self._verschoven.append((self._datum(p.teruggedraaid_op).replace(day=1), m, f"{event_type} {event_id}"))
        if (serienummer, w) not in self._actief:
            self._fouten.append(f"{event_type} {event_id}: terugdraaiing-zonder-validatie")
            return
        if v is None and (v := self._verdeling(split, event_id, event_type)) is None:
            return
        self._actief.discard((serienummer, w))
        self._tel(split, m, w, o, v, -1)
        over = self._dag_cheques[dag] = self._dag_cheques.get(dag, 0) - 1
        if over == 0 and (bedrag := self._reis.pop(dag, 0)):
            self._reisboeking(w, m, -bedrag)

    def _lees(self, p: Any, boekdag: str) -> tuple[Split, Verdeling | None, date, str, str, tuple[str, str]]:
        """The fields a cheque's postings need (types checked by the decoder, dates here);
        raises :class:`_Ongeldig` before any change."""
        try:
            split = (p.prijs_cent, p.drager, p.besteld_op, p.prestatie_datum)
            v = self._verdelingen.get(split)
            if v is None:
                self._datum(split[2]), self._datum(split[3])
            m = self._maanden.get(boekdag)
            if m is None:
                m = self._maanden[boekdag] = self._datum(boekdag).replace(day=1)
        except ValueError as exc:
            raise _Ongeldig from exc
        return split, v, m, p.wijkwerker_id, p.organisator_id, (p.koppeling_id, split[3])

    def _datum(self, waarde: str) -> date:
        d = self._datums.get(waarde)
        if d is None:
            if len(waarde) != 10:  # a date, not a timestamp (fromisoformat takes both)
                raise ValueError(waarde)
            d = self._datums[waarde] = date.fromisoformat(waarde)
        return d

    def _verdeling(self, split: Split, event_id: str, event_type: str) -> Verdeling | None:
        """verdeel is a pure function of its arguments and the (fixed) rates: one split per
        distinct (price, carrier, order date, prestatie date), through the domain's
        transaction once (which refuses an unbalanced one)."""
        prijs, drager, besteld_op, prestatie_datum = split
        try:
            v = verdeel(prijs, drager, self._datum(besteld_op), self._datum(prestatie_datum), self.tarieven)
        except DomainError as exc:
            self._fouten.append(f"{event_type} {event_id}: {exc.rule}")
            return None
        cheque_transactie("controle", v, _CONTROLE_ID, _CONTROLE_ID, self._datum(prestatie_datum))
        self._verdelingen[split] = v
        return v

    def _tel(self, split: Split, m: date, w: str, o: str, v: Verdeling, n: int) -> None:
        sleutel = (split, m)
        self._per_split[sleutel] = self._per_split.get(sleutel, 0) + n
        if v.wijkwerker:
            self._verdien(w, m, n * v.wijkwerker)
        if v.organisator:
            sleutel_o = (o, m)
            self._organisator[sleutel_o] = self._organisator.get(sleutel_o, 0) + n * v.organisator

    def _verdien(self, w: str, m: date, bedrag: int) -> None:
        per_maand = self._verdiend.get(w)
        if per_maand is None:
            per_maand = self._verdiend[w] = {}
        per_maand[m] = per_maand.get(m, 0) + bedrag

    def _reisboeking(self, w: str, m: date, bedrag: int) -> None:
        """The day's allowance out of the travel fund to the worker (negative: its storno)."""
        self._saldi[(REISFONDS, m)] += bedrag
        self._verdien(w, m, bedrag)

    # --- other postings ------------------------------------------------------------

    def _boek(self, transactie: Transactie) -> None:
        boekmaand = transactie.boekmaand
        for boeking in transactie.boekingen:
            rekening = boeking.rekening
            if rekening.startswith(_WIJKWERKER) and transactie.soort != UITBETALING:
                self._verdien(rekening[len(_WIJKWERKER):], boekmaand, boeking.credit - boeking.debet)
            else:
                self._saldi[(rekening, boekmaand)] += boeking.debet - boeking.credit

    def _inschrijving_geboekt(self, e: InschrijvingsrechtGeboekt, wat: str) -> None:
        sleutel = inschrijving_transactie(e.erkenning_id, e.jaar, e.bedrag_cent, e.organisator_id, e.betaald_op).sleutel
        self._inschrijving_maand[sleutel] = e.boekmaand
        if e.boekmaand != e.betaald_op.replace(day=1):
            self._verschoven.append((e.betaald_op.replace(day=1), e.boekmaand, wat))

    # --- output --------------------------------------------------------------------

    @property
    def fouten(self) -> list[str]:
        """Events the fold could not explain, by rule."""
        onverklaard = [wat for eigen, boekmaand, wat in self._verschoven if not self._na_afsluiting(eigen, boekmaand)]
        return [*self._fouten, *(f"{wat}: boeking-verschoven-zonder-afsluiting" for wat in onverklaard)]

    def _na_afsluiting(self, eigen: date, boekmaand: date) -> bool:
        """A booking moved from month ``eigen`` to ``boekmaand``: the month before
        ``boekmaand`` was closed (closes run in order, so that close froze ``eigen`` too)."""
        gesloten = [m for m in self._afgesloten if volgende(van_dag(m)).eerste_dag == boekmaand]
        return bool(gesloten) and eigen <= gesloten[0]

    @property
    def afgesloten(self) -> dict[date, str]:
        """The closes folded: month → hash."""
        return dict(self._afgesloten)

    def verdiend(self, wijkwerker_id: object, tot: date = date.max) -> int:
        """What a worker earned (less reversals) in booking months up to ``tot``."""
        return sum(b for m, b in self._verdiend.get(str(wijkwerker_id), {}).items() if m <= tot)

    @property
    def saldi(self) -> dict[tuple[str, date], int]:
        """Debit minus credit per (account, booking month), as the ledger would hold them."""
        saldi: dict[tuple[str, date], int] = defaultdict(int, self._saldi)
        for sleutel, fee in self._inschrijvingen.items():
            if (geboekt := self._inschrijving_maand.get(sleutel)) is not None:
                fee = replace(fee, boekdatum=geboekt)
            for boeking in fee.boekingen:  # no worker account: nothing a payout depends on
                saldi[(boeking.rekening, fee.boekmaand)] += boeking.debet - boeking.credit
        for ((prijs, drager, besteld_op, prestatie_datum), m), n in self._per_split.items():
            v = self._verdelingen[(prijs, drager, besteld_op, prestatie_datum)]
            saldi[(CHEQUEGELDEN, m)] += n * v.prijs
            for rekening, deel in ((VERZEKERING, v.verzekering), (REISFONDS, v.reisfonds), (UITGEVER, v.uitgever)):
                if deel:
                    saldi[(rekening, m)] -= n * deel
        for (o, m), bedrag in self._organisator.items():
            saldi[(organisator_rekening(o), m)] -= bedrag  # type: ignore[arg-type]
        for w, per_maand in self._verdiend.items():
            for m, bedrag in per_maand.items():
                saldi[(f"{_WIJKWERKER}{w}", m)] -= bedrag
        return saldi


def _draad(annotation: Any) -> Any:
    """A field's type as JSON carries it: ids, dates, timestamps and enums as strings."""
    if annotation in (uuid.UUID, date, datetime):
        return str
    if annotation in (str, int, bool, type(None)):
        return annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return typing.Union[tuple(_draad(a) for a in typing.get_args(annotation))]  # noqa: UP007
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return str
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return dict[str, Any]  # metadata the fold does not read (the envelope's actor)
    raise TypeError(f"no wire type for {annotation!r}")


def _struct(model: type[BaseModel], naam: str, **vast: Any) -> type[msgspec.Struct]:
    """The model as a msgspec struct of wire types; unknown fields are refused, optional
    ones default as in the model (``vast`` overrides a field's type, required)."""
    velden = [
        (n, vast[n]) if n in vast else (n, _draad(f.annotation)) if f.is_required() else (n, _draad(f.annotation), f.default)
        for n, f in model.model_fields.items()
    ]
    return msgspec.defstruct(naam, velden, kw_only=True, forbid_unknown_fields=True)


# Every envelope field is required: one missing means another writer, the models judge it.
# Except the actor (issue #18): events written before it, or by the platform itself, have none;
# and the traceparent, which only events emitted while tracing was on carry.
_ENVELOP: msgspec.json.Decoder[Any] = msgspec.json.Decoder(
    _struct(Envelope, "EnvelopOpDeDraad", **{
        n: msgspec.Raw if n == "payload" else _draad(f.annotation)
        for n, f in Envelope.model_fields.items() if n not in ("actor", "traceparent")
    })
)


class _Snel(NamedTuple):
    model: type[Event]
    struct: type[msgspec.Struct]
    lezer: msgspec.json.Decoder[Any]
    verwerk: Callable[[Herberekening, str, str, Any], None]


def _snel(model: type[Event], verwerk: Callable[[Herberekening, str, str, Any], None]) -> _Snel:
    struct = _struct(model, f"{model.__name__}OpDeDraad")
    return _Snel(model, struct, msgspec.json.Decoder(struct), verwerk)


_SNEL: dict[str, _Snel] = {
    model.event_type: _snel(model, verwerk)
    for model, verwerk in (
        (ChequeGevalideerd, Herberekening._gevalideerd),
        (ChequeValidatieTeruggedraaid, Herberekening._teruggedraaid),
    )
}
