"""Reading back and correcting evaluations and outflow measurements, the outcomes of a
referrer's referrals, and the outflow measurements due (issue #21 item 11)."""

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from dateutil.relativedelta import relativedelta
from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from evaluatie.adapters.correcties import Correcties
from evaluatie.adapters.opvolging import Opvolging
from evaluatie.domain.evaluatie import Uitkomst
from evaluatie.domain.uitstroom import CATEGORIEEN
from evaluatie.entrypoints.deps import Leessessie, Uow
from evaluatie.entrypoints.regelboek import REGELS
from evaluatie.service_layer.correcties import Corrigeer, corrigeer
from wijkwerk.auth import Principal, gegevensscope, require, sees_organisation
from wijkwerk.fouten import NietGevonden, OngeldigeInvoer
from wijkwerk.http.paging import Limit, Offset
from wijkwerk.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1", tags=["opvolging"], responses=PROBLEM_RESPONSES)
Writer = Annotated[Principal, Depends(require("evaluatie:write"))]
Reader = Annotated[Principal, Depends(require("evaluatie:read", "rapportering:read"))]


class EvaluatieOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"id": "4b3a2c1d-0e9f-4a8b-b7c6-d5e4f3a2b1c0", "traject_id": "9b2d7c1e-4f3a-4e8b-a6d5-1c2b3a4d5e6f", "wijkwerker_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "organisator_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "datum": "2026-07-10", "uitkomst": "uitstroom_werk", "vervolg": None, "opmerkingen": "Vast contract als magazijnier vanaf 1 augustus.", "evaluator_organisatie": "VDAB Roeselare", "einde": "2026-07-31"}]})

    id: uuid.UUID
    traject_id: uuid.UUID
    wijkwerker_id: uuid.UUID
    organisator_id: uuid.UUID
    datum: date
    uitkomst: Uitkomst
    vervolg: str | None
    opmerkingen: str | None
    evaluator_organisatie: str | None
    einde: date | None = None


class MetingOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"id": "8c7b6a5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d", "traject_id": "9b2d7c1e-4f3a-4e8b-a6d5-1c2b3a4d5e6f", "wijkwerker_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "organisator_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "horizon_maanden": 3, "gemeten_op": "2026-11-03", "categorieen": ["werk_werknemer"], "subcategorieen": ["NEC"]}]})

    id: uuid.UUID
    traject_id: uuid.UUID
    wijkwerker_id: uuid.UUID
    organisator_id: uuid.UUID
    horizon_maanden: int
    gemeten_op: date
    categorieen: list[str]
    subcategorieen: list[str]


class Versie(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"gecorrigeerd_op": "2026-07-15", "waarden": {"datum": "2026-07-10", "uitkomst": "uitstroom_werk", "vervolg": None, "opmerkingen": "Vast contract als magazijnier vanaf 1 augustus."}, "reden": "Tikfout in de datum", "door": "bemiddelaar-roeselare", "geregistreerd_op": "2026-07-10"}]})

    gecorrigeerd_op: date = Field(description="The business date of the version (the first: as registered)")
    waarden: dict[str, Any]
    reden: str
    door: str | None
    geregistreerd_op: datetime


class EvaluatieCorrectieIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "gecorrigeerd_op": "2026-07-20", "reden": "Vervolg verkeerd ingevoerd", "vervolg": "IBO"},
        {"gecorrigeerd_op": "2026-07-20", "reden": "Datum van het gesprek was 8 juli", "datum": "2026-07-08"}]})

    gecorrigeerd_op: date = Field(description="Business date of the correction (on or after the evaluation)")
    reden: str = Field(min_length=1, max_length=500)
    datum: date | None = None
    uitkomst: Uitkomst | None = Field(None, description="Not to or from an outcome that ends the trajectory")
    vervolg: str | None = Field(None, max_length=100)
    opmerkingen: str | None = Field(None, max_length=2000)
    evaluator_organisatie: str | None = Field(None, max_length=100)


class MetingCorrectieIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "gecorrigeerd_op": "2026-11-03", "reden": "Werkgever is een maatwerkbedrijf",
        "categorieen": ["werk_werknemer"], "subcategorieen": ["NEC_in_SEC"]}]})

    gecorrigeerd_op: date
    reden: str = Field(min_length=1, max_length=500)
    gemeten_op: date | None = None
    categorieen: list[str] | None = Field(None, min_length=1, max_length=len(CATEGORIEEN))
    subcategorieen: list[str] | None = Field(None, max_length=20)


class TeMeten(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"traject_id": "9b2d7c1e-4f3a-4e8b-a6d5-1c2b3a4d5e6f", "wijkwerker_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "organisator_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "werkelijk_einde": "2026-07-31", "horizon_maanden": 3, "meetmoment": "2026-10-31", "status": "gepland"}]})

    traject_id: uuid.UUID
    wijkwerker_id: uuid.UUID
    organisator_id: uuid.UUID
    werkelijk_einde: date
    horizon_maanden: int
    meetmoment: date
    status: Literal["te_meten", "gepland"]


class EvaluatieUitkomst(BaseModel):
    """An evaluation as a referrer sees it: the outcome, never the remarks."""

    id: uuid.UUID
    datum: date
    uitkomst: str
    vervolg: str | None
    evaluator_organisatie: str | None


class MetingUitkomst(BaseModel):
    id: uuid.UUID
    horizon_maanden: int
    gemeten_op: date
    categorieen: list[str]
    subcategorieen: list[str]


class TrajectUitkomst(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "traject_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "toeleiding_id": "1b4e28ba-2fa1-11d2-883f-0016d3cca427",
        "wijkwerker_id": "0b7e2a52-8a7e-4f7e-9b1e-2f7c1c1d9a10", "organisator_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "toeleider_type": "OCMW", "toeleider_org": "ocmw-brugge", "ontvangen_op": "2026-01-05",
        "advies_maanden": 6, "start": "2026-01-12", "gepland_einde": "2026-07-11", "werkelijk_einde": "2026-06-30",
        "einde_reden": "uitstroom_werk", "vervolg": None,
        "evaluaties": [{"id": "9f1c7a2e-5b0d-4c1e-8a3f-2d6b7e8f9a01", "datum": "2026-06-30", "uitkomst": "uitstroom_werk",
                        "vervolg": None, "evaluator_organisatie": "VDAB"}],
        "uitstroommetingen": [{"id": "4d3c2b1a-0f9e-4d8c-b7a6-5e4f3a2b1c0d", "horizon_maanden": 3,
                               "gemeten_op": "2026-10-01", "categorieen": ["werk_werknemer"], "subcategorieen": ["NEC"]}],
    }]})

    traject_id: uuid.UUID
    toeleiding_id: uuid.UUID | None
    wijkwerker_id: uuid.UUID
    organisator_id: uuid.UUID
    toeleider_type: str | None
    toeleider_org: str | None
    ontvangen_op: date | None
    advies_maanden: int | None
    start: date
    gepland_einde: date | None
    werkelijk_einde: date | None
    einde_reden: str | None
    vervolg: str | None
    evaluaties: list[EvaluatieUitkomst]
    uitstroommetingen: list[MetingUitkomst]


SOORT = {"evaluaties": "evaluatie", "uitstroommetingen": "uitstroommeting"}


async def _zichtbaar(session: Leessessie, principal: Principal, soort: str, doel_id: uuid.UUID):
    rij = await Correcties(session).rij(soort, doel_id)
    historiek = await Correcties(session).historiek(doel_id) if rij is not None else []
    if rij is None or not sees_organisation(principal, rij.organisator_id):
        raise NietGevonden(f"No such {soort}.", rule=f"{soort}-onbekend")
    return rij, historiek


