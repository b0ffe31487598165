"""Schemas of gebruikers, erkenningen (with validity periods and fees) and contacts."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from prestaties.domain.contact import Contact, ContactReden, ContactRol, Kanaal
from prestaties.domain.gebruiker import Adres, Erkenning, ErkenningStatus, Gebruiker, GebruikerCategorie, Geslacht
from prestaties.entrypoints.schemas import Reden, verzoek
from wijkwerk.money import Euro

_ORG = "3f2b8c1e-4d5a-4b6c-9e7f-0a1b2c3d4e5f"


class AdresIn(BaseModel):
    model_config = verzoek(straat="Noordzandstraat", huisnummer="12B", postcode="8000")

    straat: str = Field(min_length=1, max_length=200, examples=["Noordzandstraat"])
    huisnummer: str = Field(min_length=1, max_length=20, examples=["12B"])
    postcode: str = Field(pattern=r"^\d{4}$", examples=["8000"])

    def adres(self) -> Adres:
        return Adres(self.straat, self.huisnummer, self.postcode)


class GebruikerIn(BaseModel):
    model_config = verzoek(
        categorie="particulier", naam="Maria Vandenberghe", geslacht="vrouw", aangemeld_op="2026-02-02",
        aangemeld_bij=_ORG, iban="BE68539007547034",
        adres={"straat": "Noordzandstraat", "huisnummer": "12B", "postcode": "8000"},
    )

    categorie: GebruikerCategorie
    naam: str = Field(min_length=1, max_length=200)
    geslacht: Geslacht | None = Field(None, description="Private persons only (A-16)")
    aangemeld_op: date
    aangemeld_bij: uuid.UUID = Field(description="The organiser the gebruiker signs up with")
    iban: str | None = Field(None, max_length=50, description="Optional; validated and kept compact (refused: "
                             "iban-ongeldig). Kept here only: events carry a keyed fingerprint (ADR 0024)")
    adres: AdresIn | None = Field(None, description="Optional street address; as the IBAN, kept here only")


class GebruikerOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"id": "b2c4d6e8-1a3c-4e5f-8a7b-9c0d1e2f3a4b", "categorie": "particulier", "naam": "Marie Claes", "geslacht": "vrouw", "aangemeld_op": "2026-01-20", "aangemeld_bij": "3fa85f64-5717-4562-b3fc-2c963f66afa6"}]})

    id: uuid.UUID
    categorie: GebruikerCategorie
    naam: str
    geslacht: Geslacht | None
    aangemeld_op: date
    aangemeld_bij: uuid.UUID
    iban: str | None = None
    adres: AdresIn | None = None

    @classmethod
    def of(cls, g: Gebruiker) -> GebruikerOut:
        adres = g.adres
        return cls(
            id=g.id, categorie=g.categorie, naam=g.naam, geslacht=g.geslacht, aangemeld_op=g.aangemeld_op,
            aangemeld_bij=g.aangemeld_bij, iban=g.iban,
            adres=AdresIn(straat=adres.straat, huisnummer=adres.huisnummer, postcode=adres.postcode) if adres else None,
        )


class ErkenningIn(BaseModel):
    model_config = verzoek(organisator_id=_ORG, geldig_vanaf="2026-02-02", overeenkomst_op="2026-02-02")

    organisator_id: uuid.UUID = Field(description="The organiser competent for the place of the activity (G-2)")
    geldig_vanaf: date
    overeenkomst_op: date | None = Field(None, description="Date the agreement was signed, if it already is")


class OndertekeningIn(BaseModel):
    model_config = verzoek(getekend_op="2026-02-03")

    getekend_op: date


class BetalingIn(BaseModel):
    model_config = verzoek(betaald_op="2026-02-05")

    betaald_op: date


class HernieuwingIn(BaseModel):
    model_config = verzoek(vanaf="2027-02-02")

    vanaf: date | None = Field(None, description="Defaults to the day after the current validity")


class StopzettingIn(BaseModel):
    model_config = verzoek(einde="2026-06-30", reden="gebruiker stopt")

    einde: date = Field(description="The last valid day")
    reden: Reden


class GeldigheidOut(BaseModel):
    geldig_van: date
    geldig_tot: date
    inschrijvingsrecht: Euro
    betaald_op: date | None


class ErkenningOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"id": "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f", "gebruiker_id": "b2c4d6e8-1a3c-4e5f-8a7b-9c0d1e2f3a4b", "organisator_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "overeenkomst_op": "2026-01-22", "einde": None, "einde_reden": None, "perioden": [{"geldig_van": "2026-01-22", "geldig_tot": "2027-01-21", "inschrijvingsrecht": "25.00", "betaald_op": "2026-01-25"}], "status": "actief", "status_op": "2026-03-04"}]})

    id: uuid.UUID
    gebruiker_id: uuid.UUID
    organisator_id: uuid.UUID
    overeenkomst_op: date | None
    einde: date | None
    einde_reden: str | None
    perioden: list[GeldigheidOut]
    status: ErkenningStatus = Field(description="On the date asked for (A-10), today by default")
    status_op: date

    @classmethod
    def of(cls, e: Erkenning, op: date) -> ErkenningOut:
        return cls(
            id=e.id, gebruiker_id=e.gebruiker_id, organisator_id=e.organisator_id, overeenkomst_op=e.overeenkomst_op,
            einde=e.einde, einde_reden=e.einde_reden, status=e.status_op(op), status_op=op,
            perioden=[
                GeldigheidOut(
                    geldig_van=p.van, geldig_tot=p.tot, inschrijvingsrecht=p.inschrijvingsrecht_cent,
                    betaald_op=p.betaald_op,
                )
                for p in e.perioden
            ],
        )


class InschrijvingsrechtOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"op": "2026-03-04", "bedrag": "25.00", "geldig_vanaf": "2026-01-01"}]})

    op: date
    bedrag: Euro
    geldig_vanaf: date


class ContactIn(BaseModel):
    model_config = verzoek(
        organisator_id=_ORG, datum="2026-03-10", door="bemiddelaar-0042", door_rol="bemiddelaar",
        kanaal="telefoon", reden="geen_koppeling", notitie="Nog geen geschikte wijk-werker in de buurt.",
    )

    organisator_id: uuid.UUID
    datum: date
    door: str = Field(min_length=1, max_length=100, description="Staff identifier at the organiser")
    door_rol: ContactRol = ContactRol.BEMIDDELAAR
    kanaal: Kanaal
    reden: ContactReden
    notitie: str | None = Field(None, max_length=2000)


class ContactOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"id": "d4e5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f70", "gebruiker_id": "b2c4d6e8-1a3c-4e5f-8a7b-9c0d1e2f3a4b", "organisator_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "datum": "2026-03-02", "door": "bemiddelaar-roeselare", "door_rol": "bemiddelaar", "kanaal": "telefoon", "reden": "geen_prestaties", "notitie": "Gebruiker zoekt iemand voor tuinonderhoud vanaf april."}]})

    id: uuid.UUID
    gebruiker_id: uuid.UUID
    organisator_id: uuid.UUID
    datum: date
    door: str
    door_rol: ContactRol
    kanaal: Kanaal
    reden: ContactReden
    notitie: str | None

    @classmethod
    def of(cls, c: Contact) -> ContactOut:
        return cls(**{f: getattr(c, f) for f in cls.model_fields})
