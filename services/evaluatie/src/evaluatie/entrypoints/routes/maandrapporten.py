"""Reports on work, gebruikers and money: JSON, or CSV with ``format=csv``. Amounts are
euro strings ("4.10"); every report states when it was computed (late facts change
earlier months, P-4)."""

import uuid
from collections import Counter
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict

from evaluatie.adapters.maandrapporten import Maandrapporten
from evaluatie.domain.samenwerkingsverband import per_samenwerkingsverband
from evaluatie.entrypoints.deps import Instellingen, Leessessie
from evaluatie.entrypoints.rapportvoorbeelden import csv_voorbeeld, gedocumenteerd
from evaluatie.entrypoints.rapportvorm import CSV, Formaat, Maand, Reader, TabelRapport
from evaluatie.entrypoints.rapportvorm import antwoord as _antwoord
from evaluatie.entrypoints.rapportvorm import maanden as _maanden
from evaluatie.entrypoints.rapportvorm import scope as _scope
from evaluatie.entrypoints.regelboek import REGELS
from wijkwerk.auth import Principal
from wijkwerk.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1/rapporten", tags=["rapporten"], responses={**PROBLEM_RESPONSES, **CSV})


@router.get("/werkzame-wijkwerkers", summary="RPT-02/03/05: workers with ≥ 1 hour, ex-PWA vs new, by referrer and benefit",
            responses=gedocumenteerd("werkzame-wijkwerkers"))
async def werkzame_wijkwerkers(
    session: Leessessie, principal: Reader, van: date, tot: date, organisator_id: uuid.UUID | None = None,
    format: Formaat = "json",
):
    organisator_id = _scope(principal, organisator_id)
    rijen = await Maandrapporten(session).werkzame_wijkwerkers(van, tot, organisator_id)
    per_groep, per_toeleider, per_uitkering = Counter(), Counter(), Counter()
    for r in rijen:
        per_groep[r["groep"]] += r["wijkwerkers"]
        if r["groep"] == "nieuw":
            per_toeleider[r["toeleider"]] += r["wijkwerkers"]
            per_uitkering[r["uitkeringsstatus"]] += r["wijkwerkers"]
    totalen = {
        "wijkwerkers": sum(per_groep.values()), "ex_pwa": per_groep["ex_pwa"], "nieuw": per_groep["nieuw"],
        "nieuw_per_toeleider": dict(per_toeleider), "nieuw_per_uitkeringsstatus": dict(per_uitkering),
    }
    params = {"van": van, "tot": tot, "organisator_id": organisator_id}
    return _antwoord("RPT-02", params, rijen, format, totalen)


@router.get("/gebruikerscategorieen", summary="RPT-06: workers per gebruiker category per samenwerkingsverband",
            responses=gedocumenteerd("gebruikerscategorieen"))
async def gebruikerscategorieen(
    session: Leessessie, principal: Reader, van: date, tot: date, organisator_id: uuid.UUID | None = None,
    format: Formaat = "json",
    niveau: Annotated[Literal["organisator", "samenwerkingsverband"], Query(
        description="samenwerkingsverband: over all its organisers (A-18), a worker counted once per category",
    )] = "organisator",
):
    organisator_id = _scope(principal, organisator_id)
    rijen = await Maandrapporten(session).gebruikerscategorieen(
        van, tot, organisator_id, per_verband=niveau == "samenwerkingsverband")
    return _antwoord("RPT-06", {"van": van, "tot": tot, "organisator_id": organisator_id}, rijen, format)


@router.get("/zelfde-klus", summary="RPT-09: workers who stayed in the same hoofdactiviteit (A-17)",
            responses=gedocumenteerd("zelfde-klus"))
async def zelfde_klus(
    session: Leessessie, principal: Reader, van: date, tot: date, organisator_id: uuid.UUID | None = None,
    format: Formaat = "json",
):
    organisator_id = _scope(principal, organisator_id)
    rij = await Maandrapporten(session).zelfde_klus(van, tot, organisator_id)
    aandeel = round(rij["zelfde_klus"] / rij["wijkwerkers"], 4) if rij["wijkwerkers"] else None
    return _antwoord("RPT-09", {"van": van, "tot": tot, "organisator_id": organisator_id}, [{**rij, "aandeel": aandeel}], format)


