"""The relay's repair of its topic: a broker that lost data (an empty topic while rows
were published, an acknowledged offset gone backwards) is re-filled from the retained
outbox in commit order; ``replay`` re-publishes on request (from the archive too); on the
embedded memory broker a long, fully consumed topic is rotated (``rotatie``)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.structs import TopicPartition
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from wijkwerk.events.topics import dlq_topic
from wijkwerk.messaging import rotatie
from wijkwerk.messaging.admin import ensure_topics
from wijkwerk.messaging.kafka import bounded, client_kwargs, make_producer, send_all, stop_quietly
from wijkwerk.observability import RELAY_REFILLED_ROWS, RELAY_REFILLS, RELAY_ROTATIONS
from wijkwerk.settings import KafkaSettings

if TYPE_CHECKING:
    from wijkwerk.messaging.relay import RelayState

log = logging.getLogger("wijkwerk.relay")

_SELECT_PUBLISHED = text(
    """
    SELECT id, txid, topic, key, value FROM outbox
    WHERE published_at IS NOT NULL AND (txid, id) > (CAST(:txid AS xid8), :id)
      AND (CAST(:since AS timestamptz) IS NULL OR created_at >= CAST(:since AS timestamptz))
    ORDER BY txid, id
    LIMIT :limit
    """
)
# The same from the archive: every event ever published, not only the retained outbox rows.
_SELECT_ARCHIVED = text(
    """
    SELECT id, txid, topic, key, value FROM gebeurtenissen
    WHERE (txid, id) > (CAST(:txid AS xid8), :id)
      AND (CAST(:since AS timestamptz) IS NULL OR vastgelegd_op >= CAST(:since AS timestamptz))
    ORDER BY txid, id
    LIMIT :limit
    """
)
_HAS_PUBLISHED = text(
    "SELECT EXISTS (SELECT 1 FROM outbox WHERE published_at IS NOT NULL "
    "AND (txid, id) > (CAST(:txid AS xid8), :id))"
)
_HAS_ROTATION = text("SELECT to_regclass('relay_rotatie') IS NOT NULL")
_ROTATED_AT = text("SELECT txid, id FROM relay_rotatie WHERE topic = :topic")
_LAST_PUBLISHED = text(
    "SELECT txid, id FROM outbox WHERE published_at IS NOT NULL ORDER BY txid DESC, id DESC LIMIT 1"
)
_RECORD_ROTATION = text(
    "INSERT INTO relay_rotatie (topic, txid, id) VALUES (:topic, CAST(:txid AS xid8), :id) "
    "ON CONFLICT (topic) DO UPDATE SET txid = excluded.txid, id = excluded.id, op = now(), "
    "keer = relay_rotatie.keer + 1"
)


class Herstel:
    """Mixed into :class:`wijkwerk.messaging.relay.OutboxRelay`."""

    engine: AsyncEngine
    kafka: KafkaSettings
    service: str
    topic: str
    rotate_after: int
    state: RelayState
    _producer: AIOKafkaProducer | None
    _ends: dict[int, int]
    _acked: dict[int, int]

    async def _check_broker(self) -> None:
        ends = await self._end_offsets()
        if self._below(ends):
            await self._refill(f"topic {self.topic} ends at {ends}, below {self._ends}")
        elif not self._ends and sum(ends.values()) == 0 and await self._has_published_rows():
            await self._refill(f"topic {self.topic} is empty but rows were published")

    def _below(self, ends: dict[int, int]) -> bool:
        return any(ends.get(p, 0) < end for p, end in self._ends.items())

    async def _refill(self, why: str) -> None:
        """The broker lost its data (e.g. the embedded memory broker restarted): create
        the topics again and re-publish the retained rows in commit order."""
        assert self._producer is not None
        log.warning("relay %s: %s; re-filling from the outbox", self.service, why)
        await ensure_topics(
            self.kafka,
            [self.topic, dlq_topic(self.topic)],
            self.kafka.topic_partitions,
            self.kafka.replication_factor,
            timeout_s=self.kafka.request_timeout_s,
        )
        await self._refill_from_outbox()
        self._ends, self._acked = await self._end_offsets(), {}

    async def _refill_from_outbox(self) -> None:
        rows = await self.replay(self._producer, after=await self._rotated_at())
        self.state.refilled += rows
        RELAY_REFILLS.labels(self.service).inc()
        RELAY_REFILLED_ROWS.labels(self.service).inc(rows)

    async def _maybe_rotate(self) -> None:
        """Between two batches (nothing of ours in flight): trim the topic when it is long
        and every consumer group has committed its end."""
        self.state.rotation_checks += 1
        ends = await self._end_offsets()
        if sum(ends.values()) < self.rotate_after // 10:  # a lower bound (batches): cheap first look
            return
        ends = await rotatie.ware_eindes(self.kafka, self.topic, ends)
        if sum(ends.values()) < self.rotate_after or not await rotatie.alles_verbruikt(self.kafka, self.topic, ends):
            return
        async with self.engine.begin() as conn:
            last = (await conn.execute(_LAST_PUBLISHED)).first()
            if last is not None:
                await conn.execute(_RECORD_ROTATION, {"topic": self.topic, "txid": int(last.txid), "id": last.id})
        await rotatie.roteer(self.kafka, self.topic)
        self._ends, self._acked = await self._end_offsets(), {}
        self.state.rotated += 1
        RELAY_ROTATIONS.labels(self.service).inc()
        log.info("relay %s: topic %s rotated after %d messages, all consumed", self.service, self.topic,
                 sum(ends.values()))

    async def _rotated_at(self) -> tuple[int, int]:
        """How far this relay had published when it last rotated its topic: a re-fill
        starts after it (everything before was consumed by every group)."""
        async with self.engine.connect() as conn:
            if not await conn.scalar(_HAS_ROTATION):
                return (0, 0)
            row = (await conn.execute(_ROTATED_AT, {"topic": self.topic})).first()
        return (int(row.txid), row.id) if row else (0, 0)

    async def replay(self, producer: AIOKafkaProducer | None = None, since=None, archive: bool = False,
                     after: tuple[int, int] = (0, 0)) -> int:
        """Re-publish retained, already published rows (in commit order) to their topics;
        with ``archive``, every archived event (since ``since``), e.g. for a topic that must
        be rebuilt beyond the outbox's retention."""
        select = _SELECT_ARCHIVED if archive else _SELECT_PUBLISHED
        owned = producer is None
        if producer is None:
            producer = make_producer(self.kafka, f"{self.service}-replay")
            await bounded(producer.start(), self.kafka.request_timeout_s, "producer start")
        count, cursor = 0, after
        try:
            while True:
                async with self.engine.connect() as conn:
                    rows = (
                        await conn.execute(
                            select,
                            {"txid": cursor[0], "id": cursor[1], "since": since, "limit": 5000},
                        )
                    ).all()
                if not rows:
                    return count
                await send_all(
                    producer,
                    ((r.topic, r.key.encode(), bytes(r.value)) for r in rows),
                    self.kafka.request_timeout_s * 3,
                )
                count += len(rows)
                cursor = (int(rows[-1].txid), rows[-1].id)
        finally:
            if owned:
                await stop_quietly(producer)

    async def _has_published_rows(self) -> bool:
        txid, id_ = await self._rotated_at()
        async with self.engine.connect() as conn:
            return bool(await conn.scalar(_HAS_PUBLISHED, {"txid": txid, "id": id_}))

    async def _topic_is_empty(self) -> bool:
        return sum((await self._end_offsets()).values()) == 0

    async def _end_offsets(self) -> dict[int, int]:
        """partition -> end offset of our topic ({} when the topic does not exist)."""
        probe = AIOKafkaConsumer(**client_kwargs(self.kafka), enable_auto_commit=False)
        try:
            await bounded(probe.start(), self.kafka.request_timeout_s, "probe start")
            await bounded(probe.topics(), self.kafka.request_timeout_s, "metadata")
            partitions = probe.partitions_for_topic(self.topic) or set()
            tps = [TopicPartition(self.topic, p) for p in partitions]
            if not tps:
                return {}
            ends = await bounded(probe.end_offsets(tps), self.kafka.request_timeout_s, "end offsets")
            return {tp.partition: off for tp, off in ends.items()}
        finally:
            await stop_quietly(probe)
