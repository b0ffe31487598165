"""Schemas of rates, payouts, settlements and the recompute (euros as strings)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from cheques.domain.tarieven import Soort
from wijkwerk.money import Euro


class VerdeeltariefIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"soort": "verzekering", "waarde": 45, "geldig_vanaf": "2027-01-01"}]},
    )

    soort: Soort
    waarde: int = Field(ge=0, le=100_000, description="Cents, or months for geldigheid_maanden")
    geldig_vanaf: date


class VerdeeltariefOut(BaseModel):
    soort: Soort
    waarde: int
    geldig_vanaf: date


class UitbetalingOut(BaseModel):
    wijkwerker_id: uuid.UUID
    bedrag: Euro
    end_to_end_id: str


class UitbetalingsrondeOut(BaseModel):
    periode: str
    uitgevoerd_op: datetime | None
    aantal: int
    totaal: Euro
    uitbetalingen: list[UitbetalingOut]
    zonder_bankgegevens: list[str] = Field(description="Workers with money due whom toeleiding does not know")
    sepa_bestand: str | None


class AfrekeningRij(BaseModel):
    partij: str
    rekening: str
    organisator_id: uuid.UUID | None = None
    naam: str | None = None
    cheques: int
    debet: Euro
    credit: Euro
    saldo: Euro = Field(description="credit − debit: what the party is owed for the month")
    uit_cheques: Euro
    uit_inschrijvingen: Euro


class AfrekeningOut(BaseModel):
    periode: str
    rijen: list[AfrekeningRij]
