"""After wijk-werken: outflow to work within six months (RPT-21) and sustainable work and
follow-up (RPT-22), by the month the trajectory ended, per organiser of the trajectory;
counted per ended trajectory (A-19).
JSON, or CSV with ``format=csv``."""

import uuid
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict

from evaluatie.adapters.nazorg import Nazorg, verdeel
from evaluatie.domain import uitstroom
from evaluatie.entrypoints.deps import Instellingen, Leessessie
from evaluatie.entrypoints.rapportvoorbeelden import csv_voorbeeld
from evaluatie.entrypoints.rapportvorm import CSV, Formaat, Maand, Reader, TabelRapport, antwoord, maanden, scope
from evaluatie.entrypoints.regelboek import REGELS
from wijkwerk.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1/rapporten", tags=["rapporten"], responses={**PROBLEM_RESPONSES, **CSV})
Op = Annotated[date | None, Query(description="As-of date (default today): cohorts and measurements known then")]


class _Rij(BaseModel):
    maand: str
    niveau: Literal["vlaanderen", "organisator"]
    organisator_id: uuid.UUID | None
    naam: str
    beeindigd: int


class UitstroomNaarWerkRij(_Rij):
    cohort: int
    aan_het_werk: int
    regulier: int
    waarvan_nec_in_sec: int
    sociale_economie: int
    aandeel_aan_het_werk: float | None
    aandeel_regulier: float | None
    aandeel_sociale_economie: float | None


class UitstroomNaarWerkRapport(TabelRapport):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "rapport": "RPT-21", "parameters": {"van": "2025-01", "tot": "2025-12", "op": "2026-11-23",
                                            "organisator_id": None, "binnen_maanden": 6},
        "berekend_op": "2026-11-23T10:00:00Z",
        "rijen": [{"maand": "2025-03", "niveau": "vlaanderen", "organisator_id": None, "naam": "Vlaanderen",
                   "beeindigd": 400, "cohort": 400, "aan_het_werk": 100, "regulier": 90, "waarvan_nec_in_sec": 10,
                   "sociale_economie": 10, "aandeel_aan_het_werk": 0.25, "aandeel_regulier": 0.9,
                   "aandeel_sociale_economie": 0.1}],
        "totalen": {"beeindigd": 4800, "cohort": 4800, "aan_het_werk": 1200, "regulier": 1080,
                    "waarvan_nec_in_sec": 110, "sociale_economie": 120, "aandeel_aan_het_werk": 0.25,
                    "aandeel_regulier": 0.9, "aandeel_sociale_economie": 0.1}}]})

    rapport: Literal["RPT-21"] = "RPT-21"
    rijen: list[UitstroomNaarWerkRij]


class DuurzaamRij(_Rij):
    cohort_duurzaam: int
    duurzaam_werk: int
    aandeel_duurzaam: float | None
    cohort_opvolging: int
    opgevolgd: int
    aandeel_opgevolgd: float | None
    zonder_meting: int


class DuurzaamRapport(TabelRapport):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "rapport": "RPT-22", "parameters": {"van": "2022-01", "tot": "2022-12", "op": "2023-12-31",
                                            "organisator_id": None, "duurzaam_horizonten": [6, 12],
                                            "opvolging_horizon": 3, "opvolging_categorieen": ["begeleidingsservice"]},
        "berekend_op": "2026-11-23T10:00:00Z",
        "rijen": [{"maand": "2022-05", "niveau": "vlaanderen", "organisator_id": None, "naam": "Vlaanderen",
                   "beeindigd": 500, "cohort_duurzaam": 500, "duurzaam_werk": 75, "aandeel_duurzaam": 0.15,
                   "cohort_opvolging": 500, "opgevolgd": 220, "aandeel_opgevolgd": 0.44, "zonder_meting": 40}],
        "totalen": {"beeindigd": 6000, "cohort_duurzaam": 6000, "duurzaam_werk": 900, "aandeel_duurzaam": 0.15,
                    "cohort_opvolging": 6000, "opgevolgd": 2640, "aandeel_opgevolgd": 0.44, "zonder_meting": 480}}]})

    rapport: Literal["RPT-22"] = "RPT-22"
    rijen: list[DuurzaamRij]


def _csv_voorbeeld(model: type[TabelRapport]) -> dict:
    """The CSV of the model's example rows, its columns in the CSV's order: ``verdeel`` adds
    the shares after the counts."""
    rijen = model.model_config["json_schema_extra"]["examples"][0]["rijen"]  # type: ignore[index]
    return csv_voorbeeld([{**{k: v for k, v in r.items() if not k.startswith("aandeel_")},
                           **{k: v for k, v in r.items() if k.startswith("aandeel_")}} for r in rijen])


