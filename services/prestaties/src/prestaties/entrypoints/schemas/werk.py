"""Schemas of the activity catalogue, placements, prestaties and the hour stand."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from prestaties.domain.activiteit import Activiteit, ActiviteitCategorie
from prestaties.domain.bevestiging import Uitkomst
from prestaties.domain.gebruiker import GebruikerCategorie
from prestaties.domain.koppeling import Koppeling
from prestaties.domain.prestatie import Partij, Prestatie, PrestatieStatus
from prestaties.domain.traject import TrajectVenster
from prestaties.entrypoints.schemas import LokaleTijd, Nis, Reden, verzoek
from wijkwerk.money import Euro

_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"


class ActiviteitIn(BaseModel):
    model_config = verzoek(
        naam="Tuinonderhoud", categorie="groenonderhoud", toegelaten_categorieen=["particulier", "school", "vzw"]
    )

    naam: str = Field(min_length=1, max_length=200)
    categorie: ActiviteitCategorie
    toegelaten_categorieen: list[GebruikerCategorie] = Field(description="The matrix row (AC-3)")


class ToegelatenIn(BaseModel):
    model_config = verzoek(toegelaten_categorieen=["particulier", "school"])

    toegelaten_categorieen: list[GebruikerCategorie]


class AfwijkingIn(BaseModel):
    model_config = verzoek(
        gebruiker_id=_ID, aangevraagd_op="2026-02-01", goedgekeurd_op="2026-02-15", geldig_van="2026-03-01",
        geldig_tot="2026-12-31", motivering="Aanvullend op de eigen groendienst, geen verdringing.",
    )

    gebruiker_id: uuid.UUID = Field(description="The local government that asked (AC-2)")
    aangevraagd_op: date
    goedgekeurd_op: date
    geldig_van: date
    geldig_tot: date | None = None
    motivering: str = Field(min_length=1, max_length=2000)


class AfwijkingOut(BaseModel):
    id: uuid.UUID
    gebruiker_id: uuid.UUID
    aangevraagd_op: date
    goedgekeurd_op: date
    geldig_van: date
    geldig_tot: date | None
    motivering: str


class ActiviteitOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"id": "a7b8c9d0-e1f2-4a3b-8c4d-5e6f7a8b9c0d", "organisator_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "naam": "Hulp bij tuinonderhoud", "categorie": "groenonderhoud", "toegelaten_categorieen": ["particulier", "vzw"], "afwijkingen": [{"id": "e2f3a4b5-c6d7-4e8f-9a0b-1c2d3e4f5a6b", "gebruiker_id": "f0e1d2c3-b4a5-4968-8776-5a4b3c2d1e0f", "aangevraagd_op": "2026-02-01", "goedgekeurd_op": "2026-02-10", "geldig_van": "2026-03-01", "geldig_tot": "2026-12-31", "motivering": "Gemeentelijke moestuin zonder eigen groendienst."}]}]})

    id: uuid.UUID
    organisator_id: uuid.UUID
    naam: str
    categorie: ActiviteitCategorie
    toegelaten_categorieen: list[GebruikerCategorie]
    afwijkingen: list[AfwijkingOut]

    @classmethod
    def of(cls, a: Activiteit) -> ActiviteitOut:
        return cls(
            id=a.id, organisator_id=a.organisator_id, naam=a.naam, categorie=a.categorie,
            toegelaten_categorieen=sorted(a.toegelaten),
            afwijkingen=[AfwijkingOut(**vars(x)) for x in a.afwijkingen],
        )


class KoppelingIn(BaseModel):
    model_config = verzoek(
        wijkwerker_id=_ID, gebruiker_id=_ID, organisator_id=_ID, activiteit_id=_ID, locatie_nis_code="31005",
        afstand_km=8, start="2026-02-09",
    )

    wijkwerker_id: uuid.UUID
    gebruiker_id: uuid.UUID
    organisator_id: uuid.UUID
    activiteit_id: uuid.UUID
    locatie_nis_code: Nis
    afstand_km: int = Field(ge=0, le=1000, description="One-way home–work distance in whole km (A-03)")
    start: date


class BeeindigingIn(BaseModel):
    model_config = verzoek(einde="2026-06-30", reden="traject beëindigd")

    einde: date
    reden: Reden


class KoppelingOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"id": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "wijkwerker_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "gebruiker_id": "b2c4d6e8-1a3c-4e5f-8a7b-9c0d1e2f3a4b", "organisator_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "activiteit_id": "a7b8c9d0-e1f2-4a3b-8c4d-5e6f7a8b9c0d", "locatie_nis_code": "36015", "afstand_km": 4, "start": "2026-02-02", "einde": None, "einde_reden": None}]})

    id: uuid.UUID
    wijkwerker_id: uuid.UUID
    gebruiker_id: uuid.UUID
    organisator_id: uuid.UUID
    activiteit_id: uuid.UUID
    locatie_nis_code: str
    afstand_km: int
    start: date
    einde: date | None
    einde_reden: str | None

    @classmethod
    def of(cls, k: Koppeling) -> KoppelingOut:
        return cls(**{f: getattr(k, f) for f in cls.model_fields})


class PrestatieIn(BaseModel):
    model_config = verzoek(koppeling_id=_ID, datum="2026-03-04", start="09:00", minuten=130, door="wijkwerker")

    koppeling_id: uuid.UUID
    datum: date
    start: LokaleTijd
    minuten: int = Field(description="Duration; positive and within the day. 130 minutes = 3 started hours")
    door: Partij = Field(description="Who enters it; another party confirms")
    geregistreerd_op: date | None = Field(
        None, description="The registration's business date (default: today): the other party's confirmation "
        "window opens on it. On or after `datum`, not in the future")


class PartijIn(BaseModel):
    model_config = verzoek(door="gebruiker", bevestigd_op="2026-03-06")

    door: Partij
    bevestigd_op: date | None = Field(
        None, description="The confirmation's business date (default: today); within the window "
        "(`bevestigen_tot`, inclusive), not in the future")


class BetwistingIn(BaseModel):
    model_config = verzoek(door="gebruiker", reden="Er werd maar twee uur gewerkt.", betwist_op="2026-03-06")

    door: Partij
    reden: Reden
    betwist_op: date | None = Field(
        None, description="The dispute's business date (default: today); within the window, not in the future. "
        "A disputed prestatie is held from the payout run until it is resolved")


class CorrectieIn(BaseModel):
    model_config = verzoek(door="organisator", start="09:00", minuten=120, reden="Tikfout in de duur",
                           gecorrigeerd_op="2026-04-02")

    door: Partij
    start: LokaleTijd
    minuten: int
    reden: Reden
    gecorrigeerd_op: date | None = Field(
        None, description="A-20: the correction's business date (default: today, Brussels); a storno of cheques "
        "it releases is booked in its month. Not before the prestatie, not in the future")


class AnnuleringIn(BaseModel):
    model_config = verzoek(door="organisator", reden="Dubbel ingevoerd", geannuleerd_op="2026-04-02")

    door: Partij
    reden: Reden
    geannuleerd_op: date | None = Field(
        None, description="A-20: the cancellation's business date (default: today, Brussels); a storno of cheques "
        "it releases is booked in its month. Not before the prestatie, not in the future")


class PrestatieOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"id": "0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a", "koppeling_id": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "wijkwerker_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "gebruiker_id": "b2c4d6e8-1a3c-4e5f-8a7b-9c0d1e2f3a4b", "organisator_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "activiteit_id": "a7b8c9d0-e1f2-4a3b-8c4d-5e6f7a8b9c0d", "traject_id": "9b2d7c1e-4f3a-4e8b-a6d5-1c2b3a4d5e6f", "datum": "2026-03-05", "start": "09:00", "minuten": 150, "begonnen_uren": 3, "afstand_km": 4, "recht_op_verplaatsingsvergoeding": False, "verplaatsingsvergoeding_dag": "0.00", "ingevoerd_door": "wijkwerker", "status": "bevestigd", "referentie": "P-0000Z8-H", "termijn_vanaf": "2026-03-05", "bevestigen_tot": "2026-03-12", "herinnering_op": "2026-03-11", "beoordeeld_op": "2026-03-06", "automatisch": False, "betwisting_reden": None, "beslecht_op": None, "uitkomst": None}]})

    id: uuid.UUID
    koppeling_id: uuid.UUID
    wijkwerker_id: uuid.UUID
    gebruiker_id: uuid.UUID
    organisator_id: uuid.UUID
    activiteit_id: uuid.UUID
    traject_id: uuid.UUID
    datum: date
    start: LokaleTijd
    minuten: int
    begonnen_uren: int = Field(description="Cheques due: one per started hour (A-01)")
    afstand_km: int
    recht_op_verplaatsingsvergoeding: bool
    verplaatsingsvergoeding_dag: Euro = Field(description="The day's allowance at this placement (A-03), once per day")
    ingevoerd_door: Partij
    status: PrestatieStatus
    referentie: str = Field(description="The short code gebruikers and partners see and give the issuer to "
                            "validate cheques (P-, six characters, a check character)", examples=["P-0000Z8-H"])

    termijn_vanaf: date | None = Field(None, description="The confirmation window opened (registration or "
                                       "last correction); null for prestaties from before windows existed")
    bevestigen_tot: date | None = Field(None, description="The last day the other party may confirm or dispute; "
                                        "silence confirms on it")
    herinnering_op: date | None = Field(None, description="The reminder's date (an event)")
    beoordeeld_op: date | None = Field(None, description="The business date of the confirmation or dispute")
    automatisch: bool = Field(False, description="Confirmed by silence on `bevestigen_tot`")
    betwisting_reden: str | None = None
    beslecht_op: date | None = None
    uitkomst: Uitkomst | None = Field(None, description="A resolved dispute: gehandhaafd (payable) or afgewezen "
                                      "(cancelled, reversed)")

    @classmethod
    def of(cls, p: Prestatie) -> PrestatieOut:
        velden = {f: getattr(p, f) for f in cls.model_fields if f != "verplaatsingsvergoeding_dag"
                  and f not in _TERMIJN}
        t = p.termijn
        return cls(**velden, verplaatsingsvergoeding_dag=p.verplaatsingsvergoeding_dag_cent,
                   termijn_vanaf=t and t.vanaf, bevestigen_tot=t and t.tot, herinnering_op=t and t.herinnering_op)


_TERMIJN = {"termijn_vanaf", "bevestigen_tot", "herinnering_op"}


class HistoriekOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"prestatie_id": "0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a", "version": 2, "actie": "bevestigd", "door": "gebruiker", "status": "bevestigd", "start": "09:00", "minuten": 150, "reden": None, "op": "2026-03-06T18:12:40+01:00"}]})

    prestatie_id: uuid.UUID
    version: int
    actie: str
    door: Partij
    status: PrestatieStatus
    start: LokaleTijd
    minuten: int
    reden: str | None
    op: datetime


class UrenOut(BaseModel):
    """A worker's started hours that count, and what the caps leave (A-02)."""
    model_config = ConfigDict(json_schema_extra={"examples": [{"wijkwerker_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "op": "2026-03-31", "uren_in_maand": 42, "uren_over_in_maand": 18, "uren_in_jaar": 131, "uren_over_in_jaar": 499}]})


    wijkwerker_id: uuid.UUID
    op: date
    uren_in_maand: int
    uren_over_in_maand: int
    uren_in_jaar: int
    uren_over_in_jaar: int


class SchorsingOut(BaseModel):
    van: date
    tot: date


class TrajectVensterOut(BaseModel):
    """A trajectory as prestaties knows it from toeleiding's events (eventually consistent)."""
    model_config = ConfigDict(json_schema_extra={"examples": [{"traject_id": "9b2d7c1e-4f3a-4e8b-a6d5-1c2b3a4d5e6f", "organisator_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "start": "2026-01-12", "gepland_einde": "2027-01-11", "overeenkomst_op": "2026-01-12", "werkelijk_einde": None, "schorsingen": [{"van": "2026-03-02", "tot": "2026-03-15"}]}]})


    traject_id: uuid.UUID
    organisator_id: uuid.UUID
    start: date
    gepland_einde: date | None
    overeenkomst_op: date | None
    werkelijk_einde: date | None
    schorsingen: list[SchorsingOut]

    @classmethod
    def of(cls, v: TrajectVenster) -> TrajectVensterOut:
        return cls(
            traject_id=v.traject_id, organisator_id=v.organisator_id, start=v.start, gepland_einde=v.gepland_einde,
            overeenkomst_op=v.overeenkomst_op, werkelijk_einde=v.werkelijk_einde,
            schorsingen=[SchorsingOut(van=s.van, tot=s.tot) for s in v.schorsingen],
        )
