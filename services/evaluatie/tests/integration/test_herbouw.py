"""Rebuilding the read models from the history (the producer's archive, then the topic's
tail) gives the same reports, once; it is built beside the live read models, so a
rebuild that fails halfway leaves them serving; a history without its beginning is
refused before anything changes."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import text

from evaluatie.service_layer import herbouw as herbouw_module
from evaluatie.service_layer.herbouw import herbouw
from wijkwerk.db import create_engine, session_factory
from wijkwerk.events import Envelope
from wijkwerk.events.toeleiding import OrganisatorGeregistreerd, ToeleidingOntvangen
from wijkwerk.messaging.admin import ensure_topics
from wijkwerk.messaging.archief import DatabaseArchief, GeschiedenisOnvolledig
from wijkwerk.settings import KafkaSettings
from wijkwerk_platform.testing import migrated_database
from wijkwerk_platform.testkit import archiveer

pytestmark = pytest.mark.integration


def _wereld() -> list:
    a = OrganisatorGeregistreerd(organisator_id=uuid.uuid4(), naam="A", samenwerkingsverband="A", gemeenten=())
    return [a] + [
        ToeleidingOntvangen(toeleiding_id=uuid.uuid4(), wijkwerker_id=uuid.uuid4(), organisator_id=a.organisator_id,
                            toeleider_type="VDAB", advies_maanden=m, ontvangen_op=date(2026, 2, 1),
                            uitkeringsstatus="leefloon", ex_pwa=False, onbeperkt_recht=False)
        for m in (12, 12, 6, 3)
    ]


async def _produceer(bootstrap: str, topic: str, envelopes: list[Envelope]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for envelope in envelopes:
            await producer.send_and_wait(topic, envelope.to_bytes(), key=b"k")
    finally:
        await producer.stop()


@pytest.fixture
async def toeleiding_archief(embedded_pg):
    engine = create_engine(migrated_database(embedded_pg, "toeleiding", f"tl_{uuid.uuid4().hex[:8]}"), pool_size=2)
    yield engine
    await engine.dispose()


@pytest.fixture
async def retentie_voorbij(toeleiding_archief, kafka_bootstrap):
    """Five events: the first four in the producer's archive; the topic, past its
    retention, holds only the last three, one of them twice: the last was committed after
    the archive was read and is only on the topic (the tail)."""
    topic = f"test.herbouw.{uuid.uuid4().hex[:8]}"
    await ensure_topics(kafka_bootstrap, [topic], 2)
    events = _wereld()
    envelopes = [Envelope.wrap(e, producer="toeleiding") for e in events]
    await archiveer(toeleiding_archief, [("k", e.to_bytes()) for e in envelopes[:4]])
    await _produceer(kafka_bootstrap, topic, envelopes[2:] + envelopes[3:4])
    return topic, events


async def _advies(client, tokens) -> dict:
    r = await client.get("/v1/rapporten/advies", params={"van": "2026-01-01", "tot": "2026-12-31"},
                         headers=tokens.headers("rapportering:read"))
    assert r.status_code == 200, r.text
    return {k: v for k, v in r.json().items() if k != "berekend_op"}  # the figures, not when they were read


async def test_a_rebuild_after_retention_restores_the_reports_from_archive_and_tail(
        env, tokens, fold, kafka_bootstrap, toeleiding_archief, retentie_voorbij):
    client, engine = env
    topic, events = retentie_voorbij
    await fold(engine, *events)  # the live state before the rebuild
    voor = await _advies(client, tokens)
    async with engine.begin() as conn:  # damage the read model
        await conn.execute(text("DELETE FROM rm_toeleidingen"))
    assert (await _advies(client, tokens))["totaal"] == 0

    rapport = await herbouw(session_factory(engine), KafkaSettings(bootstrap_servers=kafka_bootstrap),
                            {topic: DatabaseArchief(toeleiding_archief)}, [topic])
    assert rapport["bronnen"][topic] == {"archief": 4, "staart": 4}
    assert (rapport["gelezen"], rapport["toegepast"]) == (8, 5)
    na = await _advies(client, tokens)
    assert (na["totaal"], na["rijen"]) == (voor["totaal"], voor["rijen"]) and na["totaal"] == 4
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM inbox WHERE consumer = 'rapportering'")) == 5
        assert await conn.scalar(text("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'herbouw_%'")) == 0


async def test_a_rebuild_interrupted_halfway_leaves_the_old_read_models_serving(
        env, tokens, fold, kafka_bootstrap, toeleiding_archief, retentie_voorbij, monkeypatch):
    client, engine = env
    topic, events = retentie_voorbij
    await fold(engine, *events)
    voor = await _advies(client, tokens)
    async with engine.connect() as conn:
        inbox_voor = await conn.scalar(text("SELECT count(*) FROM inbox WHERE consumer = 'rapportering'"))

    echte = herbouw_module._pas_toe
    batches = 0

    async def onderbroken(sessions, schema, batch):
        nonlocal batches
        batches += 1
        if batches == 2:
            raise ConnectionError("the rebuild's process died")
        return await echte(sessions, schema, batch)

    monkeypatch.setattr(herbouw_module, "_pas_toe", onderbroken)
    with pytest.raises(ConnectionError):
        await herbouw(session_factory(engine), KafkaSettings(bootstrap_servers=kafka_bootstrap),
                      {topic: DatabaseArchief(toeleiding_archief)}, [topic], batch_size=2)
    assert batches == 2
    assert await _advies(client, tokens) == voor  # the live read models still serve, untouched
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM inbox WHERE consumer = 'rapportering'")) == inbox_voor

    monkeypatch.setattr(herbouw_module, "_pas_toe", echte)  # the next rebuild clears the leftovers and completes
    rapport = await herbouw(session_factory(engine), KafkaSettings(bootstrap_servers=kafka_bootstrap),
                            {topic: DatabaseArchief(toeleiding_archief)}, [topic], batch_size=2)
    assert rapport["toegepast"] == 5 and await _advies(client, tokens) == voor
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'herbouw_%'")) == 0


async def test_a_history_without_its_first_event_is_refused_and_changes_nothing(
        env, tokens, fold, kafka_bootstrap, toeleiding_archief, retentie_voorbij):
    client, engine = env
    topic, events = retentie_voorbij
    await fold(engine, *events)
    voor = await _advies(client, tokens)
    async with toeleiding_archief.begin() as conn:  # an archive added after the outbox had purged rows
        await conn.execute(text("UPDATE archief_begin SET volledig = false, toelichting = 'begins 2026-11-01'"))

    with pytest.raises(GeschiedenisOnvolledig, match="2026-11-01"):
        await herbouw(session_factory(engine), KafkaSettings(bootstrap_servers=kafka_bootstrap),
                      {topic: DatabaseArchief(toeleiding_archief)}, [topic])
    assert await _advies(client, tokens) == voor
