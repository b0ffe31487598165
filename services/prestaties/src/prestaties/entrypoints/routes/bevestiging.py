"""The confirmation window (issue #23 item 3): the other party confirms or disputes within
N working days; organisers list what is open or disputed and resolve disputes."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends

from prestaties.adapters.prestaties import Filter
from prestaties.domain.prestatie import PrestatieStatus
from prestaties.entrypoints.deps import Uow, Vandaag
from prestaties.entrypoints.regelboek import REGELS
from prestaties.entrypoints.routes.prestaties import Reader, Writer, zichtbaar
from prestaties.entrypoints.schemas.bevestiging import BeslissingIn
from prestaties.entrypoints.schemas.werk import BetwistingIn, PartijIn, PrestatieOut
from prestaties.entrypoints.toegang import beperking, beslisser, partij
from prestaties.service_layer import bevestiging as beslechten
from prestaties.service_layer import commands
from prestaties.service_layer import prestaties as handlers
from wijkwerk.auth import Principal, require
from wijkwerk.http.paging import Limit, Offset
from wijkwerk.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1", tags=["bevestiging"], responses=PROBLEM_RESPONSES)
Beslisser = Annotated[Principal, Depends(require("prestaties:beslechten"))]

_BEOORDELING = ("prestatie-onbekend", "partij-past-niet-bij-token", "prestatie-geannuleerd", "prestatie-niet-open",
                "andere-partij-bevestigt", "bevestigingstermijn-verstreken", "datum-voor-termijn",
                "datum-in-de-toekomst")


@router.post("/prestaties/{prestatie_id}/bevestiging", summary="The other party confirms, within the window",
             description="Up to `bevestigen_tot` (inclusive, N working days after the registration or last "
                         "correction); afterwards silence has confirmed it on that day "
                         "(`bevestigingstermijn-verstreken`).",
             responses=REGELS.weigert(*_BEOORDELING))
async def bevestig(prestatie_id: uuid.UUID, body: PartijIn, uow: Uow, vandaag: Vandaag,
                   principal: Writer) -> PrestatieOut:
    await zichtbaar(uow, principal, prestatie_id)
    cmd = commands.BeoordeelPrestatie(prestatie_id, partij(principal, body.door), op=body.bevestigd_op)
    return PrestatieOut.of(await handlers.beoordeel(cmd, uow, vandaag))


@router.post("/prestaties/{prestatie_id}/betwisting", summary="The other party disputes, with a reason",
             description="Within the window, like a confirmation. A disputed prestatie is held from the payout "
                         "run until the organiser resolves the dispute.",
             responses=REGELS.weigert(*_BEOORDELING))
async def betwist(prestatie_id: uuid.UUID, body: BetwistingIn, uow: Uow, vandaag: Vandaag,
                  principal: Writer) -> PrestatieOut:
    await zichtbaar(uow, principal, prestatie_id)
    cmd = commands.BeoordeelPrestatie(prestatie_id, partij(principal, body.door), body.reden, body.betwist_op)
    return PrestatieOut.of(await handlers.beoordeel(cmd, uow, vandaag))


@router.post("/prestaties/{prestatie_id}/beslissing", summary="Resolve a dispute (organiser or central ops)",
             description="`gehandhaafd`: the prestatie stands and is payable by the next payout run. `afgewezen`: "
                         "it is cancelled on `beslecht_op`; cheques validated for it are reversed by a storno in "
                         "that month (A-20), netted from the worker's next payout when they were paid already.",
             responses=REGELS.weigert("prestatie-onbekend", "beslissing-alleen-organisator", "prestatie-niet-betwist",
                                      "beslissing-voor-betwisting", "datum-in-de-toekomst"))
async def beslis(prestatie_id: uuid.UUID, body: BeslissingIn, uow: Uow, vandaag: Vandaag,
                 principal: Beslisser) -> PrestatieOut:
    await zichtbaar(uow, principal, prestatie_id)
    beslisser(principal)
    cmd = commands.BeslechtBetwisting(prestatie_id, body.uitkomst, body.toelichting, body.beslecht_op)
    return PrestatieOut.of(await beslechten.beslecht(cmd, uow, vandaag))


async def _lijst(uow: Uow, principal: Principal, status: PrestatieStatus, gevraagd: dict, limit: int,
                 offset: int) -> list[PrestatieOut]:
    scope = beperking(principal)
    if scope is None or any(gevraagd[k] not in (None, v) for k, v in scope.items()):
        return []
    async with uow:
        gevonden = await uow.prestaties.open_of_betwist(Filter(**{**gevraagd, **scope}), status, limit=limit,
                                                         offset=offset)
    return [PrestatieOut.of(p) for p in gevonden]


@router.get("/prestaties/te-bevestigen", summary="Prestaties waiting for the other party, nearest deadline first")
async def te_bevestigen(uow: Uow, principal: Reader, organisator_id: uuid.UUID | None = None,
                        gebruiker_id: uuid.UUID | None = None, wijkwerker_id: uuid.UUID | None = None,
                        limit: Limit = 100, offset: Offset = 0) -> list[PrestatieOut]:
    gevraagd = {"organisator_id": organisator_id, "gebruiker_id": gebruiker_id, "wijkwerker_id": wijkwerker_id}
    return await _lijst(uow, principal, PrestatieStatus.GEREGISTREERD, gevraagd, limit, offset)


@router.get("/prestaties/betwist", summary="Disputed prestaties waiting for a resolution (held from payout)")
async def betwist_lijst(uow: Uow, principal: Reader, organisator_id: uuid.UUID | None = None,
                        gebruiker_id: uuid.UUID | None = None, wijkwerker_id: uuid.UUID | None = None,
                        limit: Limit = 100, offset: Offset = 0) -> list[PrestatieOut]:
    gevraagd = {"organisator_id": organisator_id, "gebruiker_id": gebruiker_id, "wijkwerker_id": wijkwerker_id}
    return await _lijst(uow, principal, PrestatieStatus.BETWIST, gevraagd, limit, offset)
