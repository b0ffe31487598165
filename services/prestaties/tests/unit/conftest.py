"""Builders for the domain objects the prestatie rules need (no I/O)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date, time

import pytest

from prestaties.domain.activiteit import Activiteit, ActiviteitCategorie
from prestaties.domain.gebruiker import Erkenning, ErkenningRegels, Gebruiker, GebruikerCategorie
from prestaties.domain.koppeling import Koppeling
from prestaties.domain.prestatie import Aanvraag, Context, Partij
from prestaties.domain.tarieven import Inschrijvingsrecht, VerplaatsingsRegel
from prestaties.domain.traject import Schorsing, TrajectVenster
from prestaties.domain.uren import Plafonds, UrenStand

REGELS = ErkenningRegels((Inschrijvingsrecht(date(2018, 1, 1), 750),))


@dataclass
class Wereld:
    """One organiser, one worker in a trajectory, one gebruiker with an active erkenning,
    one activity allowed for it and a placement, 8 km from home."""

    organisator_id: uuid.UUID = field(default_factory=uuid.uuid4)
    wijkwerker_id: uuid.UUID = field(default_factory=uuid.uuid4)
    categorie: GebruikerCategorie = GebruikerCategorie.SCHOOL
    afstand_km: int = 8

    def __post_init__(self) -> None:
        self.gebruiker = Gebruiker.registreer(
            categorie=self.categorie, naam="Basisschool De Linde", aangemeld_op=date(2026, 1, 5),
            aangemeld_bij=self.organisator_id, geslacht=None,
        )
        self.erkenning = Erkenning.verleen(
            gebruiker_id=self.gebruiker.id, organisator_id=self.organisator_id, vanaf=date(2026, 1, 5),
            overeenkomst_op=date(2026, 1, 5), regels=REGELS,
        )
        self.erkenning.betaal(date(2026, 1, 5))
        self.activiteit = Activiteit.neem_op(
            organisator_id=self.organisator_id, naam="Toezicht speelplaats",
            categorie=ActiviteitCategorie.ONDERWIJS_EN_KINDEROPVANG,
            toegelaten=frozenset({GebruikerCategorie.SCHOOL, GebruikerCategorie.VZW}),
        )
        self.venster = TrajectVenster(
            traject_id=uuid.uuid4(), wijkwerker_id=self.wijkwerker_id, organisator_id=self.organisator_id,
            start=date(2026, 1, 10), gepland_einde=date(2026, 7, 9), overeenkomst_op=date(2026, 1, 10),
            schorsingen=[Schorsing(date(2026, 3, 1), date(2026, 3, 10))],
        )
        self.koppeling = Koppeling.maak(
            wijkwerker_id=self.wijkwerker_id, gebruiker=self.gebruiker, erkenning=self.erkenning,
            activiteit=self.activiteit, werkingsgebied={"31005", "31022"}, locatie_nis_code="31005",
            afstand_km=self.afstand_km, start=date(2026, 1, 12),
        )

    def context(self, **kw) -> Context:
        ctx = Context(
            koppeling=self.koppeling, gebruiker=self.gebruiker, erkenning=self.erkenning, activiteit=self.activiteit,
            vensters=[self.venster], stand=UrenStand(0, 0), plafonds=Plafonds(),
            verplaatsing=(VerplaatsingsRegel(date(2018, 1, 1)),), vandaag=date(2026, 11, 23),
        )
        return replace(ctx, **kw)

    @staticmethod
    def aanvraag(datum=date(2026, 2, 4), start=time(9, 0), minuten=130, door=Partij.WIJKWERKER) -> Aanvraag:
        return Aanvraag(datum, start, minuten, door)


@pytest.fixture
def wereld() -> Wereld:
    return Wereld()


@pytest.fixture
def maak_wereld() -> type[Wereld]:
    return Wereld
