"""The recompute on a real PostgreSQL and broker: prestaties events folded by the real
consumer, webhooks with redeliveries, a payout run, every event delivered twice on the
topics — and the ledger equals its recomputation from the streams to the cent."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from aiokafka import AIOKafkaProducer
from prometheus_client import REGISTRY
from sqlalchemy import text

from cheques.adapters.toeleiding import Bankrekening
from cheques.bootstrap import meet_herberekening
from cheques.config import Settings
from cheques.entrypoints import recompute
from cheques.service_layer.consumenten.prestaties import HANDLERS
from cheques.service_layer.uow import ChequesUnitOfWork
from wijkwerk.db import session_factory
from wijkwerk.events import Envelope, registry
from wijkwerk.events.prestaties import InschrijvingsrechtBetaald
from wijkwerk.events.topics import dlq_topic
from wijkwerk.messaging.admin import ensure_topics
from wijkwerk.messaging.archief import DatabaseArchief
from wijkwerk.messaging.consumer import InboxConsumer, dispatch
from wijkwerk.observability import RECOMPUTE_DIFFERENCE
from wijkwerk.settings import KafkaSettings
from wijkwerk_platform.testing import async_wait_until
from wijkwerk_platform.testkit import archiveer

pytestmark = pytest.mark.integration

G = uuid.uuid4()


async def _produceer(bootstrap: str, berichten: list[tuple[str, bytes, bytes]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for topic, key, value in berichten:
            await producer.send_and_wait(topic, value, key=key)
    finally:
        await producer.stop()


async def _consumeer(o, kafka: KafkaSettings, topic: str, verwacht: int) -> None:
    consumer = InboxConsumer(
        name="prestaties", service="cheques", topics=[topic], event_types=list(HANDLERS), handle=dispatch(HANDLERS, unit_of_work=ChequesUnitOfWork),
        sessions=session_factory(o.engine), kafka=kafka, registry=registry,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    try:
        await async_wait_until(lambda: consumer.state.applied + consumer.state.duplicates >= verwacht, timeout=30)
    finally:
        stop.set()
        await task
    assert (consumer.state.applied, consumer.state.dead_lettered) == (verwacht // 2, 0)


async def _relay_tweemaal(o, bootstrap: str, topic: str) -> int:
    """Publishes the outbox to the test topic twice over, as a relay re-filling a broker would."""
    async with o.engine.begin() as conn:
        rows = (await conn.execute(text("SELECT key, value FROM outbox ORDER BY txid, id"))).all()
        await conn.execute(text("UPDATE outbox SET published_at = now()"))
    berichten = [(topic, r.key.encode(), bytes(r.value)) for r in rows]
    await _produceer(bootstrap, berichten + berichten)
    return len(rows)


@pytest.fixture
async def instellingen(kafka_bootstrap) -> dict:
    """The app replays this test's own topics."""
    suffix = uuid.uuid4().hex[:8]
    topics = {"prestaties_topic": f"test.prestaties.{suffix}", "cheques_topic": f"test.cheques.{suffix}"}
    await ensure_topics(kafka_bootstrap, [t for x in topics.values() for t in (x, dlq_topic(x))], 2)
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap, topic_partitions=2)
    return {**topics, "kafka": kafka, "herberekening_wacht_s": 2.0}


