"""The worker's own view (issue #23 item 7): one JSON document with the trajectory, hours,
counters, payouts and certificates of one worker, for the worker's page (``/mijn/``).

Data scope, deny by default: a worker's own token (org_type ``wijkwerker``, scope
``wijkwerker:lezen``) sees only its own worker; the worker's organiser (the dossier's) and
central callers see it with ``rapportering:read`` or ``wijkwerker:lezen``; anybody else,
another worker's token included, gets the 404 of an unknown worker (``wijkwerker-onbekend``),
exactly as for an id nobody knows."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from evaluatie.adapters import loonbrieven, tellers
from evaluatie.adapters.getuigschrift_pdf import UITKOMSTEN
from evaluatie.adapters.getuigschriften import Getuigschriften
from evaluatie.adapters.overzicht import Overzicht
from evaluatie.entrypoints.deps import Instellingen, Leessessie, Uow
from evaluatie.entrypoints.regelboek import REGELS
from evaluatie.entrypoints.routes.getuigschriften import Sleutel
from evaluatie.service_layer import getuigschriften
from wijkwerk.auth import Principal, is_eigen_wijkwerker, require, sees_organisation
from wijkwerk.fouten import NietGevonden
from wijkwerk.http import tls
from wijkwerk.http.documentatie import samen
from wijkwerk.money import format_euro
from wijkwerk.problems import MEDIA_TYPE, PROBLEM_RESPONSES, Problem

router = APIRouter(prefix="/v1", tags=["wijkwerker"], responses=PROBLEM_RESPONSES)
Lezer = Annotated[Principal, Depends(require("wijkwerker:lezen", "rapportering:read"))]
# The slip is cheques' document: the scope cheques asks for it (a token evaluatie let through and
# cheques refused would meet a 503 for what is a refusal).
SlipLezer = Annotated[Principal, Depends(require("documenten:lezen"))]
PeriodePad = Annotated[str, Path(pattern=r"^(19|20)\d{2}-(0[1-9]|1[0-2])$", examples=["2026-05"])]
PDF_VOORBEELD = "%PDF-1.3\n% (binary) cheques' payout slip of the month, passed on unchanged\n"

_W, _G = "7c9e6679-7425-40de-944b-e07fc1f90ae7", "9f0c5a57-6a8e-4d0b-9a43-3f3b8f0e2c11"
_VOORBEELD: dict[str, Any] = {
    "wijkwerker_id": _W, "op": "2026-06-30", "organisator": "Wijk-werken Westhoek",
    "trajecten": [{"traject_id": "9b2d7c1e-4f3a-4e8b-a6d5-1c2b3a4d5e6f", "organisator": "Wijk-werken Westhoek",
                   "start": "2026-01-10", "gepland_einde": "2027-01-09", "werkelijk_einde": None, "einde_reden": None,
                   "loopt": True, "evaluaties": [{"datum": "2026-06-15", "uitkomst": "zelfde_klus",
                                                  "omschrijving": "verder in dezelfde klus"}]}],
    "uren": {"totaal": 9, "per_maand": [{"maand": "2026-02", "uren": 3}, {"maand": "2026-03", "uren": 4},
                                        {"maand": "2026-05", "uren": 2}],
             "per_activiteit": [{"activiteit": "groenonderhoud", "uren": 7}, {"activiteit": "poetsen", "uren": 2}]},
    "tellers": {"status": "ok", "uren": {"plafond_maand": 60, "plafond_jaar": 630, "gebruikt_maand": 0,
                                         "gebruikt_jaar": 9, "over_maand": 60, "over_jaar": 621,
                                         "max_registreerbaar": 60},
                "traject": {"laatste_dag": "2027-01-09", "dagen_over": 193, "volgende_evaluatie": "2026-12-15",
                            "evaluatie_achterstallig": False}},
    "uitbetalingen": [{"periode": "2026-05", "bedrag": "8.20", "uitgevoerd_op": "2026-06-01",
                       "teruggeboekt_op": None, "terug_reden": None,
                       "loonbrief": f"/v1/wijkwerkers/{_W}/overzicht/loonbrieven/2026-05"}],
    "getuigschriften": [{"id": _G, "op": "2026-06-30", "status": "geldig", "pdf": f"/v1/getuigschriften/{_G}",
                         "verificatie_url": f"https://wijkwerk.example/evaluatie/verificatie/getuigschriften/{_G}"
                                            "?c=Qm9V8v2Zr0x1Yk3c7d9e1f"}],
}


class EvaluatieOut(BaseModel):
    datum: date
    uitkomst: str
    omschrijving: str = Field(description="The outcome in plain Dutch, as the certificate prints it")


class TrajectOut(BaseModel):
    traject_id: uuid.UUID
    organisator: str
    start: date
    gepland_einde: date | None = Field(description="Planned end; null: unlimited right (T-4)")
    werkelijk_einde: date | None = Field(description="The end, when it was on or before `op`")
    einde_reden: str | None
    loopt: bool = Field(description="The trajectory runs on `op`")
    evaluaties: list[EvaluatieOut]


class UrenPerMaand(BaseModel):
    maand: str = Field(examples=["2026-05"])
    uren: int


class UrenPerActiviteit(BaseModel):
    activiteit: str
    uren: int


class UrenOut(BaseModel):
    totaal: int = Field(description="Started hours of the worker's accepted, not cancelled prestaties up to `op`")
    per_maand: list[UrenPerMaand]
    per_activiteit: list[UrenPerActiviteit]


class TellersOut(BaseModel):
    status: str = Field(description="ok; onbekend (prestaties knows no trajectory of this worker for this caller); "
                                    "onbereikbaar (prestaties did not answer): the rest of the page still shows")
    uren: dict | None = Field(None, description="prestaties' hour counters (GET /v1/wijkwerkers/{id}/tellers)")
    traject: dict | None = Field(None, description="prestaties' trajectory counters: days left, next evaluation")


class UitbetalingOut(BaseModel):
    periode: str = Field(description="The month paid, YYYY-MM")
    bedrag: str = Field(description="Euro, as a decimal string")
    uitgevoerd_op: date
    teruggeboekt_op: date | None = Field(description="The bank refused or returned the transfer on this date")
    terug_reden: str | None
    loonbrief: str = Field(description="The month's payout slip (PDF, from cheques; a token with documenten:lezen)")


class GetuigschriftKort(BaseModel):
    id: uuid.UUID
    op: date
    status: str = Field(description="geldig, ingetrokken or ongeldig")
    pdf: str = Field(description="The PDF (the same token)")
    verificatie_url: str = Field(description="The public check, the link in the certificate's QR code")


class WijkwerkerOverzichtOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_VOORBEELD]})

    wijkwerker_id: uuid.UUID
    op: date
    organisator: str = Field(description="The organiser of the worker's dossier")
    trajecten: list[TrajectOut] = Field(description="Started on or before `op`, latest first")
    uren: UrenOut
    tellers: TellersOut
    uitbetalingen: list[UitbetalingOut] = Field(description="Payout runs dated on or before `op`, latest first")
    getuigschriften: list[GetuigschriftKort] = Field(description="Certificates as of `op` or earlier")


async def _dossier(session: Any, principal: Principal, wijkwerker_id: uuid.UUID) -> tuple[uuid.UUID, str]:
    """The worker's dossier (organiser id and name), if this caller may see the worker."""
    dossier = await Getuigschriften(session).organisator_van(wijkwerker_id)
    if dossier is None or not (is_eigen_wijkwerker(principal, wijkwerker_id) or sees_organisation(principal, dossier[0])):
        raise NietGevonden("No such worker.", rule="wijkwerker-onbekend")
    return dossier


