"""VDAB bemiddelaars per organiser (PR-23): VDAB records the FTE it makes available from a
date on; the caseload report (RPT-24) sets the workers against it and against the O-2 norm."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from evaluatie.adapters.bemiddelaars import Bemiddelaars
from evaluatie.entrypoints.deps import Instellingen, Leessessie, Uow
from evaluatie.entrypoints.rapportvoorbeelden import csv_voorbeeld
from evaluatie.entrypoints.rapportvorm import CSV, Formaat, Maand, Reader, TabelRapport, antwoord, maanden, scope
from evaluatie.entrypoints.regelboek import REGELS
from evaluatie.service_layer import evaluaties
from wijkwerk.auth import CENTRAL, Principal, require, sees_organisation
from wijkwerk.fouten import NietGevonden
from wijkwerk.problems import PROBLEM_RESPONSES, Problem

router = APIRouter(prefix="/v1", tags=["bemiddelaars"], responses=PROBLEM_RESPONSES)
rapport = APIRouter(prefix="/v1/rapporten", tags=["rapporten"], responses={**PROBLEM_RESPONSES, **CSV})
Writer = Annotated[Principal, Depends(require("evaluatie:write"))]
Lezer = Annotated[Principal, Depends(require("evaluatie:read", "rapportering:read"))]


class BemiddelaarsinzetIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"fte": "2.40", "inwoners": 95000}]})

    fte: Decimal = Field(ge=0, le=1000, max_digits=6, decimal_places=2,
                         description="Full-time equivalents of VDAB bemiddelaars at the organiser's disposal")
    inwoners: int | None = Field(None, ge=0, le=10_000_000,
                                 description="Inhabitants of the organiser's area the allocation was based on (O-2)")


class BemiddelaarsinzetOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"organisator_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "geldig_vanaf": "2026-01-01", "fte": 1.5, "inwoners": 64312, "geregistreerd_door": "vdab-beheer", "geregistreerd_op": "2026-01-08T10:02:11+01:00"}]})

    organisator_id: uuid.UUID
    geldig_vanaf: date
    fte: float
    inwoners: int | None
    geregistreerd_door: str
    geregistreerd_op: datetime


def _uit(rijen: list[dict]) -> list[BemiddelaarsinzetOut]:
    return [BemiddelaarsinzetOut(**{**r, "fte": float(r["fte"])}) for r in rijen]


@router.put(
    "/organisatoren/{organisator_id}/bemiddelaarsinzet/{geldig_vanaf}",
    summary="VDAB records the bemiddelaar FTE at an organiser's disposal from a date on (PR-23)",
    description="Valid from `geldig_vanaf` until a later row; recording the same date again corrects it. "
                "Only central (VDAB) callers. Answers the organiser's whole history.",
    responses=REGELS.weigert("alleen-vdab", "organisator-nog-onbekend", "fte-ongeldig", "inwoners-ongeldig"),
)
async def leg_bemiddelaarsinzet_vast(
    organisator_id: uuid.UUID, geldig_vanaf: date, body: BemiddelaarsinzetIn, uow: Uow, principal: Writer,
) -> list[BemiddelaarsinzetOut]:
    if principal.org_type not in CENTRAL:
        raise Problem(403, "alleen-vdab", "Only VDAB records the bemiddelaars it makes available.")
    cmd = evaluaties.LegBemiddelaarsinzetVast(organisator_id, geldig_vanaf, body.fte, body.inwoners, principal.subject)
    return _uit(await evaluaties.leg_bemiddelaarsinzet_vast(cmd, uow))


@router.get("/organisatoren/{organisator_id}/bemiddelaarsinzet", summary="The recorded bemiddelaar FTE of an organiser",
    responses=REGELS.weigert("organisator-onbekend"),
)
async def bemiddelaarsinzet(organisator_id: uuid.UUID, uow: Uow, principal: Lezer) -> list[BemiddelaarsinzetOut]:
    if not sees_organisation(principal, organisator_id):
        raise NietGevonden("No such organiser.", rule="organisator-onbekend")
    async with uow:
        return _uit(await uow.bemiddelaars.historiek(organisator_id))


class CaseloadRij(BaseModel):
    maand: str
    niveau: Literal["vlaanderen", "organisator"]
    organisator_id: uuid.UUID | None
    naam: str
    samenwerkingsverband: str | None
    fte: float | None
    inwoners: int | None
    norm_fte: float | None
    wijkwerkers_in_traject: int
    wijkwerkers_per_fte: float | None
    werkzame_wijkwerkers: int
    werkzame_per_fte: float | None


class CaseloadRapport(TabelRapport):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "rapport": "RPT-24", "parameters": {"van": "2026-03", "tot": "2026-03", "organisator_id": None},
        "berekend_op": "2026-11-23T10:00:00Z",
        "rijen": [{"maand": "2026-03", "niveau": "organisator", "organisator_id": "0b6d6c64-8c3e-4c50-9d8a-5b1f0f7e2a11",
                   "naam": "Wijk-werken Midwest", "samenwerkingsverband": "Midwest", "fte": 2.4, "inwoners": 95000,
                   "norm_fte": 1.4, "wijkwerkers_in_traject": 180, "wijkwerkers_per_fte": 75.0,
                   "werkzame_wijkwerkers": 150, "werkzame_per_fte": 62.5}],
        "totalen": {"o2_fte_vlaanderen": 100.0, "organisatoren_zonder_fte": {"2026-03": 0}}}]})

    rapport: Literal["RPT-24"] = "RPT-24"
    rijen: list[CaseloadRij]


@rapport.get(
    "/caseload", response_model=CaseloadRapport,
    summary="RPT-24: workers per bemiddelaar FTE per organiser and month, against the O-2 norm",
    description="Per month end: the FTE recorded for the organiser (latest `geldig_vanaf` on or before the month "
                "end; null when VDAB recorded none), the O-2 norm from the recorded inhabitants (0.2 FTE per "
                "started 12,000 above 12,000; settings), distinct workers in a running trajectory at the month "
                "end and with ≥ 1 hour in the month, each per FTE. The Flanders row (left out when limited to one "
                "organiser) sums FTE and norm, counts workers once, and gives a ratio only when every organiser "
                "has an FTE recorded.",
    responses={**csv_voorbeeld(CaseloadRapport.model_config["json_schema_extra"]["examples"][0]["rijen"]), **REGELS.weigert("periode-ongeldig", "periode-te-lang")},
)
async def caseload(
    session: Leessessie, settings: Instellingen, principal: Reader, van: Maand, tot: Maand,
    organisator_id: uuid.UUID | None = None,
    format: Formaat = "json",
):
    organisator_id = scope(principal, organisator_id)
    rijen, zonder_fte = await Bemiddelaars(session).caseload_per_maand(
        maanden(van, tot), organisator_id, settings.o2_norm)
    totalen = {"o2_fte_vlaanderen": float(settings.o2_fte_vlaanderen), "organisatoren_zonder_fte": zonder_fte}
    return antwoord("RPT-24", {"van": van, "tot": tot, "organisator_id": organisator_id}, rijen, format, totalen,
                    model=CaseloadRapport)
