"""Outbound webhooks on a real PostgreSQL and the embedded broker (issue #23 item 6): events
read by the webhooks consumer become deliveries, a local receiver on 127.0.0.1 fails
(timeout, 500) and recovers, and every event arrives, signed for its subscriber only."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, time

import orjson
import pytest
from aiohttp import web
from aiokafka import AIOKafkaProducer
from sqlalchemy import text

from evaluatie.service_layer.bezorging import Beleid, bezorg
from evaluatie.service_layer.consumenten import webhooks as fanout
from evaluatie.service_layer.uow import EvaluatieUnitOfWork
from wijkwerk import webhooks
from wijkwerk.db import session_factory
from wijkwerk.events import Envelope, registry
from wijkwerk.events.evaluatie import EvaluatieAchterstallig
from wijkwerk.events.prestaties import PrestatieBetwist, PrestatieGeregistreerd
from wijkwerk.events.toeleiding import TrajectGestart
from wijkwerk.events.topics import dlq_topic
from wijkwerk.messaging.admin import ensure_topics
from wijkwerk.messaging.consumer import InboxConsumer, dispatch
from wijkwerk.settings import KafkaSettings
from wijkwerk_platform.testing import async_wait_until

pytestmark = pytest.mark.integration

BEHEER = "webhooks:beheer"
BELEID = Beleid(batch=10, gelijktijdig=4, timeout_s=0.5, basis_s=0.2, max_wacht_s=5.0, max_pogingen=4)


def _uow(session, event, producer: str) -> EvaluatieUnitOfWork:
    """The unit of work the consumer hands a handler: joined to the session, with the envelope."""
    return EvaluatieUnitOfWork.joined(session, envelope=Envelope.wrap(event, producer=producer))


class Ontvanger:
    """A partner's back office on 127.0.0.1: per webhook-id the first attempt times out, the
    second answers 500, later ones 200 (``/kapot`` answers 500 always)."""

    def __init__(self) -> None:
        self.ontvangen: list[tuple[str, dict, bytes]] = []  # (path, headers, body) of every request
        self.pogingen: dict[str, int] = {}

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.ontvangen.append((request.path, dict(request.headers), body))
        if request.path == "/kapot":
            return web.Response(status=500)
        n = self.pogingen[request.headers["webhook-id"]] = self.pogingen.get(request.headers["webhook-id"], 0) + 1
        if n == 1:
            await asyncio.sleep(BELEID.timeout_s * 10)  # the sender gives up first
        if n <= 2:
            return web.Response(status=500)
        return web.Response(status=204)

    def geleverd(self, pad: str) -> list[tuple[dict, bytes]]:
        """The requests to ``pad`` that were answered 2xx (from the third per id on)."""
        gezien: dict[str, int] = {}
        uit = []
        for p, h, b in self.ontvangen:
            if p != pad:
                continue
            gezien[h["webhook-id"]] = gezien.get(h["webhook-id"], 0) + 1
            if gezien[h["webhook-id"]] >= 3:
                uit.append((h, b))
        return uit


@pytest.fixture
async def ontvanger():
    o = Ontvanger()
    app = web.Application()
    app.router.add_post("/{pad:.*}", o.handle)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    poort = runner.addresses[0][1]
    yield o, f"http://127.0.0.1:{poort}"
    await runner.cleanup()


def _traject(org: uuid.UUID) -> TrajectGestart:
    return TrajectGestart(traject_id=uuid.uuid4(), toeleiding_id=uuid.uuid4(), wijkwerker_id=uuid.uuid4(),
                          organisator_id=org, start=date(2026, 3, 1), gepland_einde=date(2027, 2, 28), max_einde=None)


def _prestatie(org: uuid.UUID, cls=PrestatieGeregistreerd):
    gemeen = dict(prestatie_id=uuid.uuid4(), koppeling_id=uuid.uuid4(), wijkwerker_id=uuid.uuid4(),
                  gebruiker_id=uuid.uuid4(), organisator_id=org, datum=date(2026, 3, 2), door="organisator")
    if cls is PrestatieBetwist:
        return PrestatieBetwist(**gemeen, reden="niet gewerkt")
    return PrestatieGeregistreerd(
        **gemeen, traject_id=uuid.uuid4(), activiteit_id=uuid.uuid4(), activiteit_categorie="tuin",
        gebruiker_categorie="particulier", locatie_nis_code="44021", start=time(9), minuten=120, begonnen_uren=2,
        afstand_km=3, recht_op_verplaatsingsvergoeding=False, verplaatsingsvergoeding_dag_cent=0,
        referentie="vrije tekst van een partner")


async def _publiceer_en_consumeer(engine, kafka_bootstrap, events) -> None:
    topic = f"test.webhooks.{uuid.uuid4().hex[:8]}"
    await ensure_topics(kafka_bootstrap, [topic, dlq_topic(topic)], 2)
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await producer.start()
    try:
        for raw in events:
            await producer.send_and_wait(topic, raw, key=b"k")
    finally:
        await producer.stop()
    consumer = InboxConsumer(
        name="webhooks", service="evaluatie", topics=[topic], event_types=list(fanout.HANDLERS),
        handle=dispatch(fanout.HANDLERS, unit_of_work=EvaluatieUnitOfWork), sessions=session_factory(engine),
        kafka=KafkaSettings(bootstrap_servers=kafka_bootstrap, topic_partitions=2), registry=registry,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    try:
        await async_wait_until(lambda: consumer.state.applied + consumer.state.duplicates >= len(events), timeout=30)
    finally:
        stop.set()
        await task


async def _bezorger(engine, stop: asyncio.Event) -> None:
    """The delivery worker as the service runs it: passes at a short interval."""
    sessions = session_factory(engine)
    while not stop.is_set():
        if not await bezorg(sessions, BELEID):
            try:
                await asyncio.wait_for(stop.wait(), 0.02)
            except TimeoutError:
                pass


def _sleutel(payload: dict) -> tuple[str, str]:
    return payload["type"], payload["data"]["prestatie_id" if payload["type"].startswith("prestatie") else "traject_id"]


async def _abonneer(client, headers, url, types, **extra):
    r = await client.post("/v1/abonnementen", json={"url": url, "types": types, **extra}, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


async def _log(client, headers, abonnement_id):
    r = await client.get(f"/v1/abonnementen/{abonnement_id}/leveringen", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


async def test_every_event_arrives_signed_after_failures_with_growing_waits_and_only_at_its_organiser(
    env, tokens, kafka_bootstrap, ontvanger
):
    client, engine = env
    o, basis = ontvanger
    org_a, org_b = uuid.uuid4(), uuid.uuid4()
    ha = tokens.headers(BEHEER, org_type="organisator", org=str(org_a), sub="a")
    hb = tokens.headers(BEHEER, org_type="organisator", org=str(org_b), sub="b")
    hv = tokens.headers(BEHEER, org_type="vdab", sub="vdab")
    types = ["traject.gestart", "prestatie.geregistreerd"]
    a = await _abonneer(client, ha, f"{basis}/a", types)
    b = await _abonneer(client, hb, f"{basis}/b", types)
    kapot = await _abonneer(client, hv, f"{basis}/kapot", ["uitbetaling.uitgevoerd", "traject.gestart"],
                            organisator_id=str(org_b))
    assert a["organisator_id"] == str(org_a) and a["geheim"].startswith("whsec_")
    assert "geheim" not in (await client.get("/v1/abonnementen", headers=ha)).json()[0]

    van_a = [_traject(org_a), _prestatie(org_a)]
    van_b = [_traject(org_b)]
    niet_geabonneerd = _prestatie(org_a, PrestatieBetwist)
    raws = [Envelope.wrap(e, producer="test").to_bytes() for e in [*van_a, *van_b, niet_geabonneerd]]
    await _publiceer_en_consumeer(engine, kafka_bootstrap, [*raws, raws[0]])  # the broker re-delivers one

    stop = asyncio.Event()
    werker = asyncio.create_task(_bezorger(engine, stop))
    try:
        async def klaar():
            logs = [await _log(client, h, x["id"]) for h, x in ((ha, a), (hb, b), (hv, kapot))]
            return all(lv["status"] != "wachtend" for log in logs for lv in log) and [len(x) for x in logs] == [2, 1, 1]
        await async_wait_until(klaar, timeout=60)
    finally:
        stop.set()
        await werker

    # A receives A's two events, once each, signed with A's secret; B only B's
    for pad, sub, events, ander in (("/a", a, van_a, b), ("/b", b, van_b, a)):
        geleverd = o.geleverd(pad)
        assert sorted(_sleutel(orjson.loads(body)) for _, body in geleverd) == sorted(
            ("traject.gestart", str(e.traject_id)) if isinstance(e, TrajectGestart)
            else ("prestatie.geregistreerd", str(e.prestatie_id)) for e in events)
        for h, body in geleverd:
            assert orjson.loads(body)["data"]["organisator_id"] == sub["organisator_id"]
            args = (h["webhook-id"], int(h["webhook-timestamp"]), body, h["webhook-signature"])
            assert webhooks.klopt(sub["geheim"], *args)
            assert not webhooks.klopt(ander["geheim"], *args)
    assert all("referentie" not in orjson.loads(b)["data"] for _, b in o.geleverd("/a"))  # free text stays home

    log_a = await _log(client, ha, a["id"])
    for levering in log_a:
        assert levering["status"] == "geleverd" and levering["pogingen"] == 3
        h = levering["historiek"]
        assert [p["poging"] for p in h] == [1, 2, 3]
        assert (h[0]["fout"], h[1]["http_status"], h[2]["http_status"]) == ("timeout", 500, 204)
        assert h[0]["om"] < h[1]["om"] < h[2]["om"]
        assert h[0]["wacht_s"] <= h[1]["wacht_s"] and h[2]["wacht_s"] is None  # back-off grows
    # the same webhook-id and body on every attempt
    per_id: dict[str, set[bytes]] = {}
    for pad, h, body in o.ontvangen:
        if pad == "/a":
            per_id.setdefault(h["webhook-id"], set()).add(body)
    assert set(per_id) == {lv["id"] for lv in log_a} and all(len(v) == 1 for v in per_id.values())

    # VDAB's subscription for organiser B only: B's trajectory, given up after the cap
    [mislukt] = await _log(client, hv, kapot["id"])
    assert (mislukt["status"], mislukt["pogingen"], mislukt["laatste_http_status"]) == ("mislukt", BELEID.max_pogingen, 500)

    # redelivery by the subscriber: the same webhook-id again, a fresh round
    eerste = log_a[0]
    r = await client.post(f"/v1/abonnementen/{a['id']}/leveringen/{eerste['id']}/opnieuw", headers=ha)
    assert r.status_code == 202 and r.json()["status"] == "wachtend"
    o.pogingen[eerste["id"]] = 2  # the receiver is healthy now
    voor = len(o.ontvangen)
    stop = asyncio.Event()
    werker = asyncio.create_task(_bezorger(engine, stop))
    try:
        async def opnieuw_geleverd():
            return [lv for lv in await _log(client, ha, a["id"]) if lv["id"] == eerste["id"]][0]["status"] == "geleverd"
        await async_wait_until(opnieuw_geleverd, timeout=30)
    finally:
        stop.set()
        await werker
    assert [h["webhook-id"] for _, h, _ in o.ontvangen[voor:]] == [eerste["id"]]
    # B cannot redeliver or read A's deliveries
    r = await client.post(f"/v1/abonnementen/{a['id']}/leveringen/{eerste['id']}/opnieuw", headers=hb)
    assert (r.status_code, r.json()["rule"]) == (404, "abonnement-onbekend")


@pytest.mark.parametrize(
    ("claims", "body", "status", "rule"),
    [
        ({"org_type": "organisator", "org": "ORG"}, {"types": ["uitbetaling.uitgevoerd"]}, 403, "type-buiten-scope"),
        ({"org_type": "organisator", "org": "ORG"}, {"types": ["traject.gestart"], "organisator_id": str(uuid.uuid4())},
         403, "abonnement-buiten-scope"),
        ({"org_type": "toeleider", "org": "OCMW Gent"}, {"types": ["traject.gestart"]}, 403, "abonnement-niet-toegestaan"),
        ({"org_type": "gebruiker", "org": "ORG"}, {"types": ["traject.gestart"]}, 403, "abonnement-niet-toegestaan"),
        ({"org_type": "VDAB"}, {"types": ["traject.gestart"]}, 403, "org-type-onbekend"),
        ({"org_type": None}, {"types": ["traject.gestart"]}, 403, "org-type-ontbreekt"),
        ({"org_type": "vdab"}, {"types": ["traject.verlengd"]}, 422, "type-onbekend"),
        ({"org_type": "vdab"}, {"types": ["traject.gestart"], "url": "http://backoffice.example.be/h"}, 422, "url-ongeldig"),
        ({"org_type": "vdab"}, {"types": ["traject.gestart"], "url": "https://10.0.0.8/h"}, 422, "url-ongeldig"),
        ({"org_type": "vdab", "scope": "evaluatie:read"}, {"types": ["traject.gestart"]}, 403, "scope-ontbreekt"),
    ],
)
async def test_subscriptions_outside_the_callers_data_scope_are_refused_with_a_rule(env, tokens, claims, body, status, rule):
    client, engine = env
    org = str(uuid.uuid4())
    claims = {"scope": BEHEER, **claims}
    if claims.get("org") == "ORG":
        claims["org"] = org
    headers = {"Authorization": f"Bearer {tokens.sign(**claims)}"}
    r = await client.post("/v1/abonnementen", json={"url": "http://127.0.0.1:9/h", **body}, headers=headers)
    assert (r.status_code, r.json()["rule"]) == (status, rule), r.text
    assert r.headers["content-type"].startswith("application/problem+json")


async def test_rotation_signs_with_both_secrets_and_an_ended_subscription_gets_nothing(env, tokens):
    client, engine = env
    org = uuid.uuid4()
    h = tokens.headers(BEHEER, org_type="organisator", org=str(org))
    abonnement = await _abonneer(client, h, "http://127.0.0.1:9/h", ["traject.gestart"])
    r = await client.post(f"/v1/abonnementen/{abonnement['id']}/geheim", headers=h)
    assert r.status_code == 200 and r.json()["geheim"] != abonnement["geheim"]
    sessions = session_factory(engine)
    async with sessions() as s, s.begin():
        await fanout.event_naar_leveringen(_traject(org), _uow(s, _traject(org), "test"))
    from evaluatie.adapters.webhooks import Bezorging
    async with sessions() as s, s.begin():
        [levering] = await Bezorging(s).claim(10, 60)
    assert set(levering.geheimen) == {abonnement["geheim"], r.json()["geheim"]}
    assert (await client.delete(f"/v1/abonnementen/{abonnement['id']}", headers=h)).status_code == 204
    assert (await client.get("/v1/abonnementen", headers=h)).json() == []
    async with sessions() as s, s.begin():
        await fanout.event_naar_leveringen(_traject(org), _uow(s, _traject(org), "test"))
        assert await Bezorging(s).claim(10, 0) == []


async def test_a_dated_fact_reaches_its_organisers_subscription_with_the_catalogue_fields_only(env, tokens):
    client, engine = env
    org, ander = uuid.uuid4(), uuid.uuid4()
    h = tokens.headers(BEHEER, org_type="organisator", org=str(org))
    eigen = await _abonneer(client, h, "http://127.0.0.1:9/h", ["evaluatie.achterstallig"])
    await _abonneer(client, tokens.headers(BEHEER, org_type="organisator", org=str(ander)), "http://127.0.0.1:9/h",
                    ["evaluatie.achterstallig"])
    feit = EvaluatieAchterstallig(traject_id=uuid.uuid4(), wijkwerker_id=uuid.uuid4(), organisator_id=org,
                                  vervaldag=date(2026, 7, 10), datum=date(2026, 7, 11), laatste_evaluatie=None)
    async with session_factory(engine)() as s, s.begin():
        await fanout.event_naar_leveringen(feit, _uow(s, feit, "evaluatie"))
        rows = (await s.execute(text("SELECT abonnement_id, body FROM leveringen"))).all()
    assert [str(r.abonnement_id) for r in rows] == [eigen["id"]]
    body = orjson.loads(rows[0].body)
    assert body["type"] == "evaluatie.achterstallig"
    assert body["data"] == {"traject_id": str(feit.traject_id), "wijkwerker_id": str(feit.wijkwerker_id),
                            "organisator_id": str(org), "vervaldag": "2026-07-10", "datum": "2026-07-11",
                            "laatste_evaluatie": None}


async def test_two_replicas_share_the_due_deliveries_without_sending_one_twice(env, tokens):
    client, engine = env
    ontvangen: list[str] = []

    async def handle(request: web.Request) -> web.Response:
        ontvangen.append(request.headers["webhook-id"])
        await asyncio.sleep(0.01)  # a request in flight while the other replica claims
        return web.Response(status=200)

    app = web.Application()
    app.router.add_post("/h", handle)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        org = uuid.uuid4()
        h = tokens.headers(BEHEER, org_type="organisator", org=str(org))
        await _abonneer(client, h, f"http://127.0.0.1:{runner.addresses[0][1]}/h", ["traject.gestart"])
        sessions = session_factory(engine)
        async with sessions() as s, s.begin():
            for _ in range(30):
                feit = _traject(org)
                await fanout.event_naar_leveringen(feit, _uow(s, feit, "test"))
        klein = Beleid(batch=7, gelijktijdig=3, timeout_s=2.0, basis_s=0.2, max_wacht_s=1.0, max_pogingen=3)

        async def replica():
            while await bezorg(sessions, klein):
                pass

        await asyncio.gather(replica(), replica())
    finally:
        await runner.cleanup()
    assert len(ontvangen) == 30 and len(set(ontvangen)) == 30
