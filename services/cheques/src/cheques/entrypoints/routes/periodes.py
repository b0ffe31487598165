from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Path, Query, status
from fastapi.responses import PlainTextResponse

from cheques.adapters.afsluitingen import Afsluiting
from cheques.domain.afsluiting import controleer_afsluiting
from cheques.domain.uitbetaling import Periode
from cheques.entrypoints.deps import Uow, get_uow_factory
from cheques.entrypoints.regelboek import REGELS
from cheques.entrypoints.schemas.periodes import (
    AfsluitingIn,
    AfsluitingOut,
    AfstemmingOut,
    VerificatieOut,
    afstemming_rij,
)
from cheques.entrypoints.voorbeelden import AFSTEMMING_CSV
from cheques.service_layer import afsluiten, vervallen
from cheques.service_layer.uow import ChequesUnitOfWork
from wijkwerk.auth import CENTRAL, Principal, gegevensscope, require
from wijkwerk.http.documentatie import samen
from wijkwerk.problems import PROBLEM_RESPONSES, Problem

router = APIRouter(prefix="/v1/periodes", tags=["periodes"], responses=PROBLEM_RESPONSES)
PeriodePad = Annotated[str, Path(pattern=r"^(19|20)\d{2}-(0[1-9]|1[0-2])$", examples=["2026-01"])]
Beheerder = Annotated[Principal, Depends(require("cheques:admin"))]
BRUSSEL = ZoneInfo("Europe/Brussels")


def _out(a: Afsluiting) -> AfsluitingOut:
    return AfsluitingOut(
        periode=f"{a.maand:%Y-%m}", van=f"{a.van:%Y-%m}", volgnummer=a.volgnummer, afgesloten_op=a.afgesloten_op,
        geregistreerd_om=a.geregistreerd_om, hash=a.hash, vorige_hash=a.vorige_hash, transacties=a.transacties,
        afstemming=f"/v1/periodes/{a.maand:%Y-%m}/afstemming",
    )


@router.post(
    "/{periode}/afsluiting",
    status_code=status.HTTP_201_CREATED,
    summary="Close a month of the payout ledger: it and every month before it take no bookings any more",
    description="Later facts dated in a closed month (a late validation, a correction's storno, a fee, a payout) "
                "are booked in the first open month. Stores the closing balances per account and month, the "
                "organisers' reconciliation and a SHA-256 chained to the previous close; publishes "
                "`PeriodeAfgesloten`. Months close in order (the first close may be any past month), once, and "
                "only before the business date's month. The expiry job runs up to the month's last day first, so the "
                "cheques whose expiry day is in the month lapse in it. Central (VDAB) callers only.",
    responses=REGELS.weigert("alleen-centraal", "periode-al-afgesloten", "vorige-periode-open", "periode-niet-voorbij",
                             "afsluitdatum-in-de-toekomst", "periode-afgesloten"),
)
async def sluit_af(
    periode: PeriodePad, body: AfsluitingIn, uow: Uow, principal: Beheerder,
    uow_factory: Annotated[Callable[[], ChequesUnitOfWork], Depends(get_uow_factory)],
) -> AfsluitingOut:
    if principal.org_type not in CENTRAL:
        raise Problem(403, "alleen-centraal", "Only central (VDAB) callers close a month.")
    cmd = afsluiten.SluitPeriodeAf(Periode.parse(periode), body.afgesloten_op, principal.subject)
    vandaag = datetime.now(BRUSSEL).date()
    controleer_afsluiting(cmd.periode, None, cmd.afgesloten_op, vandaag)
    # The cheques whose expiry day is in the month lapse in it before it freezes (issue #23).
    await vervallen.laat_vervallen(uow_factory, cmd.periode.laatste_dag)
    return _out(await afsluiten.sluit_af(cmd, uow, vandaag, datetime.now(UTC)))


@router.get("", summary="The closed months, oldest first, with their hashes")
async def afsluitingen(uow: Uow, _: Annotated[Principal, Depends(require("cheques:read", "cheques:admin"))]) -> list[
    AfsluitingOut
]:
    return [_out(a) for a in await afsluiten.afsluitingen(uow)]


@router.get(
    "/verificatie",
    summary="Verify the hash chain of the closes: names the first closed month whose stored rows changed",
    description="Recomputes every close's SHA-256 from the ledger rows, closing balances and reconciliations as "
                "they are stored now, and checks that each close chains to the previous one. "
                "`python -m cheques.entrypoints.afsluiting` does the same from the command line (exit 1 on a "
                "mismatch).",
    responses=REGELS.weigert("alleen-centraal"),
)
async def verificatie(uow: Uow, principal: Beheerder) -> VerificatieOut:
    if principal.org_type not in CENTRAL:
        raise Problem(403, "alleen-centraal", "Only central (VDAB) callers verify the closes.")
    return VerificatieOut(**await afsluiten.verifieer(uow))


@router.get(
    "/{periode}/afstemming",
    summary="A closed month's reconciliation per organiser (JSON, or CSV with ?format=csv)",
    description="Cheques sold = validated + refunded + expired + outstanding (as of the month's last day, counts "
                "and euros), and money in = worker + insurance + travel fund + issuer fee + organiser remainder "
                "(the month's bookings). Computed at the close and stored under its hash, so a past month gives the "
                "same figures whenever it is asked. An organiser sees only its own row.",
    responses=samen({200: {"model": AfstemmingOut, "content": {"text/csv": {"schema": {"type": "string"},
                                                                      "example": AFSTEMMING_CSV}}}},
                    REGELS.weigert("afsluiting-onbekend")),
)
async def afstemming(
    periode: PeriodePad,
    uow: Uow,
    principal: Annotated[Principal, Depends(require("cheques:read"))],
    format: Annotated[Literal["json", "csv"], Query()] = "json",
):
    organisator_id = gegevensscope(principal).beperk()
    afsluiting, documenten = await afsluiten.afstemming_van(Periode.parse(periode), uow, organisator_id)
    if format == "csv":
        return PlainTextResponse(
            afsluiten.als_csv(documenten), media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="afstemming-{periode}.csv"'},
        )
    return AfstemmingOut(periode=periode, afgesloten_op=afsluiting.afgesloten_op, hash=afsluiting.hash,
                         rijen=[afstemming_rij(d) for d in documenten])