async def test_the_recompute_shows_zero_difference_after_duplicates_and_redeliveries(omgeving, instellingen, kafka_bootstrap):
    o = omgeving
    kafka, prestaties_topic, cheques_topic = (instellingen[k] for k in ("kafka", "prestaties_topic", "cheques_topic"))
    suffix = cheques_topic.rsplit(".", 1)[1]

    oid = await o.organisator(695)
    w1, w2, k1, k2 = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    prestaties = [o.prestatie_event(w1, G, oid, k1, date(2026, 3, d), uren=3, minuten=130, vergoeding=300) for d in (2, 9)]
    prestaties.append(o.prestatie_event(w2, G, oid, k2, date(2026, 3, 20), uren=2, minuten=90, vergoeding=450))
    fee = InschrijvingsrechtBetaald(gebruiker_id=G, erkenning_id=uuid.uuid4(), organisator_id=oid, bedrag_cent=750,
                                    jaar=2026, geldig_van=date(2026, 1, 1), geldig_tot=date(2026, 12, 31),
                                    betaald_op=date(2026, 2, 10))
    berichten = [(prestaties_topic, str(e.partition_key()).encode(), Envelope.wrap(e, producer="prestaties").to_bytes())
                 for e in (*prestaties, fee)]
    await _produceer(kafka_bootstrap, berichten + berichten)  # every prestaties event delivered twice
    await archiveer(o.prestaties_archief, [(k.decode(), v) for _, k, v in berichten])
    await _consumeer(o, kafka, prestaties_topic, verwacht=2 * len(berichten))

    for drager, besteld_op in (("papier", "2026-01-10"), ("elektronisch", "2026-02-25")):
        bid = str(uuid.uuid4())
        await o.ok({"type": "bestelling.betaald", "bestelling_id": bid, "gebruiker_id": str(G),
                    "organisator_id": str(oid), "aantal": 4, "drager": drager, "besteld_op": besteld_op})
        await o.ok({"type": "cheques.uitgegeven", "bestelling_id": bid, "uitgegeven_op": besteld_op,
                    "serienummers": [f"{drager[0].upper()}{suffix}{i}" for i in range(4)]})
    series = [f"P{suffix}{i}" for i in range(4)] + [f"E{suffix}{i}" for i in range(4)]
    plan = [(0, 0, 3), (1, 0, 3), (2, 0, 5), (3, 1, 10), (4, 1, 10), (5, 1, 40), (6, 2, 21), (7, 2, 21)]
    for index, p_index, dag in plan:  # dag: days after the prestatie; some validated in April
        p = prestaties[p_index]
        body = {"type": "cheque.gevalideerd", "serienummer": series[index], "prestatie_id": str(p.prestatie_id),
                "gevalideerd_op": str(p.datum + timedelta(days=dag))}
        for _ in range(2):  # every validation redelivered with the same delivery id
            await o.ok(body, delivery=f"val-{suffix}-{index}")
    o.toeleiding.rekeningen = {w1: Bankrekening("An", "BE68539007547034"), w2: Bankrekening("Bo", "BE62510007547061")}
    await o.client.post("/v1/uitbetalingen/2026-03", headers=o.tokens.headers("cheques:payout"))

    await _relay_tweemaal(o, kafka_bootstrap, cheques_topic)
    r = await o.client.post("/v1/grootboek/herberekening", headers=o.tokens.headers("cheques:admin"))
    assert r.status_code == 200, r.text
    rapport = r.json()
    assert (rapport["verschil_cent"], rapport["verschillen"], rapport["fouten"]) == (0, [], [])
    assert rapport["maanden_uit_evenwicht"] == [] and rapport["vergeleken"] >= 10
    assert rapport["duplicaten"] >= rapport["events"] > len(berichten)
    assert rapport["consumenten_achterstand"] == {}, "the consumer group committed everything it applied"
    # ... and the metrics an alert watches say so (WijkwerkRecomputeDifference).
    assert REGISTRY.get_sample_value("wijkwerk_recompute_difference_cents", {"service": "cheques"}) == 0
    assert REGISTRY.get_sample_value("wijkwerk_recompute_events", {"service": "cheques"}) == rapport["events"]

    # A posting the streams do not explain shows up, per account and month.
    async with o.engine.begin() as conn:
        tid = await conn.scalar(text(
            "INSERT INTO grootboek_transacties (sleutel, soort, boekdatum, boekmaand, omschrijving) "
            "VALUES ('handmatig:1', 'cheque', '2026-03-31', '2026-03-01', 'niet in de stroom') RETURNING id"))
        await conn.execute(text("INSERT INTO grootboek_boekingen (transactie_id, rekening, debet_cent, credit_cent) "
                                "VALUES (:t, 'chequegelden', 695, 0), (:t, 'uitgever', 0, 695)"), {"t": tid})
    settings = Settings(database_url=o.engine.url.render_as_string(hide_password=False), kafka=kafka,
                        prestaties_topic=prestaties_topic, cheques_topic=cheques_topic, herberekening_wacht_s=1.0)
    rapport = await recompute.main(settings, archieven={
        cheques_topic: DatabaseArchief(o.engine), prestaties_topic: DatabaseArchief(o.prestaties_archief)})
    assert rapport["verschil_cent"] == 2 * 695
    # The service reads the job's stored result back (the job ran in another process).
    RECOMPUTE_DIFFERENCE.labels("cheques").set(0)
    await meet_herberekening(SimpleNamespace(sessions=session_factory(o.engine)))
    assert REGISTRY.get_sample_value("wijkwerk_recompute_difference_cents", {"service": "cheques"}) == 2 * 695
    assert {(v["rekening"], v["maand"], v["verschil"]) for v in rapport["verschillen"]} == {
        ("chequegelden", "2026-03-01", 695), ("uitgever", "2026-03-01", -695)}


