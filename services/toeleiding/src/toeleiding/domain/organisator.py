"""The organiser aggregate: its area (municipalities), its samenwerkingsverband and tariff history."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from toeleiding.domain import regels
from wijkwerk.fouten import BestaatAl, OngeldigeInvoer


@dataclass
class Organisator:
    id: uuid.UUID
    naam: str
    samenwerkingsverband: str
    gemeenten: dict[str, str]  # NIS code → name
    tarieven: list[tuple[date, int]] = field(default_factory=list)
    version: int = 0

    @classmethod
    def registreer(
        cls,
        *,
        naam: str,
        samenwerkingsverband: str,
        gemeenten: dict[str, str],
        tarief_cent: int,
        tarief_vanaf: date,
        toegelaten_tarieven: tuple[int, ...],
    ) -> Organisator:
        if not gemeenten:
            raise OngeldigeInvoer("An organiser needs at least one municipality.", rule="werkingsgebied-leeg")
        for nis in gemeenten:
            regels.controleer_vlaamse_gemeente(nis)
        organisator = cls(uuid.uuid4(), naam.strip(), samenwerkingsverband.strip(), dict(gemeenten))
        organisator.leg_tarief_vast(tarief_cent, tarief_vanaf, toegelaten_tarieven)
        return organisator

    def leg_tarief_vast(self, prijs_cent: int, vanaf: date, toegelaten: tuple[int, ...]) -> None:
        regels.controleer_tarief(prijs_cent, toegelaten)
        if any(bestaand == vanaf for bestaand, _ in self.tarieven):
            raise BestaatAl(f"A tariff from {vanaf} already exists.", rule="tarief-bestaat-al")
        self.tarieven.append((vanaf, prijs_cent))
        self.version += 1

    def controleer_zelfde_tarief(self, andere: list[Organisator], vanaf: date = date.min) -> None:
        """A-18: one tariff across the organisers of a samenwerkingsverband (C-2) on any date
        (from ``vanaf``: what a new tariff row changes)."""
        for ander in andere:
            dag = regels.eerste_verschil(self.tarieven, ander.tarieven, vanaf)
            if dag is not None:
                raise BestaatAl(
                    f"From {dag} this tariff differs from {ander.naam}'s in samenwerkingsverband "
                    f"{self.samenwerkingsverband}: one tariff holds across it (C-2). Set it for the whole "
                    "samenwerkingsverband instead.",
                    rule="tarief-verschilt-in-samenwerkingsverband",
                    organisator_id=str(ander.id), datum=dag.isoformat(),
                )

    def wijzig_werkingsgebied(self, gemeenten: dict[str, str]) -> None:
        if not gemeenten:
            raise OngeldigeInvoer("An organiser needs at least one municipality.", rule="werkingsgebied-leeg")
        for nis in gemeenten:
            regels.controleer_vlaamse_gemeente(nis)
        self.gemeenten = dict(gemeenten)
        self.version += 1

    def tarief_op(self, dag: date) -> int | None:
        return regels.tarief_op(self.tarieven, dag)

    def bedient(self, nis_code: str) -> bool:
        return nis_code in self.gemeenten
