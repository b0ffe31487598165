"""Referrals and trajectories through the API on a real PostgreSQL, and the reaction to
an evaluation outcome through a real consumer on the embedded broker."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta

import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import text

from toeleiding.service_layer.consumenten.evaluaties import HANDLERS
from toeleiding.service_layer.uow import ToeleidingUnitOfWork
from wijkwerk.db import session_factory
from wijkwerk.events import Envelope, registry
from wijkwerk.events.evaluatie import EvaluatieUitgevoerd
from wijkwerk.events.topics import dlq_topic
from wijkwerk.messaging.admin import ensure_topics
from wijkwerk.messaging.consumer import InboxConsumer, dispatch
from wijkwerk.settings import KafkaSettings
from wijkwerk_platform.testing import async_wait_until

pytestmark = pytest.mark.integration

ADMIN = ("toeleiding:admin", "toeleiding:read", "toeleiding:write")


async def _dossier(client, tokens, *, ex_pwa=False, onbeperkt=False) -> tuple[str, str]:
    h = tokens.headers(*ADMIN)
    org = await client.post("/v1/organisatoren", headers=h, json={
        "naam": "Perspectief", "samenwerkingsverband": "Perspectief", "tarief": "7.45", "tarief_vanaf": "2018-01-01",
        "gemeenten": [{"nis_code": "35013", "naam": "Oostende"}],
    })
    oid = org.json()["id"]
    w = await client.post("/v1/wijkwerkers", headers=h, json={
        "insz": "85073003328", "voornaam": "Els", "achternaam": "Maes", "domicilie_nis_code": "35013",
        "organisator_id": oid, "uitkeringsstatus": "volledig_werkzoekend", "vdab_ingeschreven": True,
        "ex_pwa": ex_pwa, "onbeperkt_recht": onbeperkt, "iban": "BE68539007547034", "ingeschreven_op": "2026-01-02",
    })
    assert w.status_code == 201, w.text
    return oid, w.json()["id"]


async def _toeleiding(client, tokens, oid, wid, **kw):
    body = {"wijkwerker_id": wid, "organisator_id": oid, "toeleider_type": "OCMW", "advies_maanden": 6,
            "ontvangen_op": "2026-01-05", "start": "2026-01-10"}
    body.update(kw)
    return await client.post("/v1/toeleidingen", json=body, headers=tokens.headers(*ADMIN))


async def _events(engine) -> list[str]:
    async with engine.connect() as conn:
        return list((await conn.scalars(text("SELECT event_type FROM outbox ORDER BY id"))).all())


async def test_a_referral_starts_a_trajectory_with_the_advised_end(env, tokens):
    client, engine = env
    oid, wid = await _dossier(client, tokens)
    r = await _toeleiding(client, tokens, oid, wid)
    assert r.status_code == 201, r.text
    t = r.json()
    assert (t["start"], t["gepland_einde"], t["max_einde"]) == ("2026-01-10", "2026-07-09", "2027-01-09")
    assert (await _events(engine))[-2:] == ["ToeleidingOntvangen", "TrajectGestart"]


async def test_agreement_makes_the_dossier_active_and_ending_closes_it(env, tokens):
    client, engine = env
    # The stored status is the status today, so these dates are relative to today.
    vandaag = date.today()
    start, einde = vandaag - timedelta(days=30), vandaag - timedelta(days=1)
    oid, wid = await _dossier(client, tokens)
    tid = (await _toeleiding(client, tokens, oid, wid, ontvangen_op=str(start), start=str(start))).json()["id"]
    h = tokens.headers(*ADMIN)
    assert (await client.get(f"/v1/wijkwerkers/{wid}", headers=h)).json()["status"] == "voorlopig"
    getekend = await client.post(f"/v1/trajecten/{tid}/overeenkomst", json={"getekend_op": str(start)}, headers=h)
    assert getekend.status_code == 200
    assert (await client.get(f"/v1/wijkwerkers/{wid}", headers=h)).json()["status"] == "actief"
    r = await client.post(f"/v1/trajecten/{tid}/beeindiging", headers=h,
                          json={"einde": str(einde), "reden": "ander_traject", "vervolg": "IBO"})
    assert r.json()["einde_reden"] == "ander_traject" and r.json()["vervolg"] == "IBO"
    assert (await client.get(f"/v1/wijkwerkers/{wid}", headers=h)).json()["status"] == "afgesloten"
    assert (await _events(engine))[-1] == "TrajectBeeindigd"


async def test_prolongation_suspension_and_their_limits(env, tokens):
    client, engine = env
    oid, wid = await _dossier(client, tokens)
    tid = (await _toeleiding(client, tokens, oid, wid, start="2026-01-01", advies_maanden=6)).json()["id"]
    h = tokens.headers(*ADMIN)
    too_far = await client.post(f"/v1/trajecten/{tid}/verlenging", json={"nieuw_einde": "2027-01-01"}, headers=h)
    assert (too_far.status_code, too_far.json()["rule"]) == (422, "traject-max-12-maanden")
    ok = await client.post(f"/v1/trajecten/{tid}/verlenging", json={"nieuw_einde": "2026-12-31"}, headers=h)
    assert ok.json()["gepland_einde"] == "2026-12-31"
    s = await client.post(f"/v1/trajecten/{tid}/schorsingen", headers=h,
                          json={"van": "2026-03-01", "tot": "2026-03-10", "reden": "ziekte met attest", "verlengt_einde": True})
    assert s.json()["gepland_einde"] == "2027-01-10"
    assert (await _events(engine)).count("TrajectGeschorst") == 1


async def test_a_suspension_extends_by_its_length_unless_another_end_is_named(env, tokens):
    """A-22: without a flag the planned end moves by the suspension's ten days."""
    client, _ = env
    oid, wid = await _dossier(client, tokens)
    tid = (await _toeleiding(client, tokens, oid, wid, start="2026-01-01", advies_maanden=6)).json()["id"]
    h = tokens.headers(*ADMIN)
    s = await client.post(f"/v1/trajecten/{tid}/schorsingen", headers=h,
                          json={"van": "2026-03-01", "tot": "2026-03-10", "reden": "ziekte met attest"})
    assert (s.status_code, s.json()["gepland_einde"]) == (200, "2026-07-10"), s.text
    s = await client.post(f"/v1/trajecten/{tid}/schorsingen", headers=h,
                          json={"van": "2026-04-01", "tot": "2026-04-10", "reden": "opleiding",
                                "nieuw_einde": "2026-06-30"})
    assert s.json()["gepland_einde"] == "2026-06-30"
    te_laat = await client.post(f"/v1/trajecten/{tid}/schorsingen", headers=h,
                                json={"van": "2026-05-01", "tot": "2026-05-02", "reden": "x", "nieuw_einde": "2027-02-01"})
    assert (te_laat.status_code, te_laat.json()["rule"]) == (422, "traject-max-12-maanden")


