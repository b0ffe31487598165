"""Orders, cheques and their lifecycle rules (DOMAIN C-3, C-9, A-06, A-13, A-14)."""

from __future__ import annotations

import calendar
import enum
import uuid
from dataclasses import dataclass
from datetime import date, time, timedelta

from cheques.domain.voorraad import vervallen_op
from wijkwerk.fouten import BestaatAl, OngeldigeInvoer


class Status(enum.StrEnum):
    UITGEGEVEN = "uitgegeven"
    GEVALIDEERD = "gevalideerd"
    TERUGBETAALD = "terugbetaald"
    VERVALLEN = "vervallen"


def plus_maanden(dag: date, maanden: int) -> date:
    jaar, maand = divmod(dag.month - 1 + maanden, 12)
    jaar += dag.year
    return date(jaar, maand + 1, min(dag.day, calendar.monthrange(jaar, maand + 1)[1]))


def geldig_tot(uitgegeven_op: date, maanden: int) -> date:
    """The last day a cheque may pay a prestatie: issue date + N months − 1 day (A-13)."""
    return plus_maanden(uitgegeven_op, maanden) - timedelta(days=1)


@dataclass(frozen=True)
class Bestelling:
    id: uuid.UUID
    uitgever: str
    gebruiker_id: uuid.UUID
    organisator_id: uuid.UUID
    aantal: int
    drager: str
    besteld_op: date
    prijs_cent: int

    @property
    def totaal_cent(self) -> int:
        return self.aantal * self.prijs_cent

    def controleer_uitgifte(self, al_uitgegeven: int, serienummers: tuple[str, ...], uitgegeven_op: date) -> None:
        if len(set(serienummers)) != len(serienummers):
            raise OngeldigeInvoer("A serial number appears twice in the batch.", rule="serienummer-dubbel")
        if al_uitgegeven + len(serienummers) > self.aantal:
            raise OngeldigeInvoer(
                f"The order has {self.aantal} cheques; {al_uitgegeven} were issued already.",
                rule="meer-cheques-dan-besteld",
            )
        if uitgegeven_op < self.besteld_op:
            raise OngeldigeInvoer("Cheques cannot be issued before they were ordered.", rule="uitgifte-voor-bestelling")


@dataclass(frozen=True)
class Prestatie:
    """What this service knows of a prestatie (from the prestaties topic)."""

    id: uuid.UUID
    wijkwerker_id: uuid.UUID
    gebruiker_id: uuid.UUID
    organisator_id: uuid.UUID
    koppeling_id: uuid.UUID
    datum: date
    begonnen_uren: int
    verplaatsingsvergoeding_dag_cent: int
    geannuleerd: bool = False
    referentie: str | None = None  # the code the gebruiker sees (wijkwerk.prestatiecode)
    betwist_op: date | None = None  # issue #23 item 3: held from payout while disputed
    beslecht_op: date | None = None
    uitkomst: str | None = None
    start: time | None = None  # issue #23 item 4: when the hours began (None from before it was kept)
    minuten: int | None = None
    afgewezen_op: date | None = None  # a fraud or error flag on it was rejected (ADR 0024): not paid

    @property
    def te_betalen_uren(self) -> int:
        """Cheques this prestatie can take: its started hours; none once cancelled or its
        flag rejected."""
        return 0 if self.geannuleerd or self.afgewezen_op else self.begonnen_uren


