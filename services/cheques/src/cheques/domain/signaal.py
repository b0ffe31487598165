"""Fraud and error flags before payout (issue #23 item 4, ADR 0024): the rules that raise a
flag (*signaal*) on a prestatie, and a flag's life (open → released or rejected, once).

A flag is a dated fact: the prestatie's business date. The platform raises it itself when a
prestatie reaches this service; while it is open (or rejected) the prestatie's earnings are
held from the payout run, like a disputed one (ADR 0023)."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from wijkwerk.fouten import BestaatAl, OngeldigeInvoer

# uuid5 namespace: one flag per prestatie and rule, the same id on every replay.
_NAMESPACE = uuid.UUID("6f1d3c1e-2b0a-4c8e-9a51-0f9d7c24a024")


class Regel(enum.StrEnum):
    OVERLAPPENDE_UREN = "overlappende-uren"  # one worker's hours overlap (at two gebruikers, or twice at one)
    TE_VEEL_UREN_OP_EEN_DAG = "te-veel-uren-op-een-dag"  # more than N started hours on one day
    GEBRUIKER_VEEL_WIJKWERKERS = "gebruiker-veel-wijkwerkers"  # one gebruiker's cheques for many workers in a day
    # A worker's payout account is that of more than N workers in one run: a worker-level flag
    # (no prestatie).
    GEDEELDE_REKENING = "gedeelde-rekening"
    # The worker's IBAN or address is the gebruiker's (their keyed fingerprints are equal).
    GEDEELDE_IBAN_OF_ADRES = "gedeelde-iban-of-adres"


class Status(enum.StrEnum):
    OPEN = "open"
    VRIJGEGEVEN = "vrijgegeven"
    AFGEWEZEN = "afgewezen"


@dataclass(frozen=True)
class Drempels:
    """The thresholds (settings ``CHEQUES_SIGNAAL_*``): more than ``max_uren_per_dag``
    started hours of one worker on one day, more than ``max_wijkwerkers_per_gebruiker_per_dag``
    workers for one gebruiker on one day, more than ``max_wijkwerkers_per_rekening`` workers
    paid to one account in a payout run."""

    max_uren_per_dag: int = 8
    max_wijkwerkers_per_gebruiker_per_dag: int = 4
    max_wijkwerkers_per_rekening: int = 2  # a couple may share an account; 0 turns the rule off


@dataclass(frozen=True)
class Blok:
    """What a rule needs of a prestatie: who, for whom, which day and when."""

    prestatie_id: uuid.UUID
    wijkwerker_id: uuid.UUID
    gebruiker_id: uuid.UUID
    datum: date
    begonnen_uren: int
    start: time | None = None  # None for prestaties from before the start was kept here
    minuten: int | None = None

    def interval(self) -> tuple[int, int] | None:
        if self.start is None or self.minuten is None:
            return None
        begin = self.start.hour * 60 + self.start.minute
        return begin, begin + self.minuten


@dataclass(frozen=True)
class Vondst:
    """A rule that fires on a prestatie, with what it saw (for the reviewer)."""

    prestatie_id: uuid.UUID
    regel: Regel
    toelichting: str

    @property
    def signaal_id(self) -> uuid.UUID:
        return uuid.uuid5(_NAMESPACE, f"{self.prestatie_id}:{self.regel.value}")


def overlappingen(blokken: Iterable[Blok]) -> list[Vondst]:
    """Every prestatie of one worker on one day whose hours overlap another's: both are
    flagged, since the reviewer decides which one is wrong."""
    lijst = [b for b in blokken if b.interval() is not None]
    vondsten: dict[uuid.UUID, list[str]] = {}
    for i, a in enumerate(lijst):
        for b in lijst[i + 1:]:
            (a0, a1), (b0, b1) = a.interval() or (0, 0), b.interval() or (0, 0)
            if a.wijkwerker_id == b.wijkwerker_id and a.datum == b.datum and a0 < b1 and b0 < a1:
                vondsten.setdefault(a.prestatie_id, []).append(_overlap(b))
                vondsten.setdefault(b.prestatie_id, []).append(_overlap(a))
    return [Vondst(p, Regel.OVERLAPPENDE_UREN, "; ".join(t)) for p, t in vondsten.items()]


def _overlap(ander: Blok) -> str:
    assert ander.start is not None and ander.minuten is not None
    return f"overlaps prestatie {ander.prestatie_id} at gebruiker {ander.gebruiker_id} " \
           f"({ander.start:%H:%M}, {ander.minuten} min)"


def te_veel_uren(blokken: Iterable[Blok], drempels: Drempels) -> list[Vondst]:
    """One worker's prestaties of one day when their started hours exceed the maximum."""
    lijst = list(blokken)
    uren = sum(b.begonnen_uren for b in lijst)
    if uren <= drempels.max_uren_per_dag:
        return []
    tekst = f"{uren} started hours on {lijst[0].datum} (more than {drempels.max_uren_per_dag})"
    return [Vondst(b.prestatie_id, Regel.TE_VEEL_UREN_OP_EEN_DAG, tekst) for b in lijst]


