"""Request and response schemas of the public API (extra fields are rejected)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from toeleiding.domain.organisator import Organisator
from toeleiding.domain.traject import Traject
from toeleiding.domain.wijkwerker import DossierStatus, Uitkeringsstatus, Wijkwerker
from wijkwerk.money import Euro, format_euro

Nis = Annotated[str, Field(pattern=r"^\d{5}$", examples=["31005"])]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GemeenteIn(Strict):
    nis_code: Nis
    naam: str = Field(min_length=1, max_length=100, examples=["Brugge"])


class OrganisatorIn(Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"naam": "Wijk-werken Midwest", "samenwerkingsverband": "Midwest", "gemeenten": [{"nis_code": "36015", "naam": "Roeselare"}, {"nis_code": "36008", "naam": "Izegem"}], "tarief": "5.95", "tarief_vanaf": "2018-01-01"}]})

    naam: str = Field(min_length=1, max_length=200, examples=["Wijk-werken regio Brugge"])
    samenwerkingsverband: str = Field(min_length=1, max_length=200, examples=["Werkkracht10"])
    gemeenten: list[GemeenteIn] = Field(min_length=1, max_length=400)
    tarief: Euro = Field(description="Cheque price in euro", examples=["7.45"])
    tarief_vanaf: date = Field(examples=["2018-01-01"])


class WerkingsgebiedIn(Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"gemeenten": [{"nis_code": "36015", "naam": "Roeselare"}, {"nis_code": "36006", "naam": "Hooglede"}]}]})

    gemeenten: list[GemeenteIn] = Field(min_length=1, max_length=400)


class TariefIn(Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"prijs": "6.95", "geldig_vanaf": "2027-01-01"},
        {"prijs": "6.95", "geldig_vanaf": "2027-01-01", "voor_samenwerkingsverband": True},
    ]})

    prijs: Euro = Field(examples=["6.95"])
    geldig_vanaf: date
    voor_samenwerkingsverband: bool = Field(
        False, description="A-18: lay the tariff down for every organiser of this organiser's samenwerkingsverband "
        "(the caller must see them all). Without it, a tariff that would differ from another organiser's in the "
        "same samenwerkingsverband on any date is refused (409 `tarief-verschilt-in-samenwerkingsverband`)")


class TariefOut(BaseModel):
    prijs: str
    geldig_vanaf: date


class OrganisatorOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "naam": "Wijk-werken Midwest", "samenwerkingsverband": "Midwest", "gemeenten": [{"nis_code": "36015", "naam": "Roeselare"}, {"nis_code": "36008", "naam": "Izegem"}], "tarieven": [{"prijs": "5.95", "geldig_vanaf": "2018-01-01"}]}]})

    id: uuid.UUID
    naam: str
    samenwerkingsverband: str
    gemeenten: list[GemeenteIn]
    tarieven: list[TariefOut]

    @classmethod
    def of(cls, o: Organisator) -> OrganisatorOut:
        return cls(
            id=o.id,
            naam=o.naam,
            samenwerkingsverband=o.samenwerkingsverband,
            gemeenten=[GemeenteIn(nis_code=n, naam=g) for n, g in sorted(o.gemeenten.items())],
            tarieven=[TariefOut(prijs=format_euro(p), geldig_vanaf=v) for v, p in sorted(o.tarieven)],
        )


class AdresIn(Strict):
    straat: str = Field(min_length=1, max_length=200, examples=["Noordzandstraat"])
    huisnummer: str = Field(min_length=1, max_length=20, examples=["12B"])
    postcode: str = Field(pattern=r"^\d{4}$", examples=["8000"])


class AdresOut(BaseModel):
    straat: str | None
    huisnummer: str | None
    postcode: str | None
    domicilie_nis_code: str


class WijkwerkerIn(Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"insz": "85073003328", "voornaam": "An", "achternaam": "Peeters", "domicilie_nis_code": "36015", "organisator_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "uitkeringsstatus": "leefloon", "vdab_ingeschreven": True, "ex_pwa": False, "onbeperkt_recht": False, "iban": "BE68539007547034", "ingeschreven_op": "2026-01-05", "adres": {"straat": "Ooststraat", "huisnummer": "7", "postcode": "8800"}}]})

    insz: str = Field(min_length=11, max_length=15, examples=["85073003328"])
    voornaam: str = Field(min_length=1, max_length=100)
    achternaam: str = Field(min_length=1, max_length=100)
    domicilie_nis_code: Nis
    organisator_id: uuid.UUID
    uitkeringsstatus: Uitkeringsstatus
    vdab_ingeschreven: bool
    ex_pwa: bool = False
    onbeperkt_recht: bool = False
    iban: str = Field(min_length=15, max_length=40, examples=["BE68539007547034"])
    ingeschreven_op: date
    adres: AdresIn | None = Field(None, description="Street address in the domicile municipality (optional)")


class WijkwerkerOut(BaseModel):
    """A dossier as partners see it: personal data stays in this service."""
    model_config = ConfigDict(json_schema_extra={"examples": [{"id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "voornaam": "An", "achternaam": "Peeters", "domicilie_nis_code": "36015", "organisator_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "uitkeringsstatus": "leefloon", "ex_pwa": False, "onbeperkt_recht": False, "ingeschreven_op": "2026-01-05", "status": "actief", "adres": {"straat": "Ooststraat", "huisnummer": "7", "postcode": "8800", "domicilie_nis_code": "36015"}}]})


    id: uuid.UUID
    voornaam: str
    achternaam: str
    domicilie_nis_code: str
    organisator_id: uuid.UUID
    uitkeringsstatus: Uitkeringsstatus
    ex_pwa: bool
    onbeperkt_recht: bool
    ingeschreven_op: date
    status: DossierStatus
    adres: AdresOut

    @classmethod
    def of(cls, w: Wijkwerker) -> WijkwerkerOut:
        return cls(
            id=w.id,
            voornaam=w.voornaam,
            achternaam=w.achternaam,
            domicilie_nis_code=w.domicilie_nis_code,
            organisator_id=w.organisator_id,
            uitkeringsstatus=w.uitkeringsstatus,
            ex_pwa=w.ex_pwa,
            onbeperkt_recht=w.onbeperkt_recht,
            ingeschreven_op=w.ingeschreven_op,
            status=w.status,
            adres=AdresOut(straat=w.adres_straat, huisnummer=w.adres_huisnummer, postcode=w.adres_postcode,
                           domicilie_nis_code=w.domicilie_nis_code),
        )


class ZoekIn(Strict):
    """The INSZ travels in the body, never in a URL (URLs end up in logs and histories)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"insz": "85073003328"}]})

    insz: str = Field(min_length=11, max_length=15, examples=["85073003328"])


