import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, ConfigDict, Field

from evaluatie.domain.evaluatie import Uitkomst
from evaluatie.domain.uitstroom import CATEGORIEEN
from evaluatie.entrypoints.deps import Uow
from evaluatie.entrypoints.regelboek import REGELS
from evaluatie.service_layer import evaluaties
from evaluatie.service_layer.uow import EvaluatieUnitOfWork
from wijkwerk.auth import Principal, gegevensscope, require, sees_organisation
from wijkwerk.fouten import NogOnbekend, OngeldigeInvoer
from wijkwerk.http.paging import Limit, Offset
from wijkwerk.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1", tags=["evaluaties"], responses=PROBLEM_RESPONSES)
Writer = Annotated[Principal, Depends(require("evaluatie:write"))]
Reader = Annotated[Principal, Depends(require("evaluatie:read", "rapportering:read"))]


class EvaluatieIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "traject_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "datum": "2026-07-10", "uitkomst": "ander_traject",
        "vervolg": "IBO", "opmerkingen": "Klaar voor een opleiding op de werkvloer.", "evaluator_organisatie": "VDAB",
        "einde": "2026-07-31"}]})

    traject_id: uuid.UUID
    datum: date
    uitkomst: Uitkomst
    vervolg: str | None = Field(None, max_length=100)
    opmerkingen: str | None = Field(None, max_length=2000)
    evaluator_organisatie: str | None = Field(None, max_length=100, description="VDAB, OCMW or a partner (DOMAIN §7.7)")
    einde: date | None = Field(
        None, description="An outcome that ends the trajectory (uitstroom_werk, ander_traject, stopt): the date it "
                          "ends, on or after the evaluation (default: the evaluation date). An explicit end "
                          "(toeleiding `POST /v1/trajecten/{id}/beeindiging`) with its own date wins over it.")


class UitstroomIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "traject_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "horizon_maanden": 3, "gemeten_op": "2026-10-01",
        "categorieen": ["werk_werknemer"], "subcategorieen": ["NEC"]}]})

    traject_id: uuid.UUID
    horizon_maanden: int = Field(description="3, 6, 9 or 12 months after the end (V-3); another value: 422 "
                                             "`horizon-ongeldig`", examples=[3])
    gemeten_op: date
    categorieen: list[str] = Field(min_length=1, max_length=len(CATEGORIEEN))
    subcategorieen: list[str] = Field(default_factory=list, max_length=20)


class Aangemaakt(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"id": "4b3a2c1d-0e9f-4a8b-b7c6-d5e4f3a2b1c0"}]})

    id: uuid.UUID


class TeDoen(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"traject_id": "9b2d7c1e-4f3a-4e8b-a6d5-1c2b3a4d5e6f", "wijkwerker_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "organisator_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "laatste_evaluatie": "2026-01-12", "volgende_evaluatie": "2026-07-12", "status": "te_doen"}]})

    traject_id: uuid.UUID
    wijkwerker_id: uuid.UUID
    organisator_id: uuid.UUID
    laatste_evaluatie: date | None
    volgende_evaluatie: date
    status: str


async def _zichtbaar_traject(uow: EvaluatieUnitOfWork, principal: Principal, traject_id: uuid.UUID) -> None:
    async with uow:
        t = await uow.trajecten.get(traject_id)
    if t is None or not sees_organisation(principal, t.organisator_id):
        # Its TrajectGestart may still be on its way: retryable. Alike for another
        # organisation's trajectory, so nothing tells the caller that it exists.
        raise NogOnbekend("This trajectory is not known here yet.", rule="traject-nog-onbekend")


@router.post("/evaluaties", status_code=status.HTTP_201_CREATED, summary="Record a (6-monthly) evaluation",
    responses=REGELS.weigert(
        "traject-nog-onbekend", "evaluatie-buiten-traject", "einde-zonder-beeindiging",
        "einde-voor-evaluatie", "vervolg-ontbreekt"
    ),
)
async def evaluatie(body: EvaluatieIn, uow: Uow, principal: Writer) -> Aangemaakt:
    await _zichtbaar_traject(uow, principal, body.traject_id)
    cmd = evaluaties.RegistreerEvaluatie(**body.model_dump())
    return Aangemaakt(id=await evaluaties.registreer_evaluatie(cmd, uow))


@router.post("/uitstroommetingen", status_code=status.HTTP_201_CREATED, summary="Record outflow 3/6/9/12 months after the end",
    responses=REGELS.weigert(
        "traject-nog-onbekend", "horizon-ongeldig", "traject-niet-beeindigd", "meetmoment-niet-bereikt",
        "categorie-ontbreekt", "categorie-onbekend", "subcategorie-ongeldig", "meting-bestaat-al"
    ),
)
async def uitstroom(body: UitstroomIn, uow: Uow, principal: Writer) -> Aangemaakt:
    await _zichtbaar_traject(uow, principal, body.traject_id)
    cmd = evaluaties.RegistreerUitstroom(
        body.traject_id, body.horizon_maanden, body.gemeten_op, tuple(body.categorieen), tuple(body.subcategorieen)
    )
    return Aangemaakt(id=await evaluaties.registreer_uitstroom(cmd, uow))


@router.get(
    "/evaluaties/te-doen", summary="Evaluations overdue, or due within a period (default one month), per organiser (A-11)",
    description="`achterstallig`: due before `op`; `te_doen`: due from `op` up to `tot` (default `op` + 1 month; a "
                "longer period plans further ahead, e.g. a quarter or a year, and then leaves out due dates after "
                "the trajectory's planned end).",
    responses=REGELS.weigert("periode-ongeldig"),
)
async def te_doen(
    uow: Uow,
    principal: Reader,
    organisator_id: uuid.UUID | None = None,
    op: date | None = None,
    tot: date | None = None,
    limit: Limit = 500,
    offset: Offset = 0,
) -> list[TeDoen]:
    dag = op or date.today()
    if tot is not None and tot < dag:
        raise OngeldigeInvoer("'tot' lies before 'op'.", rule="periode-ongeldig")
    organisator_id = gegevensscope(principal).beperk(organisator_id)
    async with uow:
        rows = await uow.trajecten.te_evalueren(organisator_id, dag, tot, limit, offset)
    return [
        TeDoen(
            traject_id=r.traject_id, wijkwerker_id=r.wijkwerker_id, organisator_id=r.organisator_id,
            laatste_evaluatie=r.laatste, volgende_evaluatie=r.volgende, status=r.status,
        )
        for r in rows
    ]
