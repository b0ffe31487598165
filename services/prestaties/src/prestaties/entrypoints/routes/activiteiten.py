import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, status

from prestaties.domain.activiteit import Activiteit
from prestaties.entrypoints.deps import Uow
from prestaties.entrypoints.regelboek import REGELS
from prestaties.entrypoints.schemas.werk import ActiviteitIn, ActiviteitOut, AfwijkingIn, ToegelatenIn
from prestaties.entrypoints.toegang import ziet
from prestaties.service_layer import catalogus, commands
from wijkwerk.auth import Principal, require
from wijkwerk.fouten import NietGevonden
from wijkwerk.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1", tags=["activiteiten"], responses=PROBLEM_RESPONSES)
Admin = Annotated[Principal, Depends(require("prestaties:admin"))]
Reader = Annotated[Principal, Depends(require("prestaties:read"))]


def _eigen_organisator(principal: Principal, organisator_id: uuid.UUID) -> None:
    if not ziet(principal, organisator_id=organisator_id):
        raise NietGevonden("This organiser is not known here (yet).", rule="organisator-onbekend")


async def _zichtbaar(uow: Uow, principal: Principal, activiteit_id: uuid.UUID) -> Activiteit:
    async with uow:
        activiteit = await uow.activiteiten.get(activiteit_id)
    if activiteit is None or not ziet(principal, organisator_id=activiteit.organisator_id):
        raise NietGevonden("No such activity.", rule="activiteit-onbekend")
    return activiteit


@router.post(
    "/organisatoren/{organisator_id}/activiteiten", status_code=status.HTTP_201_CREATED,
    summary="Add an activity to the organiser's catalogue, with the gebruiker categories it is allowed at",
    responses=REGELS.weigert("organisator-onbekend", "organisator-nog-onbekend", "activiteit-bestaat-al"),
)
async def neem_op(organisator_id: uuid.UUID, body: ActiviteitIn, uow: Uow, principal: Admin) -> ActiviteitOut:
    _eigen_organisator(principal, organisator_id)
    cmd = commands.NeemActiviteitOp(organisator_id, body.naam, body.categorie, frozenset(body.toegelaten_categorieen))
    return ActiviteitOut.of(await catalogus.neem_activiteit_op(cmd, uow))


@router.get("/organisatoren/{organisator_id}/activiteiten", summary="The organiser's catalogue and matrix (AC-3)",
    responses=REGELS.weigert("organisator-onbekend"),
)
async def catalogus_van(organisator_id: uuid.UUID, uow: Uow, principal: Reader) -> list[ActiviteitOut]:
    _eigen_organisator(principal, organisator_id)
    async with uow:
        return [ActiviteitOut.of(a) for a in await uow.activiteiten.van_organisator(organisator_id)]


@router.get("/activiteiten/{activiteit_id}", summary="Read one activity with its matrix row and deviations",
    responses=REGELS.weigert("activiteit-onbekend"),
)
async def lees(activiteit_id: uuid.UUID, uow: Uow, principal: Reader) -> ActiviteitOut:
    return ActiviteitOut.of(await _zichtbaar(uow, principal, activiteit_id))


@router.put(
    "/activiteiten/{activiteit_id}/toegelaten-categorieen",
    summary="Replace the gebruiker categories the activity is allowed at (the matrix row)",
    responses=REGELS.weigert("activiteit-onbekend"),
)
async def wijzig_toegelaten(activiteit_id: uuid.UUID, body: ToegelatenIn, uow: Uow, principal: Admin) -> ActiviteitOut:
    await _zichtbaar(uow, principal, activiteit_id)
    cmd = commands.WijzigToegelatenCategorieen(activiteit_id, frozenset(body.toegelaten_categorieen))
    return ActiviteitOut.of(await catalogus.wijzig_toegelaten(cmd, uow))


@router.post(
    "/activiteiten/{activiteit_id}/afwijkingen", status_code=status.HTTP_201_CREATED,
    summary="Record a local government's approved deviation (AC-2, PR-11)",
    responses=REGELS.weigert(
        "activiteit-onbekend", "gebruiker-onbekend", "afwijking-alleen-lokaal-bestuur", "afwijking-ongeldig"
    ),
)
async def sta_afwijking_toe(activiteit_id: uuid.UUID, body: AfwijkingIn, uow: Uow, principal: Admin) -> ActiviteitOut:
    await _zichtbaar(uow, principal, activiteit_id)
    cmd = commands.StaAfwijkingToe(activiteit_id=activiteit_id, **body.model_dump())
    return ActiviteitOut.of(await catalogus.sta_afwijking_toe(cmd, uow))