class NaamIn(Strict):
    voornaam: str = Field(min_length=1, max_length=100, examples=["An"])
    achternaam: str = Field(min_length=1, max_length=100, examples=["Peeters-Janssens"])


class NieuwAdresIn(AdresIn):
    domicilie_nis_code: Nis


class WijzigingIn(Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"gewijzigd_op": "2026-03-01", "iban": "BE71096123456769", "reden": "nieuwe rekening"},
        {"gewijzigd_op": "2026-04-15", "naam": {"voornaam": "An", "achternaam": "Peeters-Janssens"},
         "adres": {"straat": "Markt", "huisnummer": "1", "postcode": "8020", "domicilie_nis_code": "31022"},
         "reden": "huwelijk en verhuis"},
    ]})

    gewijzigd_op: date = Field(description="Business date from which the new data holds")
    iban: str | None = Field(None, min_length=15, max_length=40, examples=["BE71096123456769"])
    naam: NaamIn | None = None
    adres: NieuwAdresIn | None = Field(None, description="A move within the organiser's area")
    reden: str | None = Field(None, max_length=200, examples=["nieuwe rekening"])


class WijzigingOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"gegevens": "iban", "gewijzigd_op": "2026-03-01", "waarde": {"iban": "BE68 •••• •••• 7034"}, "reden": "nieuwe bankrekening", "door": "bemiddelaar-roeselare"}]})

    gegevens: Literal["iban", "naam", "adres"]
    gewijzigd_op: date
    waarde: dict[str, str | None] = Field(description="The new data; an account shows only its country, check "
                                          "digits and last four digits")
    reden: str | None
    door: str | None


class Pagina(BaseModel):
    limit: int
    offset: int


class ToeleidingIn(Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"wijkwerker_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "organisator_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "toeleider_type": "OCMW", "advies_maanden": 12, "ontvangen_op": "2026-01-05", "start": "2026-01-12"}]})

    wijkwerker_id: uuid.UUID
    organisator_id: uuid.UUID
    toeleider_type: Literal["VDAB", "OCMW", "GTB", "ANDERE", "PWA"] = Field(
        description="PWA: the transfer of a former PWA worker (ex_pwa dossiers only)")
    advies_maanden: int | None = Field(
        None, description="Advised duration in whole months, 1 to 12 (T-2; the maximum is a setting): outside it "
                          "422 `traject-max-12-maanden`. Omitted only for ex-PWA workers with the unlimited right",
        examples=[12],
    )
    ontvangen_op: date
    start: date | None = Field(None, description="Start of the trajectory; defaults to the referral date")


