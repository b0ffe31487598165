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

A unit of work whose statements are all raw may go further (ADR 0026): :class:`RuweTransactie`
runs its transaction on a pooled asyncpg connection without a session, and
:class:`RuwSavepoint` is its savepoint inside an Idempotency-Key's request transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import asyncpg
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.sql import Executable
from sqlalchemy.util import greenlet_spawn

_DIALECT = asyncpg_dialect()


_GEHEUGEN = "wijkwerk.db.ruw"  # session.info key: (the session's transaction, its asyncpg connection)
_EIGEN = object()  # in session.info[_GEHEUGEN]: a connection of a RuweTransactie, whatever the session says
# What asyncpg raises when the connection itself is lost (the server restarted or ended it); once
# it noticed, it says "connection is closed" (an InterfaceError) and the connection is_closed().
_VERBINDING_WEG = (asyncpg.ConnectionDoesNotExistError, asyncpg.AdminShutdownError, asyncpg.CannotConnectNowError,
                   ConnectionError)


async def verbinding(session: AsyncSession) -> asyncpg.Connection:
    """The session's asyncpg connection, its transaction begun (as SQLAlchemy's driver
    adapter begins it before a first statement).

    Remembered for the session's transaction: asking SQLAlchemy for it (a greenlet hop, the
    session's and the pool's bookkeeping) cost as much as a statement on the hot path. A
    new transaction (after a commit or rollback) asks again."""
    onthouden = session.info.get(_GEHEUGEN)
    if onthouden is not None and onthouden[0] is _EIGEN:
        return onthouden[1]
    transactie = session.sync_session.get_transaction()
    if onthouden is not None and transactie is not None and onthouden[0] is transactie and transactie.is_active:
        return onthouden[1]
    raw = await (await session.connection()).get_raw_connection()
    adapter: Any = raw.dbapi_connection  # SQLAlchemy's asyncpg adapter (its private API)
    if adapter._transaction is None and adapter.isolation_level != "autocommit":
        await adapter._start_transaction()
    connection: asyncpg.Connection = adapter._connection
    session.info[_GEHEUGEN] = (session.sync_session.get_transaction(), connection)
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
        self.namen = tuple(compiled.positiontup or ())  # the parameters' names, in their $n order
        self._vast = dict(compiled.params)  # the statement's literals (a sequence's name, a 0)

    def _args(self, params: Mapping[str, Any]) -> list[Any]:
        return [params[naam] if naam in params else self._vast[naam] for naam in self.namen]

    async def een(self, session: AsyncSession, params: Mapping[str, Any]) -> Rij | None:
        record = await (await verbinding(session)).fetchrow(self.sql, *self._args(params))
        return None if record is None else Rij(record)

    async def voer_uit(self, session: AsyncSession, params: Mapping[str, Any]) -> None:
        await (await verbinding(session)).execute(self.sql, *self._args(params))


def draag_verbinding(session: AsyncSession, connection: asyncpg.Connection) -> None:
    """From now on ``session``'s :class:`RuwStatement`s run on ``connection`` (a
    :class:`RuweTransactie`'s, or a test's recording connection)."""
    session.info[_GEHEUGEN] = (_EIGEN, connection)


class RuweTransactie:
    """A transaction on one pooled asyncpg connection, without SQLAlchemy's session: for a
    unit of work whose statements are all :class:`RuwStatement` (the registration, bench
    figure 3: the session's checkout, BEGIN, COMMIT and close cost ≈ 0.4 ms of CPU). The
    connection comes from the engine's own pool (its checkout events, the ping of a
    connection idle too long, included) and goes back to it; a connection that broke, or
    whose transaction could not be ended, is invalidated instead of handed out again.

    :attr:`session` is a session without a bind that carries the connection, so
    repositories keep their one constructor: a :class:`RuwStatement` runs on the
    connection, and a SQLAlchemy statement on it raises at once instead of running
    outside the transaction."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._pool = engine.sync_engine.pool
        self._fairy: Any = None
        self._transactie: Any = None  # asyncpg's Transaction while one is open
        self.session = AsyncSession()

    async def begin(self) -> None:
        self._fairy = await greenlet_spawn(self._pool.connect)
        connection: asyncpg.Connection = self._fairy.driver_connection
        try:
            transactie = connection.transaction()  # raises at once on a connection asyncpg saw closed
            await transactie.start()
        except BaseException as fout:
            await self._geef_terug(fout)
            raise
        self._transactie = transactie
        draag_verbinding(self.session, connection)

    async def commit(self) -> None:
        transactie, self._transactie = self._transactie, None
        assert transactie is not None, "commit outside a transaction"
        try:
            await transactie.commit()
        except BaseException as fout:
            await self._geef_terug(fout)
            raise

    async def sluit(self) -> None:
        """Roll back what was not committed and give the connection back."""
        transactie, self._transactie = self._transactie, None
        if transactie is not None:
            try:
                await transactie.rollback()
            except BaseException as fout:
                await self._geef_terug(fout)  # a connection that could not roll back is not reused
                if not isinstance(fout, Exception):
                    raise  # a cancellation goes on
                return
        await self._geef_terug(None)

    async def _geef_terug(self, fout: BaseException | None) -> None:
        fairy, self._fairy = self._fairy, None
        self.session.info.pop(_GEHEUGEN, None)
        if fairy is None:
            return
        if fout is not None and (isinstance(fout, _VERBINDING_WEG) or fairy.driver_connection.is_closed()):
            # The server went away (a restart): the pool's other connections are as dead as this one.
            # Like SQLAlchemy after a disconnect, every connection made before now is replaced at
            # its next checkout instead of failing one request each (Pool._invalidate: its API for it).
            self._pool._invalidate(fairy, fout)
        elif fout is not None:
            fairy.invalidate(fout if isinstance(fout, Exception) else None)  # closed, never handed out again
        await greenlet_spawn(fairy.close)


class RuwSavepoint:
    """A savepoint on the asyncpg connection of ``session``'s transaction (asyncpg nests it
    in the transaction SQLAlchemy's driver began): what a raw unit of work takes inside an
    Idempotency-Key's request transaction instead of the session's ``begin_nested()``, with
    the same ``is_active`` / ``commit`` / ``rollback``. SQLAlchemy does not see it; it is
    ended before the request transaction commits (the unit of work's block ends first)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._savepoint: Any = None

    async def begin(self) -> RuwSavepoint:
        savepoint = (await verbinding(self._session)).transaction()
        await savepoint.start()  # SAVEPOINT: asyncpg sees the transaction it is in
        self._savepoint = savepoint
        return self

    @property
    def is_active(self) -> bool:
        return self._savepoint is not None

    async def commit(self) -> None:
        savepoint, self._savepoint = self._savepoint, None
        await savepoint.commit()  # RELEASE SAVEPOINT

    async def rollback(self) -> None:
        savepoint, self._savepoint = self._savepoint, None
        await savepoint.rollback()  # ROLLBACK TO SAVEPOINT