def _periode(van: str, tot: str) -> tuple[date, date]:
    alle = maanden(van, tot)
    return alle[0][1], alle[-1][2]


@router.get(
    "/uitstroom-naar-werk", response_model=UitstroomNaarWerkRapport,
    summary="RPT-21: outflow to work within 6 months after the end, regular circuit (NEC) vs social economy (SEC)",
    description="Cohort: trajectories that ended in the month (A-19: a re-referred worker counts once per ended "
                "trajectory, each measured from its own end) and whose 6-month point (end + 6 months, "
                "A-12) lies on or before `op`; `beeindigd` also counts those not yet 6 months out. At work: an "
                "outflow measurement at 3 or 6 months (taken by `op`) in *werk_werknemer* or *werk_zelfstandige*. "
                "`regulier` = NEC, NEC in a SEC company or self-employed (step 6); `sociale_economie` = SEC "
                "(step 5); both are shares of those at work, and not exclusive when measurements differ.",
    responses={**_csv_voorbeeld(UitstroomNaarWerkRapport), **REGELS.weigert("periode-ongeldig", "periode-te-lang")},
)
async def uitstroom_naar_werk(
    session: Leessessie, principal: Reader, van: Maand, tot: Maand, op: Op = None,
    organisator_id: uuid.UUID | None = None, format: Formaat = "json",
):
    dag, organisator_id = op or date.today(), scope(principal, organisator_id)
    begin, einde = _periode(van, tot)
    rows = await Nazorg(session).uitstroom_naar_werk(begin, einde, dag, organisator_id)
    rijen, totalen = verdeel(rows, organisator_id, {
        "aandeel_aan_het_werk": ("aan_het_werk", "cohort"), "aandeel_regulier": ("regulier", "aan_het_werk"),
        "aandeel_sociale_economie": ("sociale_economie", "aan_het_werk")})
    params = {"van": van, "tot": tot, "op": dag, "organisator_id": organisator_id,
              "binnen_maanden": uitstroom.UITSTROOM_BINNEN_MAANDEN}
    return antwoord("RPT-21", params, rijen, format, totalen, model=UitstroomNaarWerkRapport)


@router.get(
    "/duurzaam-werk-en-opvolging", response_model=DuurzaamRapport,
    summary="RPT-22: sustainable work (at work at 6 and 12 months) and follow-up after the end",
    description="By the month the trajectory ended, per ended trajectory (A-19). `duurzaam_werk`: at work at every horizon of "
                "`duurzaam_horizonten` (PR-17, a setting), of the cohort whose last horizon has passed by `op`. "
                "`opgevolgd`: at the `opvolging_horizon` measurement in one of `opvolging_categorieen` (guidance "
                "or training towards work, a setting), of the cohort whose point has passed; `zonder_meting`: no "
                "measurement at that point (off the radar, PR-16).",
    responses={**_csv_voorbeeld(DuurzaamRapport), **REGELS.weigert("periode-ongeldig", "periode-te-lang")},
)
async def duurzaam_werk_en_opvolging(
    session: Leessessie, settings: Instellingen, principal: Reader, van: Maand, tot: Maand, op: Op = None,
    organisator_id: uuid.UUID | None = None, format: Formaat = "json",
):
    dag, organisator_id = op or date.today(), scope(principal, organisator_id)
    begin, einde = _periode(van, tot)
    rows = await Nazorg(session).duurzaam_en_opgevolgd(
        begin, einde, dag, organisator_id, duurzaam=settings.duurzaam_horizonten,
        opvolging=settings.opvolging_horizon, opvolging_categorieen=settings.opvolging_categorieen)
    rijen, totalen = verdeel(rows, organisator_id, {
        "aandeel_duurzaam": ("duurzaam_werk", "cohort_duurzaam"), "aandeel_opgevolgd": ("opgevolgd", "cohort_opvolging")})
    params = {"van": van, "tot": tot, "op": dag, "organisator_id": organisator_id,
              "duurzaam_horizonten": list(settings.duurzaam_horizonten), "opvolging_horizon": settings.opvolging_horizon,
              "opvolging_categorieen": list(settings.opvolging_categorieen)}
    return antwoord("RPT-22", params, rijen, format, totalen, model=DuurzaamRapport)
