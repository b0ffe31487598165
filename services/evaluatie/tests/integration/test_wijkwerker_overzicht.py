"""The worker's own view (issue #23 item 7) on real PostgreSQL: the JSON the page reads
(trajectory, hours, counters, payouts, certificates, as of a date), the counters asked of a
real prestaties app in process with the worker's own token, the data scope (a worker sees
only itself, deny by default), and the page's shell (manifest, service worker) served
without a token and without any data."""

from __future__ import annotations

import json
import uuid
from datetime import date, time

import httpx
import pytest

from evaluatie.config import Settings
from evaluatie.entrypoints.api import create_app
from evaluatie.service_layer.consumenten.rapportering import HANDLERS as EVALUATIE_HANDLERS
from evaluatie.service_layer.uow import EvaluatieUnitOfWork
from prestaties.config import Settings as PrestatiesSettings
from prestaties.entrypoints.api import create_app as prestaties_app
from prestaties.service_layer.consumenten.referentie import HANDLERS as PRESTATIES_HANDLERS
from prestaties.service_layer.uow import PrestatiesUnitOfWork
from wijkwerk.db import create_engine, session_factory
from wijkwerk.events import Envelope
from wijkwerk.events.cheques import UitbetalingUitgevoerd
from wijkwerk.events.prestaties import PrestatieGeregistreerd
from wijkwerk.events.toeleiding import Gemeente, OrganisatorGeregistreerd, TrajectGestart, WijkwerkerIngeschreven
from wijkwerk.messaging.consumer import pas_toe
from wijkwerk_platform.testing import migrated_database
from wijkwerk_platform.testkit import api_client

pytestmark = pytest.mark.integration

ORG, WERKER, TRAJECT, ANDER = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
OP = date(2026, 6, 30)
LEZEN = ("wijkwerker:lezen", "documenten:lezen")


def _prestatie(datum: date, activiteit: str, uren: int) -> PrestatieGeregistreerd:
    return PrestatieGeregistreerd(
        prestatie_id=uuid.uuid4(), wijkwerker_id=WERKER, gebruiker_id=uuid.uuid4(), organisator_id=ORG,
        koppeling_id=uuid.uuid4(), datum=datum, door="gebruiker", traject_id=TRAJECT, activiteit_id=uuid.uuid4(),
        activiteit_categorie=activiteit, gebruiker_categorie="particulier", locatie_nis_code="31005", start=time(9),
        minuten=uren * 60, begonnen_uren=uren, afstand_km=2, recht_op_verplaatsingsvergoeding=False,
        verplaatsingsvergoeding_dag_cent=0)


async def _fold(engine, handlers, uow_cls, *events) -> None:
    async with session_factory(engine)() as session, session.begin():
        for e in events:
            await pas_toe(handlers[type(e)], e, uow_cls.joined(session, envelope=Envelope.wrap(e, producer="test")))


