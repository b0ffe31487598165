"""Dead letters per consumer group, parked in the service's database, and park-and-halt
per key for the money streams, on the real embedded PostgreSQL and broker.

A worker's event that fails is parked for the failing consumer only; the worker's later
events wait behind it while other workers flow; an operator's re-drive (through the
`wijkwerk dlq` CLI) reaches the failing consumer only and applies the worker's events in
their order; a discarded event is never applied, not even when the broker delivers it again.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid

import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import text

from wijkwerk.db import create_engine, session_factory
from wijkwerk.events import Envelope, registry
from wijkwerk.events.toeleiding import OrganisatorGeregistreerd
from wijkwerk.events.topics import dlq_topic
from wijkwerk.messaging import parkeren
from wijkwerk.messaging.admin import ensure_topics
from wijkwerk.messaging.consumer import InboxConsumer, dispatch
from wijkwerk.settings import KafkaSettings
from wijkwerk_platform.testing import async_wait_until, migrated_database, superuser_url

pytestmark = pytest.mark.integration


@pytest.fixture
async def db(embedded_pg, kafka_bootstrap):
    url = superuser_url(migrated_database(embedded_pg, "toeleiding", f"park_{uuid.uuid4().hex[:8]}"))
    engine = create_engine(url, pool_size=5)
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE effect (volgorde bigserial, consumer text, naam text)"))
    yield engine, url
    await engine.dispose()


def _consumer(engine, kafka, topic, name: str, broken: set[str], *, halt: bool) -> InboxConsumer:
    async def on_organisator(session, event, envelope):
        if event.naam in broken:
            raise ValueError(f"cannot apply {event.naam} yet")
        await session.execute(text("INSERT INTO effect (consumer, naam) VALUES (:c, :n)"),
                              {"c": name, "n": event.naam})

    consumer = InboxConsumer(name=name, service="test", topics=[topic], event_types=[OrganisatorGeregistreerd],
                             handle=dispatch({OrganisatorGeregistreerd: on_organisator}),
                             sessions=session_factory(engine), kafka=kafka, registry=registry, batch_size=50,
                             halt_per_key=halt)
    consumer.herstel_interval_s = 0.1
    return consumer


def _event(naam: str) -> bytes:
    return Envelope.wrap(OrganisatorGeregistreerd(organisator_id=uuid.uuid4(), naam=naam, samenwerkingsverband="sv",
                                                  gemeenten=()), producer="test").to_bytes()


async def _produce(bootstrap: str, topic: str, keyed: list[tuple[str, bytes]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for key, value in keyed:
            await producer.send_and_wait(topic, value, key=key.encode())
    finally:
        await producer.stop()


async def _effects(engine, consumer: str) -> list[str]:
    async with engine.connect() as conn:
        return list((await conn.scalars(text("SELECT naam FROM effect WHERE consumer = :c ORDER BY volgorde"),
                                        {"c": consumer})).all())


async def _parked(engine, consumer: str) -> list[tuple[str, str]]:
    return [(r.sleutel, r.status) for r in await parkeren.lijst(engine, consumer, alles=True)]


def _cli(url: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "wijkwerk_platform.cli.main", "dlq", *args],
                          env={**os.environ, "TOELEIDING_DATABASE_URL": url}, capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


async def test_a_parked_event_halts_its_worker_only_and_a_redrive_reaches_the_failing_group_only(db, kafka_bootstrap):
    engine, url = db
    topic = f"test.park.{uuid.uuid4().hex[:8]}"
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap, topic_partitions=3, fetch_max_wait_ms=50)
    await ensure_topics(kafka, [topic, dlq_topic(topic)], 3)
    broken = {"w1-2"}
    geld = _consumer(engine, kafka, topic, "geld", broken, halt=True)
    ander = _consumer(engine, kafka, topic, "ander", set(), halt=False)  # another group of the same topic
    stop = asyncio.Event()
    tasks = [asyncio.create_task(c.run(stop)) for c in (geld, ander)]
    try:
        await _produce(kafka_bootstrap, topic, [("w1", _event("w1-1")), ("w1", _event("w1-2")), ("w2", _event("w2-1")),
                                                ("w1", _event("w1-3")), ("w2", _event("w2-2"))])

        async def halted() -> bool:
            return await _parked(engine, "geld") == [("w1", "geparkeerd"), ("w1", "wachtend")]

        await async_wait_until(halted, timeout=30)
        await async_wait_until(lambda: ander.state.applied == 5, timeout=30)
        assert sorted(await _effects(engine, "geld")) == ["w1-1", "w2-1", "w2-2"]
        # Later events: the halted worker's wait, the other worker's flow.
        await _produce(kafka_bootstrap, topic, [("w1", _event("w1-4")), ("w2", _event("w2-3"))])
        await async_wait_until(lambda: geld.state.wachtend == 2 and geld.state.applied == 4, timeout=30)
        assert [e for e in await _effects(engine, "geld") if e.startswith("w1")] == ["w1-1"]

        # A re-drive while the cause is still there parks it again; the rest keeps waiting.
        head = next(r.id for r in await parkeren.lijst(engine, "geld") if r.status == "geparkeerd")
        assert "1 parked events re-driven" in _cli(url, "opnieuw", "--service", "toeleiding", "--consumer", "geld",
                                                   "--id", str(head), "--door", "operator")

        async def again_parked() -> bool:
            return [r.status for r in await parkeren.lijst(engine, "geld")] == ["geparkeerd", "wachtend", "wachtend"]

        await async_wait_until(again_parked, timeout=30)
        assert geld.state.hersteld == 0

        # The cause fixed, re-driven: the worker's events are applied in their order, once.
        broken.clear()
        _cli(url, "opnieuw", "--service", "toeleiding", "--consumer", "geld", "--alle", "--door", "operator")
        await async_wait_until(lambda: geld.state.hersteld == 3, timeout=30)
        await _produce(kafka_bootstrap, topic, [("w1", _event("w1-5"))])
        await async_wait_until(lambda: geld.state.applied == 8, timeout=30)
    finally:
        stop.set()
        await asyncio.gather(*tasks)
    assert [e for e in await _effects(engine, "geld") if e.startswith("w1")] == ["w1-1", "w1-2", "w1-3", "w1-4", "w1-5"]
    assert sorted(await _effects(engine, "geld")) == sorted(await _effects(engine, "ander"))
    assert await parkeren.lijst(engine, "geld") == []
    # The other group saw each event once: the re-drive did not go through the topic.
    assert (ander.state.applied, ander.state.duplicates, ander.state.dead_lettered) == (8, 0, 0)
    assert "toegepast" in _cli(url, "lijst", "--service", "toeleiding", "--alles")


async def test_a_discarded_event_is_never_applied_and_its_worker_flows_again(db, kafka_bootstrap):
    engine, url = db
    topic = f"test.park.{uuid.uuid4().hex[:8]}"
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap, topic_partitions=3, fetch_max_wait_ms=50)
    await ensure_topics(kafka, [topic, dlq_topic(topic)], 3)
    broken = {"w3-1"}
    geld = _consumer(engine, kafka, topic, "geld", broken, halt=True)
    stop = asyncio.Event()
    task = asyncio.create_task(geld.run(stop))
    gif = _event("w3-1")
    try:
        await _produce(kafka_bootstrap, topic, [("w3", gif), ("w3", _event("w3-2"))])
        await async_wait_until(lambda: geld.state.dead_lettered == 1 and geld.state.wachtend == 1, timeout=30)
        head = next(r.id for r in await parkeren.lijst(engine, "geld") if r.status == "geparkeerd")
        _cli(url, "verwerp", "--service", "toeleiding", "--consumer", "geld", "--id", str(head), "--door", "operator")
        await async_wait_until(lambda: geld.state.hersteld == 1, timeout=30)
        broken.clear()  # even once it could be applied, a discarded event is not
        await _produce(kafka_bootstrap, topic, [("w3", gif), ("w3", _event("w3-3"))])
        await async_wait_until(lambda: geld.state.applied == 2 and geld.state.duplicates == 1, timeout=30)
    finally:
        stop.set()
        await task
    assert await _effects(engine, "geld") == ["w3-2", "w3-3"]
    assert await _parked(engine, "geld") == [("w3", "verworpen"), ("w3", "toegepast")]
