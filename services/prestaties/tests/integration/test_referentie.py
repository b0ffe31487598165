"""toeleiding's events folded into the local trajectory windows and organiser areas:
through a real inbox consumer on the embedded broker (with a redelivery), and directly."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date

import pytest
from aiokafka import AIOKafkaProducer

from prestaties.adapters.referentie import VensterRepository
from prestaties.domain.traject import Schorsing
from prestaties.service_layer.consumenten.referentie import HANDLERS
from prestaties.service_layer.uow import PrestatiesUnitOfWork
from wijkwerk.events import Envelope, registry
from wijkwerk.events.toeleiding import (
    Gemeente,
    OvereenkomstGetekend,
    TrajectBeeindigd,
    TrajectGeschorst,
    TrajectGestart,
    TrajectVerlengd,
    WerkingsgebiedGewijzigd,
)
from wijkwerk.events.topics import dlq_topic
from wijkwerk.messaging.admin import ensure_topics
from wijkwerk.messaging.consumer import InboxConsumer, dispatch
from wijkwerk.settings import KafkaSettings
from wijkwerk_platform.testing import async_wait_until

pytestmark = pytest.mark.integration


def _traject_events(wijkwerker: uuid.UUID, org: uuid.UUID, traject: uuid.UUID):
    return [
        TrajectGestart(traject_id=traject, toeleiding_id=uuid.uuid4(), wijkwerker_id=wijkwerker, organisator_id=org,
                       start=date(2025, 1, 6), gepland_einde=date(2025, 7, 5), max_einde=date(2026, 1, 5)),
        OvereenkomstGetekend(traject_id=traject, wijkwerker_id=wijkwerker, organisator_id=org, getekend_op=date(2025, 1, 8)),
        TrajectVerlengd(traject_id=traject, wijkwerker_id=wijkwerker, gepland_einde=date(2025, 10, 5),
                        max_einde=date(2026, 1, 5)),
        TrajectGeschorst(traject_id=traject, wijkwerker_id=wijkwerker, van=date(2025, 3, 1), tot=date(2025, 3, 10),
                         reden="ziekte met attest", gepland_einde=date(2025, 10, 15), max_einde=date(2026, 1, 15)),
        TrajectBeeindigd(traject_id=traject, wijkwerker_id=wijkwerker, organisator_id=org, einde=date(2025, 9, 30),
                         reden="uitstroom_werk"),
    ]


async def _produce(bootstrap: str, topic: str, envelopes: list[Envelope], key: str) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for envelope in envelopes:
            await producer.send_and_wait(topic, envelope.to_bytes(), key=key.encode())
    finally:
        await producer.stop()


async def test_a_real_consumer_folds_a_trajectory_into_its_window_exactly_once(env, kafka_bootstrap):
    wijkwerker, org, traject = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    envelopes = [Envelope.wrap(e, producer="toeleiding") for e in _traject_events(wijkwerker, org, traject)]
    topic = f"test.toeleiding.{uuid.uuid4().hex[:8]}"
    await ensure_topics(kafka_bootstrap, [topic, dlq_topic(topic)], 2)
    await _produce(kafka_bootstrap, topic, [*envelopes, envelopes[3]], str(wijkwerker))  # one redelivery
    consumer = InboxConsumer(
        name="referentie", service="prestaties", topics=[topic], event_types=list(HANDLERS),
        handle=dispatch(HANDLERS, unit_of_work=PrestatiesUnitOfWork), sessions=env.sessions,
        kafka=KafkaSettings(bootstrap_servers=kafka_bootstrap, topic_partitions=2), registry=registry,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    try:
        await async_wait_until(lambda: consumer.state.applied + consumer.state.duplicates >= 6, timeout=30)
    finally:
        stop.set()
        await task
    assert (consumer.state.applied, consumer.state.duplicates, consumer.state.dead_lettered) == (5, 1, 0)
    async with env.sessions() as session:
        [venster] = await VensterRepository(session).van_wijkwerker(wijkwerker)
    assert (venster.traject_id, venster.organisator_id, venster.start) == (traject, org, date(2025, 1, 6))
    assert (venster.overeenkomst_op, venster.gepland_einde, venster.werkelijk_einde) == (
        date(2025, 1, 8), date(2025, 10, 15), date(2025, 9, 30),
    )
    assert venster.schorsingen == [Schorsing(date(2025, 3, 1), date(2025, 3, 10))]
    assert venster.laatste_dag() == date(2025, 9, 30)


async def test_an_ended_trajectory_closes_the_window_for_prestaties(env, wereld):
    w = await wereld()
    await env.fold(TrajectBeeindigd(traject_id=w.traject_id, wijkwerker_id=w.wijkwerker_id,
                                    organisator_id=w.organisator_id, einde=date(2025, 4, 30), reden="gestopt"))
    r = await env.client.post("/v1/prestaties", json=w.prestatie("2025-05-02"), headers=env.h())
    assert (r.status_code, r.json()["rule"]) == (422, "buiten-traject")
    assert (await env.client.post("/v1/prestaties", json=w.prestatie("2025-04-30"), headers=env.h())).status_code == 201


async def test_events_about_an_unknown_trajectory_change_nothing(env):
    wijkwerker = uuid.uuid4()
    await env.fold(*_traject_events(wijkwerker, uuid.uuid4(), uuid.uuid4())[1:])
    assert await env.scalar("SELECT count(*) FROM trajecten_ref WHERE wijkwerker_id = :w", w=wijkwerker) == 0


async def test_a_changed_area_replaces_the_known_one(env, wereld):
    w = await wereld()
    await env.fold(WerkingsgebiedGewijzigd(
        organisator_id=w.organisator_id,
        gemeenten=(Gemeente(nis_code="31005", naam="Brugge"), Gemeente(nis_code="31006", naam="Damme")),
    ))
    org = (await env.client.get(f"/v1/organisatoren/{w.organisator_id}", headers=env.h())).json()
    assert org["gemeenten"] == ["31005", "31006"]


async def test_a_prolongation_after_the_housekeeping_end_reopens_the_window(env, wereld):
    """Issue #21 defect 6: toeleiding's job may end a trajectory at its planned end before a
    back-office import's prolongation arrives; the prolongation reopens it (toeleiding
    refuses it after a decided end), so the window does not depend on when the job fired."""
    w = await wereld()
    await env.fold(TrajectBeeindigd(traject_id=w.traject_id, wijkwerker_id=w.wijkwerker_id,
                                    organisator_id=w.organisator_id, einde=date(2025, 7, 5), reden="einde_advies"))
    await env.fold(TrajectVerlengd(traject_id=w.traject_id, wijkwerker_id=w.wijkwerker_id,
                                   gepland_einde=date(2025, 10, 5), max_einde=date(2026, 1, 5)))
    assert (await env.client.post("/v1/prestaties", json=w.prestatie("2025-09-02"), headers=env.h())).status_code == 201