@pytest.fixture(scope="module")
async def wereld(embedded_pg, tokens):
    """A worker of ORG since 2026-01-10: 3 + 4 h gardening (Feb, Mar), 2 h cleaning (May),
    a payout of May dated 1 June, an evaluation on 15 June and a certificate as of OP; the
    same trajectory in a real prestaties app, which evaluatie asks for the counters."""
    organisator = OrganisatorGeregistreerd(organisator_id=ORG, naam="Wijk-werken Westhoek", samenwerkingsverband="SV",
                                           gemeenten=(Gemeente(nis_code="31005", naam="Brugge"),))
    traject = TrajectGestart(traject_id=TRAJECT, toeleiding_id=uuid.uuid4(), wijkwerker_id=WERKER, organisator_id=ORG,
                             start=date(2026, 1, 10), gepland_einde=date(2027, 1, 9), max_einde=None)
    p_url = migrated_database(embedded_pg, "prestaties", f"pres_{uuid.uuid4().hex[:8]}")
    p_engine = create_engine(p_url, pool_size=2)
    await _fold(p_engine, PRESTATIES_HANDLERS, PrestatiesUnitOfWork, organisator, traject)
    e_url = migrated_database(embedded_pg, "evaluatie", f"eval_{uuid.uuid4().hex[:8]}")
    e_engine = create_engine(e_url, pool_size=2)
    await _fold(e_engine, EVALUATIE_HANDLERS, EvaluatieUnitOfWork, organisator,
                WijkwerkerIngeschreven(wijkwerker_id=WERKER, organisator_id=ORG, domicilie_nis_code="31005",
                                       uitkeringsstatus="leefloon", ex_pwa=False, onbeperkt_recht=False,
                                       ingeschreven_op=date(2026, 1, 5)),
                traject, _prestatie(date(2026, 2, 3), "groenonderhoud", 3),
                _prestatie(date(2026, 3, 17), "groenonderhoud", 4), _prestatie(date(2026, 5, 20), "poetsen", 2),
                UitbetalingUitgevoerd(wijkwerker_id=WERKER, periode="2026-05", bedrag_cent=820,
                                      uitgevoerd_op=date(2026, 6, 1), end_to_end_id="WW-2026-05-1"))
    prestaties = prestaties_app(PrestatiesSettings(database_url=p_url, run_workers=False, auth=tokens.auth_settings()))
    evaluatie = create_app(Settings(database_url=e_url, run_workers=False, auth=tokens.auth_settings()))
    naar_prestaties = httpx.ASGITransport(app=prestaties)
    gevraagd: list[httpx.Request] = []

    async def cheques(request: httpx.Request) -> httpx.Response:  # a stand-in: its slips are tested in cheques
        gevraagd.append(request)
        eigen = request.headers["authorization"] == _eigen(tokens)["Authorization"]
        if request.url.path.endswith("/2026-03"):  # cheques refuses the token (its data scope)
            return httpx.Response(403, json={"status": 403, "rule": "scope-ontbreekt"},
                                  headers={"content-type": "application/problem+json"})
        return (httpx.Response(200, content=b"%PDF-1.3 slip", headers={"content-type": "application/pdf"})
                if f"/v1/wijkwerkers/{WERKER}/loonbrieven/2026-05" == request.url.path and eigen
                else httpx.Response(404, json={"rule": "wijkwerker-onbekend"}))

    class Diensten(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            doel = naar_prestaties if request.url.port == 8002 else httpx.MockTransport(cheques)  # default URLs
            return await doel.handle_async_request(request)

    async with api_client(prestaties), api_client(evaluatie) as client:
        evaluatie.state.dienst_transport = Diensten()
        evaluatie.state.cheques_gevraagd = gevraagd
        schrijf = tokens.headers("evaluatie:write", org=str(ORG), org_type="organisator")
        r = await client.post("/v1/evaluaties", headers=schrijf, json={
            "traject_id": str(TRAJECT), "datum": "2026-06-15", "uitkomst": "zelfde_klus"})
        assert r.status_code == 201, r.text
        r = await client.post(f"/v1/wijkwerkers/{WERKER}/getuigschriften", headers=schrijf,
                              json={"naam": "A. Peeters", "op": str(OP)})
        assert r.status_code == 201, r.text
        yield client, evaluatie, r.json()
    await p_engine.dispose()
    await e_engine.dispose()


_TOKENS: dict = {}


def _eigen(tokens, werker=WERKER) -> dict:
    """The worker's own token (one per worker, so a stand-in can recognise it)."""
    if werker not in _TOKENS:
        _TOKENS[werker] = tokens.headers(*LEZEN, org=str(werker), org_type="wijkwerker")
    return _TOKENS[werker]


async def test_the_worker_sees_its_trajectory_hours_counters_payouts_and_certificate(wereld, tokens):
    client, _, getuigschrift = wereld
    r = await client.get(f"/v1/wijkwerkers/{WERKER}/overzicht", params={"op": str(OP)}, headers=_eigen(tokens))
    assert r.status_code == 200, r.text
    o = r.json()
    assert (o["op"], o["organisator"]) == (str(OP), "Wijk-werken Westhoek")
    [t] = o["trajecten"]
    assert (t["start"], t["gepland_einde"], t["loopt"]) == ("2026-01-10", "2027-01-09", True)
    assert t["evaluaties"] == [{"datum": "2026-06-15", "uitkomst": "zelfde_klus",
                                "omschrijving": "verder in dezelfde klus"}]
    assert o["uren"] == {"totaal": 9, "per_maand": [{"maand": "2026-02", "uren": 3}, {"maand": "2026-03", "uren": 4},
                                                    {"maand": "2026-05", "uren": 2}],
                         "per_activiteit": [{"activiteit": "groenonderhoud", "uren": 7},
                                            {"activiteit": "poetsen", "uren": 2}]}
    # prestaties' own counters, asked with the worker's token (its scope wijkwerker:lezen)
    assert o["tellers"]["status"] == "ok"
    assert (o["tellers"]["uren"]["plafond_maand"], o["tellers"]["uren"]["over_jaar"]) == (60, 630)
    assert (o["tellers"]["traject"]["dagen_over"], o["tellers"]["traject"]["volgende_evaluatie"]) == (194, "2026-07-10")
    assert o["uitbetalingen"] == [{"periode": "2026-05", "bedrag": "8.20", "uitgevoerd_op": "2026-06-01",
                                   "teruggeboekt_op": None, "terug_reden": None,
                                   "loonbrief": f"/v1/wijkwerkers/{WERKER}/overzicht/loonbrieven/2026-05"}]
    [g] = o["getuigschriften"]
    assert (g["id"], g["status"], g["verificatie_url"]) == (getuigschrift["id"], "geldig",
                                                             getuigschrift["verificatie_url"])
    pdf = await client.get(g["pdf"], headers=_eigen(tokens))  # the link the page opens, with the same token
    assert (pdf.status_code, pdf.headers["content-type"]) == (200, "application/pdf")

    # as of a date: only facts dated on or before it
    vroeger = (await client.get(f"/v1/wijkwerkers/{WERKER}/overzicht", params={"op": "2026-03-31"},
                                headers=_eigen(tokens))).json()
    assert (vroeger["uren"]["totaal"], vroeger["uitbetalingen"], vroeger["getuigschriften"]) == (7, [], [])
    assert vroeger["trajecten"][0]["evaluaties"] == []


async def test_a_worker_token_sees_only_its_own_worker_and_everybody_else_is_denied(wereld, tokens):
    client, _, _ = wereld
    pad = f"/v1/wijkwerkers/{WERKER}/overzicht"
    for kw in ({"org": str(ANDER), "org_type": "wijkwerker"},  # another worker's own token
               {"org": str(uuid.uuid4()), "org_type": "organisator"},  # another organiser
               {"org": str(WERKER), "org_type": "gebruiker"},  # a gebruiker, whatever its id
               {"org": "ocmw-gent", "org_type": "toeleider"}):
        r = await client.get(pad, headers=tokens.headers(*LEZEN, "rapportering:read", **kw))
        assert (r.status_code, r.json()["rule"]) == (404, "wijkwerker-onbekend"), kw
    onbekend = await client.get(f"/v1/wijkwerkers/{ANDER}/overzicht", headers=_eigen(tokens, ANDER))
    assert (onbekend.status_code, onbekend.json()["rule"]) == (404, "wijkwerker-onbekend")
    zonder_scope = await client.get(pad, headers=tokens.headers("documenten:lezen", org=str(WERKER),
                                                                    org_type="wijkwerker"))
    assert (zonder_scope.status_code, zonder_scope.json()["rule"]) == (403, "scope-ontbreekt")
    assert (await client.get(pad)).status_code == 401
    # the worker's organiser and central callers see it with their reporting scope
    for kw in ({"org": str(ORG), "org_type": "organisator"}, {"org_type": "vdab"}):
        r = await client.get(pad, params={"op": str(OP)}, headers=tokens.headers("rapportering:read", **kw))
        assert r.status_code == 200 and r.json()["tellers"]["status"] == "ok", (kw, r.text)


async def test_without_prestaties_the_page_still_shows_all_but_the_counters(wereld, tokens):
    client, app, _ = wereld
    bewaard = app.state.dienst_transport

    async def weg(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("prestaties is down", request=request)

    app.state.dienst_transport = httpx.MockTransport(weg)
    try:
        r = await client.get(f"/v1/wijkwerkers/{WERKER}/overzicht", params={"op": str(OP)}, headers=_eigen(tokens))
    finally:
        app.state.dienst_transport = bewaard
    assert r.status_code == 200
    assert r.json()["tellers"] == {"status": "onbereikbaar", "uren": None, "traject": None}
    assert r.json()["uren"]["totaal"] == 9


async def test_the_shell_is_served_without_a_token_and_carries_no_data(wereld):
    client, _, _ = wereld
    pagina = await client.get("/mijn/")
    assert pagina.status_code == 200 and pagina.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in pagina.headers["content-security-policy"]
    assert '<html lang="nl">' in pagina.text and 'rel="manifest"' in pagina.text and str(WERKER) not in pagina.text
    manifest = await client.get("/mijn/manifest.webmanifest")
    m = json.loads(manifest.text)
    assert (manifest.headers["content-type"], m["display"], m["lang"], m["start_url"]) == (
        "application/manifest+json", "standalone", "nl", "./")
    assert {i["sizes"] for i in m["icons"]} >= {"192x192", "512x512"}
    for i in m["icons"]:
        icoon = await client.get(f"/mijn/{i['src']}")
        assert icoon.status_code == 200 and icoon.content[:8] == b"\x89PNG\r\n\x1a\n"
    sw = await client.get("/mijn/sw.js")
    assert sw.status_code == 200 and sw.headers["content-type"].startswith("text/javascript")
    assert "caches" in sw.text
    assert (await client.get("/mijn/..%2Fconfig.py")).status_code in (404, 422)
    assert (await client.get("/mijn/geheim.txt")).status_code == 422
    # without the slash: a relative redirect, which behind the edge keeps its /evaluatie prefix
    zonder = await client.get("/mijn", follow_redirects=False)
    assert (zonder.status_code, zonder.headers["location"]) == (308, "mijn/")


async def test_the_payout_slip_is_cheques_own_passed_on_with_the_callers_token(wereld, tokens):
    client, app, _ = wereld
    pad = f"/v1/wijkwerkers/{WERKER}/overzicht/loonbrieven/2026-05"
    r = await client.get(pad, headers=_eigen(tokens))
    assert (r.status_code, r.headers["content-type"], r.content) == (200, "application/pdf", b"%PDF-1.3 slip")
    assert app.state.cheques_gevraagd[-1].headers["authorization"] == _eigen(tokens)["Authorization"]
    gevraagd = len(app.state.cheques_gevraagd)
    # another worker's token is refused here, before cheques is asked
    ander = await client.get(pad, headers=_eigen(tokens, ANDER))
    assert (ander.status_code, ander.json()["rule"]) == (404, "wijkwerker-onbekend")
    assert len(app.state.cheques_gevraagd) == gevraagd
    # what cheques does not know (here: another month) is an unknown worker too
    geen = await client.get(f"/v1/wijkwerkers/{WERKER}/overzicht/loonbrieven/2026-04", headers=_eigen(tokens))
    assert (geen.status_code, geen.json()["rule"]) == (404, "wijkwerker-onbekend")
    # cheques' refusal is a refusal here too, not an outage
    geweigerd = await client.get(f"/v1/wijkwerkers/{WERKER}/overzicht/loonbrieven/2026-03", headers=_eigen(tokens))
    assert (geweigerd.status_code, geweigerd.json()["rule"]) == (403, "scope-ontbreekt")
    # a token without the documents' scope is refused before cheques is asked
    gevraagd = len(app.state.cheques_gevraagd)
    zonder = await client.get(pad, headers=tokens.headers("wijkwerker:lezen", org=str(WERKER), org_type="wijkwerker"))
    assert (zonder.status_code, zonder.json()["rule"]) == (403, "scope-ontbreekt")
    assert len(app.state.cheques_gevraagd) == gevraagd
