"""Refund requests for unused cheques and the expiry job (issue #23 item 2)."""

import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Path, status
from pydantic import BaseModel, ConfigDict, Field

from cheques.domain.cheque import Bestelling, Cheque
from cheques.domain.terugbetaling import Aanvraag, Beslissing
from cheques.entrypoints.deps import get_uow, get_uow_factory
from cheques.entrypoints.regelboek import REGELS
from cheques.entrypoints.schemas.webhooks import Serienummer
from cheques.service_layer import terugbetalingen, vervallen
from cheques.service_layer.terugbetalingen import Ziet
from cheques.service_layer.uow import ChequesUnitOfWork
from wijkwerk.auth import CENTRAL, Principal, require, sees_organisation
from wijkwerk.fouten import OngeldigeInvoer
from wijkwerk.money import Euro
from wijkwerk.problems import PROBLEM_RESPONSES, Problem

router = APIRouter(prefix="/v1/cheques", tags=["cheques"], responses=PROBLEM_RESPONSES)
aanvragen = APIRouter(prefix="/v1/terugbetalingsaanvragen", tags=["cheques"], responses=PROBLEM_RESPONSES)
vervallingen = APIRouter(prefix="/v1/cheques", tags=["cheques"], responses=PROBLEM_RESPONSES)
Uow = Annotated[ChequesUnitOfWork, Depends(get_uow)]
AanvraagPad = Annotated[uuid.UUID, Path(examples=["7c9e6679-7425-40de-944b-e07fc1f90ae7"])]

_AANVRAAG: dict[str, Any] = {
    "id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "serienummer": "WW-2026-000123",
    "gebruiker_id": "b2c4d6e8-1a3c-4e5f-8a7b-9c0d1e2f3a4b", "organisator_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "prijs": "7.45", "gevraagd_op": "2026-05-02", "reden": "verhuisd", "status": "goedgekeurd",
    "beslist_op": "2026-05-04", "beslissing_reden": "", "cheque_status": "terugbetaald", "geldig_tot": "2027-02-10",
}


class AanvraagIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"gevraagd_op": "2026-05-02", "reden": "verhuisd"}]})

    gevraagd_op: date = Field(description="The request's business date: within the cheque's validity (the refund "
                                          "window, issue date … last valid day, A-21)")
    reden: str = Field("", max_length=500)


class BeslissingIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"beslissing": "goedgekeurd", "beslist_op": "2026-05-04", "reden": ""}]})

    beslissing: Literal["goedgekeurd", "geweigerd"]
    beslist_op: date = Field(description="The decision's business date (on or after the request); an approval is "
                                         "booked on it")
    reden: str = Field("", max_length=500)


class AanvraagOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_AANVRAAG]})

    id: uuid.UUID
    serienummer: str
    gebruiker_id: uuid.UUID
    organisator_id: uuid.UUID
    prijs: Euro = Field(description="Paid back whole on approval (no issuer fee: it is charged per validated cheque)")
    gevraagd_op: date
    reden: str
    status: str = Field(description="gevraagd, goedgekeurd or geweigerd")
    beslist_op: date | None
    beslissing_reden: str
    cheque_status: str
    geldig_tot: date


class VervallingenIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"tot": "2026-03-01"}]})

    tot: date = Field(description="Lapse every unused cheque whose expiry day (last valid day + 1) is on or before "
                                  "this date; each is dated its own expiry day, whenever the job runs")


class VervallingenOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"tot": "2026-03-01", "aantal": 2, "serienummers": ["WW-2026-000124", "WW-2026-000125"]}]})

    tot: date
    aantal: int = Field(description="Cheques that lapsed in this run (0 when run again)")
    serienummers: list[str]


def _ziet(principal: Principal) -> Ziet:
    """A gebruiker sees its own cheques, an organiser those bought for it, central all."""
    def ziet(b: Bestelling) -> bool:
        if principal.org_type == "gebruiker":
            return principal.org == str(b.gebruiker_id)
        return sees_organisation(principal, b.organisator_id)
    return ziet


def _out(a: Aanvraag, cheque: Cheque) -> AanvraagOut:
    return AanvraagOut(
        id=a.id, serienummer=a.serienummer, gebruiker_id=a.gebruiker_id, organisator_id=a.organisator_id,
        prijs=cheque.bestelling.prijs_cent, gevraagd_op=a.gevraagd_op, reden=a.reden, status=a.status.value,
        beslist_op=a.beslist_op, beslissing_reden=a.beslissing_reden, cheque_status=cheque.status.value,
        geldig_tot=cheque.geldig_tot,
    )


