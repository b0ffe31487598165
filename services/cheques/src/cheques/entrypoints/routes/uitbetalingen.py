import uuid
from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from cheques.adapters.sepa import Opdrachtgever
from cheques.adapters.toeleiding import BankgegevensBron
from cheques.adapters.uitbetalingen import Ronde
from cheques.domain.uitbetaling import Periode
from cheques.entrypoints.deps import Instellingen, get_bankgegevens, get_opdrachtgever, get_uow, get_uow_factory
from cheques.entrypoints.regelboek import REGELS
from cheques.entrypoints.schemas.geld import (
    BankberichtVerwerkt,
    StapOut,
    UitbetalingOut,
    UitbetalingsHistoriekOut,
    UitbetalingsrondeOut,
    WijkwerkerUitbetalingOut,
)
from cheques.entrypoints.voorbeelden import xml_inhoud
from cheques.service_layer import uitbetalingen, uitbetalingsstatus
from cheques.service_layer.uow import ChequesUnitOfWork
from wijkwerk.auth import CENTRAL, Principal, require
from wijkwerk.fouten import NietGevonden
from wijkwerk.http.documentatie import samen, weigert
from wijkwerk.observability import PAYOUT_RUNS
from wijkwerk.problems import PROBLEM_RESPONSES, Problem

router = APIRouter(prefix="/v1/uitbetalingen", tags=["uitbetalingen"], responses=PROBLEM_RESPONSES)
bank = APIRouter(prefix="/v1/bankberichten", tags=["uitbetalingen"], responses=PROBLEM_RESPONSES)
historiek = APIRouter(prefix="/v1/wijkwerkers", tags=["uitbetalingen"], responses=PROBLEM_RESPONSES)
PeriodePad = Annotated[str, Path(pattern=r"^(19|20)\d{2}-(0[1-9]|1[0-2])$", examples=["2026-03"])]


async def _betaler(principal: Annotated[Principal, Depends(require("cheques:payout"))]) -> Principal:
    """Payouts are Flanders-wide: central (VDAB) callers with cheques:payout only."""
    if principal.org_type not in CENTRAL:
        raise Problem(403, "alleen-centraal", "Only central (VDAB) callers handle payouts.")
    return principal


Betaler = Annotated[Principal, Depends(_betaler)]


def _xml_body(naam: str) -> dict:
    """``openapi_extra`` of an upload of a bank file: its XML body, with an example."""
    return {"requestBody": {"required": True, "content": xml_inhoud(naam)}}


def _out(ronde: Ronde) -> UitbetalingsrondeOut:
    return UitbetalingsrondeOut(
        periode=ronde.periode, uitgevoerd_op=ronde.uitgevoerd_op, aantal=len(ronde.uitbetalingen),
        totaal=ronde.totaal_cent, status=ronde.status, uitvoeringsdatum=ronde.uitvoeringsdatum,
        uitbetalingen=[UitbetalingOut(wijkwerker_id=u.wijkwerker_id, bedrag=u.bedrag_cent, end_to_end_id=u.end_to_end_id,
                                      status=u.status, reden=u.reden, bankdatum=u.bankdatum)
                       for u in ronde.uitbetalingen],
        zonder_bankgegevens=list(ronde.zonder_bankgegevens),
        sepa_bestand=f"/v1/uitbetalingen/{ronde.periode}/sepa" if ronde.uitbetalingen else None,
        stappen=[StapOut(stap=s.stap, door=s.door, geregistreerd_om=s.geregistreerd_om, bericht_id=s.bericht_id)
                 for s in ronde.stappen],
    )


