import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, status

from toeleiding.domain.traject import DuurRegels
from toeleiding.entrypoints.deps import Instellingen, Uow
from toeleiding.entrypoints.regelboek import REGELS
from toeleiding.entrypoints.schemas import (
    BeeindigingIn,
    OvereenkomstIn,
    SchorsingIn,
    ToeleidingIn,
    TrajectOut,
    VerlengingIn,
)
from toeleiding.service_layer import commands, trajecten
from toeleiding.service_layer.uow import ToeleidingUnitOfWork
from wijkwerk.auth import Principal, gegevensscope, require, sees_organisation
from wijkwerk.fouten import NietGevonden
from wijkwerk.http.paging import Limit, Offset
from wijkwerk.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1", tags=["trajecten"], responses=PROBLEM_RESPONSES)
Writer = Annotated[Principal, Depends(require("toeleiding:write"))]
Reader = Annotated[Principal, Depends(require("toeleiding:read"))]


def _regels(settings: Instellingen) -> DuurRegels:
    return DuurRegels(min_maanden=settings.traject_min_maanden, max_maanden=settings.traject_max_maanden)


def _may_see(principal: Principal, organisator_id, toeleider_org: str | None) -> bool:
    """Organisers see their own area's trajectories; referrers only their own referrals."""
    if principal.org_type == "toeleider":
        return toeleider_org is not None and toeleider_org == principal.org
    return sees_organisation(principal, organisator_id)


async def _check(uow: ToeleidingUnitOfWork, principal: Principal, traject_id: uuid.UUID) -> None:
    async with uow:
        traject = await uow.trajecten.get(traject_id)
        toeleider = await uow.trajecten.toeleider_van(traject_id)
    if traject is None or not _may_see(principal, traject.organisator_id, toeleider):
        raise NietGevonden("No such trajectory.", rule="traject-onbekend")


@router.post("/toeleidingen", status_code=status.HTTP_201_CREATED, summary="Refer a worker: starts a trajectory",
    responses=REGELS.weigert(
        "organisator-onbekend", "wijkwerker-onbekend", "buiten-werkingsgebied",
        "pwa-overdracht-zonder-ex-pwa", "traject-max-12-maanden", "traject-loopt-al"
    ),
)
async def ontvang_toeleiding(body: ToeleidingIn, uow: Uow, settings: Instellingen, principal: Writer) -> TrajectOut:
    if principal.org_type != "toeleider":
        if not sees_organisation(principal, body.organisator_id):
            raise NietGevonden("No such organiser.", rule="organisator-onbekend")
        # An organiser refers only dossiers of its own area: another area's dossier is
        # answered as unknown, so its existence does not leak (a referrer may refer anyone).
        async with uow:
            w = await uow.wijkwerkers.get(body.wijkwerker_id)
        if w is not None and not sees_organisation(principal, w.organisator_id):
            raise NietGevonden("No such dossier.", rule="wijkwerker-onbekend")
    cmd = commands.OntvangToeleiding(
        wijkwerker_id=body.wijkwerker_id,
        organisator_id=body.organisator_id,
        toeleider_type=body.toeleider_type,
        toeleider_org=principal.org if principal.org_type == "toeleider" else None,
        advies_maanden=body.advies_maanden,
        ontvangen_op=body.ontvangen_op,
        start=body.start or body.ontvangen_op,
    )
    return TrajectOut.of(await trajecten.ontvang_toeleiding(cmd, uow, _regels(settings)))


