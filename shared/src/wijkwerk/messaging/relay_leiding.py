"""The relay's leadership: one relay per service publishes at a time, holding a
PostgreSQL advisory lock on a session that carries a lease (``leiderschap``); the lock is
given up, or its connection discarded, whenever a term ends."""

from __future__ import annotations

import asyncio
import zlib
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncConnection

from wijkwerk.aio import sleep_or_stop
from wijkwerk.messaging import leiderschap
from wijkwerk.observability import RELAY_LEADER, replica

if TYPE_CHECKING:
    from wijkwerk.messaging.relay import RelayState


def _lock_key(service: str) -> int:
    return zlib.crc32(f"wijkwerk-relay:{service}".encode())


class Leiding:
    """Mixed into :class:`wijkwerk.messaging.relay.OutboxRelay`."""

    service: str
    lease_s: float
    state: RelayState

    def _lead(self, leader: bool) -> None:
        self.state.leader = leader
        RELAY_LEADER.labels(self.service, replica()).set(int(leader))

    async def _release_leadership(self, conn: AsyncConnection) -> None:
        """Give the lock up when a term ends (failure, stop, cancel): the connection goes
        back to the pool, and a lock left on it would keep every replica (this one too,
        on another pooled connection) from publishing. A connection that cannot unlock
        is discarded, which ends its session and so the lock."""
        try:
            await asyncio.shield(self._unlock(conn))
        except BaseException as exc:  # noqa: BLE001 - includes cancellation; never keep the lock
            try:
                await conn.invalidate()
            except Exception:  # noqa: BLE001
                pass
            if isinstance(exc, asyncio.CancelledError):
                raise

    async def _unlock(self, conn: AsyncConnection) -> None:
        await leiderschap.geef_op(conn, _lock_key(self.service))

    async def _acquire_leadership(self, conn: AsyncConnection, stop: asyncio.Event) -> bool:
        got = await leiderschap.neem(conn, _lock_key(self.service), self.lease_s)
        if not got:
            await sleep_or_stop(stop, 1.0)
            return False
        self._lead(True)
        return True
