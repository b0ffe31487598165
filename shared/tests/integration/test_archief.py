"""The event archive on a real PostgreSQL and broker (issue #17): every outbox row is kept
in ``gebeurtenissen`` in its own transaction and outlives the outbox's purge; the archive
cannot be changed; month partitions are made ahead and catch stray rows; the archive is
served to replayers over HTTP (central callers only), and a history is archive + tail."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx
import orjson
import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from toeleiding.config import Settings
from toeleiding.entrypoints.api import create_app
from wijkwerk.db import UnitOfWork, create_engine, session_factory
from wijkwerk.events import Envelope
from wijkwerk.events.toeleiding import OrganisatorGeregistreerd
from wijkwerk.messaging.admin import ensure_topics
from wijkwerk.messaging.archief import (
    DatabaseArchief,
    Geschiedenis,
    GeschiedenisOnbeschikbaar,
    GeschiedenisOnvolledig,
    HttpArchief,
    _regels,
)
from wijkwerk.settings import KafkaSettings
from wijkwerk_platform.testing import migrated_database, superuser_url
from wijkwerk_platform.testkit import Tokens

pytestmark = pytest.mark.integration


@pytest.fixture
async def engine(embedded_pg):
    engine = create_engine(migrated_database(embedded_pg, "toeleiding", f"arch_{uuid.uuid4().hex[:8]}"), pool_size=3)
    yield engine
    await engine.dispose()


async def _emit(engine, n: int) -> list[Envelope]:
    envelopes = []
    async with UnitOfWork(session_factory(engine)) as uow:
        for i in range(n):
            event = OrganisatorGeregistreerd(organisator_id=uuid.uuid4(), naam=f"O{i}", samenwerkingsverband="S",
                                             gemeenten=())
            envelopes.append(uow.emit(event))
        await uow.commit()
    return envelopes


async def _archief(engine) -> list[bytes]:
    return [v async for blok in DatabaseArchief(engine, blok=2).blokken() for v in blok]


async def test_every_outbox_row_is_archived_in_its_transaction_and_outlives_the_purge(engine):
    envelopes = await _emit(engine, 3)
    async with UnitOfWork(session_factory(engine)) as uow:  # a transaction that rolls back leaves no trace
        uow.emit(OrganisatorGeregistreerd(organisator_id=uuid.uuid4(), naam="X", samenwerkingsverband="S", gemeenten=()))
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE outbox SET published_at = now() - interval '30 days'"))
        await conn.execute(text("DELETE FROM outbox"))  # the transport's retention passed
    gelezen = await _archief(engine)
    assert [Envelope.from_bytes(v).event_id for v in gelezen] == [e.event_id for e in envelopes]


async def test_the_archive_is_append_only(engine):
    """The service's role may not change it (no grant); even a role with the rights, the
    owner's or a superuser's, is stopped by the trigger."""
    await _emit(engine, 1)
    superuser = create_engine(superuser_url(engine.url.render_as_string(hide_password=False)), pool_size=1)
    try:
        for statement in ("UPDATE gebeurtenissen SET key = 'x'", "DELETE FROM gebeurtenissen",
                          "TRUNCATE gebeurtenissen"):
            for wie, match in ((engine, "permission denied"), (superuser, "append-only")):
                with pytest.raises(DBAPIError, match=match):
                    async with wie.begin() as conn:
                        await conn.execute(text(statement))
    finally:
        await superuser.dispose()
    assert len(await _archief(engine)) == 1


# The service's role reads the archive through its parent only (partitions have no grants).
IN_PARTITIE = "SELECT count(*) FROM gebeurtenissen WHERE tableoid = '{}'::regclass"


async def test_months_get_partitions_ahead_and_a_stray_row_moves_out_of_the_default(engine):
    async with engine.begin() as conn:
        partities = set((await conn.execute(text(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'gebeurtenissen'::regclass"))).scalars())
        nu = datetime.now(UTC)
        assert f"gebeurtenissen_{nu:%Y_%m}" in partities and "gebeurtenissen_standaard" in partities
        # a row of a month without a partition (an import of old history) lands in the default ...
        await conn.execute(text(
            "INSERT INTO outbox (event_id, event_type, topic, key, value, created_at) "
            "VALUES (gen_random_uuid(), 'X', 't', 'k', '\\x7b7d', '2019-03-05T10:00:00Z')"))
        assert await conn.scalar(text(IN_PARTITIE.format("gebeurtenissen_standaard"))) == 1
        # ... and the relay's housekeeping gives it its month
        assert await conn.scalar(text("SELECT wijkwerk_archief_partities(2)")) >= 1
        assert await conn.scalar(text(IN_PARTITIE.format("gebeurtenissen_standaard"))) == 0
        assert await conn.scalar(text(IN_PARTITIE.format("gebeurtenissen_2019_03"))) == 1


@pytest.fixture
async def toeleiding(engine, tmp_path_factory):
    tokens = Tokens.create(tmp_path_factory.mktemp("keys"))
    app = create_app(Settings(database_url=engine.url.render_as_string(hide_password=False), run_workers=False,
                              auth=tokens.auth_settings()))
    async with app.router.lifespan_context(app):
        yield httpx.ASGITransport(app=app), tokens


async def test_the_archive_is_served_to_central_replayers_as_ndjson(engine, toeleiding):
    transport, tokens = toeleiding
    envelopes = await _emit(engine, 4)
    async with httpx.AsyncClient(transport=transport, base_url="http://toeleiding") as client:
        r = await client.get("/v1/gebeurtenissen", headers=tokens.headers("gebeurtenissen:lezen", org_type="service"))
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
        regels = r.content.split(b"\n")
        assert regels[-2:] == [b"#einde 4", b""]
        assert [orjson.loads(x)["event_id"] for x in regels[:-2]] == [str(e.event_id) for e in envelopes]

        org = tokens.headers("gebeurtenissen:lezen", org_type="organisator", org=str(uuid.uuid4()))
        r = await client.get("/v1/gebeurtenissen", headers=org)
        assert (r.status_code, r.json()["rule"]) == (403, "alleen-centraal")

    async def token() -> str:
        return tokens.mint("gebeurtenissen:lezen", org_type="service")

    lezer = HttpArchief("http://toeleiding", token, transport=transport)
    assert [Envelope.from_bytes(v).event_id async for blok in lezer.blokken() for v in blok] == [
        e.event_id for e in envelopes]

    async with engine.begin() as conn:
        await conn.execute(text("UPDATE archief_begin SET volledig = false, toelichting = 'history before X is gone'"))
    with pytest.raises(GeschiedenisOnvolledig, match="history before X"):
        async for _ in lezer.blokken():
            pass


async def _stukken(*stukken: bytes):
    for stuk in stukken:
        yield stuk


async def test_a_stream_cut_off_or_miscounted_is_never_taken_for_the_whole():
    heel = [v async for blok in _regels(_stukken(b'{"a":1}\n{"b"', b':2}\n#einde 2\n'), "x") for v in blok]
    assert heel == [b'{"a":1}', b'{"b":2}']
    with pytest.raises(GeschiedenisOnbeschikbaar, match="without its closing line"):
        [v async for blok in _regels(_stukken(b'{"a":1}\n{"b":2}\n'), "x") for v in blok]
    with pytest.raises(GeschiedenisOnbeschikbaar, match="2 events read, the archive sent 3"):
        [v async for blok in _regels(_stukken(b'{"a":1}\n{"b":2}\n#einde 3\n'), "x") for v in blok]


async def test_a_history_is_the_archive_then_the_topic_tail(engine, kafka_bootstrap):
    topic = f"test.archief.{uuid.uuid4().hex[:8]}"
    await ensure_topics(kafka_bootstrap, [topic], 2)
    archived = await _emit(engine, 3)
    later = Envelope.wrap(OrganisatorGeregistreerd(organisator_id=uuid.uuid4(), naam="L", samenwerkingsverband="S",
                                                   gemeenten=()), producer="toeleiding")
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await producer.start()
    try:  # the topic lost the first two to retention; the last one was committed after the archive was read
        for envelope in (archived[2], later):
            await producer.send_and_wait(topic, envelope.to_bytes(), key=b"k")
    finally:
        await producer.stop()
    geschiedenis = Geschiedenis(KafkaSettings(bootstrap_servers=kafka_bootstrap), {topic: DatabaseArchief(engine)})
    ids = [Envelope.from_bytes(v).event_id async for blok in geschiedenis.alles([topic]) for v in blok]
    assert ids == [e.event_id for e in archived] + [archived[2].event_id, later.event_id]
    assert geschiedenis.gelezen == {topic: {"archief": 3, "staart": 2}}

    with pytest.raises(GeschiedenisOnvolledig, match="no archive"):
        async for _ in Geschiedenis(KafkaSettings(bootstrap_servers=kafka_bootstrap), {}).alles([topic]):
            pass


async def test_a_new_consumer_starts_from_the_first_event_once(engine, embedded_pg, kafka_bootstrap):
    from wijkwerk.events import registry
    from wijkwerk.messaging.consumer import InboxConsumer, dispatch
    from wijkwerk_platform.testing import async_wait_until

    topic = f"test.nieuw.{uuid.uuid4().hex[:8]}"
    await ensure_topics(kafka_bootstrap, [topic], 2)
    archived = await _emit(engine, 3)
    async with engine.begin() as conn:
        await conn.execute(text("DELETE FROM outbox"))  # long published, gone from the transport
    later = Envelope.wrap(OrganisatorGeregistreerd(organisator_id=uuid.uuid4(), naam="L", samenwerkingsverband="S",
                                                   gemeenten=()), producer="toeleiding")
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await producer.start()
    try:  # the topic keeps only the last archived event and one committed after it
        for envelope in (archived[2], later):
            await producer.send_and_wait(topic, envelope.to_bytes(), key=b"k")
    finally:
        await producer.stop()

    consumer_db = create_engine(migrated_database(embedded_pg, "prestaties", f"nieuw_{uuid.uuid4().hex[:8]}"))
    toegepast: list[str] = []

    async def onthoud(session, event, envelope) -> None:
        toegepast.append(event.naam)

    def nieuwe_consumer() -> InboxConsumer:
        return InboxConsumer(
            name="nieuw-rapport", service="prestaties", topics=[topic], event_types=[OrganisatorGeregistreerd],
            handle=dispatch({OrganisatorGeregistreerd: onthoud}), sessions=session_factory(consumer_db),
            kafka=KafkaSettings(bootstrap_servers=kafka_bootstrap), registry=registry,
            geschiedenis={topic: DatabaseArchief(engine)})

    import asyncio

    async def draai(verwacht: int) -> InboxConsumer:
        consumer, stop = nieuwe_consumer(), asyncio.Event()
        task = asyncio.create_task(consumer.run(stop))
        try:
            await async_wait_until(lambda: consumer.state.applied + consumer.state.duplicates >= verwacht, timeout=30)
        finally:
            stop.set()
            await task
        return consumer

    try:
        eerste = await draai(5)  # 3 from the archive, then the topic: 1 overlap, 1 new
        assert (eerste.state.applied, eerste.state.duplicates) == (4, 1)
        nog = Envelope.wrap(OrganisatorGeregistreerd(organisator_id=uuid.uuid4(), naam="M", samenwerkingsverband="S",
                                                     gemeenten=()), producer="toeleiding")
        producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
        await producer.start()
        try:
            await producer.send_and_wait(topic, nog.to_bytes(), key=b"k")
        finally:
            await producer.stop()
        tweede = await draai(1)  # a restart resumes from its offsets: no second catch-up
        assert (tweede.state.applied, tweede.state.duplicates) == (1, 0)
        assert toegepast == ["O0", "O1", "O2", "L", "M"]
        async with consumer_db.connect() as conn:
            assert await conn.scalar(text("SELECT events FROM consumer_geschiedenis WHERE consumer = 'nieuw-rapport'")) == 3
    finally:
        await consumer_db.dispose()