@router.get("/gebruikers-zonder-prestaties", summary="RPT-11: active gebruikers without any prestatie, per month end",
    responses={**gedocumenteerd("gebruikers-zonder-prestaties"), **REGELS.weigert("periode-ongeldig", "periode-te-lang")},
)
async def gebruikers_zonder_prestaties(
    session: Leessessie, principal: Reader, van: Maand, tot: Maand, organisator_id: uuid.UUID | None = None,
    format: Formaat = "json",
):
    organisator_id = _scope(principal, organisator_id)
    rijen = []
    for maand, _, einde in _maanden(van, tot):
        rij = await Maandrapporten(session).zonder_prestaties(einde, organisator_id)
        aandeel = round(rij["zonder_prestaties"] / rij["actieve_gebruikers"], 4) if rij["actieve_gebruikers"] else None
        rijen.append({"maand": maand, **rij, "aandeel": aandeel})
    return _antwoord("RPT-11", {"van": van, "tot": tot, "organisator_id": organisator_id}, rijen, format)


async def _per_maand(session: Leessessie, principal: Principal, rapport: str, methode: str, van: str, tot: str,
                     organisator_id: uuid.UUID | None, format: Formaat, per_verband: bool = False):
    """A report computed month by month, per organiser (or, ``per_verband``, per
    samenwerkingsverband: its organisers summed, A-18)."""
    organisator_id = _scope(principal, organisator_id)
    rijen = []
    rapporten = Maandrapporten(session)
    for maand, begin, einde in _maanden(van, tot):
        rijen += [{"maand": maand, **r} for r in await getattr(rapporten, methode)(begin, einde, organisator_id)]
    if per_verband:
        rijen = per_samenwerkingsverband(rijen)
    return _antwoord(rapport, {"van": van, "tot": tot, "organisator_id": organisator_id}, rijen, format)


@router.get(
    "/gebruikers", summary="RPT-12/13/14/15: contacts, new gebruikers, fees paid, active erkenningen and gebruikers",
    description="Per month and organiser: new gebruikers (RPT-13), fees paid (RPT-14), active erkenningen and the "
                "distinct gebruikers holding one, by gender for private persons (RPT-15), contacts, distinct "
                "gebruikers contacted and, of those, the ones active at that organiser at month end without any "
                "prestatie there yet (RPT-12). `niveau=vlaanderen`: one row per month for the whole report scope, "
                "the organiser rows summed except the distinct gebruikers, each counted once (RPT-15 b).",
    responses={**gedocumenteerd("gebruikers"), **REGELS.weigert("periode-ongeldig", "periode-te-lang")},
)
async def gebruikers(
    session: Leessessie, principal: Reader, van: Maand, tot: Maand, organisator_id: uuid.UUID | None = None,
    format: Formaat = "json", niveau: Literal["organisator", "vlaanderen"] = "organisator",
):
    methode = "gebruikers" if niveau == "organisator" else "gebruikers_vlaanderen"
    return await _per_maand(session, principal, "RPT-12-15", methode, van, tot, organisator_id, format)


@router.get("/cheques", summary="RPT-16/17/18: cheques bought (paper and electronic), used and expired, and the "
                                "money split, per month per organiser",
            description="Per month and organiser: cheques bought by order date (RPT-16), used by prestatie month "
                        "and by validation month (RPT-17), the money split by validation month (RPT-18), and the "
                        "expired ones (A-21: neither used nor refunded through issue date + validity months − 1 "
                        "day; they stay bought, never used): `cheques_vervallen` / `vervallen` expired in the "
                        "month, `cheques_vervallen_voorraad` / `vervallen_voorraad` the expired stock at month end; "
                        "`cheques_terugbetaald` / `terugbetaald` the unused cheques refunded in the month.",
    responses={**gedocumenteerd("cheques"), **REGELS.weigert("periode-ongeldig", "periode-te-lang")},
)
async def cheques(
    session: Leessessie, principal: Reader, van: Maand, tot: Maand, organisator_id: uuid.UUID | None = None,
    format: Formaat = "json",
    niveau: Annotated[Literal["organisator", "samenwerkingsverband"], Query(
        description="samenwerkingsverband: one row per samenwerkingsverband and month, its organisers summed (A-18)",
    )] = "organisator",
):
    return await _per_maand(session, principal, "RPT-16-18", "cheques", van, tot, organisator_id, format,
                            per_verband=niveau == "samenwerkingsverband")


@router.get("/gemeenten", summary="RPT-20: persons with ≥ 1 hour per domicile municipality (NIS code)",
            responses=gedocumenteerd("gemeenten"))
