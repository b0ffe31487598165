"""Relay leadership with a lease: one relay per service publishes, the holder of a
PostgreSQL advisory lock, for as long as the lock's session lives (ADR 0001).

A leader that stops without closing its session — its node lost, its network cut, the
process frozen (SIGSTOP, a VM paused) — would keep the lock until TCP notices, hours by
default, and every event of its service would stop flowing. So the session carries a lease
that the *server* enforces, whatever happened to the leader:

- ``idle_session_timeout`` = the lease: PostgreSQL ends a session that has sent nothing
  for that long, and with it the lock, so a follower takes over within about a lease;
- server-side TCP keepalives end the session of a peer that vanished mid-statement;
- the leader touches its lock session at least every lease / 3: every publish batch runs
  in a transaction on it — a batch on a session the server has ended fails before
  anything is sent, so the batch doubles as the re-check that the lock is still held — and
  :func:`levend` sends a heartbeat while the leader works elsewhere (a re-fill, a rotation,
  a broker check). A leader resumed after its lease ran out finds its session gone at its
  next statement and ends its term; a batch it had in flight is absorbed by the inboxes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from wijkwerk.aio import sleep_or_stop

log = logging.getLogger("wijkwerk.relay")

# Server-side keepalives on the lock session: a peer gone mid-statement is noticed in
# idle + interval × count seconds.
KEEPALIVE = {"tcp_keepalives_idle": "5", "tcp_keepalives_interval": "2", "tcp_keepalives_count": "3"}
_SET = text("SELECT set_config(:naam, :waarde, false)")


async def neem(conn: AsyncConnection, key: int, lease_s: float) -> bool:
    """Try to take the lock on ``conn``; held, its session gets the lease."""
    got = await conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": key})
    if got:
        for naam, waarde in {**KEEPALIVE, "idle_session_timeout": str(int(lease_s * 1000))}.items():
            await conn.execute(_SET, {"naam": naam, "waarde": waarde})
    await conn.commit()
    return bool(got)


async def geef_op(conn: AsyncConnection, key: int) -> None:
    """Unlock, and give the connection back to the pool without the lease (a pooled
    connection must not be ended by the server while it waits in the pool)."""
    await conn.rollback()
    await conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
    for naam in (*KEEPALIVE, "idle_session_timeout"):
        await conn.execute(text(f"RESET {naam}"))
    await conn.commit()


@contextlib.asynccontextmanager
async def levend(driver: asyncpg.Connection, lease_s: float) -> AsyncIterator[None]:
    """Keep the lease while the leader works on other connections: a statement on the lock
    session every lease / 3. Nothing else may use ``driver`` meanwhile; on leaving, a
    heartbeat in flight is awaited, never cancelled mid-statement."""
    klaar = asyncio.Event()

    async def klop() -> None:
        while True:
            await sleep_or_stop(klaar, lease_s / 3)
            if klaar.is_set():
                return
            await driver.execute("SELECT 1")

    taak = asyncio.create_task(klop())
    try:
        yield
    finally:
        klaar.set()
        try:
            await taak
        except Exception as exc:  # noqa: BLE001 - the session is gone: the next batch ends the term
            log.warning("relay lease heartbeat failed: %r", exc)
