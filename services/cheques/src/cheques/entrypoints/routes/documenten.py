"""Documents people keep (issue #23 item 5): the worker's monthly payout slip and the
gebruiker's yearly statement, as PDF.

Data scope (scope ``documenten:lezen``): central callers see every document; a worker's own
token (org_type ``wijkwerker``) its own slips; a gebruiker's token its own statements; an
organiser the lines of its own area (a worker's prestaties there, a gebruiker's cheques
bought for it). Anyone else, and an organiser asking about somebody without facts in its
area, gets the 404 of an unknown worker or gebruiker."""

import uuid
from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response

from cheques.adapters.documenten import Documenten
from cheques.adapters.pdf import jaaroverzicht_pdf, loonbrief_pdf
from cheques.domain.documenten import jaar_van
from cheques.domain.uitbetaling import Periode
from cheques.entrypoints.regelboek import REGELS
from cheques.service_layer import documenten
from wijkwerk.auth import CENTRAL, Principal, is_eigen_wijkwerker, require
from wijkwerk.fouten import NietGevonden
from wijkwerk.http.documentatie import samen
from wijkwerk.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1", tags=["documenten"], responses=PROBLEM_RESPONSES)
Lezer = Annotated[Principal, Depends(require("documenten:lezen"))]
PeriodePad = Annotated[str, Path(pattern=r"^(19|20)\d{2}-(0[1-9]|1[0-2])$", examples=["2026-03"])]
JaarPad = Annotated[str, Path(pattern=r"^\d{4}$", examples=["2026"])]

PDF_VOORBEELD = "%PDF-1.3\n% (binary) one A4 page per ~45 lines, Helvetica; read back with any PDF reader\n"


def pdf_antwoord(beschrijving: str) -> dict:
    """The 200 of a PDF document: ``application/pdf`` with its (abbreviated) example."""
    return {200: {"description": beschrijving, "content": {
        "application/pdf": {"schema": {"type": "string", "format": "binary"}, "example": PDF_VOORBEELD}}}}


def _pdf(inhoud: bytes, naam: str) -> Response:
    return Response(inhoud, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{naam}"', "Cache-Control": "private, no-store"})


def _organisator(principal: Principal) -> uuid.UUID | None:
    """An organiser's own id (its view is limited to it), else None."""
    try:
        return uuid.UUID(principal.org or "") if principal.org_type == "organisator" else None
    except ValueError:
        return None


@router.get(
    "/wijkwerkers/{wijkwerker_id}/loonbrieven/{periode}",
    summary="The worker's payout slip of a month (PDF): a line per cheque and travel allowance booked in the month",
    description="Every line is a posting on the worker's ledger account dated in the month (`periode`): a cheque "
                "(booking date, prestatie date, gebruiker, one started hour, the worker's share: EUR 4.10), a day's "
                "travel allowance (A-03) or the storno of either (A-20); totals in euro, and the month's payout "
                "when one was run. A worker's own token (org_type `wijkwerker`) and central callers get the whole "
                "slip; an organiser the lines of prestaties in its area only.",
    response_class=Response,
    responses=samen(pdf_antwoord("The slip as PDF"), REGELS.weigert("wijkwerker-onbekend")),
)
async def loonbrief(wijkwerker_id: uuid.UUID, periode: PeriodePad, request: Request, principal: Lezer) -> Response:
    maand = Periode.parse(periode)
    organisator = _organisator(principal)
    if organisator is None and principal.org_type not in CENTRAL and not is_eigen_wijkwerker(principal, wijkwerker_id):
        raise NietGevonden("No worker with prestaties known here.", rule="wijkwerker-onbekend")
    async with request.app.state.runtime.sessions() as session:
        brief = await documenten.loonbrief(Documenten(session), wijkwerker_id, maand, organisator)
    inhoud = loonbrief_pdf(brief, maand.laatste_dag + timedelta(days=1))
    return _pdf(inhoud, f"loonbrief-{periode}-{wijkwerker_id}.pdf")


@router.get(
    "/gebruikers/{gebruiker_id}/jaaroverzichten/{jaar}",
    summary="The gebruiker's yearly statement of cheques bought and used (PDF)",
    description="Orders dated in the year (date, organiser, carrier, count, price fixed at purchase), and per month "
                "the cheques validated with the value the ledger took out of the cheque money, validations reversed "
                "(A-20), refunds and expiries dated in the year. A gebruiker's own token and central callers see "
                "every organiser; an organiser only the cheques bought for it.",
    response_class=Response,
    responses=samen(pdf_antwoord("The statement as PDF"), REGELS.weigert("gebruiker-onbekend", "jaar-ongeldig")),
)
async def jaaroverzicht(gebruiker_id: uuid.UUID, jaar: JaarPad, request: Request, principal: Lezer) -> Response:
    organisator = _organisator(principal)
    eigen = principal.org_type == "gebruiker" and principal.org == str(gebruiker_id)
    if organisator is None and principal.org_type not in CENTRAL and not eigen:
        raise NietGevonden("No gebruiker with cheques known here.", rule="gebruiker-onbekend")
    nummer = jaar_van(jaar)
    async with request.app.state.runtime.sessions() as session:
        overzicht = await documenten.jaaroverzicht(Documenten(session), gebruiker_id, nummer, organisator)
    return _pdf(jaaroverzicht_pdf(overzicht, date(nummer, 12, 31)), f"jaaroverzicht-{jaar}-{gebruiker_id}.pdf")
