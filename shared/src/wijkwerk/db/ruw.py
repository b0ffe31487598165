"""Raw asyncpg on a session's own connection and transaction, for a hot path.

With SQLAlchemy on asyncpg a statement costs the service ≈ 0.25 ms of CPU (cache key,
compiled-cache lookup, parameter and result processing through a greenlet), asyncpg
itself ≈ 0.1 ms; for a statement as wide as the registration's read the cache key alone
is a visible share (bench figure 3). :class:`RuwStatement` compiles a SQLAlchemy statement
once for asyncpg and runs it on the asyncpg connection under the session, inside the
session's transaction (or its savepoint: an Idempotency-Key's request transaction), so
what follows through the session, the commit included, sees its effects.

Only for statements whose columns asyncpg returns as the mappers expect (uuid, date,
time, int, text, bool and their arrays: no SQLAlchemy type processing is applied).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import asyncpg
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Executable

_DIALECT = asyncpg_dialect()


async def verbinding(session: AsyncSession) -> asyncpg.Connection:
    """The session's asyncpg connection, its transaction begun (as SQLAlchemy's driver
    adapter begins it before a first statement)."""
    raw = await (await session.connection()).get_raw_connection()
    adapter: Any = raw.dbapi_connection  # SQLAlchemy's asyncpg adapter (its private API)
    if adapter._transaction is None and adapter.isolation_level != "autocommit":
        await adapter._start_transaction()
    connection: asyncpg.Connection = adapter._connection
    return connection


class Rij:
    """An asyncpg record read by attribute, as the repositories' row mappers read a Row."""

    __slots__ = ("_record",)

    def __init__(self, record: asyncpg.Record) -> None:
        self._record = record

    def __getattr__(self, naam: str) -> Any:
        try:
            return self._record[naam]
        except KeyError:
            raise AttributeError(naam) from None

    def __iter__(self):
        return iter(self._record.values())


class RuwStatement:
    def __init__(self, statement: Executable) -> None:
        compiled = statement.compile(dialect=_DIALECT)  # type: ignore[attr-defined]  # every statement here compiles
        self.sql = str(compiled)
        self._namen = tuple(compiled.positiontup or ())
        self._vast = dict(compiled.params)  # the statement's literals (a sequence's name, a 0)

    def _args(self, params: Mapping[str, Any]) -> list[Any]:
        return [params[naam] if naam in params else self._vast[naam] for naam in self._namen]

    async def een(self, session: AsyncSession, params: Mapping[str, Any]) -> Rij | None:
        record = await (await verbinding(session)).fetchrow(self.sql, *self._args(params))
        return None if record is None else Rij(record)

    async def voer_uit(self, session: AsyncSession, params: Mapping[str, Any]) -> None:
        await (await verbinding(session)).execute(self.sql, *self._args(params))
