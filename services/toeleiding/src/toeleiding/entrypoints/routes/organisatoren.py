import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, status

from toeleiding.entrypoints.deps import Instellingen, Uow
from toeleiding.entrypoints.regelboek import REGELS
from toeleiding.entrypoints.schemas import OrganisatorIn, OrganisatorOut, TariefIn, WerkingsgebiedIn
from toeleiding.service_layer import commands, organisatoren
from wijkwerk.auth import Principal, require, sees_organisation
from wijkwerk.fouten import NietGevonden
from wijkwerk.http.paging import Limit, Offset
from wijkwerk.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1/organisatoren", tags=["organisatoren"], responses=PROBLEM_RESPONSES)


@router.post("", status_code=status.HTTP_201_CREATED, summary="Register a wijk-werkorganisator",
    responses=REGELS.weigert(
        "werkingsgebied-leeg", "gemeente-niet-in-vlaanderen", "gemeente-al-toegewezen",
        "tarief-niet-toegelaten", "tarief-verschilt-in-samenwerkingsverband"
    ),
)
async def registreer(
    body: OrganisatorIn,
    uow: Uow,
    settings: Instellingen,
    _: Annotated[Principal, Depends(require("toeleiding:admin"))],
) -> OrganisatorOut:
    cmd = commands.RegistreerOrganisator(
        naam=body.naam,
        samenwerkingsverband=body.samenwerkingsverband,
        gemeenten={g.nis_code: g.naam for g in body.gemeenten},
        tarief_cent=body.tarief,
        tarief_vanaf=body.tarief_vanaf,
    )
    organisator = await organisatoren.registreer_organisator(cmd, uow, settings.toegelaten_tarieven)
    return OrganisatorOut.of(organisator)


@router.get("", summary="List organisers")
async def lijst(
    uow: Uow,
    _: Annotated[Principal, Depends(require("toeleiding:read", "toeleiding:admin"))],
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[OrganisatorOut]:
    async with uow:
        return [OrganisatorOut.of(o) for o in await uow.organisatoren.list(limit=limit, offset=offset)]


@router.get("/{organisator_id}", summary="Read one organiser, with its area and tariff history",
    responses=REGELS.weigert("organisator-onbekend"),
)
async def lees(
    organisator_id: uuid.UUID,
    uow: Uow,
    principal: Annotated[Principal, Depends(require("toeleiding:read", "toeleiding:admin"))],
) -> OrganisatorOut:
    async with uow:
        organisator = await uow.organisatoren.get(organisator_id)
    if organisator is None:
        raise NietGevonden("No such organiser.", rule="organisator-onbekend")
    return OrganisatorOut.of(organisator)


@router.post("/{organisator_id}/tarieven", status_code=status.HTTP_201_CREATED, summary="Set a tariff from a date",
             description="One tariff holds across a samenwerkingsverband on any date (C-2, A-18): a tariff that "
                         "would differ from another organiser's in it is refused with 409 "
                         "`tarief-verschilt-in-samenwerkingsverband`; `voor_samenwerkingsverband` sets it for all "
                         "of them at once.",
    responses=REGELS.weigert(
        "organisator-onbekend", "tarief-niet-toegelaten", "tarief-bestaat-al",
        "tarief-verschilt-in-samenwerkingsverband", "samenwerkingsverband-buiten-bereik"
    ),
)
async def leg_tarief_vast(
    organisator_id: uuid.UUID,
    body: TariefIn,
    uow: Uow,
    settings: Instellingen,
    principal: Annotated[Principal, Depends(require("toeleiding:admin"))],
) -> OrganisatorOut:
    if not sees_organisation(principal, organisator_id):
        raise NietGevonden("No such organiser.", rule="organisator-onbekend")
    cmd = commands.LegTariefVast(organisator_id, body.prijs, body.geldig_vanaf, body.voor_samenwerkingsverband)
    organisator = await organisatoren.leg_tarief_vast(
        cmd, uow, settings.toegelaten_tarieven, lambda oid: sees_organisation(principal, oid)
    )
    return OrganisatorOut.of(organisator)


@router.put("/{organisator_id}/werkingsgebied", summary="Replace the organiser's area (a set of Flemish municipalities)",
    responses=REGELS.weigert(
        "organisator-onbekend", "werkingsgebied-leeg", "gemeente-niet-in-vlaanderen", "gemeente-al-toegewezen"
    ),
)
async def wijzig_werkingsgebied(
    organisator_id: uuid.UUID,
    body: WerkingsgebiedIn,
    uow: Uow,
    principal: Annotated[Principal, Depends(require("toeleiding:admin"))],
) -> OrganisatorOut:
    if not sees_organisation(principal, organisator_id):
        raise NietGevonden("No such organiser.", rule="organisator-onbekend")
    cmd = commands.WijzigWerkingsgebied(organisator_id, {g.nis_code: g.naam for g in body.gemeenten})
    return OrganisatorOut.of(await organisatoren.wijzig_werkingsgebied(cmd, uow))
