"""Work-experience certificates (issue #23 item 5): issued by the worker's organiser (or a
central caller), read as PDF by them and by the worker's own token (org_type
``wijkwerker``), revoked by the organiser; verified by anyone, without a login, at the URL
in the certificate's QR code (HTML for people, JSON for machines), against the key
published at ``/.well-known/wijkwerk-getuigschriften.json``."""

import html
import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from evaluatie.adapters.getuigschrift_pdf import UITKOMSTEN, getuigschrift_pdf
from evaluatie.adapters.ondertekening import Ondertekenaar, laad
from evaluatie.entrypoints.deps import get_uow
from evaluatie.entrypoints.regelboek import REGELS
from evaluatie.service_layer import getuigschriften
from evaluatie.service_layer.getuigschriften import Getuigschrift
from evaluatie.service_layer.uow import EvaluatieUnitOfWork
from wijkwerk.auth import Principal, is_eigen_wijkwerker, require, sees_organisation
from wijkwerk.http.documentatie import samen
from wijkwerk.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1", tags=["getuigschriften"], responses=PROBLEM_RESPONSES)
publiek = APIRouter(tags=["getuigschriften"], responses=PROBLEM_RESPONSES)
Uow = Annotated[EvaluatieUnitOfWork, Depends(get_uow)]
Schrijver = Annotated[Principal, Depends(require("evaluatie:write"))]
Lezer = Annotated[Principal, Depends(require("documenten:lezen"))]

_ID = "9f0c5a57-6a8e-4d0b-9a43-3f3b8f0e2c11"
_VERKLARING: dict[str, Any] = {"getuigschrift_id": _ID, "naam": "A. Peeters", "organisator": "Wijk-werken Midwest", "op": "2026-06-30",
               "periode": {"van": "2026-01-12", "tot": "2026-06-26"}, "uren": 96,
               "activiteiten": [{"activiteit": "groenonderhoud", "van": "2026-01-12", "tot": "2026-06-26", "uren": 96}],
               "evaluaties": [{"datum": "2026-06-15", "uitkomst": "zelfde_klus"}]}
_URL = f"https://wijkwerk.example/evaluatie/verificatie/getuigschriften/{_ID}?c=Qm9V8v2Zr0x1Yk3c7d9e1f"
PDF_VOORBEELD = "%PDF-1.3\n% (binary) the certificate, a QR code, getuigschrift.json and getuigschrift.sig attached\n"


class GetuigschriftIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"naam": "A. Peeters",
                                                                               "op": "2026-06-30"}]})

    naam: str = Field(min_length=1, max_length=80, pattern=r"\S",
                      description="The name (or initials) as printed; the verification page shows exactly this")
    op: date = Field(description="As of this date: only prestaties and evaluations dated on or before it")


class IntrekkingIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"ingetrokken_op": "2026-07-02",
                                                                               "reden": "Verkeerde naam gedrukt"}]})

    ingetrokken_op: date
    reden: str = Field(min_length=1, max_length=500)


class GetuigschriftOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": _ID, "wijkwerker_id": "1b4e28ba-2fa1-11d2-883f-0016d3cca427", "status": "geldig", "ingetrokken_op": None,
        "pdf": f"/v1/getuigschriften/{_ID}", "verificatie_url": _URL, "sleutel_id": "4f1c2a9b0d3e5f67",
        "verklaring": _VERKLARING}]})

    id: uuid.UUID
    wijkwerker_id: uuid.UUID
    status: str = Field(description="geldig, ingetrokken or ongeldig (the stored statement no longer verifies)")
    ingetrokken_op: date | None
    pdf: str
    verificatie_url: str
    sleutel_id: str
    verklaring: dict = Field(description="What the certificate states, exactly as signed")


class VerificatieOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"status": "geldig", "ingetrokken_op": None, "verklaring": _VERKLARING},
        {"status": "ongeldig", "ingetrokken_op": None, "verklaring": None}]})

    status: str = Field(description="geldig, ingetrokken or ongeldig (unknown, altered, or a wrong check code)")
    ingetrokken_op: date | None = None
    verklaring: dict | None = Field(None, description="What the certificate states; nothing when ongeldig")


def ondertekenaar(request: Request) -> Ondertekenaar:
    """The platform key, loaded (in the embedded default: created) on first use."""
    if (gevonden := getattr(request.app.state, "getuigschrift_sleutel", None)) is None:
        pad, aanmaken = request.app.state.settings.getuigschrift_sleutel()
        gevonden = request.app.state.getuigschrift_sleutel = laad(pad, aanmaken=aanmaken)
    return gevonden