async def test_ledger_equals_recompute_after_a_rejected_payout_is_booked_back_and_paid_again(
    omgeving, instellingen, kafka_bootstrap
):
    """Issue #18: the storno of a payout the bank refused is an event the recompute folds."""
    from datetime import datetime

    from cheques import testbank

    o = omgeving
    kafka, prestaties_topic, cheques_topic = (instellingen[k] for k in ("kafka", "prestaties_topic", "cheques_topic"))
    suffix = cheques_topic.rsplit(".", 1)[1]
    oid = await o.organisator(745)
    w1, w2 = uuid.uuid4(), uuid.uuid4()
    prestaties = [o.prestatie_event(w, G, oid, uuid.uuid4(), dag, uren=2, minuten=90, vergoeding=300)
                  for w, dag in ((w1, date(2026, 3, 2)), (w2, date(2026, 3, 3)), (w1, date(2026, 4, 6)))]
    berichten = [(prestaties_topic, str(e.partition_key()).encode(), Envelope.wrap(e, producer="prestaties").to_bytes())
                 for e in prestaties]
    await _produceer(kafka_bootstrap, berichten)
    await archiveer(o.prestaties_archief, [(k.decode(), v) for _, k, v in berichten])
    for p in prestaties:  # as the prestaties consumer would have
        await o.prestatie(p)
    bid = str(uuid.uuid4())
    await o.ok({"type": "bestelling.betaald", "bestelling_id": bid, "gebruiker_id": str(G), "organisator_id": str(oid),
                "aantal": 6, "drager": "papier", "besteld_op": "2026-02-20"})
    series = [f"R{suffix}{i}" for i in range(6)]
    await o.ok({"type": "cheques.uitgegeven", "bestelling_id": bid, "serienummers": series, "uitgegeven_op": "2026-02-21"})
    for i, serie in enumerate(series):
        p = prestaties[i // 2]
        await o.ok({"type": "cheque.gevalideerd", "serienummer": serie, "prestatie_id": str(p.prestatie_id),
                    "gevalideerd_op": str(p.datum + timedelta(days=1))})
    o.toeleiding.rekeningen = {w1: Bankrekening("An", "BE68539007547034"), w2: Bankrekening("Bo", "BE62510007547061")}
    auteur, controleur = o.tokens.headers("cheques:payout", sub="a"), o.tokens.headers("cheques:payout", sub="b")
    for periode in ("2026-03", "2026-04"):
        run = (await o.client.post(f"/v1/uitbetalingen/{periode}", headers=auteur)).json()
        assert (await o.client.post(f"/v1/uitbetalingen/{periode}/goedkeuring", headers=controleur)).status_code == 200
        pain001 = (await o.client.get(f"/v1/uitbetalingen/{periode}/sepa", headers=auteur)).content
        assert (await o.client.post(f"/v1/uitbetalingen/{periode}/verzending", headers=auteur)).status_code == 200
        geweigerd = {u["end_to_end_id"]: ("RJCT", "AC04") for u in run["uitbetalingen"]
                     if u["wijkwerker_id"] == str(w1) and periode == "2026-03"}
        rapport = testbank.statusrapport(pain001, op=datetime(2026, int(periode[-2:]) + 1, 3, 9), groepstatus="PART",
                                         transacties=geweigerd)
        r = await o.client.post("/v1/bankberichten/statusrapport", content=rapport, headers=auteur)
        assert r.status_code == 200, r.text
    # April pays W1's refused March (2 × 4.10 + 3.00) again, with April's own
    assert [(u["wijkwerker_id"], u["bedrag"]) for u in run["uitbetalingen"]] == [(str(w1), "22.40")]

    await _relay_tweemaal(o, kafka_bootstrap, cheques_topic)
    r = await o.client.post("/v1/grootboek/herberekening", headers=o.tokens.headers("cheques:admin"))
    assert r.status_code == 200, r.text
    rapport = r.json()
    assert (rapport["verschil_cent"], rapport["verschillen"], rapport["fouten"]) == (0, [], [])
    # The events were applied here without the consumer: its group, read from the broker (as
    # a recompute job or API pod without the workers reads it), still has them to commit.
    assert {g: sum(a.values()) for g, a in rapport["consumenten_achterstand"].items()} == {"cheques.prestaties": 3}
    assert await o.scalar("SELECT count(*) FROM grootboek_transacties WHERE soort = 'storno'") == 1