def _token(request: Request) -> str:
    kop = request.headers.get("authorization", "")
    return kop[7:].strip() if kop.lower().startswith("bearer ") else ""


def _traject(t: Any, op: date) -> TrajectOut:
    einde = t.werkelijk_einde or t.gepland_einde
    return TrajectOut(traject_id=t.traject_id, organisator=t.organisator, start=t.start, gepland_einde=t.gepland_einde,
                      werkelijk_einde=t.werkelijk_einde, einde_reden=t.einde_reden,
                      loopt=t.start <= op and (einde is None or op <= einde),
                      evaluaties=[EvaluatieOut(datum=d, uitkomst=u, omschrijving=UITKOMSTEN.get(u, u))
                                  for d, u in t.evaluaties])


@router.get(
    "/wijkwerkers/{wijkwerker_id}/overzicht",
    summary="The worker's own view: trajectory, hours, counters, payouts and certificates as of a date",
    description="What the worker's page (`/mijn/`) shows, as of `op` (default today), using only facts dated on or "
                "before it. The counters are prestaties' own (asked with the caller's token, ADR 0020); when "
                "prestaties does not answer, `tellers.status` says so and the rest still shows. A worker's own "
                "token (org_type `wijkwerker`) sees only its own worker; another worker's id answers 404 "
                "`wijkwerker-onbekend`, as an unknown one does.",
    responses=REGELS.weigert("wijkwerker-onbekend", "getuigschrift-sleutel-ontbreekt"),
)
async def overzicht(wijkwerker_id: uuid.UUID, request: Request, session: Leessessie, uow: Uow, settings: Instellingen,
                    principal: Lezer, sleutel: Sleutel,
                    op: Annotated[date | None, Query(description="As of this date (default today)")] = None
                    ) -> WijkwerkerOverzichtOut:
    dossier = await _dossier(session, principal, wijkwerker_id)
    eigen = is_eigen_wijkwerker(principal, wijkwerker_id)
    dag = op or date.today()
    lezer = Overzicht(session)
    trajecten = await lezer.trajecten(wijkwerker_id, dag)
    per_maand = await lezer.uren_per_maand(wijkwerker_id, dag)
    per_activiteit = await lezer.uren_per_activiteit(wijkwerker_id, dag)
    uitbetalingen = await lezer.uitbetalingen(wijkwerker_id, dag)
    await session.rollback()  # no transaction (nor connection) held while prestaties is asked
    certificaten = await getuigschriften.van_wijkwerker(uow, sleutel, lambda o: sees_organisation(principal, o),
                                                         lambda w: eigen, wijkwerker_id)
    gevonden = await tellers.haal(settings.urls.prestaties_url, _token(request), wijkwerker_id, dag,
                                  verify=tls.verify(settings.urls.ca_file),
                                  transport=getattr(request.app.state, "dienst_transport", None))
    g = gevonden.gegevens or {}
    basis = settings.verificatie_basis
    return WijkwerkerOverzichtOut(
        wijkwerker_id=wijkwerker_id, op=dag, organisator=dossier[1],
        trajecten=[_traject(t, dag) for t in trajecten],
        uren=UrenOut(totaal=sum(u for _, u in per_maand),
                     per_maand=[UrenPerMaand(maand=m, uren=u) for m, u in per_maand],
                     per_activiteit=[UrenPerActiviteit(activiteit=a, uren=u)
                                     for a, u in per_activiteit]),
        tellers=TellersOut(status=gevonden.status, uren=g.get("uren"), traject=g.get("traject")),
        uitbetalingen=[UitbetalingOut(periode=u.periode, bedrag=format_euro(u.bedrag_cent), uitgevoerd_op=u.uitgevoerd_op,
                                      teruggeboekt_op=u.teruggeboekt_op, terug_reden=u.terug_reden,
                                      loonbrief=f"/v1/wijkwerkers/{wijkwerker_id}/overzicht/loonbrieven/{u.periode}")
                       for u in uitbetalingen],
        getuigschriften=[GetuigschriftKort(
            id=c.opgeslagen.id, op=c.opgeslagen.op, status=c.status, pdf=f"/v1/getuigschriften/{c.opgeslagen.id}",
            verificatie_url=f"{basis}/verificatie/getuigschriften/{c.opgeslagen.id}"
                            f"?c={getuigschriften.controle(c.opgeslagen.handtekening)}")
            for c in certificaten if c.opgeslagen.op <= dag],
    )


