import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, status

from prestaties.domain.koppeling import Koppeling
from prestaties.entrypoints.deps import Uow
from prestaties.entrypoints.regelboek import REGELS
from prestaties.entrypoints.schemas.werk import BeeindigingIn, KoppelingIn, KoppelingOut
from prestaties.entrypoints.toegang import ziet
from prestaties.service_layer import catalogus, commands
from wijkwerk.auth import Principal, require
from wijkwerk.fouten import NietGevonden
from wijkwerk.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1/koppelingen", tags=["koppelingen"], responses=PROBLEM_RESPONSES)
Writer = Annotated[Principal, Depends(require("prestaties:write"))]
Reader = Annotated[Principal, Depends(require("prestaties:read"))]


async def _zichtbaar(uow: Uow, principal: Principal, koppeling_id: uuid.UUID, *, gebruiker_mag: bool) -> Koppeling:
    async with uow:
        k = await uow.koppelingen.get(koppeling_id)
    if k is None or not ziet(
        principal, organisator_id=k.organisator_id, gebruiker_id=k.gebruiker_id if gebruiker_mag else None
    ):
        raise NietGevonden("No such placement.", rule="koppeling-onbekend")
    return k


@router.post("", status_code=status.HTTP_201_CREATED, summary="Place a worker at a gebruiker for an activity",
    responses=REGELS.weigert(
        "organisator-onbekend", "gebruiker-onbekend", "activiteit-onbekend", "traject-nog-onbekend",
        "buiten-werkingsgebied", "afstand-ongeldig", "geen-erkenning", "activiteit-niet-toegelaten"
    ),
)
async def maak(body: KoppelingIn, uow: Uow, principal: Writer) -> KoppelingOut:
    if not ziet(principal, organisator_id=body.organisator_id):
        raise NietGevonden("This organiser is not known here (yet).", rule="organisator-onbekend")
    cmd = commands.MaakKoppeling(**body.model_dump())
    return KoppelingOut.of(await catalogus.maak_koppeling(cmd, uow))


@router.get("/{koppeling_id}", summary="Read one placement",
    responses=REGELS.weigert("koppeling-onbekend"),
)
async def lees(koppeling_id: uuid.UUID, uow: Uow, principal: Reader) -> KoppelingOut:
    return KoppelingOut.of(await _zichtbaar(uow, principal, koppeling_id, gebruiker_mag=True))


@router.post("/{koppeling_id}/beeindiging", summary="End the placement after a last day",
    responses=REGELS.weigert("koppeling-onbekend", "koppeling-beeindigd", "einde-voor-start"),
)
async def beeindig(koppeling_id: uuid.UUID, body: BeeindigingIn, uow: Uow, principal: Writer) -> KoppelingOut:
    await _zichtbaar(uow, principal, koppeling_id, gebruiker_mag=False)
    cmd = commands.BeeindigKoppeling(koppeling_id, body.einde, body.reden)
    return KoppelingOut.of(await catalogus.beeindig_koppeling(cmd, uow))
