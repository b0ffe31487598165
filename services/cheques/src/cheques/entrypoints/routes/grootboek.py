import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Request

from cheques.config import Settings
from cheques.entrypoints.deps import get_archieven, get_settings
from cheques.entrypoints.regelboek import REGELS
from cheques.entrypoints.schemas.geld import HERBEREKENING_VOORBEELD
from cheques.service_layer.herberekenen import herbereken
from wijkwerk.auth import Principal, require
from wijkwerk.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1/grootboek", tags=["grootboek"], responses=PROBLEM_RESPONSES)


async def _consumers_bij(request: Request, timeout_s: float) -> None:
    """The in-process consumers have applied everything on their topics (lag 0), so the
    ledger and the replay see the same facts; bounded, the report shows any remainder."""
    runtime = request.app.state.runtime
    if not runtime.settings.run_workers:
        return
    deadline = asyncio.get_running_loop().time() + timeout_s
    while asyncio.get_running_loop().time() < deadline:
        if all(c.state.running and c.state.lag and not any(c.state.lag.values()) for c in runtime.consumers):
            return
        await asyncio.sleep(0.1)


@router.post("/herberekening", summary="Recompute the ledger from the event streams and diff it per account and month",
    responses=REGELS.weigert("geschiedenis-onvolledig", "herberekening-onbeschikbaar", "dienst-onbeschikbaar",
                             r200={"content": {"application/json": {"example": HERBEREKENING_VOORBEELD}}}),
)
async def herberekening(
    request: Request,
    settings: Annotated[Settings, Depends(get_settings)],
    _: Annotated[Principal, Depends(require("cheques:admin"))],
    archieven: Annotated[dict, Depends(get_archieven)],
) -> dict:
    await _consumers_bij(request, settings.herberekening_wacht_s)
    return await herbereken(
        request.app.state.runtime.sessions, settings.kafka, prestaties_topic=settings.prestaties_topic,
        cheques_topic=settings.cheques_topic, archieven=archieven, wacht_s=settings.herberekening_wacht_s,
    )
