"""The ops dashboard: one page for Flanders and one per organiser for a chosen period,
server-rendered with plotly charts of the monthly series (each downloadable as CSV), the
month's money split, what is due (evaluations, outflow measurements) and the pipelines'
health with what to do."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated
from urllib.parse import parse_qs

import plotly
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from evaluatie.adapters import fraudesignalen, webhooks
from evaluatie.adapters.reeksen import Reeksen
from evaluatie.adapters.tables import rm_organisatoren
from evaluatie.config import Settings
from evaluatie.entrypoints.dashboard import grafieken, ops, pagina, periode, werk
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


Van = Annotated[str | None, Query(description="First month shown, YYYY-MM (default: 11 months before `tot`)")]
Tot = Annotated[str | None, Query(description="Last month shown, YYYY-MM (default: this month)")]


@router.get("", name="vlaanderen")
async def vlaanderen(request: Request, session: Leessessie, settings: Instellingen, principal: Reader,
                     van: Van = None, tot: Tot = None) -> Response:
    if principal.org_type == "organisator" and principal.org:
        url = request.url_for("organisator", organisator_id=principal.org).include_query_params(**request.query_params)
        return RedirectResponse(url=str(url), status_code=303)
    if not gegevensscope(principal).alles:  # referrers, gebruikers: not Flanders-wide
        raise NotFound("No dashboard for this caller.", rule="dashboard-onbekend")
    return await _pagina(request, session, settings, None, "Wijk-werken Vlaanderen", periode.lees(van, tot, date.today()))


@router.get("/organisatoren/{organisator_id}", name="organisator")
async def organisator(organisator_id: uuid.UUID, request: Request, session: Leessessie, settings: Instellingen,
                      principal: Reader, van: Van = None, tot: Tot = None) -> Response:
    if not sees_organisation(principal, organisator_id):
        raise NotFound("No such organiser.", rule="organisator-onbekend")
    return await _pagina(request, session, settings, organisator_id, None, periode.lees(van, tot, date.today()))


@router.get("/grafieken/{grafiek_id}.csv", name="grafiek_csv")
async def grafiek_csv(grafiek_id: str, session: Leessessie, principal: Reader, van: Van = None, tot: Tot = None,
                      organisator_id: uuid.UUID | None = None) -> Response:
    """A chart's figures as CSV, for the same period and organiser as the page it is on."""
    if organisator_id is None and not gegevensscope(principal).alles:
        raise NotFound("No Flanders-wide figures for this caller.", rule="dashboard-onbekend")
    if organisator_id is not None and not sees_organisation(principal, organisator_id):
        raise NotFound("No such organiser.", rule="organisator-onbekend")
    p = periode.lees(van, tot, date.today())
    gevonden = await pagina.grafiek(session, grafiek_id, p, organisator_id)
    if gevonden is None:
        raise NotFound(f"No chart {grafiek_id[:40]!r}.", rule="grafiek-onbekend")
    naam = f"{grafiek_id}-{organisator_id or 'vlaanderen'}-{p.van}-{p.tot}.csv"
    return Response(gevonden.csv(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{naam}"'})


async def _pagina(request: Request, session: AsyncSession, settings: Settings, organisator_id: uuid.UUID | None,
                  titel: str | None, p: periode.Periode) -> Response:
    organisatoren = (await session.execute(select(rm_organisatoren).order_by(rm_organisatoren.c.naam))).all()
    if organisator_id is not None:
        titel = next((o.naam for o in organisatoren if o.id == organisator_id), None)
        if titel is None:
            raise NotFound("No such organiser.", rule="organisator-onbekend")
    grafieken_ = await pagina.grafieken(session, p, organisator_id)
    te_doen = await werk.verzamel(session, p.op, organisator_id)
    uitbetalingen = await Reeksen(session).uitbetalingen(p.vorige_maand, p.op, organisator_id)
    signalen = await fraudesignalen.wachtrij(session, p.op, organisator_id)
    signalen_open = await fraudesignalen.tel_open(session, p.op, organisator_id)
    leveringen = await webhooks.stand(session, organisator_id)
    urls = settings.urls
    pipelines = await ops.verzamel({s: urls.metrics_url(s) for s in ("toeleiding", "prestaties", "cheques", "evaluatie")},
                                   verify=tls.verify(urls.ca_file))
    reeks = {g.id: g.reeksen for g in grafieken_}
    csv_query = p.query + (f"&organisator_id={organisator_id}" if organisator_id else "")
    context = {
        "titel": titel,
        "periode": p,
        "organisator_id": organisator_id,
        "base": str(request.base_url).rstrip("/"),
        "plotly_url": str(request.url_for("plotly_js")),
        "logout_url": str(request.url_for("logout")),
        "tellers_url": str(request.url_for("tellers", organisator_id=organisator_id)) if organisator_id else None,
        "organisatoren": organisatoren,
        "kpi": {
            "geregistreerd": reeks["dossiers"]["geregistreerd"][-1],
            "actief_of_voorlopig": reeks["dossiers"]["actief_of_voorlopig"][-1],
            "toeleidingen": sum(map(sum, reeks["toeleidingen"].values())),
            "evaluaties": sum(map(sum, reeks["evaluaties"].values())),
        },
        "grafieken": [(g, str(request.url_for("grafiek_csv", grafiek_id=g.id)) + "?" + csv_query) for g in grafieken_],
        "verdeling": pagina.verdeling(grafieken_[-1]),
        "te_doen": te_doen,
        "uitbetalingen": uitbetalingen,
        "signalen": signalen,
        "signalen_open": signalen_open,
        "webhooks": leveringen,
        "webhooks_advies": ops.webhook_advies(leveringen),
        "ops": pipelines,
        "ops_grafiek": grafieken.opsgrafiek(pipelines),
        "berekend_op": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    return templates.TemplateResponse(request, "dashboard.html", context)
