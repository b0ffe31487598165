"""Cheque stock per gebruiker and organiser as of a date (issue #21 item 12)."""

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from cheques.adapters.voorraad import Voorraad
from cheques.domain.voorraad import tel
from cheques.entrypoints.deps import Leessessie
from wijkwerk.auth import CENTRAL, Principal, require, sees_organisation
from wijkwerk.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1", tags=["cheques"], responses=PROBLEM_RESPONSES)
Reader = Annotated[Principal, Depends(require("cheques:read"))]


class VoorraadRij(BaseModel):
    organisator_id: uuid.UUID
    gebruiker_id: uuid.UUID
    drager: str = Field(description="papier or elektronisch")
    besteld: int = Field(description="Cheques in orders dated on or before `op`")
    uitgegeven: int = Field(description="Issued on or before `op`; = gevalideerd + terugbetaald + vervallen + openstaand")
    gevalideerd: int
    terugbetaald: int
    vervallen: int = Field(description="Unused and past issue date + validity months − 1 day (A-21) on `op`")
    openstaand: int = Field(description="Issued, unused and still valid on `op`")


_VOORBEELD = {
    "op": "2026-06-30",
    "rijen": [{"organisator_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
               "gebruiker_id": "0b7e2a52-8a7e-4f7e-9b1e-2f7c1c1d9a10", "drager": "papier", "besteld": 20,
               "uitgegeven": 20, "gevalideerd": 12, "terugbetaald": 1, "vervallen": 2, "openstaand": 5}],
    "totalen": {"besteld": 20, "uitgegeven": 20, "gevalideerd": 12, "terugbetaald": 1, "vervallen": 2,
                "openstaand": 5},
}


class VoorraadOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_VOORBEELD]})

    op: date
    rijen: list[VoorraadRij]
    totalen: dict[str, int]


def _uuid(waarde: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(waarde) if waarde else None
    except ValueError:
        return None


async def _voorraad(session: Leessessie, op: date, **filter) -> VoorraadOut:
    besteld, per = await Voorraad(session).feiten(op, **filter)
    rijen = [
        VoorraadRij(organisator_id=o, gebruiker_id=g, drager=d, besteld=besteld.get((o, g, d), 0),
                    **tel(per.get((o, g, d), []), op))
        for o, g, d in sorted(set(besteld) | set(per), key=lambda k: (str(k[0]), str(k[1]), k[2]))
    ]
    return VoorraadOut(op=op, rijen=rijen, totalen={v: sum(getattr(r, v) for r in rijen) for v in VELDEN})


VELDEN = ("besteld", "uitgegeven", "gevalideerd", "terugbetaald", "vervallen", "openstaand")


def _leeg(dag: date) -> VoorraadOut:
    return VoorraadOut(op=dag, rijen=[], totalen=dict.fromkeys(VELDEN, 0))


BESCHRIJVING = (
    "Per organiser, gebruiker and carrier: cheques ordered, issued, and of those validated, refunded, expired "
    "and outstanding on `op` (default today). Only facts dated on or before `op` count: a validation counts from "
    "its validation date until the date of its reversal, if any; expiry follows A-21 (issue date + validity "
    "months − 1 day, the validity a setting, A-13)."
)


@router.get("/gebruikers/{gebruiker_id}/chequevoorraad", summary="A gebruiker's cheque stock per organiser and carrier",
            description=BESCHRIJVING + " An organiser sees the gebruiker's stock at itself only; a gebruiker its own.")
async def gebruiker(gebruiker_id: uuid.UUID, session: Leessessie, principal: Reader, op: date | None = None) -> VoorraadOut:
    dag = op or date.today()
    if principal.org_type in CENTRAL or (principal.org_type == "gebruiker" and principal.org == str(gebruiker_id)):
        return await _voorraad(session, dag, gebruiker_id=gebruiker_id)
    if principal.org_type == "organisator" and (eigen := _uuid(principal.org)) is not None:
        return await _voorraad(session, dag, gebruiker_id=gebruiker_id, organisator_id=eigen)
    return _leeg(dag)


@router.get("/organisatoren/{organisator_id}/chequevoorraad", summary="The cheque stock at an organiser per gebruiker",
            description=BESCHRIJVING)
async def organisator(organisator_id: uuid.UUID, session: Leessessie, principal: Reader,
                      op: date | None = None) -> VoorraadOut:
    dag = op or date.today()
    if principal.org_type == "gebruiker":
        if (eigen := _uuid(principal.org)) is None:
            return _leeg(dag)
        return await _voorraad(session, dag, organisator_id=organisator_id, gebruiker_id=eigen)
    if not sees_organisation(principal, organisator_id):
        return _leeg(dag)
    return await _voorraad(session, dag, organisator_id=organisator_id)