@router.get("/evaluaties/{evaluatie_id}", summary="Read back one evaluation (as corrected)",
    responses=REGELS.weigert("evaluatie-onbekend"),
)
async def lees_evaluatie(evaluatie_id: uuid.UUID, session: Leessessie, principal: Reader) -> EvaluatieOut:
    rij, _ = await _zichtbaar(session, principal, "evaluatie", evaluatie_id)
    return EvaluatieOut(**rij._mapping)


@router.post(
    "/evaluaties/{evaluatie_id}/correctie", summary="Correct an evaluation (a reason and a date; every version kept)",
    description="Name only the fields that change. The evaluation then reads as the version with the latest "
                "correction date (ties: the later arrival), whatever the order corrections arrive in; "
                "`/historiek` lists every version, the first as registered. An outcome that ends the trajectory "
                "(uitstroom_werk, ander_traject, stopt) is not corrected to or from (`uitkomst-beeindigt-traject`): "
                "toeleiding acted on it.",
    responses=REGELS.weigert(
        "evaluatie-onbekend", "correctie-voor-registratie", "correctie-zonder-wijziging",
        "uitkomst-beeindigt-traject", "evaluatie-buiten-traject", "vervolg-ontbreekt"
    ),
)
async def corrigeer_evaluatie(evaluatie_id: uuid.UUID, body: EvaluatieCorrectieIn, uow: Uow, session: Leessessie,
                              principal: Writer) -> EvaluatieOut:
    await _zichtbaar(session, principal, "evaluatie", evaluatie_id)
    nieuw = body.model_dump(exclude_unset=True, exclude={"gecorrigeerd_op", "reden"})
    await corrigeer(Corrigeer("evaluatie", evaluatie_id, body.gecorrigeerd_op, body.reden, principal.subject, nieuw), uow)
    return await lees_evaluatie(evaluatie_id, session, principal)


@router.get("/evaluaties/{evaluatie_id}/historiek", summary="Every version of an evaluation (the audit of corrections)",
    responses=REGELS.weigert("evaluatie-onbekend"),
)
async def historiek_evaluatie(evaluatie_id: uuid.UUID, session: Leessessie, principal: Reader) -> list[Versie]:
    _, historiek = await _zichtbaar(session, principal, "evaluatie", evaluatie_id)
    return [Versie(**v) for v in historiek]


def _periode(op: date | None, tot: date | None, standaard: relativedelta) -> tuple[date, date]:
    dag = op or date.today()
    grens = tot or dag + standaard
    if grens < dag:
        raise OngeldigeInvoer("'tot' lies before 'op'.", rule="periode-ongeldig")
    return dag, grens


def _organisator(principal: Principal, organisator_id: uuid.UUID | None) -> uuid.UUID | None:
    return gegevensscope(principal).beperk(organisator_id)


@router.get(
    "/uitstroommetingen/te-doen", summary="Outflow measurements due as of a date (A-12), per organiser",
    description="Every 3/6/9/12-month point (actual end + N months) of a trajectory ended on or before `op` that "
                "is reached by `tot` (default: `op`) and has no measurement of that horizon dated on or before "
                "`op`: `te_meten` when the point is reached on `op`, `gepland` when it falls after `op`. Only "
                "facts dated on or before `op` count, so the answer for a past date can be reproduced.",
    responses=REGELS.weigert("periode-ongeldig"),
)
async def te_meten(session: Leessessie, principal: Reader, op: date | None = None, tot: date | None = None,
                   organisator_id: uuid.UUID | None = None, limit: Limit = 500, offset: Offset = 0) -> list[TeMeten]:
    dag, grens = _periode(op, tot, relativedelta())
    organisator_id = _organisator(principal, organisator_id)
    rows = await Opvolging(session).te_meten(dag, grens, organisator_id, limit, offset)
    return [TeMeten(**r, status="te_meten" if r["meetmoment"] <= dag else "gepland") for r in rows]


@router.get("/uitstroommetingen/{meting_id}", summary="Read back one outflow measurement (as corrected)",
    responses=REGELS.weigert("uitstroommeting-onbekend"),
)
async def lees_meting(meting_id: uuid.UUID, session: Leessessie, principal: Reader) -> MetingOut:
    rij, _ = await _zichtbaar(session, principal, "uitstroommeting", meting_id)
    return MetingOut(**rij._mapping)


