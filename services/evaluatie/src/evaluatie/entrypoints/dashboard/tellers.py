"""The counters before entry on the organiser's dashboard (issue #23 item 1): look up a
worker or a gebruiker and see what the caps, the trajectory, the evaluation schedule and
the cheque stock still leave on a date.

The figures are not copied here: the page asks the services that own them (prestaties for
a worker, cheques for a gebruiker) with the caller's own token, so their data scope and
their rules are the ones applied, and the page shows exactly what a registration or a
validation would meet."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import select

from evaluatie.adapters.tables import rm_organisatoren
from wijkwerk.auth import TOKEN_COOKIE, Principal, require, sees_organisation
from wijkwerk.fouten import NotFound
from wijkwerk.http import tls

router = APIRouter(prefix="/dashboard", tags=["dashboard"], include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).with_name("templates"))
Reader = Annotated[Principal, Depends(require("rapportering:read"))]
TIMEOUT_S = 5.0


@dataclass(frozen=True)
class Opzoeking:
    """One service's answer: ``ok`` (with ``gegevens``), ``onbekend`` (404: not known, or not
    the caller's), ``onbereikbaar`` (no answer, or one the page cannot use)."""

    status: str
    gegevens: dict[str, Any] | None = None
    detail: str | None = None


def _token(request: Request) -> str:
    """The caller's verified token, from the header or the dashboard's cookie (as
    :func:`wijkwerk.auth.current_principal` read it)."""
    kop = request.headers.get("authorization", "")
    if kop.lower().startswith("bearer "):
        return kop[7:].strip()
    return request.cookies.get(TOKEN_COOKIE, "")


async def _haal(request: Request, service: str, basis_url: str, pad: str, op: date) -> Opzoeking:
    urls = request.app.state.runtime.settings.urls
    transport = getattr(request.app.state, "dienst_transport", None)  # tests: the services in process
    try:
        async with httpx.AsyncClient(base_url=basis_url, timeout=TIMEOUT_S, trust_env=False,
                                     verify=tls.verify(urls.ca_file), transport=transport) as client:
            r = await client.get(pad, params={"op": op.isoformat()},
                                 headers={"Authorization": f"Bearer {_token(request)}"})
    except httpx.HTTPError as exc:
        return Opzoeking("onbereikbaar", detail=f"{service}: {type(exc).__name__}")
    if r.status_code == 200:
        return Opzoeking("ok", r.json())
    if r.status_code == 404:
        return Opzoeking("onbekend", detail=r.json().get("detail"))
    return Opzoeking("onbereikbaar", detail=f"{service} antwoordde {r.status_code}")


@router.get("/organisatoren/{organisator_id}/tellers", name="tellers")
async def tellers(
    organisator_id: uuid.UUID, request: Request, principal: Reader, wijkwerker_id: uuid.UUID | None = None,
    gebruiker_id: uuid.UUID | None = None, op: date | None = None,
) -> Response:
    if not sees_organisation(principal, organisator_id):
        raise NotFound("No such organiser.", rule="organisator-onbekend")
    async with request.app.state.runtime.sessions() as session:
        naam = await session.scalar(select(rm_organisatoren.c.naam).where(rm_organisatoren.c.id == organisator_id))
    if naam is None:
        raise NotFound("No such organiser.", rule="organisator-onbekend")
    dag = op or date.today()
    urls = request.app.state.runtime.settings.urls  # named, so the edge's map of calls sees them
    werker = gebruiker = None
    if wijkwerker_id is not None:
        werker = await _haal(request, "prestaties", urls.prestaties_url, f"/v1/wijkwerkers/{wijkwerker_id}/tellers",
                             dag)
    if gebruiker_id is not None:
        gebruiker = await _haal(request, "cheques", urls.cheques_url, f"/v1/gebruikers/{gebruiker_id}/tellers", dag)
        if gebruiker.gegevens is not None:  # this organiser's page: its own cheques
            rijen = [r for r in gebruiker.gegevens["dragers"] if r["organisator_id"] == str(organisator_id)]
            gebruiker = Opzoeking("ok", {**gebruiker.gegevens, "dragers": rijen})
    return templates.TemplateResponse(request, "tellers.html", {
        "titel": naam, "op": dag, "wijkwerker_id": wijkwerker_id or "", "gebruiker_id": gebruiker_id or "",
        "werker": werker, "gebruiker": gebruiker,
        "terug_url": str(request.url_for("organisator", organisator_id=organisator_id)),
        "actie_url": str(request.url_for("tellers", organisator_id=organisator_id)),
    })
