"""Schemas of the period close, its verification and the reconciliation (euros as strings)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from cheques.domain import afstemming
from wijkwerk.money import Euro

HASH = "3f0c9a4e7d1b2c5a8e6f4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0918"


class AfsluitingIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"afgesloten_op": "2026-02-03"}]})

    afgesloten_op: date = Field(description="The business date of the close: only months before this date's month "
                                            "can be closed, and it may not be after today")


class AfsluitingOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "periode": "2026-01", "van": "2025-11", "volgnummer": 1, "afgesloten_op": "2026-02-03",
        "geregistreerd_om": "2026-02-03T08:15:02.123456Z", "hash": HASH, "vorige_hash": "0" * 64,
        "transacties": 1824, "afstemming": "/v1/periodes/2026-01/afstemming",
    }]})

    periode: str = Field(description="The month closed; it and every month before it take no bookings any more")
    van: str = Field(description="The first month this close covers (a first close covers all history before it)")
    volgnummer: int
    afgesloten_op: date
    geregistreerd_om: datetime = Field(description="The moment of the close")
    hash: str = Field(description="SHA-256 (hex) over the covered ledger rows, closing balances and reconciliations, "
                                  "chained to vorige_hash")
    vorige_hash: str
    transacties: int = Field(description="Ledger transactions covered")
    afstemming: str = Field(description="The organisers' reconciliation of the month")


class VerificatieMaand(BaseModel):
    periode: str
    in_orde: bool
    hash: str = Field(description="As stored with the close")
    berekend: str = Field(description="Recomputed from the rows as they are now")
    vorige_hash_klopt: bool
    transacties: int


class VerificatieOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "in_orde": False, "eerste_afwijkende_periode": "2026-01",
        "afsluitingen": [
            {"periode": "2026-01", "in_orde": False, "hash": HASH, "berekend": "9" * 64, "vorige_hash_klopt": True,
             "transacties": 1824},
            {"periode": "2026-02", "in_orde": True, "hash": "a" * 64, "berekend": "a" * 64, "vorige_hash_klopt": True,
             "transacties": 1710},
        ],
    }]})

    in_orde: bool
    eerste_afwijkende_periode: str | None = Field(description="The first closed month whose rows or chain no longer "
                                                              "match its close")
    afsluitingen: list[VerificatieMaand]


class Telling(BaseModel):
    aantal: int
    bedrag: Euro


class ChequeStand(BaseModel):
    verkocht: Telling = Field(description="Cheques issued on or before the month's last day")
    gevalideerd: Telling
    terugbetaald: Telling
    vervallen: Telling
    openstaand: Telling
    verschil: Telling = Field(description="verkocht − (gevalideerd + terugbetaald + vervallen + openstaand): zero")


class GeldIn(BaseModel):
    cheques: int = Field(description="Validations booked in the month less reversals booked in it")
    geld_in: Euro
    wijkwerker: Euro
    verzekering: Euro
    reisfonds: Euro
    uitgever: Euro
    organisator: Euro
    verschil: Euro = Field(description="geld_in − the five parts: zero")


class AfstemmingRij(BaseModel):
    organisator_id: uuid.UUID
    naam: str | None
    peildatum: date
    cheques: ChequeStand
    geld: GeldIn
    sluit: bool


class AfstemmingOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "periode": "2026-01", "afgesloten_op": "2026-02-03", "hash": HASH, "rijen": [{
            "organisator_id": "5b7e2f0a-3c1d-4e8f-9a6b-2c4d6e8f0a1b", "naam": "Wijk-werken regio Brugge",
            "peildatum": "2026-01-31",
            "cheques": {
                "verkocht": {"aantal": 8, "bedrag": "55.60"}, "gevalideerd": {"aantal": 3, "bedrag": "20.85"},
                "terugbetaald": {"aantal": 1, "bedrag": "6.95"}, "vervallen": {"aantal": 1, "bedrag": "6.95"},
                "openstaand": {"aantal": 3, "bedrag": "20.85"}, "verschil": {"aantal": 0, "bedrag": "0.00"}},
            "geld": {"cheques": 3, "geld_in": "20.85", "wijkwerker": "12.30", "verzekering": "1.26",
                     "reisfonds": "0.30", "uitgever": "1.74", "organisator": "5.25", "verschil": "0.00"},
            "sluit": True,
        }],
    }]})

    periode: str
    afgesloten_op: date
    hash: str
    rijen: list[AfstemmingRij]


def afstemming_rij(d: dict[str, Any]) -> AfstemmingRij:
    c, g = d["cheques"], d["geld"]
    return AfstemmingRij(
        organisator_id=d["organisator_id"], naam=d.get("naam"), peildatum=d["peildatum"],
        cheques=ChequeStand(**{k: Telling(aantal=v["aantal"], bedrag=v["cent"]) for k, v in c.items()}),
        geld=GeldIn(cheques=g["cheques"], geld_in=g["geld_in_cent"], verschil=g["verschil_cent"],
                    **{k: g[f"{k}_cent"] for k in afstemming.DELEN}),
        sluit=afstemming.sluit(d),
    )