async def test_a_second_running_trajectory_is_refused_but_a_re_referral_after_the_end_is_not(env, tokens):
    client, engine = env
    oid, wid = await _dossier(client, tokens)
    tid = (await _toeleiding(client, tokens, oid, wid, start="2026-01-10", advies_maanden=3)).json()["id"]
    again = await _toeleiding(client, tokens, oid, wid, ontvangen_op="2026-02-01", start="2026-02-01")
    assert (again.status_code, again.json()["rule"]) == (409, "traject-loopt-al")
    h = tokens.headers(*ADMIN)
    await client.post(f"/v1/trajecten/{tid}/beeindiging", json={"einde": "2026-02-28", "reden": "gestopt"}, headers=h)
    hertoeleiding = await _toeleiding(client, tokens, oid, wid, ontvangen_op="2026-06-01", start="2026-06-01")
    assert hertoeleiding.status_code == 201
    historiek = (await client.get(f"/v1/wijkwerkers/{wid}/trajecten", headers=h)).json()
    assert [t["start"] for t in historiek] == ["2026-01-10", "2026-06-01"]
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT bool_or(hertoeleiding) FROM trajecten")) is True


async def test_the_unlimited_right_needs_no_advice_and_has_no_end(env, tokens):
    client, _ = env
    oid, wid = await _dossier(client, tokens, ex_pwa=True, onbeperkt=True)
    r = await _toeleiding(client, tokens, oid, wid, advies_maanden=None)
    assert r.status_code == 201, r.text
    assert r.json()["gepland_einde"] is None and r.json()["advies_maanden"] is None


async def test_a_referrer_sees_only_its_own_referrals(env, tokens):
    client, _ = env
    oid, wid = await _dossier(client, tokens)
    ocmw = tokens.headers("toeleiding:write", "toeleiding:read", org="ocmw-oostende", org_type="toeleider")
    r = await client.post("/v1/toeleidingen", headers=ocmw, json={
        "wijkwerker_id": wid, "organisator_id": oid, "toeleider_type": "OCMW", "advies_maanden": 12,
        "ontvangen_op": "2026-01-05"})
    assert r.status_code == 201, r.text
    assert len((await client.get("/v1/toeleidingen", headers=ocmw)).json()) == 1
    gtb = tokens.headers("toeleiding:read", "toeleiding:write", org="gtb-west", org_type="toeleider")
    assert (await client.get("/v1/toeleidingen", headers=gtb)).json() == []
    tid = r.json()["id"]
    refused = await client.post(f"/v1/trajecten/{tid}/verlenging", json={"nieuw_einde": "2026-12-01"}, headers=gtb)
    assert refused.status_code == 404


