import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends

from prestaties.domain.gebruiker import Erkenning
from prestaties.domain.tarieven import geldig_op
from prestaties.entrypoints.deps import Instellingen, Uow, Vandaag
from prestaties.entrypoints.regelboek import REGELS
from prestaties.entrypoints.schemas.gebruikers import (
    BetalingIn,
    ErkenningOut,
    HernieuwingIn,
    InschrijvingsrechtOut,
    OndertekeningIn,
    StopzettingIn,
)
from prestaties.entrypoints.toegang import ziet
from prestaties.service_layer import commands, gebruikers
from wijkwerk.auth import Principal, require
from wijkwerk.fouten import NietGevonden
from wijkwerk.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1", tags=["erkenningen"], responses=PROBLEM_RESPONSES)
Writer = Annotated[Principal, Depends(require("prestaties:write"))]
Admin = Annotated[Principal, Depends(require("prestaties:admin"))]
Reader = Annotated[Principal, Depends(require("prestaties:read"))]


async def _zichtbaar(uow: Uow, principal: Principal, erkenning_id: uuid.UUID, *, gebruiker_mag: bool) -> Erkenning:
    """Organisers manage their own erkenningen; the gebruiker may only read its own."""
    async with uow:
        e = await uow.erkenningen.get(erkenning_id)
    if e is None or not ziet(
        principal, organisator_id=e.organisator_id, gebruiker_id=e.gebruiker_id if gebruiker_mag else None
    ):
        raise NietGevonden("No such erkenning.", rule="erkenning-onbekend")
    return e


@router.get("/erkenningen/{erkenning_id}", summary="Read an erkenning and its status on a date (A-10)",
    responses=REGELS.weigert("erkenning-onbekend"),
)
async def lees(
    erkenning_id: uuid.UUID, uow: Uow, principal: Reader, vandaag: Vandaag, op: date | None = None
) -> ErkenningOut:
    return ErkenningOut.of(await _zichtbaar(uow, principal, erkenning_id, gebruiker_mag=True), op or vandaag)


@router.post("/erkenningen/{erkenning_id}/ondertekening", summary="Record the signed agreement",
    responses=REGELS.weigert("erkenning-onbekend", "erkenning-stopgezet", "erkenning-al-ondertekend"),
)
async def onderteken(
    erkenning_id: uuid.UUID, body: OndertekeningIn, uow: Uow, vandaag: Vandaag, principal: Writer
) -> ErkenningOut:
    await _zichtbaar(uow, principal, erkenning_id, gebruiker_mag=False)
    e = await gebruikers.onderteken_erkenning(commands.OndertekenErkenning(erkenning_id, body.getekend_op), uow)
    return ErkenningOut.of(e, vandaag)


@router.post("/erkenningen/{erkenning_id}/betalingen", summary="Record payment of the open yearly registration fee",
    responses=REGELS.weigert("erkenning-onbekend", "erkenning-stopgezet", "inschrijvingsrecht-al-betaald"),
)
async def betaal(
    erkenning_id: uuid.UUID, body: BetalingIn, uow: Uow, vandaag: Vandaag, principal: Admin
) -> ErkenningOut:
    await _zichtbaar(uow, principal, erkenning_id, gebruiker_mag=False)
    e = await gebruikers.betaal_inschrijvingsrecht(commands.BetaalInschrijvingsrecht(erkenning_id, body.betaald_op), uow)
    return ErkenningOut.of(e, vandaag)


@router.post("/erkenningen/{erkenning_id}/hernieuwing", summary="Renew: a new yearly validity period with its fee",
    responses=REGELS.weigert("erkenning-onbekend", "erkenning-stopgezet", "hernieuwing-overlapt", "geen-tarief"),
)
async def hernieuw(
    erkenning_id: uuid.UUID, body: HernieuwingIn, uow: Uow, settings: Instellingen, vandaag: Vandaag, principal: Writer
) -> ErkenningOut:
    await _zichtbaar(uow, principal, erkenning_id, gebruiker_mag=False)
    cmd = commands.HernieuwErkenning(erkenning_id, body.vanaf)
    return ErkenningOut.of(await gebruikers.hernieuw_erkenning(cmd, uow, settings.erkenning_regels()), vandaag)


@router.post("/erkenningen/{erkenning_id}/stopzetting", summary="Stop the erkenning after a last valid day",
    responses=REGELS.weigert("erkenning-onbekend", "erkenning-stopgezet", "einde-voor-start"),
)
async def stop(
    erkenning_id: uuid.UUID, body: StopzettingIn, uow: Uow, vandaag: Vandaag, principal: Writer
) -> ErkenningOut:
    await _zichtbaar(uow, principal, erkenning_id, gebruiker_mag=False)
    e = await gebruikers.stop_erkenning(commands.StopErkenning(erkenning_id, body.einde, body.reden), uow)
    return ErkenningOut.of(e, vandaag)


@router.get("/inschrijvingsrecht", summary="The yearly registration fee valid on a date (effective-dated setting)",
    responses=REGELS.weigert("geen-tarief"),
)
async def inschrijvingsrecht(
    settings: Instellingen, vandaag: Vandaag, _: Reader, op: date | None = None
) -> InschrijvingsrechtOut:
    op = op or vandaag
    tarief = geldig_op(settings.inschrijvingsrecht, op, wat="registration fee")
    return InschrijvingsrechtOut(op=op, bedrag=tarief.cent, geldig_vanaf=tarief.vanaf)
