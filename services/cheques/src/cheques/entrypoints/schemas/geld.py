"""Schemas of rates, payouts, settlements and the recompute (euros as strings)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from cheques.domain.levenscyclus import Overschrijvingsstatus, Rondestatus
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
    model_config = ConfigDict(json_schema_extra={"examples": [{"soort": "loon_per_uur", "waarde": 480, "geldig_vanaf": "2026-01-01"}, {"soort": "geldigheid_maanden", "waarde": 12, "geldig_vanaf": "2018-01-01"}]})

    soort: Soort
    waarde: int
    geldig_vanaf: date


class UitbetalingOut(BaseModel):
    wijkwerker_id: uuid.UUID
    bedrag: Euro
    end_to_end_id: str
    status: Overschrijvingsstatus = Field(description="in_behandeling until the bank reports; betaald, geweigerd "
                                                      "(pain.002 RJCT) or teruggestort (camt.054 return)")
    reden: str | None = Field(None, description="The bank's ISO 20022 reason code (AC04: closed account, …)")
    bankdatum: date | None = Field(None, description="The bank's business date of the last status")


class StapOut(BaseModel):
    stap: str = Field(description="opgesteld, goedgekeurd, verzonden, statusrapport or terugstorting")
    door: str = Field(description="The subject of the principal who took the step")
    geregistreerd_om: datetime | None
    bericht_id: str | None = Field(None, description="The bank file's MsgId for an import")


class UitbetalingsrondeOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "periode": "2026-03", "uitgevoerd_op": "2026-04-01T07:12:03Z", "aantal": 1, "totaal": "45.90",
        "status": "bevestigd", "uitvoeringsdatum": "2026-04-01",
        "uitbetalingen": [{"wijkwerker_id": "6f1c2f7e-3d4b-4c2a-9f55-0d8e0b1a2c3d", "bedrag": "45.90",
                           "end_to_end_id": "WW2026036f1c2f7e3d4b4c2a9f550d8", "status": "geweigerd",
                           "reden": "AC04", "bankdatum": "2026-04-03"}],
        "zonder_bankgegevens": [], "sepa_bestand": "/v1/uitbetalingen/2026-03/sepa",
        "stappen": [
            {"stap": "opgesteld", "door": "boekhouder-1", "geregistreerd_om": "2026-04-01T07:12:03Z", "bericht_id": None},
            {"stap": "goedgekeurd", "door": "controleur-2", "geregistreerd_om": "2026-04-01T09:30:00Z",
             "bericht_id": None},
            {"stap": "verzonden", "door": "boekhouder-1", "geregistreerd_om": "2026-04-01T10:00:00Z", "bericht_id": None},
            {"stap": "statusrapport", "door": "boekhouder-1", "geregistreerd_om": "2026-04-03T08:00:00Z",
             "bericht_id": "STS-20260403-0001"}],
    }]})

    periode: str
    uitgevoerd_op: datetime | None
    aantal: int
    totaal: Euro
    status: Rondestatus = Field(description="opgesteld → goedgekeurd → verzonden → bevestigd, or geweigerd")
    uitvoeringsdatum: date = Field(description="The SEPA requested execution date")
    uitbetalingen: list[UitbetalingOut]
    zonder_bankgegevens: list[str] = Field(description="Workers with money due whom toeleiding does not know")
    sepa_bestand: str | None = Field(description="Where the approved run's file is generated (None: nobody is paid)")
    stappen: list[StapOut] = Field(description="Every step of the run with its actor, oldest first")


class BankberichtVerwerkt(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "bericht_id": "NTF-20260408-0001", "teruggeboekt": ["WW2026036f1c2f7e3d4b4c2a9f550d8"], "al_verwerkt": [],
        "onbekend": []}]})

    bericht_id: str = Field(description="The camt.054's MsgId; a second import of it changes nothing")
    teruggeboekt: list[str] = Field(description="End-to-end ids booked back now")
    al_verwerkt: list[str] = Field(description="Returns booked back before (or refused by a pain.002 already)")
    onbekend: list[str] = Field(description="Returns of transfers that are not this platform's (ignored)")


class WijkwerkerUitbetalingOut(BaseModel):
    periode: str
    bedrag: Euro
    end_to_end_id: str
    status: Overschrijvingsstatus
    rondestatus: Rondestatus
    reden: str | None
    bankdatum: date | None


class UitbetalingsHistoriekOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "wijkwerker_id": "6f1c2f7e-3d4b-4c2a-9f55-0d8e0b1a2c3d",
        "uitbetalingen": [
            {"periode": "2026-03", "bedrag": "45.90", "end_to_end_id": "WW2026036f1c2f7e3d4b4c2a9f550d8",
             "status": "geweigerd", "rondestatus": "bevestigd", "reden": "AC04", "bankdatum": "2026-04-03"},
            {"periode": "2026-04", "bedrag": "53.10", "end_to_end_id": "WW2026046f1c2f7e3d4b4c2a9f550d8",
             "status": "betaald", "rondestatus": "bevestigd", "reden": None, "bankdatum": "2026-05-04"}]}]})

    wijkwerker_id: uuid.UUID
    uitbetalingen: list[WijkwerkerUitbetalingOut]


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
    model_config = ConfigDict(json_schema_extra={"examples": [{"periode": "2026-03", "rijen": [{"partij": "organisator", "rekening": "organisator:3fa85f64-5717-4562-b3fc-2c963f66afa6", "organisator_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "naam": "Wijk-werken Midwest", "cheques": 412, "debet": "0.00", "credit": "312.70", "saldo": "312.70", "uit_cheques": "259.60", "uit_inschrijvingen": "53.10"}]}]})

    periode: str
    rijen: list[AfrekeningRij]