@router.get("/toeleidingen", summary="Referrals (a referrer sees only its own)")
async def lijst_toeleidingen(
    uow: Uow,
    principal: Reader,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[TrajectOut]:
    toeleider = principal.org if principal.org_type == "toeleider" else None
    if principal.org_type == "toeleider" and toeleider is None:
        return []
    # A referrer sees its own referrals, an organiser its own area's: filtered in the
    # query, so a page is full while more rows remain (issue #21, defect 7).
    scope = gegevensscope(principal)
    if principal.org_type != "toeleider" and scope.niets:
        return []
    organisator = None if principal.org_type == "toeleider" or scope.alles else str(scope.organisator_id)
    async with uow:
        gevonden = await uow.trajecten.van_toeleider(toeleider, organisator_id=organisator, limit=limit, offset=offset)
    return [TrajectOut.of(t) for t in gevonden]


@router.get("/wijkwerkers/{wijkwerker_id}/trajecten", summary="A worker's trajectory history",
    responses=REGELS.weigert("wijkwerker-onbekend"),
)
async def historiek(wijkwerker_id: uuid.UUID, uow: Uow, principal: Reader) -> list[TrajectOut]:
    async with uow:
        wijkwerker = await uow.wijkwerkers.get(wijkwerker_id)
        gevonden = await uow.trajecten.van_wijkwerker(wijkwerker_id) if wijkwerker else []
    if wijkwerker is None or not sees_organisation(principal, wijkwerker.organisator_id):
        raise NietGevonden("No such dossier.", rule="wijkwerker-onbekend")
    return [TrajectOut.of(t) for t in gevonden]


@router.post("/trajecten/{traject_id}/overeenkomst", summary="Record the signed wijk-werkovereenkomst",
    responses=REGELS.weigert("traject-onbekend", "overeenkomst-al-getekend", "traject-beeindigd"),
)
async def overeenkomst(traject_id: uuid.UUID, body: OvereenkomstIn, uow: Uow, principal: Writer) -> TrajectOut:
    await _check(uow, principal, traject_id)
    cmd = commands.TekenOvereenkomst(traject_id, body.getekend_op)
    return TrajectOut.of(await trajecten.teken_overeenkomst(cmd, uow))


@router.post("/trajecten/{traject_id}/verlenging", summary="Prolong up to the 12-month maximum",
    responses=REGELS.weigert(
        "traject-onbekend", "traject-onbeperkt", "verlenging-niet-later", "traject-max-12-maanden",
        "traject-beeindigd"
    ),
)
async def verlenging(traject_id: uuid.UUID, body: VerlengingIn, uow: Uow, principal: Writer) -> TrajectOut:
    await _check(uow, principal, traject_id)
    return TrajectOut.of(await trajecten.verleng_traject(commands.VerlengTraject(traject_id, body.nieuw_einde), uow))


@router.post("/trajecten/{traject_id}/schorsingen", summary="Suspend; the end moves by the suspension's length unless another end is named (A-22)",
    responses=REGELS.weigert(
        "traject-onbekend", "schorsing-ongeldig", "schorsing-buiten-traject", "schorsing-overlapt",
        "schorsing-einde-ongeldig", "traject-onbeperkt", "traject-max-12-maanden", "traject-beeindigd"
    ),
)
async def schorsing(traject_id: uuid.UUID, body: SchorsingIn, uow: Uow, principal: Writer) -> TrajectOut:
    await _check(uow, principal, traject_id)
    cmd = commands.SchorsTraject(traject_id, body.van, body.tot, body.reden, body.verlengt_einde, body.nieuw_einde)
    return TrajectOut.of(await trajecten.schors_traject(cmd, uow))


@router.post("/trajecten/{traject_id}/beeindiging", summary="End the trajectory (outflow, next step, stop)",
    responses=REGELS.weigert(
        "traject-onbekend", "traject-beeindigd", "traject-onbeperkt", "einde-voor-start",
        "traject-max-12-maanden"
    ),
)
async def beeindiging(traject_id: uuid.UUID, body: BeeindigingIn, uow: Uow, principal: Writer) -> TrajectOut:
    await _check(uow, principal, traject_id)
    cmd = commands.BeeindigTraject(traject_id, body.einde, body.reden, body.vervolg)
    return TrajectOut.of(await trajecten.beeindig_traject(cmd, uow))
