"""The inbox consumer: exactly-once effects on any Kafka-compatible broker.

For each batch from ``getmany``: decode, keep the events this consumer handles, insert
``(consumer, event_id)`` into ``inbox`` with ``ON CONFLICT DO NOTHING RETURNING`` and
apply only the new ones — all in **one** database transaction. Only after that commit
are the Kafka offsets committed, so a crash replays the batch and the inbox skips it.

A batch that fails is retried one event per transaction; the event that still fails is
parked for this consumer only, in the service's database with the error (and counted),
and the consumer goes on. A consumer that halts per key (``halt_per_key``: the money
streams) parks every later event of that key behind it until an operator re-drives or
discards it (``wijkwerk.messaging.parkeren``, ``wijkwerk dlq``); other keys flow.
Database or broker outages are not poison: the batch is retried after a backoff.

A consumer added to a running platform (a new report, a new service) is given the
producers' archives (``geschiedenis``): before it reads its topics for the first time it
applies every archived event through the same path (inbox, handlers, DLQ), then records
that it caught up (``consumer_geschiedenis``), and reads the topics from their earliest
retained offset, whose overlap with the archive its inbox skips. It happens once: an
existing consumer is never given the archives, because its inbox forgot what it applied
before the retention (ADR 0004).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer
from aiokafka.structs import ConsumerRecord, OffsetAndMetadata, TopicPartition
from pydantic import ValidationError
from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from wijkwerk import tracing
from wijkwerk.actor import zet_actor
from wijkwerk.aio import run_until_stopped
from wijkwerk.events.envelope import Envelope, Event
from wijkwerk.events.registry import EventRegistry, UnknownEvent
from wijkwerk.events.topics import dlq_topic
from wijkwerk.messaging.admin import ensure_topics
from wijkwerk.messaging.archief import ArchiefBron
from wijkwerk.messaging.groepen import group_id
from wijkwerk.messaging.herverdeling import COMMIT_NA_HERVERDELING, Herverdeling
from wijkwerk.messaging.kafka import BrokerUnavailable, bounded, make_consumer, send_all, stop_quietly
from wijkwerk.messaging.parkeren import Parkeren, Poison, gehalteerd, outage, sleutel
from wijkwerk.observability import CONSUMED, CONSUMER_LAG, DUPLICATES, set_correlation_id
from wijkwerk.settings import KafkaSettings

log = logging.getLogger("wijkwerk.consumer")


@dataclass(frozen=True)
class Received:
    envelope: Envelope
    event: Event
    record: ConsumerRecord


BatchHandler = Callable[[AsyncSession, Sequence[Received]], Awaitable[None]]
EventHandler = Callable[[AsyncSession, Event, Envelope], Awaitable[None]]

_INGEHAALD = text("SELECT EXISTS (SELECT 1 FROM consumer_geschiedenis WHERE consumer = :c)")
_MARKEER_INGEHAALD = text("INSERT INTO consumer_geschiedenis (consumer, events) VALUES (:c, :n) ON CONFLICT DO NOTHING")
_INBOX_INSERT = text(
    "INSERT INTO inbox (consumer, event_id) "
    "SELECT :consumer, unnest(:ids) ON CONFLICT DO NOTHING RETURNING event_id"
).bindparams(bindparam("ids", type_=ARRAY(PG_UUID(as_uuid=True))))




async def pas_toe(handler: Callable[[Any, Any], Awaitable[None]], event: Event, uow: Any) -> None:
    """Apply a consumed event with its ``(event, uow)`` handler as the consumer does: what the
    handler emitted goes to the outbox of ``uow``'s (joined) transaction after it returns, so
    a handler does not commit and cannot lose its events by forgetting to. Tests that fold
    events straight into a database call this too."""
    await handler(event, uow)
    await uow.flush_outbox()


def dispatch(handlers: Mapping[type[Event], Any], *, service: str = "", consumer: str | None = None,
             unit_of_work: Callable[..., Any] | None = None) -> BatchHandler:
    """A batch handler that applies each event in order with its type's handler, each in
    a span under the one that emitted it (wijkwerk.tracing; nothing when tracing is off).

    With ``unit_of_work`` (a :class:`wijkwerk.db.UnitOfWork` class) handlers have the shape
    of command handlers, ``(event, uow)``: each gets a unit of work joined to the batch's
    inbox transaction (``UnitOfWork.joined``, its ``envelope`` the event's), and the events
    it emits are written to the outbox after it returns, in that transaction. Without it, an
    :data:`EventHandler` ``(session, event, envelope)``."""

    async def handle(session: AsyncSession, batch: Sequence[Received]) -> None:
        for item in batch:
            set_correlation_id(item.envelope.correlation_id)
            # The events this one causes carry its actor on (causation); no audit row here.
            zet_actor(item.envelope.actor, rechtstreeks=False)
            with tracing.consumer_span(service, consumer, getattr(item.record, "topic", ""), item.envelope):
                if unit_of_work is None:
                    await handlers[type(item.event)](session, item.event, item.envelope)
                else:
                    uow = unit_of_work.joined(session, envelope=item.envelope)  # type: ignore[attr-defined]
                    await pas_toe(handlers[type(item.event)], item.event, uow)
        zet_actor(None, rechtstreeks=False)

    return handle


@dataclass
class ConsumerState:
    running: bool = False
    broker_ok: bool = False
    last_error: str | None = None
    applied: int = 0
    duplicates: int = 0
    dead_lettered: int = 0  # parked with an error
    wachtend: int = 0  # parked behind a parked event of their key (halt per key)
    hersteld: int = 0  # parked events applied after an operator's re-drive or discard
    lag: dict[str, int] = field(default_factory=dict)
    sessions: int = 0  # connections made; a rebalance must not add one (herverdeling)
    herverdelingen: int = 0  # assignments received from the group
    commits_na_herverdeling: int = 0  # commits the group refused after it moved on (benign)


class InboxConsumer(Parkeren):
    def __init__(
        self,
        *,
        name: str,
        service: str,
        topics: Sequence[str],
        event_types: Sequence[type[Event]],
        handle: BatchHandler,
        sessions: async_sessionmaker[AsyncSession],
        kafka: KafkaSettings,
        registry: EventRegistry,
        batch_size: int = 5000,
        geschiedenis: Mapping[str, ArchiefBron] | None = None,
        halt_per_key: bool = False,
    ) -> None:
        self.name = name
        self.service = service
        self.topics = list(topics)
        self.wanted = {t.event_type for t in event_types}
        self.handle = handle
        self.sessions = sessions
        self.kafka = kafka
        self.registry = registry
        self.batch_size = batch_size
        self.geschiedenis = geschiedenis
        self.halt_per_key = halt_per_key
        self.herstel_interval_s = 1.0
        self._laatste_herstel = 0.0
        self.group_id = group_id(service, name)
        self.state = ConsumerState()
        self._consumer: AIOKafkaConsumer | None = None
        # What this session committed: a broker that answers "nothing committed" (or less)
        # for one of these, or reports an end below our position, lost its data.
        self._committed: dict[TopicPartition, int] = {}
        self._last_commit_check = 0.0
        # Held from applying a batch to committing its offsets: a revoke waits for it.
        self.verwerking = asyncio.Lock()

    @property
    def kafka_consumer(self) -> AIOKafkaConsumer | None:
        return self._consumer

    def forget_committed(self, tp: TopicPartition) -> None:
        self._committed.pop(tp, None)

    # --- lifecycle -----------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        await run_until_stopped(stop, lambda: self._session(stop), name=f"consumer {self.group_id}", on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.state.broker_ok = False
        self.state.last_error = repr(exc)

    async def _session(self, stop: asyncio.Event) -> None:
        try:
            await self._connect()
            while not stop.is_set():
                await self.poll_once()
        finally:
            self.state.running = False
            await stop_quietly(self._consumer)
            self._consumer = None
            self._committed = {}

    async def _connect(self) -> None:
        timeout = self.kafka.request_timeout_s
        # Topics must exist with their final partition count before any metadata
        # request, or the broker auto-creates them with its default.
        await ensure_topics(
            self.kafka,
            [*self.topics, *(dlq_topic(t) for t in self.topics)],
            self.kafka.topic_partitions,
            self.kafka.replication_factor,
            timeout_s=timeout,
        )
        consumer = make_consumer(
            self.kafka, self.group_id, f"{self.group_id}-{random.randrange(1 << 30)}", max_records=self.batch_size
        )
        self._consumer = consumer
        await bounded(consumer.start(), timeout, "consumer start")
        if self.kafka.consumer_mode == "subscribe":
            consumer.subscribe(self.topics, listener=Herverdeling(self))
        else:
            await bounded(consumer.topics(), timeout, "metadata")
            tps = [
                TopicPartition(t, p) for t in self.topics for p in sorted(consumer.partitions_for_topic(t) or ())
            ]
            consumer.assign(tps)
        if self.geschiedenis is not None:
            await self._haal_in(self.geschiedenis)
        self.state.running = True
        self.state.broker_ok = True
        self.state.last_error = None
        self.state.sessions += 1

    async def _haal_in(self, archieven: Mapping[str, ArchiefBron]) -> None:
        """Once, for a new consumer: every archived event of its topics, as if consumed."""
        async with self.sessions() as session:
            if await session.scalar(_INGEHAALD, {"c": self.name}):
                return
        started, n = time.monotonic(), 0
        for topic in self.topics:
            archief = archieven.get(topic)
            if archief is None:
                raise RuntimeError(f"consumer {self.group_id}: no archive for {topic} to catch up from")
            async for blok in archief.blokken():
                records = [ConsumerRecord(topic, -1, n + i, 0, 0, None, waarde, None, 0, len(waarde), ())
                           for i, waarde in enumerate(blok)]
                await self.process(records)
                n += len(blok)
        async with self.sessions() as session, session.begin():
            await session.execute(_MARKEER_INGEHAALD, {"c": self.name, "n": n})
        log.info("consumer %s caught up from the archives: %d events in %.1f s", self.group_id, n,
                 time.monotonic() - started)

    # --- one batch -----------------------------------------------------------------

    async def poll_once(self, timeout_ms: int = 500) -> int:
        assert self._consumer is not None
        fetched = await self._consumer.getmany(timeout_ms=timeout_ms, max_records=self.batch_size)
        records = [r for rs in fetched.values() for r in rs]
        if records:
            async with self.verwerking:
                await self.process(records)
                await self._commit(fetched)
        elif self._committed and time.monotonic() - self._last_commit_check > 2.0:
            # Idle: a broker that restarted empty may hold exactly as many messages as
            # our positions, so nothing arrives and nothing else would notice.
            self._last_commit_check = time.monotonic()
            if await self._broker_lost_commits(dict.fromkeys(self._committed, [])):
                await self._rewind("the broker lost the committed offsets")
        if time.monotonic() - self._laatste_herstel > self.herstel_interval_s:
            # Parked events an operator released (wijkwerk dlq): applied by this consumer.
            self._laatste_herstel = time.monotonic()
            async with self.verwerking:
                await self.herstel()
        await self._update_lag()
        return len(records)

    async def process(self, records: Sequence[ConsumerRecord]) -> None:
        decoded: list[tuple[ConsumerRecord, Received | None, str | None]] = []
        for record in records:
            try:
                decoded.append((record, self._decode(record), None))
            except Poison as exc:
                decoded.append((record, None, str(exc)))
        halted: set[str] = set()
        if self.halt_per_key:
            async with self.sessions() as session:
                halted = await gehalteerd(session, self.name, (sleutel(r) for r, item, fout in decoded if item or fout))
        # A poison message of a key that flows halts that key from its offset on: one by one.
        if self.halt_per_key and any(fout and sleutel(r) not in halted for r, _, fout in decoded):
            te_parkeren = await self._een_voor_een(decoded, halted)
        else:
            wanted = [item for r, item, _ in decoded if item is not None and sleutel(r) not in halted]
            te_parkeren = [self._parkeren(r, item, fout) for r, item, fout in decoded
                           if fout or (item is not None and sleutel(r) in halted)]
            try:
                if wanted:
                    await self._apply(wanted)
            except Exception as exc:  # noqa: BLE001
                if outage(exc):
                    raise  # the database is away: retry the whole batch later
                log.warning("consumer %s: batch failed (%s); retrying one by one", self.group_id, exc)
                te_parkeren = await self._een_voor_een(decoded, halted)
        if te_parkeren:
            await self._parkeer(te_parkeren)

    def _decode(self, record: ConsumerRecord) -> Received | None:
        try:
            envelope = Envelope.from_bytes(record.value)
        except (ValidationError, orjson.JSONDecodeError, TypeError) as exc:
            raise Poison(f"not an event envelope: {exc}") from exc
        if envelope.event_type not in self.wanted:
            return None
        try:
            event = self.registry.decode(envelope)
        except (UnknownEvent, ValidationError) as exc:
            raise Poison(str(exc)) from exc
        return Received(envelope, event, record)

    async def _apply(self, batch: Sequence[Received]) -> None:
        async with self.sessions() as session, session.begin():
            fresh = await self._claim(session, batch)
            if fresh:
                await self.handle(session, fresh)
        self._count(batch, fresh)

    async def _claim(self, session: AsyncSession, batch: Sequence[Received]) -> list[Received]:
        ids = [item.envelope.event_id for item in batch]
        new_ids = set((await session.execute(_INBOX_INSERT, {"consumer": self.name, "ids": ids})).scalars())
        fresh, seen = [], set()
        for item in batch:
            event_id = item.envelope.event_id
            # A duplicate inside one batch (a relay retry) is applied once too.
            if event_id in new_ids and event_id not in seen:
                fresh.append(item)
                seen.add(event_id)
        return fresh

    def _count(self, batch: Sequence[Received], fresh: Sequence[Received]) -> None:
        for item in fresh:
            CONSUMED.labels(self.service, self.name, item.envelope.event_type).inc()
        dupes = len(batch) - len(fresh)
        if dupes:
            DUPLICATES.labels(self.service, self.name).inc(dupes)
        self.state.applied += len(fresh)
        self.state.duplicates += dupes

    async def _commit(self, fetched: dict[TopicPartition, list[ConsumerRecord]]) -> None:
        assert self._consumer is not None
        if await self._broker_lost_commits(fetched):
            # The broker restarted empty (the embedded memory broker) and the relays are
            # re-filling its topics from the outbox: our positions mean nothing there, so
            # read everything again from the start; the inbox skips what was applied.
            await self._rewind("the broker lost the committed offsets")
            return
        offsets = {tp: OffsetAndMetadata(rs[-1].offset + 1, "") for tp, rs in fetched.items() if rs}
        try:
            await bounded(self._consumer.commit(offsets), self.kafka.request_timeout_s, "commit")
        except BrokerUnavailable as exc:
            if not isinstance(exc.__cause__, COMMIT_NA_HERVERDELING):
                raise
            # Applied and in the inbox already: the partition's next owner skips it.
            self.state.commits_na_herverdeling += 1
            log.info("consumer %s: commit refused after a rebalance (%s); going on", self.group_id, exc.__cause__)
            return
        self._committed.update({tp: o.offset for tp, o in offsets.items()})

    async def _broker_lost_commits(self, fetched: dict[TopicPartition, list[ConsumerRecord]]) -> bool:
        assert self._consumer is not None
        ours = [tp for tp in fetched if tp in self._committed]
        if not ours:
            return False
        theirs = await bounded(
            asyncio.gather(*(self._consumer.committed(tp) for tp in ours)), self.kafka.request_timeout_s, "committed"
        )
        return any(c is None or c < self._committed[tp] for tp, c in zip(ours, theirs, strict=True))

    async def _rewind(self, why: str) -> None:
        assert self._consumer is not None
        assigned = list(self._consumer.assignment())
        log.warning("consumer %s: %s; re-reading %d partitions from the start", self.group_id, why, len(assigned))
        self._committed = {}
        if assigned:
            await bounded(self._consumer.seek_to_beginning(*assigned), self.kafka.request_timeout_s, "seek")

    async def _update_lag(self) -> None:
        assert self._consumer is not None
        per_topic: dict[str, int] = {}
        for tp in self._consumer.assignment():
            high = self._consumer.highwater(tp)
            if high is None:
                continue
            position = await bounded(self._consumer.position(tp), self.kafka.request_timeout_s, "position")
            if position > high:  # an end below what we already read: the broker lost its data
                await self._rewind(f"{tp.topic}/{tp.partition} ends at {high}, below our position {position}")
                return
            per_topic[tp.topic] = per_topic.get(tp.topic, 0) + max(0, high - position)
        for topic, lag in per_topic.items():
            CONSUMER_LAG.labels(self.service, self.name, topic).set(lag)
        self.state.lag = per_topic


__all__ = ["BrokerUnavailable", "InboxConsumer", "Poison", "Received", "dispatch", "send_all"]
