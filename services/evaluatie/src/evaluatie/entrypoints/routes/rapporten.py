import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from evaluatie.adapters.leesmodellen import Leesmodellen
from evaluatie.adapters.rapporten import Rapporten
from evaluatie.domain.uitstroom import HORIZONTEN
from evaluatie.entrypoints.csv import csv_response
from wijkwerk.auth import Principal, organisation_filter, require
from wijkwerk.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1/rapporten", tags=["rapporten"], responses=PROBLEM_RESPONSES)


class DossiersPerOrganisator(BaseModel):
    organisator_id: uuid.UUID
    naam: str
    samenwerkingsverband: str
    dossiers: int
    actief_of_voorlopig: int


class DossierRapport(BaseModel):
    rapport: str = "RPT-01"
    tot_en_met: date
    berekend_op: datetime
    rijen: list[DossiersPerOrganisator]
    totaal: int
    totaal_actief_of_voorlopig: int
    aandeel_actief_of_voorlopig: float | None


@router.get("/dossiers", summary="RPT-01: dossiers registered per organiser on a date, and of those actief of voorlopig")
async def dossiers(
    request: Request,
    principal: Annotated[Principal, Depends(require("rapportering:read"))],
    tot_en_met: Annotated[date | None, Query()] = None,
) -> DossierRapport:
    dag = tot_en_met or date.today()
    scope = organisation_filter(principal)
    async with request.app.state.runtime.sessions() as session:
        rows = await Leesmodellen(session).dossiers_per_organisator(
            dag, uuid.UUID(scope) if scope not in (None, "-") else None
        )
    if scope == "-":
        rows = []
    rijen = [
        DossiersPerOrganisator(
            organisator_id=r["id"], naam=r["naam"], samenwerkingsverband=r["samenwerkingsverband"],
            dossiers=r["dossiers"], actief_of_voorlopig=r["actief_of_voorlopig"],
        )
        for r in rows
    ]
    totaal = sum(r.dossiers for r in rijen)
    actief = sum(r.actief_of_voorlopig for r in rijen)
    return DossierRapport(
        tot_en_met=dag, berekend_op=datetime.now(UTC), rijen=rijen, totaal=totaal,
        totaal_actief_of_voorlopig=actief, aandeel_actief_of_voorlopig=round(actief / totaal, 4) if totaal else None,
    )


class AdviesRij(BaseModel):
    advies_maanden: int | None
    toeleidingen: int


class AdviesRapport(BaseModel):
    rapport: str = "RPT-07"
    van: date
    tot: date
    organisator_id: uuid.UUID | None
    berekend_op: datetime
    rijen: list[AdviesRij]
    totaal: int
    aandeel_12_maanden: float | None


@router.get("/advies", summary="RPT-07: referrals by advised trajectory length (12 months vs shorter)")
async def advies(
    request: Request,
    principal: Annotated[Principal, Depends(require("rapportering:read"))],
    van: date,
    tot: date,
    organisator_id: uuid.UUID | None = None,
) -> AdviesRapport:
    scope = organisation_filter(principal)
    if scope is not None:
        organisator_id = uuid.UUID(scope) if scope != "-" else uuid.UUID(int=0)
    async with request.app.state.runtime.sessions() as session:
        rows = await Leesmodellen(session).toeleidingen_per_advies(van, tot, organisator_id)
    totaal = sum(n for _, n in rows)
    twaalf = sum(n for m, n in rows if m == 12)
    return AdviesRapport(
        van=van,
        tot=tot,
        organisator_id=organisator_id,
        berekend_op=datetime.now(UTC),
        rijen=[AdviesRij(advies_maanden=m, toeleidingen=n) for m, n in rows],
        totaal=totaal,
        aandeel_12_maanden=round(twaalf / totaal, 4) if totaal else None,
    )


class EvaluatieRapport(BaseModel):
    rapport: str = "RPT-08"
    van: date
    tot: date
    organisator_id: uuid.UUID | None
    berekend_op: datetime
    evaluaties: int
    geevalueerde_wijkwerkers: int
    per_uitkomst: dict[str, int]


def _scoped(principal: Principal, organisator_id: uuid.UUID | None) -> uuid.UUID | None:
    scope = organisation_filter(principal)
    if scope is None:
        return organisator_id
    return uuid.UUID(scope) if scope != "-" else uuid.UUID(int=0)


@router.get("/evaluaties", summary="RPT-08: evaluations registered in a period, workers evaluated, outcomes")
async def rapport_evaluaties(
    request: Request,
    principal: Annotated[Principal, Depends(require("rapportering:read"))],
    van: date,
    tot: date,
    organisator_id: uuid.UUID | None = None,
) -> EvaluatieRapport:
    organisator_id = _scoped(principal, organisator_id)
    async with request.app.state.runtime.sessions() as session:
        cijfers = await Rapporten(session).evaluaties(van, tot, organisator_id)
    return EvaluatieRapport(van=van, tot=tot, organisator_id=organisator_id, berekend_op=datetime.now(UTC), **cijfers)


class UitstroomGroep(BaseModel):
    horizon_maanden: int
    groep: str
    dossiers: int
    categorieen: dict[str, int]


class UitstroomRapport(BaseModel):
    rapport: str = "RPT-04"
    op: date
    organisator_id: uuid.UUID | None
    berekend_op: datetime
    rijen: list[UitstroomGroep]


@router.get(
    "/uitstroom",
    summary="RPT-04/RPT-10: outflow 3, 6, 9 and 12 months after the end, ex-PWA vs new, by V-4 category",
    responses={200: {"content": {"text/csv": {}}}},
)
async def rapport_uitstroom(
    request: Request,
    principal: Annotated[Principal, Depends(require("rapportering:read"))],
    op: date | None = None,
    organisator_id: uuid.UUID | None = None,
    format: Literal["json", "csv"] = "json",
):
    dag = op or date.today()
    organisator_id = _scoped(principal, organisator_id)
    async with request.app.state.runtime.sessions() as session:
        rapporten = Rapporten(session)
        rijen = [
            UitstroomGroep(horizon_maanden=h, **groep)
            for h in HORIZONTEN
            for groep in await rapporten.uitstroom(dag, h, organisator_id)
        ]
    if format == "csv":
        return csv_response(
            (
                {"horizon_maanden": r.horizon_maanden, "groep": r.groep, "categorie": c, "aantal": n, "cohort": r.dossiers}
                for r in rijen
                for c, n in ({"dossiers": r.dossiers} | r.categorieen).items()
            ),
            f"uitstroom-{dag}.csv",
        )
    return UitstroomRapport(op=dag, organisator_id=organisator_id, berekend_op=datetime.now(UTC), rijen=rijen)
