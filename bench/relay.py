"""Figure 2: the outbox relay. Throughput: N outbox rows published by
:class:`wijkwerk.messaging.relay.OutboxRelay` vs a raw produce (``send_all``, same
producer settings, same batch size) of the same messages. Lag: rows committed at a fixed
rate (200/s, one transaction each, like registrations), measured from the commit to the
moment a consumer sees the message."""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid

import asyncpg
import orjson
from aiokafka import AIOKafkaConsumer

from bench.replay import cheque_messages
from wijkwerk.db.engine import create_engine
from wijkwerk.messaging.admin import ensure_topics
from wijkwerk.messaging.kafka import make_producer, send_all, stop_quietly
from wijkwerk.messaging.relay import OutboxRelay

BATCH = 1000


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


async def throughput(stack, n: int) -> dict:
    kafka = stack.kafka
    raw_topic, topic = "bench.relay.raw", "bench.relay.outbox"
    await ensure_topics(kafka.bootstrap_servers, [raw_topic, topic, topic + ".dlq"], kafka.topic_partitions)
    msgs = cheque_messages(n, workers=5000)

    producer = make_producer(kafka, "bench-raw")
    await producer.start()
    try:
        started = time.perf_counter()
        for i in range(0, n, BATCH):
            await send_all(producer, ((raw_topic, k, v) for k, v in msgs[i:i + BATCH]), 30.0)
        raw_s = time.perf_counter() - started
    finally:
        await stop_quietly(producer)

    url = stack.database("prestaties", "prestaties_bench_relay")
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        await conn.copy_records_to_table(
            "outbox", columns=["event_id", "event_type", "topic", "key", "value"],
            records=[(uuid.uuid4(), "ChequeGevalideerd", topic, k.decode(), v) for k, v in msgs],
        )
    finally:
        await conn.close()
    engine = create_engine(url)
    relay = OutboxRelay(engine, kafka, service="bench", topic=topic, batch_size=BATCH)
    try:
        await relay._connect()
        started = time.perf_counter()
        published = 0
        while (got := await relay.publish_batch()) > 0:
            published += got
        relay_s = time.perf_counter() - started
    finally:
        await stop_quietly(relay._producer)
        await engine.dispose()
    assert published == n, (published, n)
    return {"n": n, "raw_eps": n / raw_s, "relay_eps": n / relay_s}


async def lag(stack, rate: float = 200.0, seconds: float = 10.0) -> dict:
    """Commit-to-consumer lag with the relay running as in a service."""
    kafka = stack.kafka
    topic = "bench.relay.lag"
    await ensure_topics(kafka.bootstrap_servers, [topic, topic + ".dlq"], kafka.topic_partitions)
    url = stack.database("prestaties", "prestaties_bench_lag")
    engine = create_engine(url)
    relay = OutboxRelay(engine, kafka, service="bench-lag", topic=topic, batch_size=BATCH)
    stop = asyncio.Event()
    relay_task = asyncio.create_task(relay.run(stop))
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=kafka.bootstrap_servers, group_id=None,
                                auto_offset_reset="earliest", fetch_max_wait_ms=kafka.fetch_max_wait_ms)
    await consumer.start()
    committed: dict[str, float] = {}
    lags: list[float] = []
    total = int(rate * seconds)

    async def consume() -> None:
        while len(lags) < total:
            fetched = await consumer.getmany(timeout_ms=200)
            now = time.perf_counter()
            for records in fetched.values():
                for r in records:
                    eid = orjson.loads(r.value)["event_id"]
                    while eid not in committed:  # the commit time is recorded right after COMMIT
                        await asyncio.sleep(0)
                    lags.append(now - committed[eid])

    consumer_task = asyncio.create_task(consume())
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        insert = await conn.prepare(
            "INSERT INTO outbox (event_id, event_type, topic, key, value) VALUES ($1, 'Bench', $2, $3, $4)")
        start = time.perf_counter()
        for i in range(total):
            due = start + i / rate
            if (delay := due - time.perf_counter()) > 0:
                await asyncio.sleep(delay)
            eid = uuid.uuid4()
            async with conn.transaction():
                await insert.fetch(eid, topic, str(i), orjson.dumps({"event_id": str(eid), "i": i}))
            committed[str(eid)] = time.perf_counter()
        await asyncio.wait_for(consumer_task, 30.0)
    finally:
        stop.set()
        await conn.close()
        await consumer.stop()
        await asyncio.wait_for(relay_task, 15.0)
        await engine.dispose()
    return {"rate": rate, "n": len(lags), "p50_ms": 1000 * statistics.median(lags), "p99_ms": 1000 * _pct(lags, 99)}
