"""The prestatie: hours of one placement on one day, entered by one party and confirmed
or disputed by another; corrected or cancelled with a reason (never edited silently)."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, time

from prestaties.domain.activiteit import Activiteit
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
from wijkwerk.fouten import BestaatAl, OngeldigeInvoer


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

    def _wacht_op_andere_partij(self, door: Partij) -> None:
        self._open()
        if self.status is not PrestatieStatus.GEREGISTREERD:
            raise BestaatAl(f"The prestatie is already {self.status.value}.", rule="prestatie-niet-open")
        if door is self.ingevoerd_door:
            raise OngeldigeInvoer(
                "The other party confirms or disputes, not the one who entered it.", rule="andere-partij-bevestigt"
            )

    def bevestig(self, door: Partij) -> None:
        self._wacht_op_andere_partij(door)
        self.status = PrestatieStatus.BEVESTIGD
        self.version += 1

    def betwist(self, door: Partij) -> None:
        self._wacht_op_andere_partij(door)
        self.status = PrestatieStatus.BETWIST
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
