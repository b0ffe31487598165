"""The ops dashboard: one page for Flanders and one per organiser, server-rendered with
plotly charts of the monthly series and the pipelines' backlog, lag and dead letters."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated
from urllib.parse import parse_qs

import plotly
from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from evaluatie.adapters.reeksen import Reeksen, maandeinden
from evaluatie.adapters.tables import rm_organisatoren
from evaluatie.config import Settings
from evaluatie.entrypoints.dashboard import grafieken, ops
from evaluatie.entrypoints.deps import Instellingen, Leessessie
from wijkwerk.auth import TOKEN_COOKIE, Principal, gegevensscope, require, sees_organisation
from wijkwerk.fouten import NotFound
from wijkwerk.http import tls
from wijkwerk.problems import Problem

router = APIRouter(prefix="/dashboard", tags=["dashboard"], include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).with_name("templates"))
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
LEESSCOPE = "rapportering:read"
COOKIE_PAD = "/dashboard"
Reader = Annotated[Principal, Depends(require(LEESSCOPE))]


@router.get("/login", name="login")
async def login_form(request: Request) -> Response:
    """The login form. The token is posted, never put in a URL: a URL lands in browser
    history, proxy and access logs."""
    return templates.TemplateResponse(request, "login.html", {"login_url": str(request.url_for("login"))})


@router.post("/login")
async def aanmelden(request: Request) -> Response:
    """Verifies the posted token (signature, org_type, the reporting scope) and keeps it in
    a session cookie for the pages: ``Secure`` (browsers treat http://localhost and
    127.0.0.1 as secure, anything else needs TLS), ``HttpOnly`` (no script reads it),
    ``SameSite=Strict`` and limited to /dashboard (no other site's page or request carries
    it), until the token expires."""
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        raise Problem(403, "herkomst-ongeldig", "Sign in from the dashboard's own login form.")
    velden = parse_qs((await request.body()).decode("utf-8", "replace"), max_num_fields=4)
    token = (velden.get("token") or [""])[0].strip()
    if not token:
        raise Problem(401, "token-ontbreekt", "A bearer token is required.")
    principal = await request.app.state.token_verifier.verify_async(token)
    if not principal.has(LEESSCOPE):
        raise Problem(403, "scope-ontbreekt", f"The dashboard needs the scope {LEESSCOPE}.")
    resterend = int(principal.claims["exp"] - time.time())
    response = RedirectResponse(url=str(request.url_for("vlaanderen")), status_code=303)
    response.set_cookie(TOKEN_COOKIE, token, max_age=max(resterend, 1), path=COOKIE_PAD, secure=True,
                        httponly=True, samesite="strict")
    return response


@router.post("/logout", name="logout")
async def logout(request: Request) -> Response:
    response = RedirectResponse(url=str(request.url_for("login")), status_code=303)
    response.delete_cookie(TOKEN_COOKIE, path=COOKIE_PAD, secure=True, httponly=True, samesite="strict")
    return response


@router.get("/static/plotly.min.js")
async def plotly_js() -> FileResponse:
    return FileResponse(PLOTLY_JS, media_type="text/javascript", headers={"Cache-Control": "max-age=86400"})


@router.get("", name="vlaanderen")
async def vlaanderen(request: Request, session: Leessessie, settings: Instellingen,
                    principal: Reader) -> Response:
    if principal.org_type == "organisator" and principal.org:
        return RedirectResponse(url=str(request.url_for("organisator", organisator_id=principal.org)), status_code=303)
    if not gegevensscope(principal).alles:  # referrers, gebruikers: not Flanders-wide
        raise NotFound("No dashboard for this caller.", rule="dashboard-onbekend")
    return await _pagina(request, session, settings, None, "Wijk-werken Vlaanderen")


@router.get("/organisatoren/{organisator_id}", name="organisator")
async def organisator(organisator_id: uuid.UUID, request: Request, session: Leessessie, settings: Instellingen,
                    principal: Reader) -> Response:
    if not sees_organisation(principal, organisator_id):
        raise NotFound("No such organiser.", rule="organisator-onbekend")
    return await _pagina(request, session, settings, organisator_id, None)


async def _pagina(request: Request, session: AsyncSession, settings: Settings, organisator_id: uuid.UUID | None,
                  titel: str | None) -> Response:
    tot = date.today()
    einden = maandeinden(tot, 12)
    organisatoren = (await session.execute(select(rm_organisatoren).order_by(rm_organisatoren.c.naam))).all()
    reeksen = Reeksen(session)
    dossiers = await reeksen.dossiers(einden, organisator_id)
    toeleidingen = await reeksen.toeleidingen(einden, organisator_id)
    evaluaties = await reeksen.evaluaties(einden, organisator_id)
    uren = await reeksen.uren(einden, organisator_id)
    geld = await reeksen.geld(einden, organisator_id)
    if organisator_id is not None:
        naam = next((o.naam for o in organisatoren if o.id == organisator_id), None)
        if naam is None:
            raise NotFound("No such organiser.", rule="organisator-onbekend")
        titel = naam
    urls = settings.urls
    pipelines = await ops.verzamel({s: urls.metrics_url(s) for s in ("toeleiding", "prestaties", "cheques", "evaluatie")},
                                   verify=tls.verify(urls.ca_file))
    context = {
        "titel": titel,
        "tot": tot,
        "base": str(request.base_url).rstrip("/"),
        "plotly_url": str(request.url_for("plotly_js")),
        "logout_url": str(request.url_for("logout")),
        "organisatoren": organisatoren,
        "kpi": {
            "geregistreerd": dossiers["geregistreerd"][-1],
            "actief_of_voorlopig": dossiers["actief_of_voorlopig"][-1],
            "toeleidingen": sum(map(sum, toeleidingen.values())),
            "evaluaties": sum(map(sum, evaluaties.values())),
        },
        "grafieken": [
            grafieken.maandgrafiek("Dossiers op maandeinde (RPT-01)", einden, dossiers, "dossiers", soort="line"),
            grafieken.maandgrafiek("Toeleidingen per toeleider (RPT-05, RPT-07)", einden, toeleidingen, "toeleidingen"),
            grafieken.maandgrafiek("Evaluaties per uitkomst (RPT-08)", einden, evaluaties, "evaluaties"),
            grafieken.maandgrafiek("Begonnen uren per gebruikerscategorie (RPT-06)", einden, uren, "uren"),
            grafieken.maandgrafiek("Verdeling van de cheques in euro, per validatiemaand (RPT-18)", einden, geld, "geld"),
        ],
        "ops": pipelines,
        "ops_grafiek": grafieken.opsgrafiek(pipelines),
        "berekend_op": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    return templates.TemplateResponse(request, "dashboard.html", context)
