"""Async SQLAlchemy engines: one per process, one session per request or batch."""

from __future__ import annotations

import time

from sqlalchemy import event, exc
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as _create_async_engine

# A pooled connection idle longer than this is pinged before use (bench figure 3).
PING_NA_S = 1.0


def create_engine(url: str, *, pool_size: int = 10, application_name: str = "wijkwerk",
                  ping_na_s: float = PING_NA_S) -> AsyncEngine:
    engine = _create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=10,
        connect_args={
            "server_settings": {
                "application_name": application_name,
                # A stuck transaction must not hold back the outbox relay or bloat tables.
                "idle_in_transaction_session_timeout": "60000",
            },
            "timeout": 5,
            "command_timeout": 60,
        },
    )
    ping_wie_rustte(engine, ping_na_s)
    return engine


def ping_wie_rustte(engine: AsyncEngine, na_s: float, klok=time.monotonic) -> None:
    """Survive a PostgreSQL restart without restarting the service: a connection that sat
    idle in the pool for more than ``na_s`` is pinged when it is checked out, and a dead
    one is replaced before the caller sees it (SQLAlchemy retries the checkout on
    ``DisconnectionError``). ``pool_pre_ping`` did this on every checkout, and with asyncpg
    a ping is three round trips (BEGIN, a statement, ROLLBACK): a third of a registration's
    round trips. A connection in steady use is not pinged; if the server went away under
    it, the statement fails and SQLAlchemy invalidates the whole pool, as before."""
    pool = engine.sync_engine.pool

    @event.listens_for(pool, "checkin")
    def _ingecheckt(dbapi_connection, record) -> None:
        if record is not None:
            record.info["ingecheckt"] = klok()

    @event.listens_for(pool, "checkout")
    def _uitgecheckt(dbapi_connection, record, proxy) -> None:
        ingecheckt = record.info.get("ingecheckt")
        if ingecheckt is None or klok() - ingecheckt <= na_s:
            return  # fresh from connect, or in steady use
        try:
            dbapi_connection.ping()
        except Exception as fout:  # noqa: BLE001 - whatever the driver raised, the connection is gone
            raise exc.DisconnectionError(str(fout)) from fout


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
