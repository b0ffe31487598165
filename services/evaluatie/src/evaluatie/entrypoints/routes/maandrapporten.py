"""Reports on work, gebruikers and money: JSON, or CSV with ``format=csv``. Amounts are
euro strings ("4.10"); every report states when it was computed (late facts change
earlier months, P-4)."""

import uuid
from collections import Counter
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from dateutil.relativedelta import relativedelta
from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from evaluatie.adapters.maandrapporten import Maandrapporten
from evaluatie.domain.fouten import OngeldigeInvoer
from evaluatie.entrypoints.csv import csv_response
from wijkwerk.auth import Principal, organisation_filter, require
from wijkwerk.money import format_euro
from wijkwerk.problems import PROBLEM_RESPONSES

CSV = {200: {"content": {"application/json": {}, "text/csv": {"schema": {"type": "string"}}},
             "description": "The report; CSV with format=csv"}}
router = APIRouter(prefix="/v1/rapporten", tags=["rapporten"], responses={**PROBLEM_RESPONSES, **CSV})
Reader = Annotated[Principal, Depends(require("rapportering:read"))]
Maand = Annotated[str, Query(pattern=r"^(19|20)\d{2}-(0[1-9]|1[0-2])$", examples=["2026-03"])]
Formaat = Literal["json", "csv"]
MAX_MAANDEN = 36


class TabelRapport(BaseModel):
    rapport: str
    parameters: dict[str, Any]
    berekend_op: datetime
    rijen: list[dict[str, Any]]
    totalen: dict[str, Any] = {}


def _euro(row: dict) -> dict:
    return {
        (k.removesuffix("_cent") if k.endswith("_cent") else k): (format_euro(int(v)) if k.endswith("_cent") else v)
        for k, v in row.items()
    }


def _scope(principal: Principal, organisator_id: uuid.UUID | None) -> uuid.UUID | None:
    scope = organisation_filter(principal)
    if scope is None:
        return organisator_id
    return uuid.UUID(scope) if scope != "-" else uuid.UUID(int=0)


def _maanden(van: str, tot: str) -> list[tuple[str, date, date]]:
    begin, laatste = date.fromisoformat(van + "-01"), date.fromisoformat(tot + "-01")
    if laatste < begin:
        raise OngeldigeInvoer("'tot' lies before 'van'.", rule="periode-ongeldig")
    result = []
    while begin <= laatste:
        result.append((begin.strftime("%Y-%m"), begin, begin + relativedelta(months=1, days=-1)))
        begin += relativedelta(months=1)
    if len(result) > MAX_MAANDEN:
        raise OngeldigeInvoer(f"A report spans at most {MAX_MAANDEN} months.", rule="periode-te-lang")
    return result


def _antwoord(rapport: str, parameters: dict, rijen: list[dict], formaat: Formaat, totalen: dict | None = None):
    rijen = [_euro(r) for r in rijen]
    if formaat == "csv":
        return csv_response(rijen, f"{rapport.lower()}.csv")
    return TabelRapport(rapport=rapport, parameters=parameters, berekend_op=datetime.now(UTC), rijen=rijen,
                        totalen=totalen or {})


@router.get("/werkzame-wijkwerkers", summary="RPT-02/03/05: workers with ≥ 1 hour, ex-PWA vs new, by referrer and benefit")
async def werkzame_wijkwerkers(
    request: Request, principal: Reader, van: date, tot: date, organisator_id: uuid.UUID | None = None,
    format: Formaat = "json",
):
    organisator_id = _scope(principal, organisator_id)
    async with request.app.state.runtime.sessions() as session:
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


@router.get("/gebruikerscategorieen", summary="RPT-06: workers per gebruiker category per samenwerkingsverband")
async def gebruikerscategorieen(
    request: Request, principal: Reader, van: date, tot: date, organisator_id: uuid.UUID | None = None,
    format: Formaat = "json",
):
    organisator_id = _scope(principal, organisator_id)
    async with request.app.state.runtime.sessions() as session:
        rijen = await Maandrapporten(session).gebruikerscategorieen(van, tot, organisator_id)
    return _antwoord("RPT-06", {"van": van, "tot": tot, "organisator_id": organisator_id}, rijen, format)


@router.get("/zelfde-klus", summary="RPT-09: workers who stayed in the same hoofdactiviteit (A-17)")
async def zelfde_klus(
    request: Request, principal: Reader, van: date, tot: date, organisator_id: uuid.UUID | None = None,
    format: Formaat = "json",
):
    organisator_id = _scope(principal, organisator_id)
    async with request.app.state.runtime.sessions() as session:
        rij = await Maandrapporten(session).zelfde_klus(van, tot, organisator_id)
    aandeel = round(rij["zelfde_klus"] / rij["wijkwerkers"], 4) if rij["wijkwerkers"] else None
    return _antwoord("RPT-09", {"van": van, "tot": tot, "organisator_id": organisator_id}, [{**rij, "aandeel": aandeel}], format)