Sleutel = Annotated[Ondertekenaar, Depends(ondertekenaar)]


def _url(request: Request, g: Getuigschrift) -> str:
    basis = request.app.state.settings.verificatie_basis
    code = getuigschriften.controle(g.opgeslagen.handtekening)
    return f"{basis}/verificatie/getuigschriften/{g.opgeslagen.id}?c={code}"


def _out(request: Request, g: Getuigschrift) -> GetuigschriftOut:
    return GetuigschriftOut(id=g.opgeslagen.id, wijkwerker_id=g.opgeslagen.wijkwerker_id, status=g.status,
                            ingetrokken_op=g.opgeslagen.ingetrokken_op, pdf=f"/v1/getuigschriften/{g.opgeslagen.id}",
                            verificatie_url=_url(request, g), sleutel_id=g.opgeslagen.sleutel_id,
                            verklaring=g.verklaring.als_json())


@router.post(
    "/wijkwerkers/{wijkwerker_id}/getuigschriften", status_code=status.HTTP_201_CREATED,
    summary="Issue a signed work-experience certificate as of a date (hours per activity and period, evaluations)",
    responses=REGELS.weigert("wijkwerker-onbekend", "getuigschrift-zonder-prestaties", "getuigschrift-in-de-toekomst",
                             "getuigschrift-sleutel-ontbreekt"),
)
async def geef_uit(wijkwerker_id: uuid.UUID, body: GetuigschriftIn, request: Request, uow: Uow, principal: Schrijver,
                   sleutel: Sleutel) -> GetuigschriftOut:
    g = await getuigschriften.geef_uit(uow, sleutel, lambda o: sees_organisation(principal, o), wijkwerker_id,
                                       body.naam.strip(), body.op, date.today(), principal.subject)
    return _out(request, g)


@router.get(
    "/wijkwerkers/{wijkwerker_id}/getuigschriften",
    summary="The worker's certificates (the worker's own token, its organiser, central callers), oldest first",
    responses=REGELS.weigert("wijkwerker-onbekend", "getuigschrift-sleutel-ontbreekt"),
)
async def lijst(wijkwerker_id: uuid.UUID, request: Request, uow: Uow, principal: Lezer,
                sleutel: Sleutel) -> list[GetuigschriftOut]:
    gevonden = await getuigschriften.van_wijkwerker(uow, sleutel, lambda o: sees_organisation(principal, o),
                                                    lambda w: is_eigen_wijkwerker(principal, w), wijkwerker_id)
    return [_out(request, g) for g in gevonden]


@router.get(
    "/getuigschriften/{getuigschrift_id}",
    summary="The certificate as PDF: the worker's own token, its organiser, central callers",
    response_class=Response,
    responses=samen({200: {"description": "The certificate as PDF", "content": {"application/pdf": {
        "schema": {"type": "string", "format": "binary"}, "example": PDF_VOORBEELD}}}},
        REGELS.weigert("getuigschrift-onbekend", "getuigschrift-sleutel-ontbreekt")),
)
async def pdf(getuigschrift_id: uuid.UUID, request: Request, uow: Uow, principal: Lezer, sleutel: Sleutel) -> Response:
    g = await getuigschriften.lees(uow, sleutel, lambda o: sees_organisation(principal, o), getuigschrift_id,
                                   lambda w: is_eigen_wijkwerker(principal, w))
    return Response(getuigschrift_pdf(g.opgeslagen, g.verklaring, _url(request, g)), media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="getuigschrift-{getuigschrift_id}.pdf"',
                             "Cache-Control": "private, no-store"})


@router.post(
    "/getuigschriften/{getuigschrift_id}/intrekking",
    summary="Revoke a certificate: its verification page says 'ingetrokken' from then on",
    responses=REGELS.weigert("getuigschrift-onbekend", "getuigschrift-al-ingetrokken",
                             "getuigschrift-sleutel-ontbreekt"),
)
async def trek_in(getuigschrift_id: uuid.UUID, body: IntrekkingIn, request: Request, uow: Uow, principal: Schrijver,
                  sleutel: Sleutel) -> GetuigschriftOut:
    g = await getuigschriften.trek_in(uow, sleutel, lambda o: sees_organisation(principal, o), getuigschrift_id,
                                      body.ingetrokken_op, body.reden, principal.subject)
    return _out(request, g)


