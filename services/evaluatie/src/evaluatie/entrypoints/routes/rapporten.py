import uuid
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from evaluatie.adapters.leesmodellen import Leesmodellen
from wijkwerk.auth import Principal, organisation_filter, require
from wijkwerk.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1/rapporten", tags=["rapporten"], responses=PROBLEM_RESPONSES)


class DossiersPerOrganisator(BaseModel):
    organisator_id: uuid.UUID
    naam: str
    samenwerkingsverband: str
    dossiers: int


class DossierRapport(BaseModel):
    rapport: str = "RPT-01"
    tot_en_met: date
    berekend_op: datetime
    rijen: list[DossiersPerOrganisator]
    totaal: int


@router.get("/dossiers", summary="RPT-01: dossiers registered per organiser up to a date")
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
            organisator_id=r["id"], naam=r["naam"], samenwerkingsverband=r["samenwerkingsverband"], dossiers=r["dossiers"]
        )
        for r in rows
    ]
    return DossierRapport(tot_en_met=dag, berekend_op=datetime.now(UTC), rijen=rijen, totaal=sum(r.dossiers for r in rijen))


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