@router.get("/gebruikers-zonder-prestaties", summary="RPT-11: active gebruikers without any prestatie, per month end")
async def gebruikers_zonder_prestaties(
    request: Request, principal: Reader, van: Maand, tot: Maand, organisator_id: uuid.UUID | None = None,
    format: Formaat = "json",
):
    organisator_id = _scope(principal, organisator_id)
    rijen = []
    async with request.app.state.runtime.sessions() as session:
        for maand, _, einde in _maanden(van, tot):
            rij = await Maandrapporten(session).zonder_prestaties(einde, organisator_id)
            aandeel = round(rij["zonder_prestaties"] / rij["actieve_gebruikers"], 4) if rij["actieve_gebruikers"] else None
            rijen.append({"maand": maand, **rij, "aandeel": aandeel})
    return _antwoord("RPT-11", {"van": van, "tot": tot, "organisator_id": organisator_id}, rijen, format)


async def _per_maand(request: Request, principal: Principal, rapport: str, methode: str, van: str, tot: str,
                     organisator_id: uuid.UUID | None, format: Formaat):
    """A report computed month by month, per organiser."""
    organisator_id = _scope(principal, organisator_id)
    rijen = []
    async with request.app.state.runtime.sessions() as session:
        rapporten = Maandrapporten(session)
        for maand, begin, einde in _maanden(van, tot):
            rijen += [{"maand": maand, **r} for r in await getattr(rapporten, methode)(begin, einde, organisator_id)]
    return _antwoord(rapport, {"van": van, "tot": tot, "organisator_id": organisator_id}, rijen, format)


@router.get("/gebruikers", summary="RPT-12/13/14/15: contacts, new gebruikers, fees paid, active erkenningen, by gender")
async def gebruikers(
    request: Request, principal: Reader, van: Maand, tot: Maand, organisator_id: uuid.UUID | None = None,
    format: Formaat = "json",
):
    return await _per_maand(request, principal, "RPT-12-15", "gebruikers", van, tot, organisator_id, format)


@router.get("/cheques", summary="RPT-16/17/18: cheques bought and used, and the money split, per month per organiser")
async def cheques(
    request: Request, principal: Reader, van: Maand, tot: Maand, organisator_id: uuid.UUID | None = None,
    format: Formaat = "json",
):
    return await _per_maand(request, principal, "RPT-16-18", "cheques", van, tot, organisator_id, format)


@router.get("/gemeenten", summary="RPT-20: persons with ≥ 1 hour per domicile municipality (NIS code)")
async def gemeenten(
    request: Request, principal: Reader, van: date, tot: date, organisator_id: uuid.UUID | None = None,
    format: Formaat = "json",
):
    organisator_id = _scope(principal, organisator_id)
    async with request.app.state.runtime.sessions() as session:
        rijen = await Maandrapporten(session).gemeenten(van, tot, organisator_id)
    return _antwoord("RPT-20", {"van": van, "tot": tot, "organisator_id": organisator_id}, rijen, format)


@router.get("/onbeperkt-recht", summary="RPT-23: ex-PWA with the unlimited right: worked since the start, still in")
async def onbeperkt_recht(
    request: Request, principal: Reader, op: date, sinds: date = date(2018, 1, 1),
    organisator_id: uuid.UUID | None = None, format: Formaat = "json",
):
    organisator_id = _scope(principal, organisator_id)
    async with request.app.state.runtime.sessions() as session:
        rij = await Maandrapporten(session).onbeperkt_recht(sinds, op, organisator_id)
    return _antwoord("RPT-23", {"sinds": sinds, "op": op, "organisator_id": organisator_id}, [rij], format)


@router.get("/contingent", summary="RPT-25: yearly average of workers in a trajectory against the contingent")
async def contingent(
    request: Request, principal: Reader, jaar: Annotated[int, Query(ge=2018, le=2099)],
    organisator_id: uuid.UUID | None = None, format: Formaat = "json",
):
    organisator_id = _scope(principal, organisator_id)
    contingent = request.app.state.settings.contingent
    async with request.app.state.runtime.sessions() as session:
        per_maand = [
            {"maand": maand, "in_traject": await Maandrapporten(session).in_traject(einde, organisator_id)}
            for maand, _, einde in _maanden(f"{jaar}-01", f"{jaar}-12")
        ]
    gemiddelde = round(sum(r["in_traject"] for r in per_maand) / len(per_maand), 1)
    totalen = {"jaargemiddelde": gemiddelde, "contingent": contingent,
               "bezetting": round(gemiddelde / contingent, 4) if contingent else None}
    return _antwoord("RPT-25", {"jaar": jaar, "organisator_id": organisator_id}, per_maand, format, totalen)
