"""The pool replaces a connection the server dropped while it sat idle, without the
caller seeing an error (a PostgreSQL restart), and pings only such connections (in steady use a dropped connection fails its statement)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from wijkwerk.db import create_engine
from wijkwerk.db.engine import ping_wie_rustte
from wijkwerk_platform.testing import superuser_url

pytestmark = pytest.mark.integration


class Klok:
    def __init__(self) -> None:
        self.nu = 0.0

    def __call__(self) -> float:
        return self.nu


async def _pid(engine) -> int:
    async with engine.connect() as conn:
        return await conn.scalar(text("SELECT pg_backend_pid()"))


async def _beeindig(url: str, pid: int) -> None:
    beheer = create_engine(superuser_url(url), pool_size=1)
    try:
        async with beheer.connect() as conn:
            assert await conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        await beheer.dispose()


@pytest.fixture
async def engine_en_klok(embedded_pg):
    naam = f"eng_{uuid.uuid4().hex[:8]}"
    embedded_pg.create_database(naam)
    url = embedded_pg.url(naam)
    klok = Klok()
    engine = create_engine(url, pool_size=1, ping_na_s=1e9)  # the default listener never pings
    ping_wie_rustte(engine, 1.0, klok)
    try:
        yield url, engine, klok
    finally:
        await engine.dispose()


async def test_a_connection_dropped_while_idle_is_replaced_before_use(engine_en_klok):
    url, engine, klok = engine_en_klok
    pid = await _pid(engine)
    await _beeindig(url, pid)
    klok.nu += 5.0  # idle for longer than the threshold: pinged, found dead, replaced

    assert await _pid(engine) != pid


async def test_a_connection_in_steady_use_is_not_pinged(engine_en_klok):
    url, engine, klok = engine_en_klok
    pid = await _pid(engine)
    klok.nu += 0.5
    assert await _pid(engine) == pid
    await _beeindig(url, pid)  # the server drops it under a connection in steady use:
    klok.nu += 0.5
    with pytest.raises(Exception):  # noqa: B017, PT011 - the statement fails, as with any dropped connection
        await _pid(engine)
    assert await _pid(engine) != pid  # and the pool is invalidated: the next checkout connects afresh
