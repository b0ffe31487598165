"""A placement (*koppeling*): a worker at a gebruiker for an activity, at a place (NIS
code) with the one-way home–work distance in whole km (A-03)."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from prestaties.domain.activiteit import Activiteit
from prestaties.domain.gebruiker import Erkenning, Gebruiker
from wijkwerk.fouten import BestaatAl, OngeldigeInvoer


@dataclass
class Koppeling:
    id: uuid.UUID
    wijkwerker_id: uuid.UUID
    gebruiker_id: uuid.UUID
    organisator_id: uuid.UUID
    activiteit_id: uuid.UUID
    locatie_nis_code: str
    afstand_km: int
    start: date
    einde: date | None = None
    einde_reden: str | None = None
    version: int = 0

    @classmethod
    def maak(
        cls,
        *,
        wijkwerker_id: uuid.UUID,
        gebruiker: Gebruiker,
        erkenning: Erkenning | None,
        activiteit: Activiteit,
        werkingsgebied: Collection[str],
        locatie_nis_code: str,
        afstand_km: int,
        start: date,
    ) -> Koppeling:
        if locatie_nis_code not in werkingsgebied:
            # G-2: the organiser competent for the place of the activity.
            raise OngeldigeInvoer("The place is outside the organiser's area.", rule="buiten-werkingsgebied")
        if afstand_km < 0:
            raise OngeldigeInvoer("A distance is zero or more km.", rule="afstand-ongeldig")
        if erkenning is None:
            raise OngeldigeInvoer(
                "The gebruiker holds no erkenning with this organiser (G-2).", rule="geen-erkenning"
            )
        activiteit.controleer_toegelaten(gebruiker, start)
        return cls(
            uuid.uuid4(), wijkwerker_id, gebruiker.id, activiteit.organisator_id, activiteit.id,
            locatie_nis_code, afstand_km, start, version=1,
        )

    def loopt_op(self, dag: date) -> bool:
        return self.start <= dag and (self.einde is None or dag <= self.einde)

    def controleer_loopt_op(self, dag: date) -> None:
        if not self.loopt_op(dag):
            raise OngeldigeInvoer(f"The placement does not run on {dag}.", rule="buiten-koppeling")

    def beeindig(self, einde: date, reden: str) -> None:
        if self.einde is not None:
            raise BestaatAl("The placement has already ended.", rule="koppeling-beeindigd")
        if einde < self.start:
            raise OngeldigeInvoer("A placement cannot end before it starts.", rule="einde-voor-start")
        self.einde = einde
        self.einde_reden = reden
        self.version += 1
