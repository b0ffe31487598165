import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, status

from prestaties.entrypoints.deps import Instellingen, Uow, Vandaag
from prestaties.entrypoints.regelboek import REGELS
from prestaties.entrypoints.schemas.gebruikers import (
    ContactIn,
    ContactOut,
    ErkenningIn,
    ErkenningOut,
    GebruikerIn,
    GebruikerOut,
)
from prestaties.entrypoints.toegang import beperking, ziet, ziet_een_van
from prestaties.service_layer import commands, gebruikers
from wijkwerk.auth import Principal, require
from wijkwerk.fouten import NietGevonden
from wijkwerk.http.paging import Limit, Offset
from wijkwerk.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1/gebruikers", tags=["gebruikers"], responses=PROBLEM_RESPONSES)
Writer = Annotated[Principal, Depends(require("prestaties:write"))]
Reader = Annotated[Principal, Depends(require("prestaties:read"))]


def _onbekende_organisator() -> NietGevonden:
    return NietGevonden("This organiser is not known here (yet).", rule="organisator-onbekend")


async def _zichtbare_gebruiker(uow: Uow, principal: Principal, gebruiker_id: uuid.UUID) -> GebruikerOut:
    async with uow:
        gebruiker = await uow.gebruikers.get(gebruiker_id)
        erkenningen = await uow.erkenningen.van_gebruiker(gebruiker_id) if gebruiker else []
    organisatoren = [e.organisator_id for e in erkenningen] + ([gebruiker.aangemeld_bij] if gebruiker else [])
    if gebruiker is None or not ziet_een_van(principal, organisatoren, gebruiker_id):
        raise NietGevonden("No such gebruiker.", rule="gebruiker-onbekend")
    return GebruikerOut.of(gebruiker)


@router.post("", status_code=status.HTTP_201_CREATED, summary="Register a gebruiker (private person or organisation)",
    responses=REGELS.weigert("organisator-onbekend", "organisator-nog-onbekend", "geslacht-alleen-voor-particulier",
                             "iban-ongeldig"),
)
async def registreer(body: GebruikerIn, uow: Uow, settings: Instellingen, principal: Writer) -> GebruikerOut:
    if not ziet(principal, organisator_id=body.aangemeld_bij):
        raise _onbekende_organisator()
    cmd = commands.RegistreerGebruiker(**body.model_dump(exclude={"adres"}),
                                       adres=body.adres.adres() if body.adres else None)
    gebruiker = await gebruikers.registreer_gebruiker(cmd, uow, settings.vingerafdruk_sleutel_bytes())
    return GebruikerOut.of(gebruiker)


@router.get("", summary="List gebruikers (an organiser: those signed up with it or holding its erkenning)")
async def lijst(
    uow: Uow,
    principal: Reader,
    organisator_id: uuid.UUID | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[GebruikerOut]:
    scope = beperking(principal)
    if scope is None:
        return []
    if "gebruiker_id" in scope:
        return [await _zichtbare_gebruiker(uow, principal, scope["gebruiker_id"])]
    eigen = scope.get("organisator_id")
    if eigen is not None and organisator_id not in (None, eigen):
        return []
    async with uow:
        gevonden = await uow.gebruikers.list(organisator_id=eigen or organisator_id, limit=limit, offset=offset)
    return [GebruikerOut.of(g) for g in gevonden]


@router.get("/{gebruiker_id}", summary="Read one gebruiker",
    responses=REGELS.weigert("gebruiker-onbekend"),
)
async def lees(gebruiker_id: uuid.UUID, uow: Uow, principal: Reader) -> GebruikerOut:
    return await _zichtbare_gebruiker(uow, principal, gebruiker_id)


@router.post(
    "/{gebruiker_id}/erkenningen", status_code=status.HTTP_201_CREATED,
    summary="Grant an erkenning with an organiser: first yearly validity period and fee due",
    responses=REGELS.weigert(
        "organisator-onbekend", "gebruiker-onbekend", "organisator-nog-onbekend", "erkenning-bestaat-al",
        "geen-tarief"
    ),
)
async def verleen_erkenning(
    gebruiker_id: uuid.UUID, body: ErkenningIn, uow: Uow, settings: Instellingen, vandaag: Vandaag, principal: Writer
) -> ErkenningOut:
    if not ziet(principal, organisator_id=body.organisator_id):
        raise _onbekende_organisator()
    cmd = commands.VerleenErkenning(gebruiker_id, body.organisator_id, body.geldig_vanaf, body.overeenkomst_op)
    erkenning = await gebruikers.verleen_erkenning(cmd, uow, settings.erkenning_regels())
    return ErkenningOut.of(erkenning, vandaag)


@router.get("/{gebruiker_id}/erkenningen", summary="The gebruiker's erkenningen with their status on a date",
    responses=REGELS.weigert("gebruiker-onbekend"),
)
async def erkenningen(
    gebruiker_id: uuid.UUID, uow: Uow, principal: Reader, vandaag: Vandaag, op: date | None = None
) -> list[ErkenningOut]:
    await _zichtbare_gebruiker(uow, principal, gebruiker_id)
    async with uow:
        gevonden = await uow.erkenningen.van_gebruiker(gebruiker_id)
    return [
        ErkenningOut.of(e, op or vandaag)
        for e in gevonden
        if ziet(principal, organisator_id=e.organisator_id, gebruiker_id=e.gebruiker_id)
    ]


@router.post(
    "/{gebruiker_id}/contacten", status_code=status.HTTP_201_CREATED,
    summary="Record a contact between the organiser's bemiddelaar and the gebruiker (PR-01)",
    responses=REGELS.weigert("organisator-onbekend", "gebruiker-onbekend", "datum-in-de-toekomst"),
)
async def registreer_contact(
    gebruiker_id: uuid.UUID, body: ContactIn, uow: Uow, vandaag: Vandaag, principal: Writer
) -> ContactOut:
    if not ziet(principal, organisator_id=body.organisator_id):
        raise _onbekende_organisator()
    cmd = commands.RegistreerContact(gebruiker_id=gebruiker_id, **body.model_dump())
    return ContactOut.of(await gebruikers.registreer_contact(cmd, uow, vandaag))


@router.get("/{gebruiker_id}/contacten", summary="Contacts with the gebruiker (an organiser sees its own)",
    responses=REGELS.weigert("gebruiker-onbekend"),
)
async def contacten(gebruiker_id: uuid.UUID, uow: Uow, principal: Reader) -> list[ContactOut]:
    scope = beperking(principal)
    if scope is None or "gebruiker_id" in scope:
        raise NietGevonden("No such gebruiker.", rule="gebruiker-onbekend")
    async with uow:
        gevonden = await uow.contacten.van_gebruiker(gebruiker_id, scope.get("organisator_id"))
    return [ContactOut.of(c) for c in gevonden]
