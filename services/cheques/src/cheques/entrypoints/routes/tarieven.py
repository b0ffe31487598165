import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from cheques.adapters.referentie import TariefReferentie
from wijkwerk.auth import Principal, require
from wijkwerk.money import format_euro
from wijkwerk.problems import PROBLEM_RESPONSES, NotFound

router = APIRouter(prefix="/v1/organisatoren", tags=["referentie"], responses=PROBLEM_RESPONSES)


class TariefOut(BaseModel):
    organisator_id: uuid.UUID
    op: date
    prijs: str


@router.get("/{organisator_id}/tarief", summary="The cheque price valid on a date, as known here")
async def tarief(
    organisator_id: uuid.UUID,
    request: Request,
    _: Annotated[Principal, Depends(require("cheques:read"))],
    op: Annotated[date, Query(description="The order date")],
) -> TariefOut:
    async with request.app.state.runtime.sessions() as session:
        prijs = await TariefReferentie(session).tarief_op(organisator_id, op)
    if prijs is None:
        raise NotFound("No tariff is known for this organiser on that date.", rule="tarief-onbekend")
    return TariefOut(organisator_id=organisator_id, op=op, prijs=format_euro(prijs))
