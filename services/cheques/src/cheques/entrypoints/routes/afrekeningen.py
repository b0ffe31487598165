from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import PlainTextResponse

from cheques.domain.uitbetaling import Periode
from cheques.entrypoints.deps import get_uow
from cheques.entrypoints.schemas.geld import AfrekeningOut, AfrekeningRij
from cheques.entrypoints.voorbeelden import AFREKENING_CSV
from cheques.service_layer import afrekeningen
from cheques.service_layer.uow import ChequesUnitOfWork
from wijkwerk.auth import Principal, gegevensscope, require
from wijkwerk.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1/afrekeningen", tags=["afrekeningen"], responses=PROBLEM_RESPONSES)


@router.get(
    "/{periode}",
    summary="Settlements of a booking month per organiser and per party (JSON, or CSV with ?format=csv)",
    responses={200: {"model": AfrekeningOut, "content": {"text/csv": {"schema": {"type": "string"},
                                                                    "example": AFREKENING_CSV}}}},
)
async def afrekening(
    periode: Annotated[str, Path(pattern=r"^(19|20)\d{2}-(0[1-9]|1[0-2])$", examples=["2026-03"])],
    uow: Annotated[ChequesUnitOfWork, Depends(get_uow)],
    principal: Annotated[Principal, Depends(require("cheques:read"))],
    format: Annotated[Literal["json", "csv"], Query()] = "json",
):
    # An organiser sees only its own row; the parties' rows are for central callers.
    organisator_id = gegevensscope(principal).beperk()
    rijen = await afrekeningen.afrekening(Periode.parse(periode), uow, organisator_id)
    if format == "csv":
        return PlainTextResponse(
            afrekeningen.als_csv(rijen), media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="afrekening-{periode}.csv"'},
        )
    return AfrekeningOut(periode=periode, rijen=[AfrekeningRij(**r) for r in rijen])
