"""The prestatie: hours of one placement on one day, entered by one party and confirmed
or disputed by another; corrected or cancelled with a reason (never edited silently)."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, time

from prestaties.domain.activiteit import Activiteit
from prestaties.domain.bevestiging import Termijn, Uitkomst
from prestaties.domain.gebruiker import Erkenning, Gebruiker
from prestaties.domain.koppeling import Koppeling
from prestaties.domain.tarieven import VerplaatsingsRegel, geldig_op
from prestaties.domain.traject import TrajectVenster, traject_op
from prestaties.domain.uren import (
    Plafonds,
    UrenStand,
    begonnen_uren,
    controleer_duur,
    controleer_jaarplafond,
    controleer_maandplafond,
    controleer_plafonds,
)
from wijkwerk.fouten import BestaatAl, Conflict, OngeldigeInvoer


class Partij(enum.StrEnum):
    WIJKWERKER = "wijkwerker"
    GEBRUIKER = "gebruiker"
    ORGANISATOR = "organisator"


class PrestatieStatus(enum.StrEnum):
    GEREGISTREERD = "geregistreerd"  # waiting for the other party
    BEVESTIGD = "bevestigd"
    BETWIST = "betwist"
    GEANNULEERD = "geannuleerd"


@dataclass(frozen=True)
class Aanvraag:
    datum: date
    start: time
    minuten: int
    door: Partij


@dataclass(frozen=True)
class Context:
    """Everything the rules need, loaded by the handler (the stand under the worker's lock)."""

    koppeling: Koppeling
    gebruiker: Gebruiker
    erkenning: Erkenning | None
    activiteit: Activiteit
    vensters: Sequence[TrajectVenster]
    stand: UrenStand
    plafonds: Plafonds
    verplaatsing: Sequence[VerplaatsingsRegel]
    vandaag: date


def _controleer_erkenning(erkenning: Erkenning | None, dag: date) -> None:
    if erkenning is None or not erkenning.actief_op(dag):
        raise OngeldigeInvoer(
            "The gebruiker holds no active erkenning with this organiser on that date (A-10).",
            rule="geen-actieve-erkenning",
            **(erkenning.stand_op(dag) if erkenning is not None else {
                "erkenning_status": None, "erkenning_einde": None, "hernieuwing_start": None}),
        )


def _weiger_bij_geschonden_regels(*controles: Callable[[], None]) -> None:
    """A-23: every rule is checked; the refusal is the first broken one in the order given
    (trajectory window, erkenning, matrix, month cap, year cap) and lists them all in
    ``geschonden_regels``. A trajectory not known here yet is no refusal: it is raised as
    is (retryable)."""
    fouten: list[OngeldigeInvoer] = []
    for controle in controles:
        try:
            controle()
        except OngeldigeInvoer as fout:
            fouten.append(fout)
    if fouten:
        eerste = fouten[0]
        eerste.extra["geschonden_regels"] = [{"rule": f.rule, "detail": f.detail} for f in fouten]
        raise eerste


@dataclass
class Prestatie:
    id: uuid.UUID
    koppeling_id: uuid.UUID
    wijkwerker_id: uuid.UUID
    gebruiker_id: uuid.UUID
    organisator_id: uuid.UUID
    activiteit_id: uuid.UUID
    traject_id: uuid.UUID
    datum: date
    start: time
    minuten: int
    begonnen_uren: int
    afstand_km: int
    recht_op_verplaatsingsvergoeding: bool
    verplaatsingsvergoeding_dag_cent: int
    ingevoerd_door: Partij
    status: PrestatieStatus = PrestatieStatus.GEREGISTREERD
    version: int = 0
    referentie: str = ""  # the short code partners see (wijkwerk.prestatiecode), given by the handler
    # The confirmation window (issue #23 item 3; domain.bevestiging); None on prestaties from before it.
    termijn: Termijn | None = None
    beoordeeld_op: date | None = None  # the business date of the confirmation or dispute
    automatisch: bool = False  # confirmed by silence on the deadline
    herinnerd_tot: date | None = None  # the deadline whose reminder was recorded
    betwisting_reden: str | None = None
    beslecht_op: date | None = None
    uitkomst: Uitkomst | None = None

    @classmethod
    def registreer(cls, aanvraag: Aanvraag, ctx: Context) -> Prestatie:
        """Input first; then every business rule (A-23), the caps on the stand read under the lock."""
        controleer_duur(aanvraag.start, aanvraag.minuten)
        if aanvraag.datum > ctx.vandaag:
            raise OngeldigeInvoer("Hours are registered after they are worked.", rule="datum-in-de-toekomst")
        ctx.koppeling.controleer_loopt_op(aanvraag.datum)
        uren = begonnen_uren(aanvraag.minuten)
        vensters: list[TrajectVenster] = []
        _weiger_bij_geschonden_regels(
            lambda: vensters.append(traject_op(ctx.vensters, ctx.koppeling.organisator_id, aanvraag.datum)),
            lambda: _controleer_erkenning(ctx.erkenning, aanvraag.datum),
            lambda: ctx.activiteit.controleer_toegelaten(ctx.gebruiker, aanvraag.datum),
            lambda: controleer_maandplafond(uren, ctx.stand, ctx.plafonds),
            lambda: controleer_jaarplafond(uren, ctx.stand, ctx.plafonds),
        )
        traject = vensters[0]
        regel = geldig_op(ctx.verplaatsing, aanvraag.datum, wat="travel allowance rule")
        k = ctx.koppeling
        return cls(
            id=uuid.uuid4(), koppeling_id=k.id, wijkwerker_id=k.wijkwerker_id, gebruiker_id=k.gebruiker_id,
            organisator_id=k.organisator_id, activiteit_id=k.activiteit_id, traject_id=traject.traject_id,
            datum=aanvraag.datum, start=aanvraag.start, minuten=aanvraag.minuten, begonnen_uren=uren,
            afstand_km=k.afstand_km, recht_op_verplaatsingsvergoeding=regel.recht_op_vergoeding(k.afstand_km),
            verplaatsingsvergoeding_dag_cent=regel.dagvergoeding_cent(k.afstand_km),
            ingevoerd_door=aanvraag.door, version=1,
        )

    def _open(self) -> None:
        if self.status is PrestatieStatus.GEANNULEERD:
            raise BestaatAl("The prestatie was cancelled.", rule="prestatie-geannuleerd")

    def _wacht_op_andere_partij(self, door: Partij, op: date, vandaag: date) -> None:
        self._open()
        if self.status is not PrestatieStatus.GEREGISTREERD:
            raise BestaatAl(f"The prestatie is already {self.status.value}.", rule="prestatie-niet-open",
                            prestatie_status=self.status.value, automatisch=self.automatisch)
        if door is self.ingevoerd_door:
            raise OngeldigeInvoer(
                "The other party confirms or disputes, not the one who entered it.", rule="andere-partij-bevestigt"
            )
        if op > vandaag:
            raise OngeldigeInvoer("A confirmation or dispute is not dated in the future.",
                                  rule="datum-in-de-toekomst")
        if self.termijn is None:
            return
        if op < self.termijn.vanaf:
            raise OngeldigeInvoer("A confirmation or dispute is dated on or after the registration it answers.",
                                  rule="datum-voor-termijn", termijn_vanaf=self.termijn.vanaf.isoformat())
        if op > self.termijn.tot:
            raise Conflict(
                f"The window closed on {self.termijn.tot}: silence confirmed the prestatie on that day.",
                rule="bevestigingstermijn-verstreken", bevestigen_tot=self.termijn.tot.isoformat(),
            )

    def bevestig(self, door: Partij, op: date, vandaag: date) -> None:
        self._wacht_op_andere_partij(door, op, vandaag)
        self.status, self.beoordeeld_op = PrestatieStatus.BEVESTIGD, op
        self.version += 1

    def betwist(self, door: Partij, op: date, vandaag: date, reden: str) -> None:
        self._wacht_op_andere_partij(door, op, vandaag)
        self.status, self.beoordeeld_op, self.betwisting_reden = PrestatieStatus.BETWIST, op, reden
        self.version += 1

    def controleer_registratiedatum(self, op: date, vandaag: date) -> None:
        """The registration's business date (the window opens on it): on or after the work, not in the future."""
        if op < self.datum or op > vandaag:
            raise OngeldigeInvoer("A prestatie is registered on or after its date, not in the future.",
                                  rule="registratiedatum-ongeldig")

    def open_termijn(self, termijn: Termijn) -> None:
        """A (new) window: at registration, and again after a correction."""
        self.termijn, self.beoordeeld_op, self.automatisch = termijn, None, False
        self.betwisting_reden = self.beslecht_op = self.uitkomst = None

    def bevestig_door_stilte(self, vandaag: date) -> bool:
        """The window closed before ``vandaag`` without an answer: confirmed, dated on the
        deadline whenever this runs. False when there is nothing to confirm."""
        if self.status is not PrestatieStatus.GEREGISTREERD or self.termijn is None or self.termijn.tot >= vandaag:
            return False
        self.status, self.beoordeeld_op, self.automatisch = PrestatieStatus.BEVESTIGD, self.termijn.tot, True
        self.version += 1
        return True

    def herinnering_nodig(self, vandaag: date) -> bool:
        """The reminder's date has come, none was recorded for this window, and on that
        date the prestatie was still unanswered (so a late run records what a timely one would)."""
        t = self.termijn
        if t is None or self.herinnerd_tot == t.tot or t.herinnering_op > vandaag or t.herinnering_op < t.vanaf:
            return False
        if self.status is PrestatieStatus.GEREGISTREERD:
            return True
        return self.beoordeeld_op is not None and self.beoordeeld_op >= t.herinnering_op

    def beslecht(self, uitkomst: Uitkomst, op: date, vandaag: date) -> None:
        """The organiser (or central ops) resolves a dispute: upheld → confirmed (payable),
        rejected → cancelled (reversed, A-20)."""
        if self.status is not PrestatieStatus.BETWIST:
            raise Conflict(f"Only a disputed prestatie is resolved; this one is {self.status.value}.",
                           rule="prestatie-niet-betwist", prestatie_status=self.status.value)
        if op > vandaag:
            raise OngeldigeInvoer("A resolution is not dated in the future.", rule="datum-in-de-toekomst")
        if self.beoordeeld_op is not None and op < self.beoordeeld_op:
            raise OngeldigeInvoer("A dispute is resolved on or after the day it was raised.",
                                  rule="beslissing-voor-betwisting", betwist_op=self.beoordeeld_op.isoformat())
        self.beslecht_op, self.uitkomst = op, uitkomst
        self.status = PrestatieStatus.BEVESTIGD if uitkomst is Uitkomst.GEHANDHAAFD else PrestatieStatus.GEANNULEERD
        self.version += 1

    def controleer_wijzigingsdatum(self, op: date, vandaag: date) -> None:
        """A-20: a correction or cancellation carries its business date (its storno is booked
        in that month): not before the prestatie, not in the future."""
        if op < self.datum:
            raise OngeldigeInvoer("A prestatie is corrected or cancelled on or after its date.",
                                  rule="wijziging-voor-prestatie")
        if op > vandaag:
            raise OngeldigeInvoer("A correction or cancellation is not dated in the future.",
                                  rule="datum-in-de-toekomst")

    def corrigeer(self, start: time, minuten: int, door: Partij, stand: UrenStand, plafonds: Plafonds) -> int:
        """New start and duration; the other party confirms again. Returns the old hours.
        ``stand`` includes this prestatie's current hours, which the correction replaces."""
        self._open()
        controleer_duur(start, minuten)
        uren = begonnen_uren(minuten)
        controleer_plafonds(uren, stand.zonder(self.begonnen_uren), plafonds)
        vorige, self.begonnen_uren = self.begonnen_uren, uren
        self.start, self.minuten, self.ingevoerd_door = start, minuten, door
        self.status = PrestatieStatus.GEREGISTREERD
        self.version += 1
        return vorige

    def annuleer(self) -> None:
        self._open()
        self.status = PrestatieStatus.GEANNULEERD
        self.version += 1
