"""Outbox relay and inbox consumer on the real embedded PostgreSQL and broker."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from prometheus_client import REGISTRY
from sqlalchemy import text

from wijkwerk.db import UnitOfWork, create_engine, session_factory
from wijkwerk.events import Envelope, registry
from wijkwerk.events.toeleiding import OrganisatorGeregistreerd
from wijkwerk.events.topics import TOELEIDING, dlq_topic
from wijkwerk.messaging.admin import ensure_topics
from wijkwerk.messaging.consumer import InboxConsumer, dispatch
from wijkwerk.messaging.relay import OutboxRelay
from wijkwerk.observability import replica
from wijkwerk.settings import KafkaSettings
from wijkwerk_platform.testing import async_wait_until, migrated_database, superuser_url

pytestmark = pytest.mark.integration


@pytest.fixture
async def db(embedded_pg, kafka_bootstrap):
    # The messaging machinery is under test here, with a table of the test's own: as superuser.
    url = superuser_url(migrated_database(embedded_pg, "toeleiding", f"msg_{uuid.uuid4().hex[:8]}"))
    engine = create_engine(url, pool_size=5)
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE effect (organisator_id uuid, naam text)"))
    yield engine
    await engine.dispose()


@pytest.fixture
def kafka(kafka_bootstrap) -> KafkaSettings:
    # A fresh topic set per test keeps tests independent on the shared broker.
    return KafkaSettings(bootstrap_servers=kafka_bootstrap, topic_partitions=3, fetch_max_wait_ms=50)


_TOPIC_CLASSES: dict[str, type[OrganisatorGeregistreerd]] = {}


def _organisator(naam: str, topic: str = TOELEIDING) -> OrganisatorGeregistreerd:
    """The real event, published to a per-test topic so tests share the broker safely."""
    cls = _TOPIC_CLASSES.setdefault(topic, type("OrganisatorOpTestTopic", (OrganisatorGeregistreerd,), {"topic": topic}))
    return cls(organisator_id=uuid.uuid4(), naam=naam, samenwerkingsverband="sv", gemeenten=())


async def _emit(engine, *events) -> list[Envelope]:
    async with UnitOfWork(session_factory(engine), producer="test") as uow:
        envelopes = [uow.emit(e) for e in events]
        await uow.commit()
    return envelopes


async def _consume_all(bootstrap: str, topic: str, expected: int, timeout: float = 20.0) -> list:
    # Create the topic first: a reader's metadata request would auto-create it with the
    # broker's default partition count, racing the relay.
    await ensure_topics(bootstrap, [topic], 3)
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", fetch_max_wait_ms=50)
    await consumer.start()
    records: list = []
    try:
        deadline = asyncio.get_running_loop().time() + timeout
        while len(records) < expected and asyncio.get_running_loop().time() < deadline:
            batch = await consumer.getmany(timeout_ms=200)
            records.extend(r for rs in batch.values() for r in rs)
        return records
    finally:
        await consumer.stop()


def _topic() -> str:
    return f"test.{uuid.uuid4().hex[:8]}"


async def _run(worker, stop: asyncio.Event) -> asyncio.Task:
    return asyncio.create_task(worker.run(stop))


async def test_relay_publishes_committed_rows_and_marks_them(db, kafka):
    topic = _topic()
    relay = OutboxRelay(db, kafka, service=f"svc-{topic}", topic=topic)
    envelopes = await _emit(db, *[_organisator(f"o{i}", topic) for i in range(25)])
    stop = asyncio.Event()
    task = await _run(relay, stop)
    leader = {"service": f"svc-{topic}", "replica": replica()}
    try:
        records = await _consume_all(kafka.bootstrap_servers, topic, 25)
        assert REGISTRY.get_sample_value("wijkwerk_relay_leader", leader) == 1  # WijkwerkRelayNoLeader watches it
    finally:
        stop.set()
        await task
    assert REGISTRY.get_sample_value("wijkwerk_relay_leader", leader) == 0
    assert sorted(Envelope.from_bytes(r.value).event_id for r in records) == sorted(e.event_id for e in envelopes)
    async with db.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM outbox WHERE published_at IS NULL")) == 0


async def test_a_slow_transaction_holds_back_later_commits_so_none_is_skipped_or_reordered(db, kafka_bootstrap):
    """Pitfall 1: an id taken early but committed late must be published, and first."""
    topic = _topic()
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap, topic_partitions=1, fetch_max_wait_ms=50)
    await ensure_topics(kafka_bootstrap, [topic], 1)  # one partition: a total order to check
    relay = OutboxRelay(db, kafka, service=f"svc-{topic}", topic=topic, idle_poll_s=0.01)
    slow = UnitOfWork(session_factory(db), producer="test")
    await slow.__aenter__()
    slow.emit(_organisator("traag", topic))
    await slow.flush_outbox()  # takes its id and txid now, commits later
    await _emit(db, _organisator("snel", topic))

    stop = asyncio.Event()
    task = await _run(relay, stop)
    try:
        early = await _consume_all(kafka.bootstrap_servers, topic, 1, timeout=3.0)
        assert early == [], "a later transaction was published while an earlier one was still open"
        await slow.commit()
        await slow.__aexit__(None, None, None)
        records = await _consume_all(kafka.bootstrap_servers, topic, 2)
    finally:
        stop.set()
        await task
    assert [registry.decode(Envelope.from_bytes(r.value)).naam for r in records] == ["traag", "snel"]


async def test_an_idle_relay_publishes_on_the_commits_notification_not_its_poll(db, kafka):
    """The outbox trigger notifies at commit: with a 60 s fallback poll, rows committed
    while the relay waits still leave at once, and none is published before its commit."""
    topic = _topic()
    relay = OutboxRelay(db, kafka, service=f"svc-{topic}", topic=topic, idle_poll_s=60.0)
    stop = asyncio.Event()
    task = await _run(relay, stop)
    try:
        await async_wait_until(lambda: relay.state.broker_ok, timeout=20)
        await asyncio.sleep(0.3)  # the relay is waiting now: nothing to publish
        assert relay.state.published == 0
        for i in range(3):
            started = time.monotonic()
            await _emit(db, _organisator(f"o{i}", topic))
            await async_wait_until(lambda i=i: relay.state.published == i + 1, timeout=5, interval=0.01)
            assert time.monotonic() - started < 2.0, "published by the poll, not by the notification"
    finally:
        stop.set()
        await task
    assert len(await _consume_all(kafka.bootstrap_servers, topic, 3)) == 3


async def test_rows_held_back_by_an_older_transaction_leave_when_it_ends_without_a_notification(db, kafka):
    """A transaction that writes but emits nothing holds later outbox rows back (commit
    order) and notifies nobody when it ends: the relay retries shortly instead of waiting
    for its fallback poll."""
    topic = _topic()
    relay = OutboxRelay(db, kafka, service=f"svc-{topic}", topic=topic, idle_poll_s=60.0)
    stop = asyncio.Event()
    task = await _run(relay, stop)
    try:
        await async_wait_until(lambda: relay.state.broker_ok, timeout=20)
        async with db.connect() as older:
            await older.execute(text("INSERT INTO effect (organisator_id, naam) VALUES (NULL, 'oud')"))  # takes an xid
            await _emit(db, _organisator("later", topic))
            await asyncio.sleep(0.5)
            assert relay.state.published == 0, "published past a running older transaction"
            await older.commit()
        await async_wait_until(lambda: relay.state.published == 1, timeout=2, interval=0.01)
    finally:
        stop.set()
        await task


async def test_a_relay_that_stops_leaves_no_listening_connection_in_the_pool(db, kafka):
    topic = _topic()
    relay = OutboxRelay(db, kafka, service=f"svc-{topic}", topic=topic)
    stop = asyncio.Event()
    task = await _run(relay, stop)
    await async_wait_until(lambda: relay.state.broker_ok, timeout=20)
    stop.set()
    await task
    conns = [await db.connect() for _ in range(db.pool.checkedin())]  # every idle pooled one, the lock's too
    assert conns
    try:
        for conn in conns:
            assert (await conn.execute(text("SELECT count(*) FROM pg_listening_channels()"))).scalar() == 0
    finally:
        for conn in conns:
            await conn.close()


def _consumer(engine, kafka, topic, name="effect") -> InboxConsumer:
    async def on_organisator(session, event, envelope):
        if event.naam == "gif":
            raise ValueError("this event can never be applied")
        await session.execute(
            text("INSERT INTO effect (organisator_id, naam) VALUES (:i, :n)"),
            {"i": event.organisator_id, "n": event.naam},
        )

    return InboxConsumer(
        name=name,
        service="test",
        topics=[topic],
        event_types=[OrganisatorGeregistreerd],
        handle=dispatch({OrganisatorGeregistreerd: on_organisator}),
        sessions=session_factory(engine),
        kafka=kafka,
        registry=registry,
        batch_size=100,
    )


async def _produce(bootstrap: str, topic: str, payloads: list[bytes]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for p in payloads:
            await producer.send_and_wait(topic, p, key=b"k")
    finally:
        await producer.stop()


async def _effects(engine) -> list[str]:
    async with engine.connect() as conn:
        return list((await conn.scalars(text("SELECT naam FROM effect ORDER BY naam"))).all())


async def test_a_duplicate_delivery_has_no_second_effect(db, kafka):
    topic = _topic()
    await ensure_topics(kafka.bootstrap_servers, [topic, dlq_topic(topic)], 3)
    once = Envelope.wrap(_organisator("een"), producer="test").to_bytes()
    other = Envelope.wrap(_organisator("twee"), producer="test").to_bytes()
    # The consumer's registry decodes to the registered class, whatever the topic.
    await _produce(kafka.bootstrap_servers, topic, [once, once, other, once])
    consumer = _consumer(db, kafka, topic)
    stop = asyncio.Event()
    task = await _run(consumer, stop)
    try:
        await async_wait_until(lambda: consumer.state.applied + consumer.state.duplicates >= 4, timeout=30)
    finally:
        stop.set()
        await task
    assert await _effects(db) == ["een", "twee"]
    assert (consumer.state.applied, consumer.state.duplicates) == (2, 2)

    # A restarted consumer (the broker forgot nothing here, but offsets may be replayed)
    # that sees the same messages again still applies nothing twice.
    again = _consumer(db, kafka, topic, name="effect")
    stop2 = asyncio.Event()
    task2 = await _run(again, stop2)
    await asyncio.sleep(0)
    await _produce(kafka.bootstrap_servers, topic, [once])
    try:
        await async_wait_until(lambda: again.state.duplicates >= 1, timeout=30)
    finally:
        stop2.set()
        await task2
    assert await _effects(db) == ["een", "twee"]


async def test_poison_is_parked_for_its_consumer_and_the_consumer_keeps_going(db, kafka):
    topic = _topic()
    await ensure_topics(kafka.bootstrap_servers, [topic, dlq_topic(topic)], 3)
    newer = Envelope(
        event_type="OrganisatorGeregistreerd", schema_version=99, producer="test", aggregate_id="x", payload={}
    ).to_bytes()
    payloads = [
        Envelope.wrap(_organisator("voor"), producer="test").to_bytes(),
        b"{not json",
        Envelope.wrap(_organisator("gif"), producer="test").to_bytes(),
        newer,
        Envelope.wrap(_organisator("na"), producer="test").to_bytes(),
    ]
    await _produce(kafka.bootstrap_servers, topic, payloads)
    consumer = _consumer(db, kafka, topic, name="poison")
    stop = asyncio.Event()
    task = await _run(consumer, stop)
    try:
        await async_wait_until(lambda: consumer.state.applied >= 2 and consumer.state.dead_lettered >= 3, timeout=30)
    finally:
        stop.set()
        await task
    assert await _effects(db) == ["na", "voor"]
    async with db.connect() as conn:
        parked = (await conn.execute(text(
            "SELECT consumer, status, fout, bron FROM geparkeerd ORDER BY id"))).all()
    # Without halting per key, the later event of the same key ("na") was applied.
    assert [(p.consumer, p.status) for p in parked] == [("poison", "geparkeerd")] * 3
    assert all(p.bron.startswith(f"{topic}/") for p in parked)
    errors = [p.fout for p in parked]
    assert any("schema_version 99" in e for e in errors)
    assert any("can never be applied" in e for e in errors)
    assert any("not an event envelope" in e for e in errors)


async def test_relay_refills_an_empty_topic_from_published_rows(db, kafka):
    """The embedded broker keeps topics in memory: after a restart the relay re-fills."""
    topic = _topic()
    await _emit(db, _organisator("a", topic), _organisator("b", topic))
    async with db.begin() as conn:  # published to a broker that has since lost its data
        await conn.execute(text("UPDATE outbox SET published_at = now()"))
    relay = OutboxRelay(db, kafka, service=f"svc-{topic}", topic=topic)
    stop = asyncio.Event()
    task = await _run(relay, stop)
    try:
        records = await _consume_all(kafka.bootstrap_servers, topic, 2)
        await async_wait_until(lambda: relay.state.refilled == 2, timeout=10)
    finally:
        stop.set()
        await task
    assert len(records) == 2
    service = {"service": f"svc-{topic}"}  # WijkwerkBrokerLostData watches it
    assert REGISTRY.get_sample_value("wijkwerk_relay_refills_total", service) == 1
    assert REGISTRY.get_sample_value("wijkwerk_relay_refilled_rows_total", service) == 2


async def test_replay_republishes_published_rows_since_a_time_in_commit_order(db, kafka):
    topic = _topic()
    await _emit(db, _organisator("oud", topic))
    await _emit(db, _organisator("nieuw-1", topic), _organisator("nieuw-2", topic))
    async with db.begin() as conn:
        await conn.execute(text("UPDATE outbox SET published_at = now()"))
        await conn.execute(text("UPDATE outbox SET created_at = now() - interval '2 days' WHERE event_type = 'OrganisatorGeregistreerd' AND id = (SELECT min(id) FROM outbox)"))
    relay = OutboxRelay(db, kafka, service=f"svc-{topic}", topic=topic)
    await ensure_topics(kafka.bootstrap_servers, [topic], 1)
    since = (await _scalar(db, "SELECT now() - interval '1 day'"))
    assert await relay.replay(since=since) == 2
    records = await _consume_all(kafka.bootstrap_servers, topic, 2)
    assert [registry.decode(Envelope.from_bytes(r.value)).naam for r in records] == ["nieuw-1", "nieuw-2"]


async def _scalar(engine, sql: str):
    async with engine.connect() as conn:
        return await conn.scalar(text(sql))


async def test_replay_from_the_archive_republishes_what_the_outbox_no_longer_holds(db, kafka):
    topic = _topic()
    await _emit(db, _organisator("eerste", topic), _organisator("tweede", topic))
    async with db.begin() as conn:  # published and purged: the transport's retention passed
        await conn.execute(text("DELETE FROM outbox"))
    relay = OutboxRelay(db, kafka, service=f"svc-{topic}", topic=topic)
    await ensure_topics(kafka.bootstrap_servers, [topic], 1)
    assert await relay.replay() == 0
    assert await relay.replay(archive=True) == 2
    records = await _consume_all(kafka.bootstrap_servers, topic, 2)
    assert [registry.decode(Envelope.from_bytes(r.value)).naam for r in records] == ["eerste", "tweede"]
