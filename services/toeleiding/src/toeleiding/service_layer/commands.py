"""Commands: what a caller asks toeleiding to do (imperative, validated at the edge)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from toeleiding.domain.wijkwerker import Uitkeringsstatus


@dataclass(frozen=True)
class RegistreerOrganisator:
    naam: str
    samenwerkingsverband: str
    gemeenten: dict[str, str]
    tarief_cent: int
    tarief_vanaf: date


@dataclass(frozen=True)
class WijzigWerkingsgebied:
    organisator_id: uuid.UUID
    gemeenten: dict[str, str]


@dataclass(frozen=True)
class LegTariefVast:
    organisator_id: uuid.UUID
    prijs_cent: int
    geldig_vanaf: date
    voor_samenwerkingsverband: bool = False  # for every organiser of its samenwerkingsverband


@dataclass(frozen=True)
class SchrijfWijkwerkerIn:
    insz: str
    voornaam: str
    achternaam: str
    domicilie_nis_code: str
    organisator_id: uuid.UUID
    uitkeringsstatus: Uitkeringsstatus
    vdab_ingeschreven: bool
    ex_pwa: bool
    onbeperkt_recht: bool
    iban: str
    ingeschreven_op: date
    adres: tuple[str, str, str] | None = None  # straat, huisnummer, postcode


@dataclass(frozen=True)
class OntvangToeleiding:
    """A referral starts a trajectory (T-1, T-3); a referral after an ended one is a hertoeleiding."""

    wijkwerker_id: uuid.UUID
    organisator_id: uuid.UUID
    toeleider_type: str
    toeleider_org: str | None
    advies_maanden: int | None
    ontvangen_op: date
    start: date


@dataclass(frozen=True)
class TekenOvereenkomst:
    traject_id: uuid.UUID
    getekend_op: date


@dataclass(frozen=True)
class VerlengTraject:
    traject_id: uuid.UUID
    nieuw_einde: date


@dataclass(frozen=True)
class SchorsTraject:
    traject_id: uuid.UUID
    van: date
    tot: date
    reden: str
    verlengt_einde: bool = True
    nieuw_einde: date | None = None


@dataclass(frozen=True)
class BeeindigTraject:
    traject_id: uuid.UUID
    einde: date
    reden: str
    vervolg: str | None = None


@dataclass(frozen=True)
class WijzigUitkeringsstatus:
    wijkwerker_id: uuid.UUID
    uitkeringsstatus: Uitkeringsstatus
    vanaf: date


@dataclass(frozen=True)
class WijzigDossier:
    """A dated change of the IBAN, the name and/or the address (None: unchanged)."""

    wijkwerker_id: uuid.UUID
    gewijzigd_op: date
    iban: str | None
    naam: tuple[str, str] | None
    adres: tuple[str, str, str, str] | None  # straat, huisnummer, postcode, domicilie NIS code
    reden: str | None
    door: str | None