@router.post(
    "/uitstroommetingen/{meting_id}/correctie", summary="Correct an outflow measurement (a reason and a date)",
    description="Name only the fields that change (measurement date, categories, sub-categories); the V-4 rules "
                "apply to the result. Every version is kept (`/historiek`).",
    responses=REGELS.weigert(
        "uitstroommeting-onbekend", "correctie-voor-registratie", "correctie-zonder-wijziging",
        "horizon-ongeldig", "traject-niet-beeindigd", "meetmoment-niet-bereikt", "categorie-ontbreekt",
        "categorie-onbekend", "subcategorie-ongeldig"
    ),
)
async def corrigeer_meting(meting_id: uuid.UUID, body: MetingCorrectieIn, uow: Uow, session: Leessessie,
                           principal: Writer) -> MetingOut:
    await _zichtbaar(session, principal, "uitstroommeting", meting_id)
    nieuw = body.model_dump(exclude_unset=True, exclude={"gecorrigeerd_op", "reden"})
    nieuw = {k: tuple(v) if isinstance(v, list) else v for k, v in nieuw.items()}
    cmd = Corrigeer("uitstroommeting", meting_id, body.gecorrigeerd_op, body.reden, principal.subject, nieuw)
    await corrigeer(cmd, uow)
    return await lees_meting(meting_id, session, principal)


@router.get("/uitstroommetingen/{meting_id}/historiek", summary="Every version of an outflow measurement",
    responses=REGELS.weigert("uitstroommeting-onbekend"),
)
async def historiek_meting(meting_id: uuid.UUID, session: Leessessie, principal: Reader) -> list[Versie]:
    _, historiek = await _zichtbaar(session, principal, "uitstroommeting", meting_id)
    return [Versie(**v) for v in historiek]


def _uitkomst(r: dict) -> TrajectUitkomst:
    return TrajectUitkomst(
        **{k: v for k, v in r.items() if k in TrajectUitkomst.model_fields and k not in ("evaluaties", "uitstroommetingen")},
        evaluaties=[EvaluatieUitkomst(**e) for e in r["evaluaties"]],
        uitstroommetingen=[MetingUitkomst(**m) for m in r["uitstroommetingen"]],
    )


@router.get(
    "/toeleidingen/uitkomsten", summary="The outcomes of referrals: trajectory end, evaluations, outflow",
    description="A referrer (`org_type` toeleider) sees only the referrals it made itself; an organiser those of "
                "its own trajectories; VDAB all. Evaluations show their outcome and next step, never the remarks.",
)
async def uitkomsten(session: Leessessie, principal: Reader, limit: Limit = 100,
                     offset: Offset = 0) -> list[TrajectUitkomst]:
    opvolging = Opvolging(session)
    if principal.org_type == "toeleider":
        if not principal.org:
            return []
        rows = await opvolging.trajecten(toeleider_org=principal.org, limit=limit, offset=offset)
    else:
        rows = await opvolging.trajecten(organisator_id=_organisator(principal, None), limit=limit, offset=offset)
    return [_uitkomst(r) for r in rows]


@router.get("/trajecten/{traject_id}/uitkomsten", summary="One trajectory's outcomes (a referrer: its own referral's)",
    responses=REGELS.weigert("traject-onbekend"),
)
async def traject_uitkomsten(traject_id: uuid.UUID, session: Leessessie, principal: Reader) -> TrajectUitkomst:
    rows = await Opvolging(session).trajecten(traject_id=traject_id)
    r = rows[0] if rows else None
    if principal.org_type == "toeleider":
        zichtbaar = r is not None and principal.org is not None and r["toeleider_org"] == principal.org
    else:
        zichtbaar = r is not None and sees_organisation(principal, r["organisator_id"])
    if not zichtbaar:
        raise NietGevonden("No such trajectory.", rule="traject-onbekend")
    return _uitkomst(r)
