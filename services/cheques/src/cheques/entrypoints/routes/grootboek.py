from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cheques.config import Settings
from cheques.entrypoints.deps import get_archieven, get_sessies, get_settings
from cheques.entrypoints.regelboek import REGELS
from cheques.service_layer.herberekenen import Vanaf, herbereken
from wijkwerk.auth import Principal, require
from wijkwerk.observability import Timer, record_recompute
from wijkwerk.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1/grootboek", tags=["grootboek"], responses=PROBLEM_RESPONSES)


_VOORBEELD = {
    "vanaf": "laatste-afsluiting",
    "afsluiting": {"periode": "2026-02", "volgnummer": 2, "hash": "56cb5e31e0be5733…", "afgesloten_op": "2026-03-02",
                   "geverifieerd": True},
    "gesloten_maanden": "Months up to 2026-02 are not recomputed: the verified hash chain covers their ledger rows, "
                        "closing balances and reconciliations (GET /v1/periodes/verificatie). The fold starts from "
                        "their closing state; the diff covers the months after it.",
    "overgenomen": {"wijkwerkers": 1, "cheques": 1, "reisdagen": 1},
    "id": "7e799f54-a260-4ccc-83ae-ccfadf9bb2b4", "uitgevoerd_op": "2026-04-02T08:04:02+00:00", "events": 24,
    "duplicaten": 0, "outbox_achterstand": 0, "vergeleken": 8, "verschillen": [], "verschil_cent": 0,
    "maanden_uit_evenwicht": [], "fouten": [],
    "gelezen": {"wijkwerk.prestaties.v1": {"archief": 11, "staart": 0},
                "cheques (geboekt na de afsluiting)": {"archief": 13, "staart": 0}},
    "consumenten_achterstand": {},
}


@router.post(
    "/herberekening", summary="Recompute the ledger from the event streams and diff it per account and month",
    responses=REGELS.weigert("geschiedenis-onvolledig", "herberekening-onbeschikbaar", "dienst-onbeschikbaar",
                             "geen-afsluiting", "afsluitingen-niet-geverifieerd", "afsluiting-gekruist",
                             "afsluiting-tussendoor", r200={"content": {"application/json": {"example": _VOORBEELD}}}),
)
async def herberekening(
    sessies: Annotated[async_sessionmaker[AsyncSession], Depends(get_sessies)],
    settings: Annotated[Settings, Depends(get_settings)],
    _: Annotated[Principal, Depends(require("cheques:admin"))],
    archieven: Annotated[dict, Depends(get_archieven)],
    vanaf: Annotated[Vanaf, Query(examples=["laatste-afsluiting"], description=(
        "begin: replay the whole history; laatste-afsluiting: start from the last close once its hash chain "
        "verifies (the closed months are covered by the chain; the diff covers the months after it)"))]
    = Vanaf.BEGIN,
) -> dict:
    timer = Timer()
    rapport = await herbereken(
        sessies, settings.kafka, prestaties_topic=settings.prestaties_topic,
        cheques_topic=settings.cheques_topic, archieven=archieven, wacht_s=settings.herberekening_wacht_s,
        vanaf=vanaf, groepen=settings.ledger_groepen(),
    )
    record_recompute("cheques", rapport, timer.elapsed())
    return rapport
