from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from cheques.adapters.sepa import Opdrachtgever
from cheques.adapters.toeleiding import BankgegevensBron
from cheques.adapters.uitbetalingen import Ronde
from cheques.domain.fouten import NietGevonden
from cheques.domain.uitbetaling import Periode
from cheques.entrypoints.deps import get_bankgegevens, get_opdrachtgever, get_uow, get_uow_factory
from cheques.entrypoints.schemas.geld import UitbetalingOut, UitbetalingsrondeOut
from cheques.service_layer import uitbetalingen
from cheques.service_layer.uow import ChequesUnitOfWork
from wijkwerk.auth import Principal, require
from wijkwerk.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1/uitbetalingen", tags=["uitbetalingen"], responses=PROBLEM_RESPONSES)
PeriodePad = Annotated[str, Path(pattern=r"^(19|20)\d{2}-(0[1-9]|1[0-2])$", examples=["2026-03"])]
Betaler = Annotated[Principal, Depends(require("cheques:payout"))]


def _out(ronde: Ronde) -> UitbetalingsrondeOut:
    return UitbetalingsrondeOut(
        periode=ronde.periode, uitgevoerd_op=ronde.uitgevoerd_op, aantal=len(ronde.uitbetalingen),
        totaal=ronde.totaal_cent,
        uitbetalingen=[UitbetalingOut(wijkwerker_id=u.wijkwerker_id, bedrag=u.bedrag_cent, end_to_end_id=u.end_to_end_id)
                       for u in ronde.uitbetalingen],
        zonder_bankgegevens=list(ronde.zonder_bankgegevens),
        sepa_bestand=f"/v1/uitbetalingen/{ronde.periode}/sepa" if ronde.bestand else None,
    )


@router.post(
    "/{periode}", summary="Run the month's worker payout (idempotent: a re-run returns the same run)",
    description="`uitgevoerd_op` is the run's business date (default: the day after the month; not after today, "
                "not before the month's start: `periode-in-de-toekomst`), `uitvoeringsdatum` the SEPA requested "
                "execution date (default: the run date; not before it: `uitvoeringsdatum-voor-rundatum`).",
)
async def voer_uit(
    periode: PeriodePad,
    nieuwe_uow: Annotated[Callable[[], ChequesUnitOfWork], Depends(get_uow_factory)],
    bron: Annotated[BankgegevensBron, Depends(get_bankgegevens)],
    opdrachtgever: Annotated[Opdrachtgever, Depends(get_opdrachtgever)],
    _: Betaler,
    uitgevoerd_op: Annotated[date | None, Query(description="The run's business date")] = None,
    uitvoeringsdatum: Annotated[date | None, Query(description="SEPA requested execution date")] = None,
) -> UitbetalingsrondeOut:
    ronde = await uitbetalingen.voer_uit(
        Periode.parse(periode), nieuwe_uow, bron, opdrachtgever, date.today(), uitgevoerd_op, uitvoeringsdatum
    )
    return _out(ronde)


async def _ronde(periode: str, uow: ChequesUnitOfWork) -> Ronde:
    ronde = await uitbetalingen.lees(Periode.parse(periode), uow)
    if ronde is None:
        raise NietGevonden(f"No payout run for {periode}.", rule="uitbetaling-onbekend")
    return ronde


@router.get("/{periode}", summary="A month's payout run")
async def lees(periode: PeriodePad, uow: Annotated[ChequesUnitOfWork, Depends(get_uow)], _: Betaler) -> UitbetalingsrondeOut:
    return _out(await _ronde(periode, uow))


@router.get(
    "/{periode}/sepa",
    summary="The run's SEPA credit transfer file (pain.001.001.09)",
    response_class=Response,
    responses={200: {"content": {"application/xml": {}}}},
)
async def sepa(periode: PeriodePad, uow: Annotated[ChequesUnitOfWork, Depends(get_uow)], _: Betaler) -> Response:
    ronde = await _ronde(periode, uow)
    if ronde.bestand is None:
        raise NietGevonden("The run paid nobody, so it has no SEPA file.", rule="geen-sepa-bestand")
    return Response(
        ronde.bestand, media_type="application/xml",
        headers={"Content-Disposition": f'attachment; filename="wijkwerk-uitbetaling-{periode}.xml"'},
    )
