"""The counters before entry on the organiser's dashboard (issue #23 item 1), on real
PostgreSQL: the page asks prestaties (a real app on its own database, in process) with the
caller's token and shows what a registration would meet; cheques answers from a stand-in
(its counters are proven in cheques' own tests). Another organiser's page is not there."""

from __future__ import annotations

import re
import uuid
from datetime import date

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
from wijkwerk.events.toeleiding import Gemeente, OrganisatorGeregistreerd, OvereenkomstGetekend, TrajectGestart
from wijkwerk.messaging.consumer import pas_toe
from wijkwerk_platform.testing import migrated_database
from wijkwerk_platform.testkit import api_client

pytestmark = pytest.mark.integration

ORG, WERKER, TRAJECT, GEBRUIKER = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
CHEQUES = {"gebruiker_id": str(GEBRUIKER), "op": "2025-03-10", "per_drager": {"papier": 3, "elektronisch": 0},
           "dragers": [
               {"organisator_id": str(ORG), "drager": "papier", "over": 3, "eerste_vervaldag": "2025-03-31",
                "vervalt_binnen_30_dagen": 3, "vervaldagen": [{"geldig_tot": "2025-03-31", "aantal": 3}]},
               {"organisator_id": str(uuid.uuid4()), "drager": "elektronisch", "over": 7,  # another organiser's
                "eerste_vervaldag": "2026-01-31", "vervalt_binnen_30_dagen": 0,
                "vervaldagen": [{"geldig_tot": "2026-01-31", "aantal": 7}]}]}


async def _fold(engine, handlers, uow_cls, producer: str, *events) -> None:
    async with session_factory(engine)() as session, session.begin():
        for e in events:
            await pas_toe(handlers[type(e)], e, uow_cls.joined(session, envelope=Envelope.wrap(e, producer=producer)))


async def _prestaties_wereld(client: httpx.AsyncClient, h: dict) -> None:
    """A placement of the worker at a school, and 60 started hours in March 2025."""
    async def post(pad: str, body: dict) -> dict:
        r = await client.post(pad, json=body, headers=h)
        assert r.status_code in (200, 201), r.text
        return r.json()

    g = await post("/v1/gebruikers", {"categorie": "school", "naam": "De Linde", "aangemeld_op": "2025-01-06",
                                      "aangemeld_bij": str(ORG)})
    e = await post(f"/v1/gebruikers/{g['id']}/erkenningen", {"organisator_id": str(ORG), "geldig_vanaf": "2025-01-06",
                                                             "overeenkomst_op": "2025-01-06"})
    await post(f"/v1/erkenningen/{e['id']}/betalingen", {"betaald_op": "2025-01-06"})
    a = await post(f"/v1/organisatoren/{ORG}/activiteiten", {"naam": "Toezicht", "categorie": "onderwijs_en_kinderopvang",
                                                             "toegelaten_categorieen": ["school"]})
    k = await post("/v1/koppelingen", {"wijkwerker_id": str(WERKER), "gebruiker_id": g["id"], "organisator_id": str(ORG),
                                       "activiteit_id": a["id"], "locatie_nis_code": "31005", "afstand_km": 2,
                                       "start": "2025-01-06"})
    for dag in range(3, 9):
        await post("/v1/prestaties", {"koppeling_id": k["id"], "datum": f"2025-03-{dag:02d}", "start": "08:00",
                                      "minuten": 600, "door": "wijkwerker"})