async def test_an_expired_trajectory_is_closed_by_the_housekeeping_job(env, tokens):
    from toeleiding.service_layer.trajecten import sluit_verlopen_trajecten
    from toeleiding.service_layer.uow import ToeleidingUnitOfWork

    client, engine = env
    oid, wid = await _dossier(client, tokens)
    await _toeleiding(client, tokens, oid, wid, start="2025-01-01", ontvangen_op="2025-01-01", advies_maanden=12)
    assert await sluit_verlopen_trajecten(ToeleidingUnitOfWork(session_factory(engine)), date(2026, 1, 1)) == 1
    historiek = (await client.get(f"/v1/wijkwerkers/{wid}/trajecten", headers=tokens.headers(*ADMIN))).json()
    assert (historiek[0]["werkelijk_einde"], historiek[0]["einde_reden"]) == ("2025-12-31", "max_duur_bereikt")


async def test_an_evaluation_outcome_of_outflow_ends_the_trajectory_exactly_once(env, tokens, kafka_bootstrap):
    client, engine = env
    oid, wid = await _dossier(client, tokens)
    tid = (await _toeleiding(client, tokens, oid, wid, start="2026-01-10", advies_maanden=12)).json()["id"]
    topic = f"test.evaluatie.{uuid.uuid4().hex[:8]}"
    await ensure_topics(kafka_bootstrap, [topic, dlq_topic(topic)], 2)
    evaluatie = EvaluatieUitgevoerd(
        evaluatie_id=uuid.uuid4(), wijkwerker_id=uuid.UUID(wid), traject_id=uuid.UUID(tid),
        organisator_id=uuid.UUID(oid), datum=date(2026, 7, 1), uitkomst="uitstroom_werk",
    )
    raw = Envelope.wrap(evaluatie, producer="evaluatie").to_bytes()
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await producer.start()
    try:
        for _ in range(2):  # a redelivery
            await producer.send_and_wait(topic, raw, key=wid.encode())
    finally:
        await producer.stop()
    consumer = InboxConsumer(
        name="evaluaties", service="toeleiding", topics=[topic], event_types=list(HANDLERS),
        handle=dispatch(HANDLERS, unit_of_work=ToeleidingUnitOfWork), sessions=session_factory(engine),
        kafka=KafkaSettings(bootstrap_servers=kafka_bootstrap, topic_partitions=2), registry=registry,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    try:
        await async_wait_until(lambda: consumer.state.applied + consumer.state.duplicates >= 2, timeout=30)
    finally:
        stop.set()
        await task
    t = (await client.get(f"/v1/wijkwerkers/{wid}/trajecten", headers=tokens.headers(*ADMIN))).json()[0]
    assert (t["werkelijk_einde"], t["einde_reden"]) == ("2026-07-01", "uitstroom_werk")
    async with engine.connect() as conn:
        caused = await conn.execute(text("SELECT value FROM outbox WHERE event_type = 'TrajectBeeindigd'"))
        rows = caused.all()
    assert len(rows) == 1
    assert Envelope.from_bytes(rows[0].value).causation_id == str(Envelope.from_bytes(raw).event_id)


async def test_concurrent_retries_with_one_key_refer_once(env, tokens):
    """Idempotency-Key (issue #21, item 8): a referrer retrying after a timeout, even at the
    same time, starts one referral and one trajectory with one event each."""
    client, engine = env
    oid, wid = await _dossier(client, tokens)
    voor = await _events(engine)
    headers = {**tokens.headers(*ADMIN), "Idempotency-Key": str(uuid.uuid4())}
    body = {"wijkwerker_id": wid, "organisator_id": oid, "toeleider_type": "OCMW", "advies_maanden": 6,
            "ontvangen_op": "2026-01-05", "start": "2026-01-10"}

    async def tot_beantwoord():
        while True:
            r = await client.post("/v1/toeleidingen", json=body, headers=headers)
            if not (r.status_code == 409 and "retry-after" in r.headers):
                return r
            await asyncio.sleep(0.01)

    antwoorden = await asyncio.wait_for(asyncio.gather(*(tot_beantwoord() for _ in range(6))), 60)
    assert {r.status_code for r in antwoorden} == {201}, [r.text for r in antwoorden]
    assert len({r.content for r in antwoorden}) == 1
    nieuw = (await _events(engine))[len(voor):]
    assert sorted(nieuw) == sorted(set(nieuw)), nieuw  # every event of the referral once
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM trajecten WHERE wijkwerker_id = :w"), {"w": wid}) == 1
