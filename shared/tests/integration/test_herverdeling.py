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
from wijkwerk.events.topics import dlq_topic
from wijkwerk.events.toeleiding import OrganisatorGeregistreerd
from wijkwerk.messaging.admin import ensure_topics
from wijkwerk.messaging.consumer import InboxConsumer, dispatch
from wijkwerk.settings import KafkaSettings
from wijkwerk.testing import async_wait_until, migrated_database, superuser_url

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
