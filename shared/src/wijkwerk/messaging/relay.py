"""The outbox relay: publishes a service's outbox rows to Kafka, in commit order.

- Rows are read only from transactions older than every running one
  (``txid < pg_snapshot_xmin(pg_current_snapshot())``) and in ``(txid, id)`` order, so a
  slow transaction's early id is never skipped (ARCHITECTURE §3 pitfall 1).
- One relay per service publishes at a time: replicas wait on a PostgreSQL advisory
  lock, so per-key order holds with any number of replicas (pitfall 2). The batch
  query still uses ``FOR UPDATE SKIP LOCKED`` so a manual ``replay`` cannot collide. The
  lock's session carries a lease the server enforces (``leiderschap``): a leader whose
  node, network or process stops is replaced within about ``lease_s``.
- Every broker call is bounded by a timeout; failures back off and report not-ready
  (pitfall 3). The leader publishes on the connection that holds its lock, in a
  transaction per batch, from its own task only (pitfall 4): leadership and publishing
  end together when that connection dies, and a batch costs no pool checkout.
- The relay does not poll the table: inserting into the outbox notifies
  ``wijkwerk_outbox`` at commit (``messaging_ddl``), the leader LISTENs on its lock
  connection and publishes at once. Under load it lingers briefly after a batch so the
  next one is fuller (a batch costs about the same for 1 row as for 50); rows held back
  by an older running transaction are retried shortly; a slow fallback poll covers a
  database without the trigger.
- Published rows are kept ``outbox_retention_days`` and then deleted (pitfall 5); the
  history lives on in the archive (``gebeurtenissen``, ``wijkwerk.messaging.archief``). If
  the broker lost its data (an empty topic while published rows exist, as with the
  embedded memory broker after a restart), the relay re-fills the topic from them;
  consumers' inboxes absorb the duplicates.

Leadership lives in ``relay_leiding``, the refill, replay and rotation in ``relay_herstel``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

import asyncpg
import orjson
from aiokafka import AIOKafkaProducer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from wijkwerk import tracing
from wijkwerk.aio import run_until_stopped, sleep_or_stop, wait_or_stop
from wijkwerk.db.messaging_ddl import OUTBOX_CHANNEL
from wijkwerk.events.topics import dlq_topic
from wijkwerk.messaging import leiderschap
from wijkwerk.messaging.admin import ensure_topics
from wijkwerk.messaging.kafka import BrokerUnavailable, bounded, make_producer, send_all, stop_quietly
from wijkwerk.messaging.relay_herstel import Herstel
from wijkwerk.messaging.relay_leiding import Leiding
from wijkwerk.observability import OUTBOX_BACKLOG, OUTBOX_BATCH, OUTBOX_LAG, OUTBOX_PUBLISHED
from wijkwerk.settings import KafkaSettings

log = logging.getLogger("wijkwerk.relay")

# The batch statements run on the driver connection (asyncpg, prepared and cached there):
# the relay's hot loop, where SQLAlchemy's per-statement cost would dominate.
_SELECT_BATCH = """
    SELECT id, topic, key, value, created_at
    FROM outbox
    WHERE published_at IS NULL
      AND txid < pg_snapshot_xmin(pg_current_snapshot())
    ORDER BY txid, id
    LIMIT $1
    FOR UPDATE SKIP LOCKED