@router.post(
    "/{periode}", summary="Draw up the month's worker payout run (idempotent: a re-run returns the same run)",
    description="`uitgevoerd_op` is the run's business date (default: the day after the month; not after today, "
                "not before the month's start: `periode-in-de-toekomst`), `uitvoeringsdatum` the SEPA requested "
                "execution date (default: the run date; not before it: `uitvoeringsdatum-voor-rundatum`).",
    responses=REGELS.weigert(
        "alleen-centraal", "periode-in-de-toekomst", "uitvoeringsdatum-voor-rundatum",
        "bankgegevens-onbeschikbaar", "periode-afgesloten"
    ),
)
async def voer_uit(
    periode: PeriodePad,
    nieuwe_uow: Annotated[Callable[[], ChequesUnitOfWork], Depends(get_uow_factory)],
    bron: Annotated[BankgegevensBron, Depends(get_bankgegevens)],
    principal: Betaler,
    settings: Instellingen,
    uitgevoerd_op: Annotated[date | None, Query(description="The run's business date")] = None,
    uitvoeringsdatum: Annotated[date | None, Query(description="SEPA requested execution date")] = None,
) -> UitbetalingsrondeOut:
    ronde = await uitbetalingen.voer_uit(
        Periode.parse(periode), nieuwe_uow, bron, date.today(), principal.subject, uitgevoerd_op, uitvoeringsdatum,
        settings.signaal_drempels,
    )
    return _gemeten(ronde)


def _gemeten(ronde: Ronde) -> UitbetalingsrondeOut:
    """The answer to a step that may move the run; counted by the state it leaves the run in."""
    PAYOUT_RUNS.labels("cheques", getattr(ronde.status, "value", ronde.status)).inc()
    return _out(ronde)


async def _ronde(periode: str, uow: ChequesUnitOfWork) -> Ronde:
    ronde = await uitbetalingen.lees(Periode.parse(periode), uow)
    if ronde is None:
        raise NietGevonden(f"No payout run for {periode}.", rule="uitbetaling-onbekend")
    return ronde


@router.get("/{periode}", summary="A month's payout run: its state, transfers and steps with their actors",
    responses=REGELS.weigert("alleen-centraal", "uitbetaling-onbekend"),
)
async def lees(periode: PeriodePad, uow: Annotated[ChequesUnitOfWork, Depends(get_uow)], _: Betaler) -> UitbetalingsrondeOut:
    return _out(await _ronde(periode, uow))


@router.post(
    "/{periode}/goedkeuring",
    summary="Approve a drawn-up run (four eyes: someone other than its author; uitbetaling-vier-ogen)",
    responses=REGELS.weigert("uitbetaling-vier-ogen", "uitbetaling-status-ongeldig", "alleen-centraal",
                             "uitbetaling-onbekend"),
)
async def keur_goed(
    periode: PeriodePad, uow: Annotated[ChequesUnitOfWork, Depends(get_uow)], principal: Betaler
) -> UitbetalingsrondeOut:
    return _gemeten(await uitbetalingsstatus.keur_goed(Periode.parse(periode), uow, principal.subject))


@router.post(
    "/{periode}/verzending", summary="Record that the approved run's SEPA file went to the bank",
    responses=REGELS.weigert("uitbetaling-status-ongeldig", "geen-sepa-bestand", "alleen-centraal",
                             "uitbetaling-onbekend"),
)
async def verzend(
    periode: PeriodePad, uow: Annotated[ChequesUnitOfWork, Depends(get_uow)], principal: Betaler
) -> UitbetalingsrondeOut:
    return _gemeten(await uitbetalingsstatus.verzend(Periode.parse(periode), uow, principal.subject))


