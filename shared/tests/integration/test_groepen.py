"""A consumer group's progress read from the broker by another process: what it has not
committed, and waiting until it has — without joining or disturbing the group."""

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
from wijkwerk.messaging.groepen import achterstand, group_id, wacht_op_groepen
from wijkwerk.settings import KafkaSettings
from wijkwerk_platform.testing import async_wait_until, migrated_database, superuser_url

pytestmark = pytest.mark.integration


@pytest.fixture
async def db(embedded_pg):
    url = superuser_url(migrated_database(embedded_pg, "toeleiding", f"groep_{uuid.uuid4().hex[:8]}"))
    engine = create_engine(url, pool_size=5)
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE effect (naam text)"))
    yield engine
    await engine.dispose()


async def test_a_groups_lag_is_read_from_its_committed_offsets_and_waited_for(db, kafka_bootstrap):
    topic = f"test.groep.{uuid.uuid4().hex[:8]}"
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap, topic_partitions=2, fetch_max_wait_ms=50)
    await ensure_topics(kafka, [topic, dlq_topic(topic)], 2)
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await producer.start()
    try:
        for i in range(12):
            event = OrganisatorGeregistreerd(organisator_id=uuid.uuid4(), naam=f"o{i}", samenwerkingsverband="sv",
                                             gemeenten=())
            await producer.send_and_wait(topic, Envelope.wrap(event, producer="test").to_bytes(), key=f"k{i}".encode())
    finally:
        await producer.stop()

    groep = group_id("test", "groep")
    voor = await achterstand(kafka, groep, [topic])
    assert sum(voor.values()) == 12 and set(voor) <= {f"{topic}:0", f"{topic}:1"}
    # Nobody consumes: the wait ends at its deadline and says what is behind.
    assert await wacht_op_groepen(kafka, {groep: [topic]}, timeout_s=0.5) == {groep: voor}

    async def on_organisator(session, event, envelope):
        await session.execute(text("INSERT INTO effect (naam) VALUES (:n)"), {"n": event.naam})

    consumer = InboxConsumer(name="groep", service="test", topics=[topic], event_types=[OrganisatorGeregistreerd],
                             handle=dispatch({OrganisatorGeregistreerd: on_organisator}),
                             sessions=session_factory(db), kafka=kafka, registry=registry)
    assert consumer.group_id == groep
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    try:
        # Another process's view: the wait returns as soon as the group has committed all.
        assert await wacht_op_groepen(kafka, {groep: [topic]}, timeout_s=60) == {}
        async with db.connect() as conn:
            assert await conn.scalar(text("SELECT count(*) FROM effect")) == 12, "committed only after applying"
        assert await achterstand(kafka, groep, [topic]) == {}
        await async_wait_until(lambda: consumer.state.sessions >= 1, timeout=10)
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
    assert consumer.state.sessions == 1, "reading the group's offsets did not disturb its member"
    assert (consumer.state.applied, consumer.state.duplicates) == (12, 0)