"""
_MARK_PUBLISHED = "UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])"
_HELD_BACK = "SELECT EXISTS (SELECT 1 FROM outbox WHERE published_at IS NULL)"
_BACKLOG = text("SELECT count(*) FROM outbox WHERE published_at IS NULL")
_PURGE = text(
    "DELETE FROM outbox WHERE published_at IS NOT NULL "
    "AND published_at < now() - make_interval(days => :days)"
)
_HAS_ARCHIVE = text("SELECT to_regclass('gebeurtenissen') IS NOT NULL")
_ARCHIVE_PARTITIONS = text("SELECT wijkwerk_archief_partities(2)")
_PURGE_INBOX = text("DELETE FROM inbox WHERE received_at < now() - make_interval(days => :days)")


@dataclass
class RelayState:
    leader: bool = False
    broker_ok: bool = False
    last_error: str | None = None
    published: int = 0
    refilled: int = 0
    rotated: int = 0
    rotation_checks: int = 0


async def _driver(conn: AsyncConnection) -> asyncpg.Connection:
    """The asyncpg connection under a SQLAlchemy connection (no transaction of its own open)."""
    raw = await conn.get_raw_connection()
    return raw.driver_connection


class OutboxRelay(Leiding, Herstel):
    def __init__(
        self,
        engine: AsyncEngine,
        kafka: KafkaSettings,
        *,
        service: str,
        topic: str,
        batch_size: int = 1000,
        idle_poll_s: float = 1.0,
        linger_s: float = 0.02,
        retry_s: float = 0.02,
        retention_days: int = 14,
        rotate_after: int = 0,
        rotate_check_s: float = 30.0,
        lease_s: float = 10.0,
    ) -> None:
        self.engine = engine
        self.kafka = kafka
        self.service = service
        self.topic = topic
        self.batch_size = batch_size
        self.idle_poll_s = idle_poll_s  # fallback when no notification comes
        self.linger_s = linger_s  # after a batch that was not full
        self.retry_s = retry_s  # while rows wait for an older transaction to end
        self.retention_days = retention_days
        # Embedded memory broker only: rotate the topic once it holds this many messages
        # and every group has consumed them (wijkwerk.messaging.rotatie); 0: never.
        self.rotate_after = rotate_after
        self.rotate_check_s = rotate_check_s
        self.lease_s = lease_s  # a silent leader's lock is freed by the server after this
        self._wake = asyncio.Event()
        self.state = RelayState()
        self._producer: AIOKafkaProducer | None = None
        # partition -> end offset this session saw acknowledged on our topic. Only the
        # leader writes the topic, so an end below it means the broker lost its data.
        self._ends: dict[int, int] = {}
        self._acked: dict[int, int] = {}
        self.broker_check_s = 1.0

    # --- lifecycle -----------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        self._lead(False)  # a follower exports 0, so "no leader" is a sum, not an absence
        await run_until_stopped(stop, lambda: self._session(stop), name=f"relay {self.service}", on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.state.broker_ok = False
        self.state.last_error = repr(exc)

    async def _session(self, stop: asyncio.Event) -> None:
        """One leadership term: hold the lock, connect, publish until stopped or failed."""
        async with self.engine.connect() as lock_conn:
            driver: asyncpg.Connection | None = None
            try:
                if not await self._acquire_leadership(lock_conn, stop):
                    return
                driver = await _driver(lock_conn)
                await driver.add_listener(OUTBOX_CHANNEL, self._notified)
                async with leiderschap.levend(driver, self.lease_s):
                    await self._connect()
                await self._publish_loop(lock_conn, driver, stop)
            finally:
                was_leader = self.state.leader
                self._lead(False)
                await stop_quietly(self._producer)
                self._producer = None
                if driver is not None:
                    await self._unlisten(driver)
                if was_leader:
                    await self._release_leadership(lock_conn)

    def _notified(self, *_: object) -> None:
        """asyncpg calls this on a notification: an outbox row was committed."""
        self._wake.set()

    async def _unlisten(self, driver: asyncpg.Connection) -> None:
        # The connection goes back to the pool: it must not keep listening for this relay.
        try:
            await asyncio.shield(driver.remove_listener(OUTBOX_CHANNEL, self._notified))
        except Exception:  # noqa: BLE001 - a dead connection listens no more; the lock release discards it
            pass

    async def _connect(self) -> None:
        self._ends, self._acked = {}, {}
        await ensure_topics(
            self.kafka,
            [self.topic, dlq_topic(self.topic)],
            self.kafka.topic_partitions,
            self.kafka.replication_factor,
            timeout_s=self.kafka.request_timeout_s,
        )
        self._producer = make_producer(self.kafka, f"{self.service}-relay")
        await bounded(self._producer.start(), self.kafka.request_timeout_s, "producer start")
        if await self._topic_is_empty() and await self._has_published_rows():
            log.warning("relay %s: topic %s is empty but rows were published; re-filling", self.service, self.topic)
            await self._refill_from_outbox()
        self._ends, self._acked = await self._end_offsets(), {}
        self.state.broker_ok = True
        self.state.last_error = None

    async def _publish_loop(self, lock_conn: AsyncConnection, driver: asyncpg.Connection, stop: asyncio.Event) -> None:
        last_housekeeping = last_check = last_rotation_check = time.monotonic()
        while not stop.is_set():
            now = time.monotonic()
            if self.rotate_after and now - last_rotation_check > self.rotate_check_s:
                async with leiderschap.levend(driver, self.lease_s):
                    await self._maybe_rotate()
                last_rotation_check = now
            if now - last_check > self.broker_check_s:
                # An idle relay would otherwise never notice a broker that restarted
                # empty (aiokafka reconnects silently), and never re-fill its topic.
                async with leiderschap.levend(driver, self.lease_s):
                    await self._check_broker()
                last_check = now
            if now - last_housekeeping > 5.0:
                # Also proves the lock connection (and so leadership) is still alive; the
                # commit keeps it from idling inside a transaction (the lock is session-level).
                await lock_conn.execute(text("SELECT 1"))
                await lock_conn.commit()
                async with leiderschap.levend(driver, self.lease_s):
                    await self._housekeeping()
                last_housekeeping = now
            self._wake.clear()  # a commit from now on wakes the wait below
            published = await self.publish_batch(driver)
            if published >= self.batch_size:
                continue
            if published:
                await sleep_or_stop(stop, self.linger_s)  # more rows are on their way: a fuller batch
            elif await driver.fetchval(_HELD_BACK):
                await sleep_or_stop(stop, self.retry_s)  # committed, not yet visible in commit order
            else:
                await wait_or_stop(stop, self._wake, self.idle_poll_s)

    # --- work ----------------------------------------------------------------------

    async def publish_batch(self, driver: asyncpg.Connection | None = None) -> int:
        """Publish up to ``batch_size`` rows in commit order, in one transaction on
        ``driver`` (the leader's lock connection) or on a pooled connection."""
        assert self._producer is not None
        if driver is None:
            async with self.engine.connect() as conn:
                return await self.publish_batch(await _driver(conn))
        async with driver.transaction():
            rows = await driver.fetch(_SELECT_BATCH, self.batch_size)
            if not rows:
                return 0
            started_ns = time.time_ns()
            acks = await send_all(
                self._producer,
                ((r["topic"], r["key"].encode(), r["value"]) for r in rows),
                self.kafka.request_timeout_s,
            )
            await driver.execute(_MARK_PUBLISHED, [r["id"] for r in rows])
        lost = self._note_acks(acks)
        acked = time.time()
        for r in rows:
            OUTBOX_LAG.labels(self.service).observe(max(0.0, acked - r["created_at"].timestamp()))
        OUTBOX_PUBLISHED.labels(self.service, self.topic).inc(len(rows))
        OUTBOX_BATCH.labels(self.service).observe(len(rows))
        if tracing.enabled():  # parse the envelopes only when someone reads the spans
            tracing.publish_spans(self.service, self.topic,
                                  (orjson.loads(r["value"]).get(tracing.TRACEPARENT) for r in rows), started_ns)
        self.state.published += len(rows)
        if lost:
            async with leiderschap.levend(driver, self.lease_s):
                await self._refill("an acknowledged offset went backwards")
        return len(rows)

    def _note_acks(self, acks) -> bool:
        """Record acknowledged offsets; True when one lies below one acknowledged earlier.

        ``_ends`` keeps, per partition, the first offset of the latest send + 1: Tansu's
        ListOffsets answers the *base offset of the last record batch* + 1 (measured:
        3 records in one batch -> end 1), so only that much is certain to show."""
        lost = False
        first: dict[int, int] = {}
        for md in acks:
            if md is None or md.topic != self.topic:
                continue
            if md.offset < self._acked.get(md.partition, 0):
                lost = True
            self._acked[md.partition] = max(self._acked.get(md.partition, 0), md.offset + 1)
            first[md.partition] = min(first.get(md.partition, md.offset), md.offset)
        for partition, offset in first.items():
            self._ends[partition] = max(self._ends.get(partition, 0), offset + 1)
        return lost

    async def _housekeeping(self) -> None:
        async with self.engine.begin() as conn:
            OUTBOX_BACKLOG.labels(self.service).set(await conn.scalar(_BACKLOG))
            await conn.execute(_PURGE, {"days": self.retention_days})
            # The archive keeps what the purge removes; its next months' partitions are made ahead.
            if await conn.scalar(_HAS_ARCHIVE):
                await conn.execute(_ARCHIVE_PARTITIONS)
            # Inbox rows outlive the outbox rows that could still be replayed to them.
            await conn.execute(_PURGE_INBOX, {"days": self.retention_days + 7})


__all__ = ["BrokerUnavailable", "OutboxRelay", "RelayState"]
