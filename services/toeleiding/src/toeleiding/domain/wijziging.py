"""Dossier maintenance: a dated change of the IBAN, the name or the address.

Each change is kept (the history is never rewritten). The dossier shows, per kind of
data, the value of the change with the latest date (a change dated before one already
recorded goes into the history without overriding the later one), so the outcome does
not depend on the order in which back-office systems send their changes.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from toeleiding.domain import regels
from toeleiding.domain.organisator import Organisator
from toeleiding.domain.wijkwerker import Wijkwerker
from wijkwerk.fouten import OngeldigeInvoer


class Gegevens(enum.StrEnum):
    IBAN = "iban"
    NAAM = "naam"
    ADRES = "adres"


@dataclass(frozen=True)
class Adres:
    straat: str
    huisnummer: str
    postcode: str
    domicilie_nis_code: str


@dataclass(frozen=True)
class Wijziging:
    id: uuid.UUID
    wijkwerker_id: uuid.UUID
    gegevens: Gegevens
    gewijzigd_op: date
    waarde: dict[str, Any]  # the dossier columns this change sets
    reden: str | None
    door: str | None


def maskeer_iban(iban: str) -> str:
    """What a history shows of an account: country, check digits and the last four."""
    return f"{iban[:4]}…{iban[-4:]}"


def wijzigingen(
    wijkwerker: Wijkwerker,
    organisator: Organisator,
    *,
    gewijzigd_op: date,
    iban: str | None,
    naam: tuple[str, str] | None,
    adres: Adres | None,
    reden: str | None,
    door: str | None,
) -> list[Wijziging]:
    """The changes one request asks for, validated as at registration."""
    if iban is None and naam is None and adres is None:
        raise OngeldigeInvoer("Name at least one of iban, naam or adres to change.", rule="wijziging-leeg")
    if gewijzigd_op < wijkwerker.ingeschreven_op:
        raise OngeldigeInvoer(
            f"A change cannot take effect before the registration ({wijkwerker.ingeschreven_op}).",
            rule="wijziging-voor-inschrijving",
        )
    result: list[tuple[Gegevens, dict[str, Any]]] = []
    if iban is not None:
        result.append((Gegevens.IBAN, {"iban": regels.normaliseer_iban(iban)}))
    if naam is not None:
        voornaam, achternaam = (deel.strip() for deel in naam)
        if not voornaam or not achternaam:
            raise OngeldigeInvoer("A name has a first and a last name.", rule="naam-leeg")
        result.append((Gegevens.NAAM, {"voornaam": voornaam, "achternaam": achternaam}))
    if adres is not None:
        regels.controleer_vlaamse_gemeente(adres.domicilie_nis_code)
        if not organisator.bedient(adres.domicilie_nis_code):
            # Moving to another organiser's area is a new referral there, not an edit.
            raise OngeldigeInvoer(
                "The new domicile is outside the organiser's area: refer the worker to that area's organiser.",
                rule="buiten-werkingsgebied",
            )
        result.append((Gegevens.ADRES, {
            "adres_straat": adres.straat.strip(), "adres_huisnummer": adres.huisnummer.strip(),
            "adres_postcode": adres.postcode.strip(), "domicilie_nis_code": adres.domicilie_nis_code,
        }))
    return [
        Wijziging(uuid.uuid4(), wijkwerker.id, gegevens, gewijzigd_op, waarde, reden, door)
        for gegevens, waarde in result
    ]


def zichtbare_waarde(w: Wijziging) -> dict[str, Any]:
    """A history entry as a reader sees it: the account masked (only the payout run reads it whole)."""
    if w.gegevens is Gegevens.IBAN:
        return {"iban": maskeer_iban(w.waarde["iban"])}
    return dict(w.waarde)
