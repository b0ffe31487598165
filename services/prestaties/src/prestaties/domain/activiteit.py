"""The activity catalogue per organiser (AC-1, AC-2) with the matrix of gebruiker
categories each activity is allowed at (AC-3, PR-11), and local-government deviations."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import date

from prestaties.domain.gebruiker import Gebruiker, GebruikerCategorie
from wijkwerk.fouten import OngeldigeInvoer


class ActiviteitCategorie(enum.StrEnum):
    """AC-1: the closed list (AC-2); one category is one *hoofdactiviteit* (A-17)."""

    ADMINISTRATIEVE_ONDERSTEUNING = "administratieve_ondersteuning"
    BEGELEIDING_PERSONEN = "begeleiding_personen"
    LOGISTIEKE_ONDERSTEUNING = "logistieke_ondersteuning"
    ONDERWIJS_EN_KINDEROPVANG = "onderwijs_en_kinderopvang"
    GROENONDERHOUD = "groenonderhoud"


@dataclass(frozen=True)
class Afwijking:
    """AC-2, PR-11: a local government asked for an activity the matrix does not allow it;
    the organiser approved it. Recorded with its dates, valid from ``geldig_van``."""

    id: uuid.UUID
    gebruiker_id: uuid.UUID
    aangevraagd_op: date
    goedgekeurd_op: date
    geldig_van: date
    geldig_tot: date | None
    motivering: str

    def geldt_voor(self, gebruiker_id: uuid.UUID, dag: date) -> bool:
        return (
            self.gebruiker_id == gebruiker_id
            and self.geldig_van <= dag
            and (self.geldig_tot is None or dag <= self.geldig_tot)
        )


@dataclass
class Activiteit:
    id: uuid.UUID
    organisator_id: uuid.UUID
    naam: str
    categorie: ActiviteitCategorie
    toegelaten: frozenset[GebruikerCategorie]
    afwijkingen: list[Afwijking] = field(default_factory=list)
    version: int = 0

    @classmethod
    def neem_op(
        cls,
        *,
        organisator_id: uuid.UUID,
        naam: str,
        categorie: ActiviteitCategorie,
        toegelaten: frozenset[GebruikerCategorie],
    ) -> Activiteit:
        return cls(uuid.uuid4(), organisator_id, naam.strip(), categorie, frozenset(toegelaten), version=1)

    def wijzig_toegelaten(self, toegelaten: frozenset[GebruikerCategorie]) -> None:
        """The organiser edits its matrix row; it applies to prestaties registered from now on."""
        self.toegelaten = frozenset(toegelaten)
        self.version += 1

    def sta_afwijking_toe(
        self,
        gebruiker: Gebruiker,
        *,
        aangevraagd_op: date,
        goedgekeurd_op: date,
        geldig_van: date,
        geldig_tot: date | None,
        motivering: str,
    ) -> Afwijking:
        if gebruiker.categorie is not GebruikerCategorie.LOKAAL_BESTUUR:
            raise OngeldigeInvoer(
                "Only a local government can ask for a deviation (AC-2).", rule="afwijking-alleen-lokaal-bestuur"
            )
        if goedgekeurd_op < aangevraagd_op or (geldig_tot is not None and geldig_tot < geldig_van):
            raise OngeldigeInvoer(
                "A deviation is approved after it is asked for, and ends after it starts.", rule="afwijking-ongeldig"
            )
        afwijking = Afwijking(
            uuid.uuid4(), gebruiker.id, aangevraagd_op, goedgekeurd_op, geldig_van, geldig_tot, motivering.strip()
        )
        self.afwijkingen.append(afwijking)
        self.version += 1
        return afwijking

    def toegelaten_bij(self, gebruiker: Gebruiker, dag: date) -> bool:
        return gebruiker.categorie in self.toegelaten or any(
            a.geldt_voor(gebruiker.id, dag) for a in self.afwijkingen
        )

    def controleer_toegelaten(self, gebruiker: Gebruiker, dag: date) -> None:
        """AC-3: not every activity may take place at every type of gebruiker."""
        if not self.toegelaten_bij(gebruiker, dag):
            raise OngeldigeInvoer(
                f"Activity {self.naam!r} is not allowed at a gebruiker of category {gebruiker.categorie.value}.",
                rule="activiteit-niet-toegelaten",
            )
