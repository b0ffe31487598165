"""A raw unit of work (``UnitOfWork.ruw()``, ``wijkwerk.db.ruw.RuweTransactie``) on a real
PostgreSQL: its statements, outbox rows included, commit together or not at all, its
connection goes back to the engine's pool, a SQLAlchemy statement on it is refused
instead of running outside its transaction, and a connection that died under it is not
handed out again."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, bindparam, exc, insert, select, text

from wijkwerk.db import create_engine, session_factory
from wijkwerk.db.idempotency import request_session
from wijkwerk.db.ruw import RuwStatement
from wijkwerk.db.uow import UnitOfWork
from wijkwerk.events.toeleiding import OrganisatorGeregistreerd
from wijkwerk_platform.testing import superuser_url

pytestmark = pytest.mark.integration

_rijen = Table("rijen", MetaData(), Column("n", Integer, primary_key=True))
_NIEUW = RuwStatement(insert(_rijen).values(n=bindparam("n")))
_PID = RuwStatement(select(text("pg_backend_pid()")))


class Uow(UnitOfWork):
    producer = "test"

    def init_repositories(self, session) -> None:
        self.sessie = session


@pytest.fixture
async def engine(embedded_pg):
    naam = f"ruw_{uuid.uuid4().hex[:8]}"
    embedded_pg.create_database(naam)
    engine = create_engine(embedded_pg.url(naam), pool_size=2)
    async with engine.begin() as conn:
        await conn.run_sync(_rijen.metadata.create_all)
        await conn.execute(text(
            "CREATE TABLE outbox (id bigserial PRIMARY KEY, event_id uuid, event_type text, topic text, key text,"
            " value bytea)"))
        await conn.execute(text(
            "CREATE TABLE audit (id bigserial PRIMARY KEY, soort text, handeling text, subject text, org text,"
            " org_type text, wijkwerker_id uuid, aggregate_id text, event_id uuid, correlation_id text)"))
    try:
        yield engine
    finally:
        await engine.dispose()


async def _tel(engine, tabel: str) -> int:
    async with engine.connect() as conn:
        return await conn.scalar(text(f"SELECT count(*) FROM {tabel}"))


def _event() -> OrganisatorGeregistreerd:
    return OrganisatorGeregistreerd(organisator_id=uuid.uuid4(), naam="Wijk-werken Test", samenwerkingsverband="Test",
                                    gemeenten=())


async def test_a_raw_unit_of_work_commits_its_rows_and_its_events_together(engine):
    uow = Uow(session_factory(engine))
    async with uow.ruw():
        await _NIEUW.voer_uit(uow.sessie, {"n": 1})
        uow.emit(_event())
        await uow.commit()

    assert (await _tel(engine, "rijen"), await _tel(engine, "outbox")) == (1, 1)
    assert engine.sync_engine.pool.checkedout() == 0  # the connection went back


async def test_a_raw_unit_of_work_that_fails_leaves_nothing_and_frees_its_connection(engine):
    uow = Uow(session_factory(engine))
    with pytest.raises(RuntimeError):
        async with uow.ruw():
            await _NIEUW.voer_uit(uow.sessie, {"n": 1})
            uow.emit(_event())
            raise RuntimeError("a rule refused it")

    assert (await _tel(engine, "rijen"), await _tel(engine, "outbox")) == (0, 0)
    assert engine.sync_engine.pool.checkedout() == 0
    async with Uow(session_factory(engine)).ruw() as opnieuw:  # the connection is usable again
        await _NIEUW.voer_uit(opnieuw.sessie, {"n": 1})
        await opnieuw.commit()
    assert await _tel(engine, "rijen") == 1


async def test_a_sqlalchemy_statement_in_a_raw_unit_of_work_is_refused(engine):
    uow = Uow(session_factory(engine))
    with pytest.raises(exc.UnboundExecutionError):
        async with uow.ruw():
            await _NIEUW.voer_uit(uow.sessie, {"n": 1})
            await uow.sessie.execute(insert(_rijen).values(n=2))  # would run outside the transaction

    assert await _tel(engine, "rijen") == 0


async def test_a_connection_that_died_under_a_raw_unit_of_work_is_not_handed_out_again(engine, embedded_pg):
    uow = Uow(session_factory(engine))
    with pytest.raises(Exception):  # noqa: B017 - whatever asyncpg raises for a closed connection
        async with uow.ruw():
            (pid,) = await _PID.een(uow.sessie, {})
            beheer = create_engine(superuser_url(str(engine.url)), pool_size=1)
            try:
                async with beheer.connect() as conn:
                    assert await conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            finally:
                await beheer.dispose()
            await _NIEUW.voer_uit(uow.sessie, {"n": 1})

    async with Uow(session_factory(engine)).ruw() as opnieuw:
        (nieuwe_pid,) = await _PID.een(opnieuw.sessie, {})
        await _NIEUW.voer_uit(opnieuw.sessie, {"n": 1})
        await opnieuw.commit()
    assert nieuwe_pid != pid
    assert await _tel(engine, "rijen") == 1


async def test_after_the_server_dropped_its_connections_one_failure_renews_the_whole_pool(embedded_pg):
    naam = f"ruw_{uuid.uuid4().hex[:8]}"
    embedded_pg.create_database(naam)
    engine = create_engine(embedded_pg.url(naam), pool_size=2, ping_na_s=1e9)  # no ping: steady use
    try:
        async def pid(uow: Uow) -> int:
            (waarde,) = await _PID.een(uow.sessie, {})
            return waarde

        eerste, tweede = Uow(session_factory(engine)), Uow(session_factory(engine))
        async with eerste.ruw(), tweede.ruw():  # two connections in the pool
            oud = {await pid(eerste), await pid(tweede)}
        beheer = create_engine(superuser_url(str(engine.url)), pool_size=1)
        try:
            async with beheer.connect() as conn:  # as a restart does: every backend ended
                for p in oud:
                    assert await conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": p})
        finally:
            await beheer.dispose()

        with pytest.raises(Exception):  # noqa: B017 - the first request meets a dead connection
            async with Uow(session_factory(engine)).ruw() as uow:
                await pid(uow)
        for _ in range(2):  # the next ones get new connections, not the other dead one
            async with Uow(session_factory(engine)).ruw() as uow:
                assert await pid(uow) not in oud
    finally:
        await engine.dispose()


async def test_inside_a_request_transaction_a_raw_unit_of_work_uses_its_savepoint(engine):
    sessie = session_factory(engine)()
    token = request_session.set(sessie)
    try:
        uow = Uow(session_factory(engine))
        async with uow.ruw():
            await _NIEUW.voer_uit(uow.sessie, {"n": 1})
            await uow.commit()
        assert uow.sessie is sessie
        await sessie.rollback()  # the request's transaction is the one that decides
    finally:
        request_session.reset(token)
        await sessie.close()

    assert await _tel(engine, "rijen") == 0


async def test_inside_a_request_transaction_a_failed_raw_unit_of_work_is_undone_to_its_savepoint(engine):
    sessie = session_factory(engine)()
    token = request_session.set(sessie)
    try:
        await _NIEUW.voer_uit(sessie, {"n": 10})  # the request's own row (an Idempotency-Key's answer)
        with pytest.raises(RuntimeError):
            async with Uow(session_factory(engine)).ruw() as mislukt:
                await _NIEUW.voer_uit(mislukt.sessie, {"n": 1})
                raise RuntimeError("a rule refused it")
        async with Uow(session_factory(engine)).ruw() as gelukt:
            await _NIEUW.voer_uit(gelukt.sessie, {"n": 2})
            await gelukt.commit()
        await sessie.commit()
    finally:
        request_session.reset(token)
        await sessie.close()

    async with engine.connect() as conn:
        assert list(await conn.scalars(text("SELECT n FROM rijen ORDER BY n"))) == [2, 10]
