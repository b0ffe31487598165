"""Figure 1: payout replay from the topic. N ``ChequeGevalideerd`` events on a topic (and
none in the archives: the topic tail path of the history); baseline = raw consume + COPY
into a bare table; measured = the cheques ledger recompute
(``cheques.service_layer.herberekenen.herbereken``: replay, fold, scratch table, diff)."""

from __future__ import annotations

import time
import uuid

import asyncpg
import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.structs import TopicPartition

from wijkwerk.events.topics import CHEQUES, PRESTATIES
from wijkwerk.messaging.admin import ensure_topics
from wijkwerk_platform.testing import superuser_url

PARTITIONS = 8


def cheque_messages(n: int, workers: int = 2000) -> list[tuple[bytes, bytes]]:
    """(key, value) pairs: envelopes as the cheques service writes them."""
    organisator = str(uuid.uuid4())
    wijkwerkers = [str(uuid.uuid4()) for _ in range(workers)]
    out = []
    now = "2026-04-01T10:00:00+00:00"
    for i in range(n):
        w = wijkwerkers[i % workers]
        serienummer = f"B{i:010d}"
        payload = {
            "serienummer": serienummer, "bestelling_id": organisator, "prestatie_id": str(uuid.uuid4()),
            "koppeling_id": w, "wijkwerker_id": w, "gebruiker_id": organisator, "organisator_id": organisator,
            "drager": "elektronisch" if i % 3 else "papier", "prijs_cent": 750,
            "besteld_op": "2026-01-15", "prestatie_datum": f"2026-03-{1 + i % 28:02d}",
            "gevalideerd_op": f"2026-{3 + i % 2:02d}-{1 + i % 28:02d}", "boekmaand": f"2026-{3 + i % 2:02d}-01",
            "wijkwerker_cent": 0, "verzekering_cent": 0, "reisfonds_cent": 0, "uitgever_cent": 0,
            "organisator_cent": 0,
        }
        env = {
            "event_id": str(uuid.uuid4()), "event_type": "ChequeGevalideerd", "schema_version": 1,
            "occurred_at": now, "producer": "cheques", "aggregate_id": serienummer, "aggregate_version": 0,
            "correlation_id": None, "causation_id": None, "payload": payload,
        }
        out.append((w.encode(), orjson.dumps(env)))
    return out


async def put_on_topic(bootstrap: str, topic: str, messages: list[tuple[bytes, bytes]]) -> float:
    """Batch-produce; returns seconds taken."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=10, max_request_size=8 * 1024 * 1024)
    await producer.start()
    try:
        started = time.perf_counter()
        per_partition: dict[int, list[tuple[bytes, bytes]]] = {}
        for key, value in messages:
            per_partition.setdefault(hash(key) % PARTITIONS, []).append((key, value))
        futures = []
        for partition, msgs in per_partition.items():
            batch = producer.create_batch()
            for key, value in msgs:
                if batch.append(key=key, value=value, timestamp=None) is None:
                    futures.append(await producer.send_batch(batch, topic, partition=partition))
                    batch = producer.create_batch()
                    batch.append(key=key, value=value, timestamp=None)
            futures.append(await producer.send_batch(batch, topic, partition=partition))
        for f in futures:
            await f
        return time.perf_counter() - started
    finally:
        await producer.stop()


async def raw_consume_copy(bootstrap: str, topic: str, dsn: str, n: int) -> float:
    # the baseline's own table: created as the superuser (the services' role may not, ADR 0011)
    conn = await asyncpg.connect(superuser_url(dsn))
    await conn.execute("DROP TABLE IF EXISTS bench_raw; CREATE UNLOGGED TABLE bench_raw (p int, o bigint, v bytea)")
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                                auto_offset_reset="earliest", fetch_max_wait_ms=50,
                                max_partition_fetch_bytes=8 * 1024 * 1024)
    await consumer.start()
    try:
        tps = [TopicPartition(topic, p) for p in range(PARTITIONS)]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        started = time.perf_counter()
        seen = 0
        while seen < n:
            fetched = await consumer.getmany(timeout_ms=500, max_records=20_000)
            rows = [(r.partition, r.offset, r.value) for recs in fetched.values() for r in recs]
            if rows:
                async with conn.transaction():
                    await conn.copy_records_to_table("bench_raw", records=rows)
                seen += len(rows)
        return time.perf_counter() - started
    finally:
        await consumer.stop()
        await conn.close()


async def run(stack, n: int, tag: str) -> dict:
    bootstrap = stack.broker.bootstrap_servers
    # a fresh pair of topics per size
    cheques_topic, prestaties_topic = f"{CHEQUES}.bench.{tag}", f"{PRESTATIES}.bench.{tag}"
    await ensure_topics(bootstrap, [cheques_topic, prestaties_topic], PARTITIONS)
    msgs = cheque_messages(n)
    await put_on_topic(bootstrap, cheques_topic, msgs)
    del msgs
    url = stack.database("cheques", f"cheques_bench_{tag}")
    dsn = url.replace("postgresql+asyncpg", "postgresql")
    raw_s = await raw_consume_copy(bootstrap, cheques_topic, dsn, n)

    rapport, ledger_s = await herbereken_gemeten(stack, url, f"bench_{tag}", cheques_topic, prestaties_topic)
    assert rapport["events"] == n, (rapport["events"], n)
    return {"n": n, "raw_eps": n / raw_s, "ledger_eps": n / ledger_s, "ledger_s": ledger_s,
            "fouten": len(rapport["fouten"]), "vergeleken": rapport["vergeleken"]}


async def herbereken_gemeten(stack, url: str, naam: str, cheques_topic: str, prestaties_topic: str) -> tuple[dict, float]:
    """The cheques recompute over ``url``'s own archive and an empty prestaties archive (the
    events under test are all cheques events), timed; returns its report and seconds."""
    from cheques.service_layer.herberekenen import herbereken
    from wijkwerk.db.engine import create_engine, session_factory
    from wijkwerk.messaging.archief import DatabaseArchief

    engine = create_engine(url)
    leeg = create_engine(stack.database("prestaties", f"prestaties_{naam}"))
    try:
        started = time.perf_counter()
        rapport = await herbereken(
            session_factory(engine), stack.kafka, prestaties_topic=prestaties_topic, cheques_topic=cheques_topic,
            archieven={cheques_topic: DatabaseArchief(engine), prestaties_topic: DatabaseArchief(leeg)}, wacht_s=1.0)
        return rapport, time.perf_counter() - started
    finally:
        await engine.dispose()
        await leeg.dispose()
