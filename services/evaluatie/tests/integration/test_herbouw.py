"""Rebuilding the read models from the topics gives the same reports, once."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import text

from evaluatie.service_layer.herbouw import herbouw
from wijkwerk.db import session_factory
from wijkwerk.events import Envelope
from wijkwerk.events.toeleiding import OrganisatorGeregistreerd, ToeleidingOntvangen
from wijkwerk.messaging.admin import ensure_topics
from wijkwerk.settings import KafkaSettings

pytestmark = pytest.mark.integration


async def test_a_rebuild_from_the_topic_restores_the_reports_and_skips_duplicates(env, tokens, fold, kafka_bootstrap):
    client, engine = env
    topic = f"test.herbouw.{uuid.uuid4().hex[:8]}"
    await ensure_topics(kafka_bootstrap, [topic], 2)
    a = OrganisatorGeregistreerd(organisator_id=uuid.uuid4(), naam="A", samenwerkingsverband="A", gemeenten=())
    events = [a] + [
        ToeleidingOntvangen(toeleiding_id=uuid.uuid4(), wijkwerker_id=uuid.uuid4(), organisator_id=a.organisator_id,
                            toeleider_type="VDAB", advies_maanden=m, ontvangen_op=date(2026, 2, 1),
                            uitkeringsstatus="leefloon", ex_pwa=False, onbeperkt_recht=False)
        for m in (12, 12, 6)
    ]
    envelopes = [Envelope.wrap(e, producer="toeleiding") for e in events]
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await producer.start()
    try:
        for envelope in envelopes + envelopes[1:2]:  # one duplicate on the topic
            await producer.send_and_wait(topic, envelope.to_bytes(), key=b"k")
    finally:
        await producer.stop()
    await fold(engine, *events)  # the live state before the rebuild

    async def advies() -> dict:
        r = await client.get("/v1/rapporten/advies", params={"van": "2026-01-01", "tot": "2026-12-31"},
                             headers=tokens.headers("rapportering:read"))
        return r.json()

    voor = await advies()
    async with engine.begin() as conn:  # damage the read model
        await conn.execute(text("DELETE FROM rm_toeleidingen"))
    assert (await advies())["totaal"] == 0

    rapport = await herbouw(session_factory(engine), KafkaSettings(bootstrap_servers=kafka_bootstrap), [topic])
    assert (rapport["gelezen"], rapport["toegepast"]) == (5, 4)
    na = await advies()
    assert (na["totaal"], na["rijen"]) == (voor["totaal"], voor["rijen"]) == (3, na["rijen"])
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM inbox WHERE consumer = 'rapportering'")) == 4