@router.get(
    "/{periode}/sepa",
    summary="The approved run's SEPA credit transfer file (pain.001.001.09), generated now from the ledger and "
            "toeleiding's current bank details",
    response_class=Response,
    responses=samen({200: {"content": xml_inhoud("pain.001.001.09")}}, REGELS.weigert(
        "uitbetaling-status-ongeldig", "bankgegevens-ontbreken", "alleen-centraal", "uitbetaling-onbekend", "uitbetaling-grootboek-verschil", "bankgegevens-onbeschikbaar"
    ), weigert((404, "geen-sepa-bestand", "The run paid nobody, so it has no SEPA file."))),
)
async def sepa(
    periode: PeriodePad,
    uow: Annotated[ChequesUnitOfWork, Depends(get_uow)],
    bron: Annotated[BankgegevensBron, Depends(get_bankgegevens)],
    opdrachtgever: Annotated[Opdrachtgever, Depends(get_opdrachtgever)],
    _: Betaler,
) -> Response:
    bestand = await uitbetalingsstatus.sepa_bestand(Periode.parse(periode), uow, bron, opdrachtgever)
    return Response(
        bestand, media_type="application/xml",
        headers={"Content-Disposition": f'attachment; filename="wijkwerk-uitbetaling-{periode}.xml"',
                 "Cache-Control": "no-store"},
    )


@bank.post(
    "/statusrapport",
    summary="Import the bank's pain.002.001.10 status report of a sent run (validated against the XSD); "
            "a rejected transfer is booked back",
    openapi_extra=_xml_body("pain.002.001.10"),
    responses=REGELS.weigert(
        "alleen-centraal", "bankbestand-te-groot", "bankbestand-ongeldig", "bankbestand-soort-onjuist",
        "bankbestand-bedrag-ongeldig", "statusrapport-zonder-end-to-end-id", "statusrapport-onbekende-ronde",
        "periode-ongeldig", "uitbetaling-onbekend", "uitbetaling-status-ongeldig", "statusrapport-tegenstrijdig",
        "statusrapport-onbekende-overschrijving",
    ),
)
async def statusrapport(
    request: Request, uow: Annotated[ChequesUnitOfWork, Depends(get_uow)], principal: Betaler
) -> UitbetalingsrondeOut:
    return _gemeten(await uitbetalingsstatus.importeer_statusrapport(await request.body(), uow, principal.subject))


@bank.post(
    "/debetmelding",
    summary="Import the bank's camt.054.001.08 notification (validated against the XSD); every returned transfer "
            "is booked back",
    openapi_extra=_xml_body("camt.054.001.08"),
    responses=REGELS.weigert(
        "alleen-centraal", "bankbestand-te-groot", "bankbestand-ongeldig", "bankbestand-soort-onjuist",
        "bankbestand-bedrag-ongeldig", "terugstorting-onvolledig", "uitbetaling-status-ongeldig",
        "terugstorting-bedrag-wijkt-af", "uitbetaling-grootboek-verschil", "periode-afgesloten",
    ),
)
async def debetmelding(
    request: Request, uow: Annotated[ChequesUnitOfWork, Depends(get_uow)], principal: Betaler
) -> BankberichtVerwerkt:
    v = await uitbetalingsstatus.importeer_debetmelding(await request.body(), uow, principal.subject)
    return BankberichtVerwerkt(bericht_id=v.bericht_id, teruggeboekt=v.teruggeboekt, al_verwerkt=v.al_verwerkt,
                               onbekend=v.onbekend)


@historiek.get("/{wijkwerker_id}/uitbetalingen", summary="A worker's payouts: paid, rejected or returned",
    responses=REGELS.weigert("alleen-centraal"),
)
async def wijkwerker_historiek(
    wijkwerker_id: uuid.UUID,
    uow: Annotated[ChequesUnitOfWork, Depends(get_uow)],
    _: Betaler,
) -> UitbetalingsHistoriekOut:
    rijen = await uitbetalingsstatus.historiek(wijkwerker_id, uow)
    return UitbetalingsHistoriekOut(wijkwerker_id=wijkwerker_id, uitbetalingen=[
        WijkwerkerUitbetalingOut(periode=u.periode, bedrag=u.bedrag_cent, end_to_end_id=u.end_to_end_id,
                                 status=u.status, rondestatus=s, reden=u.reden, bankdatum=u.bankdatum)
        for u, s in rijen])
