"""Commands: what a caller asks prestaties to do (imperative, validated at the edge)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, time

from prestaties.domain.activiteit import ActiviteitCategorie
from prestaties.domain.bevestiging import Uitkomst
from prestaties.domain.contact import ContactReden, ContactRol, Kanaal
from prestaties.domain.gebruiker import Adres, GebruikerCategorie, Geslacht
from prestaties.domain.prestatie import Partij


@dataclass(frozen=True)
class RegistreerGebruiker:
    categorie: GebruikerCategorie
    naam: str
    geslacht: Geslacht | None
    aangemeld_op: date
    aangemeld_bij: uuid.UUID
    iban: str | None = None
    adres: Adres | None = None


@dataclass(frozen=True)
class VerleenErkenning:
    gebruiker_id: uuid.UUID
    organisator_id: uuid.UUID
    geldig_vanaf: date
    overeenkomst_op: date | None


@dataclass(frozen=True)
class OndertekenErkenning:
    erkenning_id: uuid.UUID
    op: date


@dataclass(frozen=True)
class BetaalInschrijvingsrecht:
    erkenning_id: uuid.UUID
    betaald_op: date


@dataclass(frozen=True)
class HernieuwErkenning:
    erkenning_id: uuid.UUID
    vanaf: date | None


@dataclass(frozen=True)
class StopErkenning:
    erkenning_id: uuid.UUID
    einde: date
    reden: str


@dataclass(frozen=True)
class RegistreerContact:
    gebruiker_id: uuid.UUID
    organisator_id: uuid.UUID
    datum: date
    door: str
    door_rol: ContactRol
    kanaal: Kanaal
    reden: ContactReden
    notitie: str | None


@dataclass(frozen=True)
class NeemActiviteitOp:
    organisator_id: uuid.UUID
    naam: str
    categorie: ActiviteitCategorie
    toegelaten: frozenset[GebruikerCategorie]


@dataclass(frozen=True)
class WijzigToegelatenCategorieen:
    activiteit_id: uuid.UUID
    toegelaten: frozenset[GebruikerCategorie]


@dataclass(frozen=True)
class StaAfwijkingToe:
    activiteit_id: uuid.UUID
    gebruiker_id: uuid.UUID
    aangevraagd_op: date
    goedgekeurd_op: date
    geldig_van: date
    geldig_tot: date | None
    motivering: str


@dataclass(frozen=True)
class MaakKoppeling:
    wijkwerker_id: uuid.UUID
    gebruiker_id: uuid.UUID
    organisator_id: uuid.UUID
    activiteit_id: uuid.UUID
    locatie_nis_code: str
    afstand_km: int
    start: date


@dataclass(frozen=True)
class BeeindigKoppeling:
    koppeling_id: uuid.UUID
    einde: date
    reden: str


@dataclass(frozen=True)
class RegistreerPrestatie:
    koppeling_id: uuid.UUID
    datum: date
    start: time
    minuten: int
    door: Partij
    geregistreerd_op: date | None = None  # the registration's business date: the window opens on it


@dataclass(frozen=True)
class BeoordeelPrestatie:
    """Confirm (``reden`` None) or dispute (with a reason) by the other party."""

    prestatie_id: uuid.UUID
    door: Partij
    reden: str | None = None
    op: date | None = None  # the business date; None: today


@dataclass(frozen=True)
class BeslechtBetwisting:
    """The organiser (or central ops) resolves a dispute."""

    prestatie_id: uuid.UUID
    uitkomst: Uitkomst
    toelichting: str
    op: date | None = None


@dataclass(frozen=True)
class CorrigeerPrestatie:
    prestatie_id: uuid.UUID
    start: time
    minuten: int
    door: Partij
    reden: str
    op: date | None = None  # the business date; None: today


@dataclass(frozen=True)
class AnnuleerPrestatie:
    prestatie_id: uuid.UUID
    door: Partij
    reden: str
    op: date | None = None  # the business date; None: today
