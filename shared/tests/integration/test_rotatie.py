"""The embedded memory broker stays bounded (issue #17 item 4): a relay rotates its topic
once it is long and every consumer group has read it; consumers go on without a gap or a
duplicate; a group that is behind holds the rotation back; a broker that later loses its
data is re-filled only with what was published after the rotation."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.structs import OffsetAndMetadata, TopicPartition
from sqlalchemy import text

from wijkwerk.db import UnitOfWork, create_engine, session_factory
from wijkwerk.events import registry
from wijkwerk.events.toeleiding import OrganisatorGeregistreerd
from wijkwerk.messaging import rotatie
from wijkwerk.messaging.admin import ensure_topics
from wijkwerk.messaging.consumer import InboxConsumer, dispatch
from wijkwerk.messaging.relay import OutboxRelay
from wijkwerk.settings import KafkaSettings
from wijkwerk_platform.testing import async_wait_until, migrated_database

pytestmark = pytest.mark.integration
PARTITIONS = 2


@pytest.fixture
async def db(embedded_pg):
    engine = create_engine(migrated_database(embedded_pg, "toeleiding", f"rot_{uuid.uuid4().hex[:8]}"), pool_size=5)
    yield engine
    await engine.dispose()


@pytest.fixture
def opzet(kafka_bootstrap):
    topic = f"test.rotatie.{uuid.uuid4().hex[:8]}"
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap, topic_partitions=PARTITIONS, fetch_max_wait_ms=50)
    event = type("OrganisatorOpRotatieTopic", (OrganisatorGeregistreerd,), {"topic": topic})
    return topic, kafka, event


async def _emit(engine, event_cls, *namen: str) -> None:
    async with UnitOfWork(session_factory(engine), producer="test") as uow:
        for naam in namen:
            uow.emit(event_cls(organisator_id=uuid.uuid4(), naam=naam, samenwerkingsverband="sv", gemeenten=()))
        await uow.commit()


async def _einde(kafka: KafkaSettings, topic: str) -> int:
    probe = AIOKafkaConsumer(bootstrap_servers=kafka.bootstrap_servers)
    await probe.start()
    try:
        tps = [TopicPartition(topic, p) for p in range(PARTITIONS)]
        gemeld = {tp.partition: e for tp, e in (await probe.end_offsets(tps)).items()}
    finally:
        await probe.stop()
    return sum((await rotatie.ware_eindes(kafka, topic, gemeld)).values())


def _consumer(db, kafka, topic, event_cls, gezien: list[str]) -> InboxConsumer:
    async def onthoud(session, event, envelope) -> None:
        gezien.append(event.naam)

    # the registry decodes the test topic's events as the real class
    return InboxConsumer(name=f"lezer-{topic}", service="test", topics=[topic], event_types=[OrganisatorGeregistreerd],
                         handle=dispatch({OrganisatorGeregistreerd: onthoud}), sessions=session_factory(db), kafka=kafka,
                         registry=registry)


async def test_a_consumed_topic_is_rotated_and_consumers_go_on_without_gap_or_duplicate(db, opzet):
    topic, kafka, event_cls = opzet
    await ensure_topics(kafka.bootstrap_servers, [topic], PARTITIONS)
    relay = OutboxRelay(db, kafka, service=f"svc-{topic}", topic=topic, rotate_after=10, rotate_check_s=0.2)
    gezien: list[str] = []
    consumer = _consumer(db, kafka, topic, event_cls, gezien)
    stop = asyncio.Event()
    taken = [asyncio.create_task(relay.run(stop)), asyncio.create_task(consumer.run(stop))]
    try:
        await _emit(db, event_cls, *[f"a{i}" for i in range(12)])
        await async_wait_until(lambda: relay.state.rotated >= 1, timeout=30)
        assert await _einde(kafka, topic) < 12  # the consumed messages are gone from the broker
        await _emit(db, event_cls, "b0", "b1", "b2")
        await async_wait_until(lambda: len(gezien) >= 15, timeout=30)
        assert sorted(gezien) == sorted([f"a{i}" for i in range(12)] + ["b0", "b1", "b2"])
        assert consumer.state.duplicates == 0 and relay.state.refilled == 0

        # The broker then loses its data: only what was published after the rotation comes back.
        admin = AIOKafkaAdminClient(bootstrap_servers=kafka.bootstrap_servers)
        await admin.start()
        try:
            await admin.delete_topics([topic])
        finally:
            await admin.close()
        await ensure_topics(kafka.bootstrap_servers, [topic], PARTITIONS)
        await async_wait_until(lambda: relay.state.refilled > 0, timeout=30)
        async with db.connect() as conn:
            na_rotatie = await conn.scalar(text(
                "SELECT count(*) FROM outbox o, relay_rotatie r WHERE r.topic = :t AND (o.txid, o.id) > (r.txid, r.id)"),
                {"t": topic})
        assert relay.state.refilled == na_rotatie < 15
        await async_wait_until(lambda: consumer.state.duplicates >= na_rotatie, timeout=30)
        assert len(gezien) == 15  # the re-filled ones were recognised by the inbox
    finally:
        stop.set()
        await asyncio.gather(*taken)


async def test_a_group_that_is_behind_holds_the_rotation_back(db, opzet):
    topic, kafka, event_cls = opzet
    await ensure_topics(kafka.bootstrap_servers, [topic], PARTITIONS)
    await _emit(db, event_cls, *[f"a{i}" for i in range(12)])
    achter = AIOKafkaConsumer(bootstrap_servers=kafka.bootstrap_servers, group_id=f"achter-{topic}",
                              enable_auto_commit=False)
    await achter.start()
    try:  # a group that read one message of partition 0 and stopped
        achter.assign([TopicPartition(topic, 0)])
        await achter.commit({TopicPartition(topic, 0): OffsetAndMetadata(1, "")})
    finally:
        await achter.stop()
    relay = OutboxRelay(db, kafka, service=f"svc-{topic}", topic=topic, rotate_after=10, rotate_check_s=0.1)
    stop = asyncio.Event()
    taak = asyncio.create_task(relay.run(stop))
    try:
        await async_wait_until(lambda: relay.state.published >= 12 and relay.state.rotation_checks >= 3, timeout=30)
        assert relay.state.rotated == 0 and await _einde(kafka, topic) == 12
    finally:
        stop.set()
        await taak