@router.get(
    "/wijkwerkers/{wijkwerker_id}/overzicht/loonbrieven/{periode}",
    summary="The worker's payout slip of a month (PDF), for the worker's page: cheques' slip, passed on",
    description="The page calls only its own origin, so evaluatie asks cheques "
                "(`GET /v1/wijkwerkers/{id}/loonbrieven/{periode}`) with the caller's own token and passes the PDF "
                "on unchanged; cheques applies its data scope to that token. The same readers as the overview.",
    response_class=Response,
    responses=samen({200: {"description": "The slip as PDF", "content": {"application/pdf": {
        "schema": {"type": "string", "format": "binary"}, "example": PDF_VOORBEELD}}}},
        REGELS.weigert("wijkwerker-onbekend", "loonbrief-onbereikbaar")),
)
async def loonbrief(wijkwerker_id: uuid.UUID, periode: PeriodePad, request: Request, session: Leessessie,
                    settings: Instellingen, principal: SlipLezer) -> Response:
    await _dossier(session, principal, wijkwerker_id)
    await session.rollback()  # no transaction held while cheques renders
    status, inhoud = await loonbrieven.haal(settings.urls.cheques_url, _token(request), wijkwerker_id, periode,
                                            verify=tls.verify(settings.urls.ca_file),
                                            transport=getattr(request.app.state, "dienst_transport", None))
    if status == 404:
        raise NietGevonden("No such worker.", rule="wijkwerker-onbekend")
    if status == 403:  # cheques' refusal of this token (its problem document), passed on as it is
        return Response(inhoud, status_code=403, media_type=MEDIA_TYPE)
    if status != 200:
        raise Problem(503, "loonbrief-onbereikbaar", "The payout slip cannot be fetched from cheques now.")
    return Response(inhoud, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="loonbrief-{periode}-{wijkwerker_id}.pdf"',
        "Cache-Control": "private, no-store"})