def veel_wijkwerkers(blokken: Iterable[Blok], drempels: Drempels) -> list[Vondst]:
    """One gebruiker's prestaties of one day when more workers than the maximum worked for it."""
    lijst = list(blokken)
    aantal = len({b.wijkwerker_id for b in lijst})
    if aantal <= drempels.max_wijkwerkers_per_gebruiker_per_dag:
        return []
    tekst = (f"{aantal} workers for gebruiker {lijst[0].gebruiker_id} on {lijst[0].datum} "
             f"(more than {drempels.max_wijkwerkers_per_gebruiker_per_dag})")
    return [Vondst(b.prestatie_id, Regel.GEBRUIKER_VEEL_WIJKWERKERS, tekst) for b in lijst]


@dataclass(frozen=True)
class Vingerafdrukken:
    """A worker's or gebruiker's keyed fingerprints (wijkwerk.vingerafdruk), never the values."""

    iban: str | None = None
    adres: str | None = None


def gedeeld(prestatie_id: uuid.UUID, wijkwerker: Vingerafdrukken | None, gebruiker: Vingerafdrukken | None
            ) -> list[Vondst]:
    """The prestatie when its worker and gebruiker share an IBAN or an address: the flag names
    which (iban, adres), never the value. Unknown or missing fingerprints compare as different."""
    if wijkwerker is None or gebruiker is None:
        return []
    welke = [naam for naam, a, b in (("iban", wijkwerker.iban, gebruiker.iban),
                                     ("adres", wijkwerker.adres, gebruiker.adres)) if a is not None and a == b]
    if not welke:
        return []
    return [Vondst(prestatie_id, Regel.GEDEELDE_IBAN_OF_ADRES,
                   f"the worker and the gebruiker share: {', '.join(welke)}")]


def gedeelde_rekeningen(rekeningen: dict[uuid.UUID, str], drempels: Drempels) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Per worker whose account (IBAN, spaces and case ignored) more than the maximum of the
    run's workers share: the others on it. Nothing when the rule is off (0)."""
    if drempels.max_wijkwerkers_per_rekening <= 0:
        return {}
    per_rekening: dict[str, list[uuid.UUID]] = {}
    for w, iban in rekeningen.items():
        per_rekening.setdefault(iban.replace(" ", "").upper(), []).append(w)
    return {w: sorted(x for x in groep if x != w) for groep in per_rekening.values()
            if len(groep) > drempels.max_wijkwerkers_per_rekening for w in groep}


def rekening_signaal_id(wijkwerker_id: uuid.UUID, anderen: list[uuid.UUID]) -> uuid.UUID:
    """One flag per worker and set of workers sharing the account: not raised again by the
    next run once released, raised anew when the sharing changes."""
    return uuid.uuid5(_NAMESPACE, f"{wijkwerker_id}:gedeelde-rekening:{','.join(map(str, sorted(anderen)))}")


@dataclass
class Signaal:
    id: uuid.UUID
    prestatie_id: uuid.UUID | None  # None: a worker-level flag (gedeelde-rekening) holding all the worker is due
    regel: Regel
    wijkwerker_id: uuid.UUID
    gebruiker_id: uuid.UUID | None
    organisator_id: uuid.UUID
    datum: date  # the prestatie's business date (a worker-level flag: the payout run's): the flag's date
    toelichting: str
    bedrag_cent: int  # what the prestatie earns the worker (hours × pay on its date + the day's allowance)
    status: Status = Status.OPEN
    besloten_op: date | None = None
    besloten_door: str | None = None
    reden: str | None = None
    gemeld_om: datetime | None = field(default=None, compare=False)

    def beslis(self, status: Status, op: date, door: str, reden: str) -> None:
        """Released (paid by the runs dated from ``op``) or rejected (not paid: reversed),
        once, on or after the flag's date, with a reason."""
        if self.status is not Status.OPEN:
            raise BestaatAl(f"This flag was {self.status.value} on {self.besloten_op}.", rule="signaal-al-beslist",
                            signaal_status=self.status.value)
        assert status is not Status.OPEN, "a decision releases or rejects"
        if status is Status.AFGEWEZEN and self.prestatie_id is None:
            raise OngeldigeInvoer("A worker's earnings are not forfeited for a shared account: correct the bank "
                                  "details in toeleiding, then release.", rule="signaal-alleen-vrijgeven")
        if op < self.datum:
            raise OngeldigeInvoer(f"The decision ({op}) cannot precede the flag ({self.datum}).",
                                  rule="beslissing-voor-signaal", signaal_datum=self.datum.isoformat())
        if not reden.strip():
            raise OngeldigeInvoer("A decision on a flag gives its reason (audit trail).", rule="reden-ontbreekt")
        self.status, self.besloten_op, self.besloten_door, self.reden = status, op, door, reden
