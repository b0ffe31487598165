import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, status

from toeleiding.domain.fouten import NietGevonden
from toeleiding.domain.model import DossierStatus
from toeleiding.entrypoints.deps import get_uow
from toeleiding.entrypoints.schemas import Bankgegevens, UitkeringsstatusIn, WijkwerkerIn, WijkwerkerOut
from toeleiding.service_layer import commands, handlers, trajecten
from toeleiding.service_layer.uow import ToeleidingUnitOfWork
from wijkwerk.auth import Principal, organisation_filter, require, sees_organisation
from wijkwerk.problems import PROBLEM_RESPONSES
from wijkwerk.http.paging import Limit, Offset

router = APIRouter(prefix="/v1/wijkwerkers", tags=["wijkwerkers"], responses=PROBLEM_RESPONSES)
Uow = Annotated[ToeleidingUnitOfWork, Depends(get_uow)]


@router.post("", status_code=status.HTTP_201_CREATED, summary="Register a wijk-werker dossier")
async def schrijf_in(
    body: WijkwerkerIn,
    uow: Uow,
    principal: Annotated[Principal, Depends(require("toeleiding:write"))],
) -> WijkwerkerOut:
    # A referrer may register the person it refers (T-1); it does not read others' dossiers.
    if principal.org_type != "toeleider" and not sees_organisation(principal, body.organisator_id):
        raise NietGevonden("No such organiser.", rule="organisator-onbekend")
    cmd = commands.SchrijfWijkwerkerIn(**body.model_dump())
    return WijkwerkerOut.of(await handlers.schrijf_wijkwerker_in(cmd, uow))


@router.get("", summary="List dossiers by organiser and status")
async def lijst(
    uow: Uow,
    principal: Annotated[Principal, Depends(require("toeleiding:read"))],
    organisator_id: uuid.UUID | None = None,
    status: DossierStatus | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[WijkwerkerOut]:
    scope = organisation_filter(principal)
    if scope is not None:
        if organisator_id is not None and str(organisator_id) != scope:
            return []
        organisator_id = uuid.UUID(scope) if scope != "-" else uuid.UUID(int=0)
    async with uow:
        dossiers = await uow.wijkwerkers.list(organisator_id=organisator_id, status=status, limit=limit, offset=offset)
    return [WijkwerkerOut.of(w) for w in dossiers]


@router.get("/{wijkwerker_id}", summary="Read one dossier")
async def lees(
    wijkwerker_id: uuid.UUID,
    uow: Uow,
    principal: Annotated[Principal, Depends(require("toeleiding:read"))],
) -> WijkwerkerOut:
    async with uow:
        w = await uow.wijkwerkers.get(wijkwerker_id)
    if w is None or not sees_organisation(principal, w.organisator_id):
        raise NietGevonden("No such dossier.", rule="wijkwerker-onbekend")
    return WijkwerkerOut.of(w)


@router.post("/{wijkwerker_id}/uitkeringsstatus", summary="Record a dated change of benefit status (PR-03)")
async def wijzig_uitkeringsstatus(
    wijkwerker_id: uuid.UUID,
    body: UitkeringsstatusIn,
    uow: Uow,
    principal: Annotated[Principal, Depends(require("toeleiding:write"))],
) -> WijkwerkerOut:
    async with uow:
        w = await uow.wijkwerkers.get(wijkwerker_id)
    if w is None or not sees_organisation(principal, w.organisator_id):
        raise NietGevonden("No such dossier.", rule="wijkwerker-onbekend")
    await trajecten.wijzig_uitkeringsstatus(
        commands.WijzigUitkeringsstatus(wijkwerker_id, body.uitkeringsstatus, body.vanaf), uow
    )
    async with uow:
        return WijkwerkerOut.of(await uow.wijkwerkers.get(wijkwerker_id))


@router.get(
    "/{wijkwerker_id}/bankgegevens",
    summary="Bank details for the payout run (internal: cheques service only)",
    tags=["intern"],
)
async def bankgegevens(
    wijkwerker_id: uuid.UUID,
    uow: Uow,
    principal: Annotated[Principal, Depends(require("cheques:payout"))],
) -> Bankgegevens:
    async with uow:
        w = await uow.wijkwerkers.get(wijkwerker_id)
    if w is None or not sees_organisation(principal, w.organisator_id):
        raise NietGevonden("No such dossier.", rule="wijkwerker-onbekend")
    return Bankgegevens(wijkwerker_id=w.id, naam=f"{w.voornaam} {w.achternaam}", iban=w.iban)