class SchorsingOut(BaseModel):
    van: date
    tot: date
    reden: str
    verlengt_einde: bool


class TrajectOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"id": "9b2d7c1e-4f3a-4e8b-a6d5-1c2b3a4d5e6f", "toeleiding_id": "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b", "wijkwerker_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "organisator_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "toeleider_type": "OCMW", "advies_maanden": 12, "start": "2026-01-12", "gepland_einde": "2027-01-11", "max_einde": "2027-01-11", "overeenkomst_op": "2026-01-12", "werkelijk_einde": None, "einde_reden": None, "vervolg": None, "schorsingen": [{"van": "2026-03-02", "tot": "2026-03-15", "reden": "ziekte", "verlengt_einde": False}]}]})

    id: uuid.UUID
    toeleiding_id: uuid.UUID
    wijkwerker_id: uuid.UUID
    organisator_id: uuid.UUID
    toeleider_type: str
    advies_maanden: int | None
    start: date
    gepland_einde: date | None
    max_einde: date | None
    overeenkomst_op: date | None
    werkelijk_einde: date | None
    einde_reden: str | None
    vervolg: str | None
    schorsingen: list[SchorsingOut]

    @classmethod
    def of(cls, t: Traject) -> TrajectOut:
        return cls(
            id=t.id,
            toeleiding_id=t.toeleiding_id,
            wijkwerker_id=t.wijkwerker_id,
            organisator_id=t.organisator_id,
            toeleider_type=t.toeleider_type.value,
            advies_maanden=t.advies_maanden,
            start=t.start,
            gepland_einde=t.gepland_einde,
            max_einde=t.max_einde,
            overeenkomst_op=t.overeenkomst_op,
            werkelijk_einde=t.werkelijk_einde,
            einde_reden=t.einde_reden.value if t.einde_reden else None,
            vervolg=t.vervolg,
            schorsingen=[SchorsingOut(van=s.van, tot=s.tot, reden=s.reden, verlengt_einde=s.verlengt_einde) for s in t.schorsingen],
        )


class OvereenkomstIn(Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"getekend_op": "2026-01-12"}]})

    getekend_op: date


class VerlengingIn(Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"nieuw_einde": "2026-12-31"}]})

    nieuw_einde: date


class SchorsingIn(Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"van": "2026-03-02", "tot": "2026-03-20", "reden": "ziekte met medisch attest"},
        {"van": "2026-03-02", "tot": "2026-03-20", "reden": "opleiding", "nieuw_einde": "2026-12-31"},
    ]})

    van: date
    tot: date
    reden: str = Field(min_length=1, max_length=200, examples=["ziekte met medisch attest"])
    verlengt_einde: bool = Field(True, description="A-22: by default the planned end moves by the suspension's "
                                 "length; false keeps the end. The maximum moves by that length in every case "
                                 "(12 months of time actually worked)")
    nieuw_einde: date | None = Field(None, description="A-22: the end to take instead (at most the moved maximum, "
                                     "not before the suspension ends)", examples=["2026-12-31"])


class BeeindigingIn(Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"einde": "2026-06-30", "reden": "ander_traject", "vervolg": "IBO"}]})

    einde: date
    reden: Literal["uitstroom_werk", "ander_traject", "gestopt", "einde_advies"] = Field(
        description="einde_advies: the advised period is over (also when it ends before its planned end)")
    vervolg: str | None = Field(None, max_length=100, examples=["IBO", "TWE"])


class UitkeringsstatusIn(Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"uitkeringsstatus": "volledig_werkzoekend", "vanaf": "2026-04-01"}]})

    uitkeringsstatus: Uitkeringsstatus
    vanaf: date


class Bankgegevens(BaseModel):
    """Only for the cheques service's payout run (scope cheques:payout)."""
    model_config = ConfigDict(json_schema_extra={"examples": [{"wijkwerker_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "naam": "An Peeters", "iban": "BE68539007547034", "op": "2026-03-31"}]})


    wijkwerker_id: uuid.UUID
    naam: str
    iban: str
    op: date | None = Field(None, description="The date the account was asked for (None: the current account)")