@router.post(
    "/{serienummer}/terugbetalingsaanvragen", status_code=status.HTTP_201_CREATED,
    summary="Ask to refund an unused cheque",
    description="Within the cheque's validity (the refund window), for a cheque neither used, refunded nor expired; "
                "one open request per cheque. A gebruiker asks for its own cheques, an organiser for cheques bought "
                "for it, VDAB for any. Publishes `ChequeTerugbetalingGevraagd`. While the request is open the cheque "
                "does not lapse; it can still pay a prestatie (the approval is then refused).",
    responses=REGELS.weigert("cheque-onbekend", "cheque-al-gebruikt", "cheque-terugbetaald", "cheque-vervallen",
                             "aanvraag-voor-uitgifte", "buiten-terugbetalingstermijn", "aanvraag-bestaat-al"),
)
async def vraag_aan(
    serienummer: Annotated[Serienummer, Path()], body: AanvraagIn, uow: Uow,
    principal: Annotated[Principal, Depends(require("cheques:refund"))],
) -> AanvraagOut:
    cmd = terugbetalingen.VraagTerugbetaling(serienummer, body.gevraagd_op, body.reden)
    return _out(*await terugbetalingen.vraag_aan(cmd, uow, _ziet(principal)))


@aanvragen.get(
    "/{aanvraag_id}", summary="A refund request and its decision",
    responses=REGELS.weigert("aanvraag-onbekend"),
)
async def lees(
    aanvraag_id: AanvraagPad, uow: Uow,
    principal: Annotated[Principal, Depends(require("cheques:read", "cheques:refund"))],
) -> AanvraagOut:
    return _out(*await terugbetalingen.lees(aanvraag_id, uow, _ziet(principal)))


@aanvragen.post(
    "/{aanvraag_id}/beslissing",
    summary="Decide a refund request: approve (the whole price back to the gebruiker) or refuse",
    description="Central (VDAB, the issuer, C-8) callers only. Dated on or after the request; an approval needs "
                "the cheque still unused (it may have paid a prestatie meanwhile) and books the refund on "
                "`beslist_op`: the price from `chequegelden` to `gebruiker:<id>`, no split (publishes "
                "`ChequeTerugbetaald`); a refusal publishes `ChequeTerugbetalingGeweigerd` and leaves the cheque "
                "as it was. Decided once.",
    responses=REGELS.weigert("alleen-centraal", "aanvraag-onbekend", "aanvraag-al-beslist", "beslissing-voor-aanvraag",
                             "cheque-al-gebruikt", "cheque-terugbetaald", "cheque-vervallen", "periode-afgesloten"),
)
async def beslis(
    aanvraag_id: AanvraagPad, body: BeslissingIn, uow: Uow,
    principal: Annotated[Principal, Depends(require("cheques:admin"))],
) -> AanvraagOut:
    if principal.org_type not in CENTRAL:
        raise Problem(403, "alleen-centraal", "Only central (VDAB) callers decide refunds.")
    cmd = terugbetalingen.BeslisTerugbetaling(aanvraag_id, Beslissing(body.beslissing), body.beslist_op, body.reden)
    return _out(*await terugbetalingen.beslis(cmd, uow, _ziet(principal)))


@vervallingen.post(
    "/vervallingen", summary="Run the expiry job up to a date",
    description="Lapses every issued cheque, neither used nor refunded and without an open refund request, whose "
                "expiry day (last valid day + 1, A-21) is on or before `tot`: each is dated its own expiry day, its "
                "whole price moves from `chequegelden` to the organiser, and `ChequeVervallen` is published. The "
                "same facts whenever and however often it runs (a second run lapses nothing); the service runs it "
                "hourly up to today, and a period close runs it up to the month's last day first. Central (VDAB) "
                "callers only; `tot` may not be after today.",
    responses=REGELS.weigert("alleen-centraal", "vervaldatum-in-de-toekomst"),
)
async def laat_vervallen(
    body: VervallingenIn, uow_factory: Annotated[Callable[[], ChequesUnitOfWork], Depends(get_uow_factory)],
    principal: Annotated[Principal, Depends(require("cheques:admin"))],
) -> VervallingenOut:
    if principal.org_type not in CENTRAL:
        raise Problem(403, "alleen-centraal", "Only central (VDAB) callers run the expiry job.")
    vandaag = datetime.now(ZoneInfo("Europe/Brussels")).date()
    if body.tot > vandaag:  # a cheque still valid today must stay refundable and usable
        raise OngeldigeInvoer(f"{body.tot} is after today ({vandaag}): an expiry is recorded once its day has come.",
                              rule="vervaldatum-in-de-toekomst")
    serienummers = await vervallen.laat_vervallen(uow_factory, body.tot)
    return VervallingenOut(tot=body.tot, aantal=len(serienummers), serienummers=serienummers)