@pytest.fixture
async def dashboard(embedded_pg, tokens):
    organisator = OrganisatorGeregistreerd(organisator_id=ORG, naam="Wijk-werken Brugge", samenwerkingsverband="W10",
                                           gemeenten=(Gemeente(nis_code="31005", naam="Brugge"),))
    p_url = migrated_database(embedded_pg, "prestaties", f"prest_{uuid.uuid4().hex[:8]}")
    p_engine = create_engine(p_url, pool_size=2)
    await _fold(p_engine, PRESTATIES_HANDLERS, PrestatiesUnitOfWork, "toeleiding", organisator, TrajectGestart(
        traject_id=TRAJECT, toeleiding_id=uuid.uuid4(), wijkwerker_id=WERKER, organisator_id=ORG,
        start=date(2025, 1, 6), gepland_einde=date(2025, 12, 31), max_einde=date(2025, 12, 31),
    ), OvereenkomstGetekend(traject_id=TRAJECT, wijkwerker_id=WERKER, organisator_id=ORG, getekend_op=date(2025, 1, 6)))
    e_url = migrated_database(embedded_pg, "evaluatie", f"eval_{uuid.uuid4().hex[:8]}")
    e_engine = create_engine(e_url, pool_size=2)
    await _fold(e_engine, EVALUATIE_HANDLERS, EvaluatieUnitOfWork, "toeleiding", organisator)
    prestaties = prestaties_app(PrestatiesSettings(database_url=p_url, run_workers=False, auth=tokens.auth_settings()))
    evaluatie = create_app(Settings(database_url=e_url, run_workers=False, auth=tokens.auth_settings()))
    gevraagd: list[httpx.Request] = []

    async def cheques(request: httpx.Request) -> httpx.Response:
        gevraagd.append(request)
        return httpx.Response(200, json=CHEQUES)

    async with api_client(prestaties) as p_client, api_client(evaluatie) as client:
        await _prestaties_wereld(p_client, tokens.headers("prestaties:read", "prestaties:write", "prestaties:admin"))
        naar_prestaties = httpx.ASGITransport(app=prestaties)
        naar_cheques = httpx.MockTransport(cheques)

        class Diensten(httpx.AsyncBaseTransport):
            async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
                doel = naar_prestaties if request.url.port == 8002 else naar_cheques  # the default service URLs
                return await doel.handle_async_request(request)

        evaluatie.state.dienst_transport = Diensten()
        yield client, gevraagd
    await p_engine.dispose()
    await e_engine.dispose()


def _cel(html: str, id_: str) -> str:
    m = re.search(rf'id="{id_}"[^>]*>\s*([^<]*?)\s*<', html)
    assert m, (id_, html)
    return m.group(1)


async def test_the_organiser_looks_up_a_worker_and_a_gebruiker(dashboard, tokens):
    client, gevraagd = dashboard
    token = tokens.mint("rapportering:read", org=str(ORG), org_type="organisator")
    pagina = await client.get(f"/dashboard/organisatoren/{ORG}/tellers", headers={"Authorization": f"Bearer {token}"},
                              params={"wijkwerker_id": str(WERKER), "gebruiker_id": str(GEBRUIKER), "op": "2025-03-10"})
    assert pagina.status_code == 200, pagina.text
    html = pagina.text
    # 60 started hours registered in March: nothing left this month, what a registration is refused at.
    assert (_cel(html, "uren-over-maand"), _cel(html, "uren-over-jaar"), _cel(html, "max-registreerbaar")) == (
        "0", "570", "0")
    assert _cel(html, "dagen-over") == "297"  # 10 March – 31 December 2025, both included
    assert _cel(html, "volgende-evaluatie") == "2025-07-06"  # no evaluation yet: start + 6 months
    assert 'id="drager-papier"' in html and 'id="drager-elektronisch"' not in html  # only this organiser's cheques
    assert gevraagd[0].headers["authorization"] == f"Bearer {token}"  # asked with the caller's own token
    assert gevraagd[0].url.params["op"] == "2025-03-10"
    # As of the day before the hours were worked, the month is still free.
    eerder = await client.get(f"/dashboard/organisatoren/{ORG}/tellers", headers={"Authorization": f"Bearer {token}"},
                              params={"wijkwerker_id": str(WERKER), "op": "2025-03-02"})
    assert _cel(eerder.text, "uren-over-maand") == "60"


async def test_an_unknown_worker_and_another_organisers_page(dashboard, tokens):
    client, _ = dashboard
    eigen = {"Authorization": f"Bearer {tokens.mint('rapportering:read', org=str(ORG), org_type='organisator')}"}
    r = await client.get(f"/dashboard/organisatoren/{ORG}/tellers", headers=eigen,
                         params={"wijkwerker_id": str(uuid.uuid4())})
    assert r.status_code == 200 and 'id="wijkwerker-onbekend"' in r.text
    ander = {"Authorization": f"Bearer {tokens.mint('rapportering:read', org=str(uuid.uuid4()), org_type='organisator')}"}
    r = await client.get(f"/dashboard/organisatoren/{ORG}/tellers", headers=ander, params={"wijkwerker_id": str(WERKER)})
    assert (r.status_code, r.json()["rule"]) == (404, "organisator-onbekend")
    # The organiser's dashboard page carries the lookup form.
    pagina = await client.get(f"/dashboard/organisatoren/{ORG}", headers=eigen)
    assert pagina.status_code == 200 and 'id="tellers-opzoeken"' in pagina.text
