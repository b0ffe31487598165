"""The unit of work: the one place a transaction begins and commits.

A handler changes its aggregate through repositories on ``uow.session`` and records
the resulting events with :meth:`UnitOfWork.emit`; :meth:`commit` writes them to the
outbox in the same transaction. Nothing else writes to Kafka.

Inside a request that carries an ``Idempotency-Key`` (see ``wijkwerk.db.idempotency``) a
unit of work does not own its transaction: it works in a savepoint of the request
transaction, which commits the effect together with the key's stored answer. A block that
raises or ends without ``commit`` is rolled back to its savepoint, exactly as on its own.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, AsyncSessionTransaction, async_sessionmaker

from wijkwerk import actor as handelend
from wijkwerk.db import audit
from wijkwerk.db.idempotency import request_session
from wijkwerk.db.ruw import RuweTransactie, RuwSavepoint, RuwStatement
from wijkwerk.events.envelope import Envelope, Event
from wijkwerk.observability import current_correlation_id
from wijkwerk.tracing import current_traceparent

# A change's audit rows and outbox rows in one statement, whatever their number (either
# may be none): one round trip per commit instead of one per table (bench figure 3). The
# rows go in as arrays, in order; the outbox's statement triggers (NOTIFY, the archive)
# fire once.
_AUDIT_KOLOMMEN = ("soort", "handeling", "subject", "org", "org_type", "wijkwerker_id", "aggregate_id", "event_id",
                   "correlation_id")
_AUDIT_TYPES = ("text", "text", "text", "text", "text", "uuid", "text", "uuid", "text")
_OUTBOX_KOLOMMEN = ("event_id", "event_type", "topic", "key", "value")
_OUTBOX_TYPES = ("uuid", "text", "text", "text", "bytea")


def _unnest(prefix: str, kolommen: tuple[str, ...], types: tuple[str, ...]) -> str:
    arrays = ", ".join(f"CAST(:{prefix}{k} AS {t}[])" for k, t in zip(kolommen, types, strict=True))
    namen = ", ".join(kolommen)
    return f"SELECT {namen} FROM unnest({arrays}) WITH ORDINALITY AS r({namen}, nr) ORDER BY nr"


# On raw asyncpg in the session's transaction (wijkwerk.db.ruw): every commit that changes
# something runs it, so SQLAlchemy's cost per statement would be paid on every write path.
_INSERT_AUDIT_EN_OUTBOX = RuwStatement(text(
    f"WITH audit_rijen AS (INSERT INTO audit ({', '.join(_AUDIT_KOLOMMEN)}) "
    f"{_unnest('a_', _AUDIT_KOLOMMEN, _AUDIT_TYPES)}) "
    f"INSERT INTO outbox ({', '.join(_OUTBOX_KOLOMMEN)}) {_unnest('o_', _OUTBOX_KOLOMMEN, _OUTBOX_TYPES)}"
))


class UnitOfWork:
    producer: str = "wijkwerk"

    def __init__(self, sessions: async_sessionmaker[AsyncSession] | None, producer: str | None = None) -> None:
        self._sessions = sessions
        if producer is not None:
            self.producer = producer
        self.session: AsyncSession
        self._pending: list[tuple[Event, Envelope]] = []
        self._audit: list[dict] = []  # audit rows written with the outbox rows
        self._joined = False
        self._savepoint: AsyncSessionTransaction | RuwSavepoint | None = None  # inside a request transaction
        self._causation_id: str | None = None
        self._ruw_gevraagd = False
        self._ruw: RuweTransactie | None = None  # the transaction of a raw unit of work (see ruw())
        self.envelope: Envelope | None = None  # the consumed event's, for a joined unit of work

    @classmethod
    def joined(cls, session: AsyncSession, *, causation_id: str | None = None, envelope: Envelope | None = None
               ) -> Self:
        """A unit of work inside a transaction someone else commits: a consumer batch.
        ``commit`` then only writes the outbox rows; the consumer commits them together
        with its inbox rows, so an event's effects and the events they cause are atomic.
        ``envelope``: the consumed event's, which the events emitted here are caused by."""
        uow = cls(None)
        uow._joined = True
        uow._causation_id = causation_id or (str(envelope.event_id) if envelope is not None else None)
        uow.envelope = envelope
        uow.session = session
        uow.init_repositories(session)
        return uow

    def ruw(self) -> Self:
        """Run this unit of work on one pooled asyncpg connection without SQLAlchemy's
        session (``wijkwerk.db.ruw.RuweTransactie``), for a hot path whose statements are
        all ``RuwStatement``s. Inside a request transaction (an Idempotency-Key) it works in
        a savepoint of that transaction, an asyncpg one (``RuwSavepoint``)."""
        self._ruw_gevraagd = True
        return self

    async def __aenter__(self) -> Self:
        if self._joined:
            return self
        assert self._sessions is not None
        self._pending = []
        self._audit = []
        if (shared := request_session.get()) is not None:
            self.session = shared
            # A raw unit of work's savepoint is asyncpg's too: SQLAlchemy's begin_nested() and its
            # release cost as much as a statement each on the retry contract's hot path.
            self._savepoint = await (RuwSavepoint(shared).begin() if self._ruw_gevraagd else shared.begin_nested())
            self.init_repositories(shared)
            return self
        if self._ruw_gevraagd:
            self._ruw = RuweTransactie(self._sessions.kw["bind"])
            await self._ruw.begin()
            self.session = self._ruw.session
            self.init_repositories(self.session)
            return self
        self.session = self._sessions()
        self.init_repositories(self.session)
        return self

    def init_repositories(self, session: AsyncSession) -> None:
        """Subclasses attach their repositories here."""

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._joined:
            return  # the owner of the transaction commits or rolls back
        if self._savepoint is not None:
            await self.rollback()  # what was not committed is undone; the request commits the rest
            self._savepoint = None
            return
        if self._ruw is not None:
            await self.rollback()  # ends a raw unit of work: what was not committed is undone, its connection back
            return
        try:
            await self.rollback()
        finally:
            await self.session.close()

    def emit(self, event: Event, *, aggregate_version: int = 0, causation_id: str | None = None) -> Envelope:
        wie = handelend.huidige()
        envelope = Envelope.wrap(
            event,
            producer=self.producer,
            aggregate_version=aggregate_version,
            correlation_id=current_correlation_id(),
            causation_id=causation_id or self._causation_id,
            actor=wie.actor if wie else None,
            traceparent=current_traceparent(),
        )
        self._pending.append((event, envelope))
        if wie is not None and wie.rechtstreeks:
            # Who changed what, in the change's own transaction (wijkwerk.db.audit).
            self._audit.append(audit.rij(
                audit.WIJZIGING, envelope.event_type, wie.actor,
                wijkwerker_id=getattr(event, "wijkwerker_id", None), aggregate_id=envelope.aggregate_id,
                event_id=envelope.event_id, correlation_id=envelope.correlation_id,
            ))
        return envelope

    def leg_inzage_vast(self, handeling: str, wijkwerker_id: object) -> None:
        """Record, with this unit of work's commit, that the current principal read a
        dossier's personal data (an INSZ, bank details)."""
        self._audit.append(audit.rij(
            audit.INZAGE, handeling, handelend.huidige_actor(), wijkwerker_id=wijkwerker_id,
            aggregate_id=str(wijkwerker_id) if wijkwerker_id is not None else None,
            correlation_id=current_correlation_id(),
        ))

    @property
    def emitted(self) -> list[Envelope]:
        return [envelope for _, envelope in self._pending]

    async def flush_outbox(self) -> None:
        if not self._audit and not self._pending:
            return
        uitgaand = [
            (envelope.event_id, envelope.event_type, event.topic, event.partition_key(), envelope.to_bytes())
            for event, envelope in self._pending
        ]
        params = {f"a_{k}": [rij[k] for rij in self._audit] for k in _AUDIT_KOLOMMEN}
        params.update({f"o_{k}": [rij[i] for rij in uitgaand] for i, k in enumerate(_OUTBOX_KOLOMMEN)})
        await _INSERT_AUDIT_EN_OUTBOX.voer_uit(self.session, params)
        self._audit = []
        self._pending = []

    async def commit(self) -> None:
        wie = handelend.huidige()
        if wie is not None and wie.verzoek and not self._pending and not self._audit:
            # A request's change that emits no event (a setting, a rate) is in the trail too.
            self._audit.append(audit.rij(
                audit.WIJZIGING, wie.verzoek, wie.actor, wijkwerker_id=wie.wijkwerker_id,
                correlation_id=current_correlation_id(),
            ))
        await self.flush_outbox()
        if self._savepoint is not None:
            if self._savepoint.is_active:
                await self._savepoint.commit()
        elif self._ruw is not None:
            await self._ruw.commit()
        elif not self._joined:
            await self.session.commit()

    async def rollback(self) -> None:
        self._pending = []
        self._audit = []
        if self._savepoint is not None:
            if self._savepoint.is_active:
                await self._savepoint.rollback()
            return
        if self._ruw is not None:
            ruw, self._ruw = self._ruw, None
            await ruw.sluit()  # a raw unit of work's rollback ends it: its connection goes back
            return
        await self.session.rollback()
