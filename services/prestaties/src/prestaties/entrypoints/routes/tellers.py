"""A worker's live counters before entry (issue #23 item 1): what the caps, the trajectory
and the evaluation schedule still leave on a business date, so a registration is never
refused by surprise."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from prestaties.domain.tellers import TrajectTeller, WijkwerkerTellers
from prestaties.domain.traject import TrajectVenster
from prestaties.entrypoints.deps import Instellingen, Uow, Vandaag
from prestaties.entrypoints.regelboek import REGELS
from prestaties.entrypoints.toegang import ziet
from prestaties.service_layer import tellers as handlers
from wijkwerk.auth import Principal, is_eigen_wijkwerker, require
from wijkwerk.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1", tags=["prestaties"], responses=PROBLEM_RESPONSES)
# The organiser's dashboard (evaluatie) asks with the caller's own reporting token, the
# worker's own page (evaluatie, issue #23 item 7) with the worker's token.
Reader = Annotated[Principal, Depends(require("prestaties:read", "rapportering:read", "wijkwerker:lezen"))]

_VOORBEELD: dict[str, Any] = {
    "wijkwerker_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "op": "2026-03-20",
    "uren": {"plafond_maand": 60, "plafond_jaar": 630, "gebruikt_maand": 42, "gebruikt_jaar": 131,
             "over_maand": 18, "over_jaar": 499, "max_registreerbaar": 18},
    "traject": {"traject_id": "9b2d7c1e-4f3a-4e8b-a6d5-1c2b3a4d5e6f",
                "organisator_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "start": "2026-01-12",
                "laatste_dag": "2027-01-11", "loopt": True, "dagen_over": 298, "laatste_evaluatie": None,
                "volgende_evaluatie": "2026-07-12", "evaluatie_achterstallig": False},
}


class UrenTellers(BaseModel):
    plafond_maand: int = Field(description="H-1: started hours per calendar month (a setting)")
    plafond_jaar: int = Field(description="H-2: started hours per calendar year (a setting)")
    gebruikt_maand: int = Field(
        description="Started hours of prestaties dated in `op`'s month up to `op`, not cancelled")
    gebruikt_jaar: int = Field(description="The same for `op`'s calendar year")
    over_maand: int
    over_jaar: int
    max_registreerbaar: int = Field(
        description="The most started hours one registration dated `op` may carry: one more is refused with "
                    "max-60-uur-per-maand or max-630-uur-per-jaar")


class TrajectTellers(BaseModel):
    traject_id: uuid.UUID
    organisator_id: uuid.UUID
    start: date
    laatste_dag: date | None = Field(description="Actual end, else planned end; null: unlimited right (T-4)")
    loopt: bool = Field(description="The trajectory runs on `op`")
    dagen_over: int | None = Field(description="Days it still runs from `op` on, `op` included; 0 after the end; "
                                               "null without an end")
    laatste_evaluatie: date | None = Field(description="The latest evaluation dated on or before `op`")
    volgende_evaluatie: date | None = Field(description="A-11: last evaluation (or start) + 6 months; null once "
                                                        "the trajectory has ended or when due after its last day")
    evaluatie_achterstallig: bool

    @classmethod
    def of(cls, t: TrajectTeller) -> TrajectTellers:
        return cls(**t.__dict__)


class WijkwerkerTellersOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_VOORBEELD]})

    wijkwerker_id: uuid.UUID
    op: date
    uren: UrenTellers
    traject: TrajectTellers | None = Field(description="The trajectory running on `op`, else the latest started "
                                                       "by then; null when none had started")

    @classmethod
    def of(cls, wijkwerker_id: uuid.UUID, t: WijkwerkerTellers) -> WijkwerkerTellersOut:
        return cls(
            wijkwerker_id=wijkwerker_id, op=t.op,
            uren=UrenTellers(plafond_maand=t.plafonds.per_maand, plafond_jaar=t.plafonds.per_jaar,
                             gebruikt_maand=t.stand.maand, gebruikt_jaar=t.stand.jaar, over_maand=t.over.maand,
                             over_jaar=t.over.jaar, max_registreerbaar=t.max_registreerbaar),
            traject=None if t.traject is None else TrajectTellers.of(t.traject),
        )


@router.get(
    "/wijkwerkers/{wijkwerker_id}/tellers", summary="A worker's counters before entry: hours, trajectory, evaluation",
    description=(
        "As of `op` (default today), using only facts dated on or before it: started hours left under the month "
        "and year caps (the same stand and rule that refuse a registration dated `op`), days left in the "
        "trajectory, the next evaluation due. A registration dated D is judged on D's whole month and year, so "
        "one backdated to D also meets hours dated after D: ask as of today (the default) for this month. "
        "Hours count over all organisers (A-02); an organiser sees a worker "
        "with a trajectory at itself and only those trajectories; a worker's own token (org_type `wijkwerker`) "
        "its own counters only; VDAB and services see all."
    ),
    responses=REGELS.weigert("wijkwerker-onbekend"),
)
async def wijkwerker(
    wijkwerker_id: uuid.UUID, uow: Uow, settings: Instellingen, vandaag: Vandaag, principal: Reader,
    op: date | None = None,
) -> WijkwerkerTellersOut:
    def zichtbaar(vensters: Sequence[TrajectVenster]) -> list[TrajectVenster]:
        if is_eigen_wijkwerker(principal, wijkwerker_id):
            return list(vensters)
        return [v for v in vensters if ziet(principal, organisator_id=v.organisator_id)]

    dag = op or vandaag
    return WijkwerkerTellersOut.of(
        wijkwerker_id, await handlers.wijkwerker(uow, wijkwerker_id, dag, settings.plafonds(), zichtbaar))