async def gemeenten(
    session: Leessessie, principal: Reader, van: date, tot: date, organisator_id: uuid.UUID | None = None,
    format: Formaat = "json",
):
    organisator_id = _scope(principal, organisator_id)
    rijen = await Maandrapporten(session).gemeenten(van, tot, organisator_id)
    return _antwoord("RPT-20", {"van": van, "tot": tot, "organisator_id": organisator_id}, rijen, format)


class WerkzaamPerNiveau(BaseModel):
    niveau: Literal["vlaanderen", "provincie", "samenwerkingsverband", "organisator"]
    organisator_id: uuid.UUID | None
    naam: str
    wijkwerkers: int
    ex_pwa: int
    nieuw: int
    aandeel_ex_pwa: float | None


class WerkzaamPerJaarRapport(TabelRapport):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "rapport": "RPT-19", "parameters": {"jaar": 2019, "organisator_id": None},
        "berekend_op": "2026-11-23T10:00:00Z", "totalen": {},
        "rijen": [
            {"niveau": "vlaanderen", "organisator_id": None, "naam": "Vlaanderen", "wijkwerkers": 9690,
             "ex_pwa": 5995, "nieuw": 3695, "aandeel_ex_pwa": 0.6187},
            {"niveau": "provincie", "organisator_id": None, "naam": "West-Vlaanderen", "wijkwerkers": 2013,
             "ex_pwa": 1193, "nieuw": 820, "aandeel_ex_pwa": 0.5926},
        ]}]})

    rapport: Literal["RPT-19"] = "RPT-19"
    rijen: list[WerkzaamPerNiveau]


@router.get(
    "/werkzame-wijkwerkers-per-jaar", response_model=WerkzaamPerJaarRapport,
    responses=csv_voorbeeld(WerkzaamPerJaarRapport.model_config["json_schema_extra"]["examples"][0]["rijen"]),
    summary="RPT-19: workers with ≥ 1 hour in a calendar year, ex-PWA vs new, for Flanders and per province, "
            "samenwerkingsverband and organiser",
    description="Distinct workers with an accepted prestatie dated in the year; a worker counts once per row "
                "(so organiser rows can add up to more than Flanders). Province = the worker's domicile "
                "(NIS code); organiser = the organiser of the prestatie's trajectory. The Flanders row is left "
                "out when the report is limited to one organiser.",
)
async def werkzame_wijkwerkers_per_jaar(
    session: Leessessie, principal: Reader, jaar: Annotated[int, Query(ge=2018, le=2099, examples=[2019])],
    organisator_id: uuid.UUID | None = None, format: Formaat = "json",
):
    organisator_id = _scope(principal, organisator_id)
    rijen = await Maandrapporten(session).werkzaam_per_niveau(date(jaar, 1, 1), date(jaar, 12, 31), organisator_id)
    return _antwoord("RPT-19", {"jaar": jaar, "organisator_id": organisator_id}, rijen, format,
                     model=WerkzaamPerJaarRapport)


@router.get("/onbeperkt-recht", summary="RPT-23: ex-PWA with the unlimited right: worked since the start, still in",
            responses=gedocumenteerd("onbeperkt-recht"))
async def onbeperkt_recht(
    session: Leessessie, principal: Reader, op: date, sinds: date = date(2018, 1, 1),
    organisator_id: uuid.UUID | None = None, format: Formaat = "json",
):
    organisator_id = _scope(principal, organisator_id)
    rij = await Maandrapporten(session).onbeperkt_recht(sinds, op, organisator_id)
    return _antwoord("RPT-23", {"sinds": sinds, "op": op, "organisator_id": organisator_id}, [rij], format)


@router.get("/contingent", summary="RPT-25: yearly average of workers in a trajectory against the contingent",
            responses=gedocumenteerd("contingent"))
async def contingent(
    session: Leessessie, settings: Instellingen, principal: Reader, jaar: Annotated[int, Query(ge=2018, le=2099)],
    organisator_id: uuid.UUID | None = None, format: Formaat = "json",
):
    organisator_id = _scope(principal, organisator_id)
    contingent = settings.contingent
    per_maand = [
        {"maand": maand, "in_traject": await Maandrapporten(session).in_traject(einde, organisator_id)}
        for maand, _, einde in _maanden(f"{jaar}-01", f"{jaar}-12")
    ]
    gemiddelde = round(sum(r["in_traject"] for r in per_maand) / len(per_maand), 1)
    totalen = {"jaargemiddelde": gemiddelde, "contingent": contingent,
               "bezetting": round(gemiddelde / contingent, 4) if contingent else None}
    return _antwoord("RPT-25", {"jaar": jaar, "organisator_id": organisator_id}, per_maand, format, totalen)
