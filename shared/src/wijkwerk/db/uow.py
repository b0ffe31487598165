"""The unit of work: the one place a transaction begins and commits.

A handler changes its aggregate through repositories on ``uow.session`` and records
the resulting events with :meth:`UnitOfWork.emit`; :meth:`commit` writes them to the
outbox in the same transaction. Nothing else writes to Kafka.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from wijkwerk.events.envelope import Envelope, Event
from wijkwerk.observability import current_correlation_id

_INSERT_OUTBOX = text(
    "INSERT INTO outbox (event_id, event_type, topic, key, value) "
    "VALUES (:event_id, :event_type, :topic, :key, :value)"
)


class UnitOfWork:
    producer: str = "wijkwerk"

    def __init__(self, sessions: async_sessionmaker[AsyncSession], producer: str | None = None) -> None:
        self._sessions = sessions
        if producer is not None:
            self.producer = producer
        self.session: AsyncSession
        self._pending: list[tuple[Event, Envelope]] = []

    async def __aenter__(self) -> Self:
        self.session = self._sessions()
        self._pending = []
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
        try:
            await self.rollback()
        finally:
            await self.session.close()

    def emit(self, event: Event, *, aggregate_version: int = 0, causation_id: str | None = None) -> Envelope:
        envelope = Envelope.wrap(
            event,
            producer=self.producer,
            aggregate_version=aggregate_version,
            correlation_id=current_correlation_id(),
            causation_id=causation_id,
        )
        self._pending.append((event, envelope))
        return envelope

    @property
    def emitted(self) -> list[Envelope]:
        return [envelope for _, envelope in self._pending]

    async def flush_outbox(self) -> None:
        if not self._pending:
            return
        await self.session.execute(
            _INSERT_OUTBOX,
            [
                {
                    "event_id": envelope.event_id,
                    "event_type": envelope.event_type,
                    "topic": event.topic,
                    "key": event.partition_key(),
                    "value": envelope.to_bytes(),
                }
                for event, envelope in self._pending
            ],
        )
        self._pending = []

    async def commit(self) -> None:
        await self.flush_outbox()
        await self.session.commit()

    async def rollback(self) -> None:
        self._pending = []
        await self.session.rollback()
