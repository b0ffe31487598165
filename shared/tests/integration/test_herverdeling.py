"""Two consumers of one group in subscribe mode on the real broker: one leaves and joins
again while events flow. Every event is applied exactly once, and the consumer that stays
goes through the rebalances without tearing down its session."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import text

from wijkwerk.db import create_engine, session_factory
from wijkwerk.events import Envelope, registry
from wijkwerk.events.toeleiding import OrganisatorGeregistreerd
from wijkwerk.events.topics import dlq_topic
from wijkwerk.messaging.admin import ensure_topics
from wijkwerk.messaging.consumer import InboxConsumer, dispatch
from wijkwerk.settings import KafkaSettings
from wijkwerk_platform.testing import async_wait_until, migrated_database, superuser_url

pytestmark = pytest.mark.integration


@pytest.fixture
async def db(embedded_pg, kafka_bootstrap):
    url = superuser_url(migrated_database(embedded_pg, "toeleiding", f"herv_{uuid.uuid4().hex[:8]}"))
    engine = create_engine(url, pool_size=5)
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE effect (naam text)"))  # no unique key: a double effect shows
    yield engine
    await engine.dispose()


def _consumer(engine, kafka: KafkaSettings, topic: str) -> InboxConsumer:
    async def on_organisator(session, event, envelope):
        await session.execute(text("INSERT INTO effect (naam) VALUES (:n)"), {"n": event.naam})

    return InboxConsumer(name="herverdeeld", service="test", topics=[topic], event_types=[OrganisatorGeregistreerd],
                         handle=dispatch({OrganisatorGeregistreerd: on_organisator}),
                         sessions=session_factory(engine), kafka=kafka, registry=registry, batch_size=20)


async def _effecten(engine) -> list[str]:
    async with engine.connect() as conn:
        return list((await conn.scalars(text("SELECT naam FROM effect"))).all())


async def test_a_member_leaving_and_joining_while_events_flow_changes_no_effect(db, kafka_bootstrap):
    topic = f"test.herv.{uuid.uuid4().hex[:8]}"
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap, topic_partitions=4, fetch_max_wait_ms=50,
                          consumer_mode="subscribe", session_timeout_ms=6000, heartbeat_interval_ms=500)
    await ensure_topics(kafka, [topic, dlq_topic(topic)], 4)
    namen: list[str] = []
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, linger_ms=5)
    await producer.start()
    stroomt = asyncio.Event()

    async def produceer() -> None:
        i = 0
        while not stroomt.is_set():
            event = OrganisatorGeregistreerd(organisator_id=uuid.uuid4(), naam=f"o{i:05d}",
                                             samenwerkingsverband="sv", gemeenten=())
            await producer.send_and_wait(topic, Envelope.wrap(event, producer="test").to_bytes(),
                                         key=f"w{i % 13}".encode())
            namen.append(event.naam)
            i += 1
            await asyncio.sleep(0.01)  # a steady flow, not a burst

    a, b = _consumer(db, kafka, topic), _consumer(db, kafka, topic)
    stop_a, stop_b = asyncio.Event(), asyncio.Event()
    producing = asyncio.create_task(produceer())
    task_a = asyncio.create_task(a.run(stop_a))
    try:
        await async_wait_until(lambda: a.state.applied >= 20, timeout=60)
        task_b = asyncio.create_task(b.run(stop_b))  # joins: the partitions are shared
        await async_wait_until(lambda: b.state.applied >= 20 and a.state.herverdelingen >= 2, timeout=90)
        stop_b.set()  # leaves: a takes every partition back
        await asyncio.wait_for(task_b, 30)
        await async_wait_until(lambda: a.state.herverdelingen >= 3, timeout=90)
        gedaan = a.state.applied
        await async_wait_until(lambda: a.state.applied >= gedaan + 20, timeout=60)
        b2, stop_b2 = _consumer(db, kafka, topic), asyncio.Event()
        task_b2 = asyncio.create_task(b2.run(stop_b2))  # a new member joins
        await async_wait_until(lambda: b2.state.applied >= 10, timeout=90)
        stroomt.set()
        await producing

        async def alles_toegepast() -> bool:
            return len(set(await _effecten(db))) == len(namen)

        await async_wait_until(alles_toegepast, timeout=60)
        stop_b2.set()
        await asyncio.wait_for(task_b2, 30)
    finally:
        stroomt.set()
        stop_a.set(), stop_b.set()
        await asyncio.wait_for(task_a, 30)
        await producer.stop()
    effecten = await _effecten(db)
    assert sorted(effecten) == sorted(namen), "every event applied exactly once"
    assert a.state.sessions == 1, "the member that stayed never tore its session down"
    assert a.state.herverdelingen >= 3 and a.state.last_error is None


async def test_a_member_stalled_past_the_rebalance_has_its_commit_refused_and_goes_on(db, kafka_bootstrap, monkeypatch):
    """A batch that takes longer than max.poll.interval: the group moves on without the
    member, so its commit is refused (CommitFailedError). Applied and in the inbox already,
    the batch's events are re-read by the new owner and skipped; the stalled member keeps
    its session and rejoins."""
    from wijkwerk.messaging import consumer as consumer_module

    real_make_consumer = consumer_module.make_consumer

    def short_poll_interval(*args, **kwargs):
        made = real_make_consumer(*args, **kwargs)
        made._max_poll_interval_ms = 3000  # aiokafka leaves the group after this without a poll
        return made

    topic = f"test.herv.{uuid.uuid4().hex[:8]}"
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap, topic_partitions=2, fetch_max_wait_ms=50,
                          consumer_mode="subscribe", session_timeout_ms=6000, heartbeat_interval_ms=500)
    await ensure_topics(kafka, [topic, dlq_topic(topic)], 2)
    gate = asyncio.Event()
    b_holder: list[InboxConsumer] = []

    async def traag(session, event, envelope):
        if event.naam == "traag" and not gate.is_set():
            # Stall until the other member owns partitions (the group moved on); a liveness
            # bound for a busy machine, not a timing assertion.
            deadline = asyncio.get_running_loop().time() + 150
            while not (b_holder and b_holder[0].state.herverdelingen >= 1):
                assert asyncio.get_running_loop().time() < deadline, "the group never moved on"
                await asyncio.sleep(0.1)
            gate.set()
        await session.execute(text("INSERT INTO effect (naam) VALUES (:n)"), {"n": event.naam})

    def maak(name_handler):
        return InboxConsumer(name="gestald", service="test", topics=[topic], event_types=[OrganisatorGeregistreerd],
                             handle=dispatch({OrganisatorGeregistreerd: name_handler}),
                             sessions=session_factory(db), kafka=kafka, registry=registry, batch_size=20)

    monkeypatch.setattr(consumer_module, "make_consumer", short_poll_interval)
    a = maak(traag)
    stop = asyncio.Event()
    task_a = asyncio.create_task(a.run(stop))
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await producer.start()
    namen = ["voor", "traag", *(f"na{i}" for i in range(20))]
    try:
        await async_wait_until(lambda: a.state.herverdelingen >= 1, timeout=60)
        for naam in namen[:2]:
            event = OrganisatorGeregistreerd(organisator_id=uuid.uuid4(), naam=naam, samenwerkingsverband="sv",
                                             gemeenten=())
            await producer.send_and_wait(topic, Envelope.wrap(event, producer="test").to_bytes(), key=b"w")
        await async_wait_until(lambda: a.verwerking.locked(), timeout=30)  # a is inside the slow batch
        b = maak(traag)
        b_holder.append(b)
        task_b = asyncio.create_task(b.run(stop))
        await async_wait_until(lambda: a.state.commits_na_herverdeling >= 1, timeout=180)
        for naam in namen[2:]:
            event = OrganisatorGeregistreerd(organisator_id=uuid.uuid4(), naam=naam, samenwerkingsverband="sv",
                                             gemeenten=())
            await producer.send_and_wait(topic, Envelope.wrap(event, producer="test").to_bytes(),
                                         key=naam.encode())

        async def alles() -> bool:
            return len(set(await _effecten(db))) == len(namen)

        await async_wait_until(alles, timeout=120)
    finally:
        stop.set()
        await producer.stop()
        await asyncio.wait_for(asyncio.gather(task_a, *(t for t in [locals().get("task_b")] if t)), 120)
    assert sorted(await _effecten(db)) == sorted(namen), "every event applied exactly once"
    assert a.state.sessions == 1, "the refused commit did not tear the session down"
    assert a.state.commits_na_herverdeling >= 1