def _html(v: VerificatieOut) -> str:
    kleur = {"geldig": "#1a7f37", "ingetrokken": "#b35900"}.get(v.status, "#b42318")
    delen = [f'<p id="status" style="color:{kleur};font-size:1.4em">'
             f"<strong>{html.escape(v.status.upper())}</strong></p>"]
    if v.ingetrokken_op:
        delen.append(f'<p id="ingetrokken">Ingetrokken op {v.ingetrokken_op.isoformat()}</p>')
    if (d := v.verklaring) is not None:
        rijen = "".join(f"<tr><td>{html.escape(a['activiteit'])}</td><td>{a['van']}</td><td>{a['tot']}</td>"
                        f"<td>{a['uren']}</td></tr>" for a in d["activiteiten"])
        evaluaties = "".join(f"<li>{e['datum']}: {html.escape(UITKOMSTEN.get(e['uitkomst'], e['uitkomst']))}</li>"
                             for e in d["evaluaties"]) or "<li>geen</li>"
        delen.append(
            f'<p>Naam: <strong id="naam">{html.escape(d["naam"])}</strong></p>'
            f'<p>Organisator: <span id="organisator">{html.escape(d["organisator"])}</span></p>'
            f'<p>Stand op <span id="op">{d["op"]}</span>; periode <span id="periode">{d["periode"]["van"]} tot '
            f'{d["periode"]["tot"]}</span>; totaal <strong id="uren">{d["uren"]}</strong> uren</p>'
            f'<table id="activiteiten"><tr><th>Activiteit</th><th>Van</th><th>Tot</th><th>Uren</th></tr>{rijen}</table>'
            f'<p>Evaluaties:</p><ul id="evaluaties">{evaluaties}</ul>')
    else:
        delen.append("<p>Dit getuigschrift is niet gekend, of de code in de link klopt niet.</p>")
    return ('<!doctype html><html lang="nl"><head><meta charset="utf-8"><meta name="viewport" '
            'content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">'
            "<title>Verificatie getuigschrift wijk-werken</title></head><body>"
            "<h1>Verificatie getuigschrift wijk-werken</h1>" + "".join(delen) + "</body></html>")


_HTML_VOORBEELD = _html(VerificatieOut(status="geldig", verklaring=_VERKLARING))


@publiek.get(
    "/verificatie/getuigschriften/{getuigschrift_id}",
    summary="Public check of a certificate (no login): geldig, ingetrokken or ongeldig, and what it states",
    description="HTML for people (the QR code's link); JSON with `Accept: application/json`. Shows only what the "
                "certificate states; an unknown id, an altered statement or a wrong check code `c` all answer "
                "`ongeldig` with nothing else.",
    response_model=VerificatieOut,
    responses=samen({200: {"content": {"text/html": {"schema": {"type": "string"}, "example": _HTML_VOORBEELD}}}},
                    REGELS.weigert("getuigschrift-sleutel-ontbreekt")),
)
async def verifieer(getuigschrift_id: uuid.UUID, request: Request, uow: Uow, sleutel: Sleutel,
                    c: Annotated[str | None, Query(max_length=100, description="The QR code's check code")] = None
                    ) -> Response:
    g = await getuigschriften.verifieer(uow, sleutel, getuigschrift_id, c)
    uit = (VerificatieOut(status="ongeldig") if g is None else
           VerificatieOut(status=g.status, ingetrokken_op=g.opgeslagen.ingetrokken_op,
                          verklaring=g.verklaring.als_json()))
    headers = {"Cache-Control": "no-store", "Vary": "Accept", "X-Robots-Tag": "noindex"}
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse(uit.model_dump(mode="json"), headers=headers)
    beleid = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"}
    return HTMLResponse(_html(uit), headers=headers | beleid)


@publiek.get("/.well-known/wijkwerk-getuigschriften.json",
             summary="The platform's public key(s) for certificates, as a JWK set (Ed25519, OKP)",
             responses=samen({200: {"content": {"application/json": {"example": {"keys": [{
                 "kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
                 "kid": "4f1c2a9b0d3e5f67", "use": "sig", "alg": "EdDSA"}]}}}}},
                             REGELS.weigert("getuigschrift-sleutel-ontbreekt")))
async def sleutels(sleutel: Sleutel) -> JSONResponse:
    return JSONResponse(sleutel.jwks(), headers={"Cache-Control": "public, max-age=3600"})
