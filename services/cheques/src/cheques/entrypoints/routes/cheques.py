import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, ConfigDict, Field

from cheques.entrypoints.deps import get_uow
from cheques.entrypoints.regelboek import REGELS
from cheques.entrypoints.schemas.webhooks import Serienummer
from cheques.service_layer.uow import ChequesUnitOfWork
from wijkwerk.auth import Principal, require, sees_organisation
from wijkwerk.fouten import NietGevonden
from wijkwerk.money import Euro
from wijkwerk.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1/cheques", tags=["cheques"], responses=PROBLEM_RESPONSES)


class ChequeOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"serienummer": "WW-2026-000123", "bestelling_id": "5d1e8c2a-7b3f-4a9e-b6c4-2f8d1a3e5b70", "gebruiker_id": "b2c4d6e8-1a3c-4e5f-8a7b-9c0d1e2f3a4b", "organisator_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "drager": "elektronisch", "prijs": "5.95", "besteld_op": "2026-02-10", "uitgegeven_op": "2026-02-11", "geldig_tot": "2027-02-10", "vervaldag": "2027-02-11", "status": "gevalideerd", "prestatie_id": "0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a", "gevalideerd_op": "2026-03-05", "afgesloten_op": None}]})

    serienummer: str
    bestelling_id: uuid.UUID
    gebruiker_id: uuid.UUID
    organisator_id: uuid.UUID
    drager: str
    prijs: Euro
    besteld_op: date
    uitgegeven_op: date = Field(description="Issue date: the validity starts here (A-13)")
    geldig_tot: date = Field(description="Last valid day: issue date + validity months − 1 day (A-21); judged on "
                                         "the prestatie's date")
    vervaldag: date = Field(description="The day it lapses when unused: geldig_tot + 1 (the ChequeVervallen date)")
    status: str = Field(description="uitgegeven, gevalideerd, terugbetaald or vervallen")
    prestatie_id: uuid.UUID | None
    gevalideerd_op: date | None
    afgesloten_op: date | None = Field(description="The date it was refunded or lapsed")


@router.get("/{serienummer}", summary="One cheque, its validity and where it is in its lifecycle",
    responses=REGELS.weigert("cheque-onbekend"),
)
async def lees(
    serienummer: Annotated[Serienummer, Path()],
    uow: Annotated[ChequesUnitOfWork, Depends(get_uow)],
    principal: Annotated[Principal, Depends(require("cheques:read"))],
) -> ChequeOut:
    async with uow:
        cheque = await uow.cheques.get(serienummer)
    if cheque is None or not sees_organisation(principal, cheque.bestelling.organisator_id):
        raise NietGevonden("No such cheque.", rule="cheque-onbekend")
    b = cheque.bestelling
    return ChequeOut(
        serienummer=cheque.serienummer, bestelling_id=b.id, gebruiker_id=b.gebruiker_id,
        organisator_id=b.organisator_id, drager=b.drager, prijs=b.prijs_cent, besteld_op=b.besteld_op,
        uitgegeven_op=cheque.uitgegeven_op, geldig_tot=cheque.geldig_tot, vervaldag=cheque.vervaldag,
        status=cheque.status.value, prestatie_id=cheque.prestatie_id, gevalideerd_op=cheque.gevalideerd_op,
        afgesloten_op=cheque.afgesloten_op if cheque.status.value in ("terugbetaald", "vervallen") else None,
    )
