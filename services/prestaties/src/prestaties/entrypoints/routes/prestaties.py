import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, status

from prestaties.adapters.prestaties import Filter
from prestaties.domain.koppeling import Koppeling
from prestaties.domain.prestatie import Prestatie
from prestaties.domain.traject import TrajectVenster
from prestaties.entrypoints.deps import Instellingen, Uow, Vandaag, get_regels
from prestaties.entrypoints.regelboek import REGELS
from prestaties.entrypoints.schemas.werk import (
    AnnuleringIn,
    CorrectieIn,
    HistoriekOut,
    PrestatieIn,
    PrestatieOut,
    TrajectVensterOut,
    UrenOut,
)
from prestaties.entrypoints.toegang import beperking, partij, ziet, ziet_een_van
from prestaties.service_layer import commands
from prestaties.service_layer import prestaties as handlers
from prestaties.service_layer.prestaties import Regels
from wijkwerk.auth import Principal, require
from wijkwerk.fouten import NietGevonden
from wijkwerk.http.paging import Limit, Offset
from wijkwerk.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1", tags=["prestaties"], responses=PROBLEM_RESPONSES)
Writer = Annotated[Principal, Depends(require("prestaties:write"))]
Reader = Annotated[Principal, Depends(require("prestaties:read"))]


async def zichtbaar(uow: Uow, principal: Principal, prestatie_id: uuid.UUID) -> Prestatie:
    async with uow:
        p = await uow.prestaties.get(prestatie_id)
    if p is None or not ziet(principal, organisator_id=p.organisator_id, gebruiker_id=p.gebruiker_id):
        raise NietGevonden("No such prestatie.", rule="prestatie-onbekend")
    return p


_GEWEIGERD = REGELS.weigert(
    "koppeling-onbekend", "partij-past-niet-bij-token", "traject-nog-onbekend", "buiten-traject",
    "geen-wijkwerkovereenkomst", "traject-geschorst", "buiten-koppeling", "geen-actieve-erkenning",
    "activiteit-niet-toegelaten", "geen-tarief", "datum-in-de-toekomst", "duur-niet-positief",
    "niet-binnen-een-dag", "max-60-uur-per-maand", "max-630-uur-per-jaar", "registratiedatum-ongeldig"
)
_GEWEIGERD[422]["description"] = ("Refused: `rule` names the first broken rule in the order trajectory window, erkenning, "
                                  "matrix, month cap, year cap (A-23); `geschonden_regels` lists every broken rule")
_GEWEIGERD[422]["content"]["application/json"]["examples"]["traject-geschorst"]["value"] = {
    "type": "https://wijkwerk.vlaanderen.be/problemen/traject-geschorst", "title": "Unprocessable content",
    "status": 422, "detail": "The trajectory is suspended on 2026-03-05.", "rule": "traject-geschorst",
    "instance": "/v1/prestaties", "geschonden_regels": [
        {"rule": "traject-geschorst", "detail": "The trajectory is suspended on 2026-03-05."},
        {"rule": "max-60-uur-per-maand", "detail": "At most 60 started hours per calendar month; 58 used, 3 asked, "
                                                   "2 left."}]}


@router.post("/prestaties", status_code=status.HTTP_201_CREATED, summary="Register hours of a placement on a day",
             responses=_GEWEIGERD)
async def registreer(
    body: PrestatieIn, uow: Uow, vandaag: Vandaag, regels: Annotated[Regels, Depends(get_regels)], principal: Writer
) -> PrestatieOut:
    def toegang(k: Koppeling) -> None:
        # What the caller may not see does not exist for it (404); then the party it may
        # enter for (403); only then the rules. One transaction: the hot path of the API.
        if not ziet(principal, organisator_id=k.organisator_id, gebruiker_id=k.gebruiker_id):
            raise NietGevonden("No such placement.", rule="koppeling-onbekend")
        partij(principal, body.door)

    cmd = commands.RegistreerPrestatie(body.koppeling_id, body.datum, body.start, body.minuten, body.door,
                                       body.geregistreerd_op)
    return PrestatieOut.of(await handlers.registreer(cmd, uow, regels, vandaag, toegang))


