import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status
from pydantic import BaseModel, ConfigDict

from cheques.adapters.referentie import TariefReferentie
from cheques.entrypoints.deps import Leessessie, Uow
from cheques.entrypoints.regelboek import REGELS
from cheques.entrypoints.schemas.geld import VerdeeltariefIn, VerdeeltariefOut
from cheques.service_layer import commands
from cheques.service_layer import tarieven as tarief_handlers
from wijkwerk.auth import Principal, require
from wijkwerk.fouten import NotFound
from wijkwerk.money import format_euro
from wijkwerk.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1/organisatoren", tags=["referentie"], responses=PROBLEM_RESPONSES)


class TariefOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"organisator_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "op": "2026-03-04", "prijs": "5.95"}]})

    organisator_id: uuid.UUID
    op: date
    prijs: str


@router.get("/{organisator_id}/tarief", summary="The cheque price valid on a date, as known here",
    responses=REGELS.weigert("tarief-onbekend"),
)
async def tarief(
    organisator_id: uuid.UUID,
    session: Leessessie,
    _: Annotated[Principal, Depends(require("cheques:read"))],
    op: Annotated[date, Query(description="The order date")],
) -> TariefOut:
    prijs = await TariefReferentie(session).tarief_op(organisator_id, op)
    if prijs is None:
        raise NotFound("No tariff is known for this organiser on that date.", rule="tarief-onbekend")
    return TariefOut(organisator_id=organisator_id, op=op, prijs=format_euro(prijs))


rates = APIRouter(prefix="/v1/verdeeltarieven", tags=["tarieven"], responses=PROBLEM_RESPONSES)


def _rijen(tarieven) -> list[VerdeeltariefOut]:
    return [
        VerdeeltariefOut(soort=soort, waarde=waarde, geldig_vanaf=vanaf)
        for soort, rijen in sorted(tarieven.rijen.items())
        for vanaf, waarde in rijen
    ]


@rates.get("", summary="The effective-dated split rates (worker pay, insurance, travel fund, issuer fees, validity)")
async def verdeeltarieven(
    uow: Uow, _: Annotated[Principal, Depends(require("cheques:read", "cheques:admin"))]
) -> list[VerdeeltariefOut]:
    return _rijen(await tarief_handlers.alle(uow))


@rates.post(
    "", status_code=status.HTTP_201_CREATED, summary="Add a rate row from a date on",
    description="Any date, as for an organiser's tariff (loading history); a row that would change cheques "
                "already split with the rate it replaces (validated cheques by prestatie date, or by order date "
                "and carrier for the issuer fee; issued cheques by issue date for the validity) is refused "
                "`tarief-terugwerkend`, with their number in `cheques`.",
    responses=REGELS.weigert("geldigheid-ongeldig", "tarief-terugwerkend", "restant-negatief", "tarief-bestaat-al"),
)
async def leg_verdeeltarief_vast(
    body: VerdeeltariefIn, uow: Uow, _: Annotated[Principal, Depends(require("cheques:admin"))]
) -> list[VerdeeltariefOut]:
    cmd = commands.LegVerdeeltariefVast(body.soort.value, body.waarde, body.geldig_vanaf)
    return _rijen(await tarief_handlers.leg_vast(cmd, uow))