@dataclass
class Cheque:
    serienummer: str
    bestelling: Bestelling
    uitgegeven_op: date
    geldig_tot: date
    status: Status = Status.UITGEGEVEN
    prestatie_id: uuid.UUID | None = None
    gevalideerd_op: date | None = None
    afgesloten_op: date | None = None
    terugdraaiingen: int = 0  # validations reversed so far (a prestatie corrected down or cancelled)

    @property
    def vervaldag(self) -> date:
        """The day it expires, unused (A-21): the day after its last valid day."""
        return self.geldig_tot + timedelta(days=1)

    def vervalt_tegen(self, tot: date) -> bool:
        """The platform's own expiry (A-13, A-21): an issued cheque, neither used nor
        refunded, whose expiry day is on or before ``tot`` lapses, dated that expiry day —
        the same fact whenever it is judged. True when it lapsed now."""
        if self.status is not Status.UITGEGEVEN or self.vervaldag > tot:
            return False
        self.status, self.afgesloten_op = Status.VERVALLEN, self.vervaldag
        return True

    @property
    def validatie(self) -> int:
        """The number of the current (or next) validation: 1, and one more after each reversal."""
        return self.terugdraaiingen + 1

    def moet_beschikbaar_zijn(self) -> None:
        """Not used and not refunded. A lapsed cheque is available for a prestatie within its
        validity (A-21: judged on the prestatie date, see :meth:`valideer`)."""
        if self.status is Status.GEVALIDEERD:
            raise BestaatAl(f"Cheque {self.serienummer} was already used.", rule="cheque-al-gebruikt")
        if self.status is Status.TERUGBETAALD:
            raise BestaatAl(f"Cheque {self.serienummer} was refunded.", rule="cheque-terugbetaald")

    def moet_ongebruikt_zijn(self) -> None:
        self.moet_beschikbaar_zijn()
        if self.status is Status.VERVALLEN:
            raise OngeldigeInvoer(f"Cheque {self.serienummer} has expired.", rule="cheque-vervallen")

    def valideer(self, prestatie: Prestatie, gevalideerd_op: date, al_gevalideerd: int) -> None:
        """Ties the cheque to one started hour of ``prestatie``; ``al_gevalideerd`` is the
        number of cheques that prestatie already took. A-21: valid through its last day,
        judged on the prestatie date, also when it is submitted (or the issuer reported it
        lapsed) later."""
        self.moet_beschikbaar_zijn()
        if (prestatie.gebruiker_id, prestatie.organisator_id) != (
            self.bestelling.gebruiker_id,
            self.bestelling.organisator_id,
        ):
            raise OngeldigeInvoer(
                "A cheque pays only prestaties of the gebruiker and organiser it was bought for (A-14).",
                rule="cheque-andere-gebruiker",
            )
        if vervallen_op(self.geldig_tot, prestatie.datum):  # A-21, as the stock and counters judge it
            raise OngeldigeInvoer(
                f"Cheque {self.serienummer} was valid until {self.geldig_tot}; the prestatie is of {prestatie.datum}.",
                rule="cheque-vervallen",
            )
        if gevalideerd_op < prestatie.datum:
            raise OngeldigeInvoer("A cheque cannot be validated before the prestatie.", rule="validatie-voor-prestatie")
        if al_gevalideerd >= prestatie.te_betalen_uren:
            raise OngeldigeInvoer(
                f"The prestatie has {prestatie.te_betalen_uren} started hours to pay and took {al_gevalideerd} cheques.",
                rule="meer-cheques-dan-uren",
            )
        self.status, self.prestatie_id, self.gevalideerd_op = Status.GEVALIDEERD, prestatie.id, gevalideerd_op
        self.afgesloten_op = None

    def draai_validatie_terug(self, op: date) -> bool:
        """The prestatie it paid no longer counts that hour: the cheque was never really
        spent, so it can pay another prestatie of its gebruiker and organiser (A-14) — unless
        its validity ended before ``op`` (A-13), then it lapses. True when usable again."""
        if self.status is not Status.GEVALIDEERD:
            raise OngeldigeInvoer(f"Cheque {self.serienummer} is not validated.", rule="cheque-niet-gevalideerd")
        self.prestatie_id, self.gevalideerd_op = None, None
        self.terugdraaiingen += 1
        if self.geldig_tot < op:
            self.status, self.afgesloten_op = Status.VERVALLEN, op
            return False
        self.status = Status.UITGEGEVEN
        return True

    def betaal_terug(self, op: date) -> None:
        self.moet_ongebruikt_zijn()
        self.status, self.afgesloten_op = Status.TERUGBETAALD, op

    def laat_vervallen(self, op: date) -> bool:
        """The issuer reports the lapse on ``op``; the platform holds it to the validity
        (A-21) and records the fact on the cheque's own expiry day (:meth:`vervalt_tegen`),
        so the issuer's report and the platform's job give one fact. False when the cheque
        had lapsed already (nothing changes)."""
        self.moet_beschikbaar_zijn()
        if op <= self.geldig_tot:
            raise OngeldigeInvoer(
                f"Cheque {self.serienummer} is valid through {self.geldig_tot}.", rule="cheque-nog-geldig"
            )
        return self.vervalt_tegen(op)


def overtollige(gevalideerd: list[Cheque], te_betalen_uren: int) -> list[Cheque]:
    """The cheques a prestatie took beyond the hours it still pays, newest validation first
    (ties by serial number, highest first, so the choice is the same on every run)."""
    nieuwste_eerst = sorted(gevalideerd, key=lambda c: (c.gevalideerd_op or date.min, c.serienummer), reverse=True)
    return nieuwste_eerst[: max(0, len(gevalideerd) - te_betalen_uren)]