@router.get("/prestaties", summary="List prestaties (an organiser: its area's; a gebruiker: its own)")
async def lijst(
    uow: Uow,
    principal: Reader,
    wijkwerker_id: uuid.UUID | None = None,
    gebruiker_id: uuid.UUID | None = None,
    organisator_id: uuid.UUID | None = None,
    van: date | None = None,
    tot: date | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[PrestatieOut]:
    scope = beperking(principal)
    gevraagd = {"wijkwerker_id": wijkwerker_id, "gebruiker_id": gebruiker_id, "organisator_id": organisator_id}
    if scope is None or any(gevraagd[k] not in (None, v) for k, v in scope.items()):
        return []
    f = Filter(**{**gevraagd, **scope}, van=van, tot=tot)
    async with uow:
        return [PrestatieOut.of(p) for p in await uow.prestaties.list(f, limit=limit, offset=offset)]


@router.get("/prestaties/{prestatie_id}", summary="Read one prestatie",
    responses=REGELS.weigert("prestatie-onbekend"),
)
async def lees(prestatie_id: uuid.UUID, uow: Uow, principal: Reader) -> PrestatieOut:
    return PrestatieOut.of(await zichtbaar(uow, principal, prestatie_id))


@router.get("/prestaties/{prestatie_id}/historiek", summary="Every change: who, what, why",
    responses=REGELS.weigert("prestatie-onbekend"),
)
async def historiek(prestatie_id: uuid.UUID, uow: Uow, principal: Reader) -> list[HistoriekOut]:
    await zichtbaar(uow, principal, prestatie_id)
    async with uow:
        return [HistoriekOut(**h) for h in await uow.prestaties.historiek(prestatie_id)]


@router.post("/prestaties/{prestatie_id}/correctie", summary="Correct start and duration, with a reason and a date",
             description="Cheques validated beyond the new started hours are reversed by a storno booked in the "
                         "month of `gecorrigeerd_op` (A-20); the worker's next payout nets it. The other party "
                         "confirms again, in a new window from `gecorrigeerd_op`.",
    responses=REGELS.weigert(
        "prestatie-onbekend", "partij-past-niet-bij-token", "prestatie-geannuleerd",
        "wijziging-voor-prestatie", "datum-in-de-toekomst", "duur-niet-positief", "niet-binnen-een-dag",
        "buiten-traject", "traject-geschorst", "buiten-koppeling", "max-60-uur-per-maand",
        "max-630-uur-per-jaar"
    ),
)
async def corrigeer(
    prestatie_id: uuid.UUID, body: CorrectieIn, uow: Uow, settings: Instellingen, vandaag: Vandaag, principal: Writer,
    regels: Annotated[Regels, Depends(get_regels)],
) -> PrestatieOut:
    await zichtbaar(uow, principal, prestatie_id)
    cmd = commands.CorrigeerPrestatie(prestatie_id, body.start, body.minuten, partij(principal, body.door), body.reden,
                                      body.gecorrigeerd_op)
    return PrestatieOut.of(await handlers.corrigeer(cmd, uow, settings.plafonds(), vandaag, regels))


@router.post("/prestaties/{prestatie_id}/annulering", summary="Cancel, with a reason and a date: the hours no longer count",
             description="The prestatie leaves the caps and the reports; its validated cheques are reversed by a "
                         "storno booked in the month of `geannuleerd_op` and are usable again unless expired (A-20).",
    responses=REGELS.weigert(
        "prestatie-onbekend", "partij-past-niet-bij-token", "prestatie-geannuleerd",
        "wijziging-voor-prestatie", "datum-in-de-toekomst"
    ),
)
async def annuleer(
    prestatie_id: uuid.UUID, body: AnnuleringIn, uow: Uow, vandaag: Vandaag, principal: Writer
) -> PrestatieOut:
    await zichtbaar(uow, principal, prestatie_id)
    cmd = commands.AnnuleerPrestatie(prestatie_id, partij(principal, body.door), body.reden, body.geannuleerd_op)
    return PrestatieOut.of(await handlers.annuleer(cmd, uow, vandaag))


async def _vensters(uow: Uow, principal: Principal, wijkwerker_id: uuid.UUID) -> list[TrajectVenster]:
    async with uow:
        vensters = await uow.vensters.van_wijkwerker(wijkwerker_id)
    if not vensters or not ziet_een_van(principal, [v.organisator_id for v in vensters]):
        raise NietGevonden("No trajectory of this worker is known here.", rule="wijkwerker-onbekend")
    return vensters


@router.get("/wijkwerkers/{wijkwerker_id}/trajecten", summary="The worker's trajectory windows as known here",
    responses=REGELS.weigert("wijkwerker-onbekend"),
)
async def trajecten(wijkwerker_id: uuid.UUID, uow: Uow, principal: Reader) -> list[TrajectVensterOut]:
    return [TrajectVensterOut.of(v) for v in await _vensters(uow, principal, wijkwerker_id)]


@router.get("/wijkwerkers/{wijkwerker_id}/uren", summary="Started hours in the month and year of a date, and what is left",
    responses=REGELS.weigert("wijkwerker-onbekend"),
)
async def uren(
    wijkwerker_id: uuid.UUID, uow: Uow, settings: Instellingen, vandaag: Vandaag, principal: Reader, op: date | None = None
) -> UrenOut:
    op = op or vandaag
    await _vensters(uow, principal, wijkwerker_id)
    async with uow:
        stand = await uow.prestaties.stand(wijkwerker_id, op)
    over = settings.plafonds().over(stand)
    return UrenOut(
        wijkwerker_id=wijkwerker_id, op=op, uren_in_maand=stand.maand, uren_over_in_maand=over.maand,
        uren_in_jaar=stand.jaar, uren_over_in_jaar=over.jaar,
    )
