"""Reads topics from the beginning with a fresh, group-less consumer: no offsets are
committed and no consumer group is joined, so a replay never disturbs the live consumers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence

from aiokafka import AIOKafkaConsumer
from aiokafka.structs import TopicPartition

from wijkwerk.messaging.kafka import bounded, stop_quietly
from wijkwerk.settings import KafkaSettings


class TopicLezer:
    def __init__(self, kafka: KafkaSettings) -> None:
        self.kafka = kafka
        self._consumer: AIOKafkaConsumer | None = None

    async def __aenter__(self) -> TopicLezer:
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=self.kafka.bootstrap_servers,
            group_id=None,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=self.kafka.fetch_max_wait_ms,
            max_partition_fetch_bytes=8 * 1024 * 1024,
            request_timeout_ms=int(self.kafka.request_timeout_s * 1000) + self.kafka.session_timeout_ms,
        )
        await bounded(self._consumer.start(), self.kafka.request_timeout_s, "replay consumer start")
        return self

    async def __aexit__(self, *exc: object) -> None:
        await stop_quietly(self._consumer)

    async def eindes(self, topics: Sequence[str]) -> dict[TopicPartition, int]:
        """The end offset of every partition now: a replay reads up to here."""
        assert self._consumer is not None
        await bounded(self._consumer.topics(), self.kafka.request_timeout_s, "metadata")
        tps = [
            TopicPartition(topic, p)
            for topic in topics
            for p in sorted(self._consumer.partitions_for_topic(topic) or ())
        ]
        if not tps:
            return {}
        return await bounded(self._consumer.end_offsets(tps), self.kafka.request_timeout_s, "end offsets")

    async def lees(self, eindes: dict[TopicPartition, int], timeout_s: float = 120.0) -> AsyncIterator[bytes]:
        """Every message value before ``eindes``, in partition order."""
        assert self._consumer is not None
        open_tps = {tp: end for tp, end in eindes.items() if end > 0}
        if not open_tps:
            return
        self._consumer.assign(list(open_tps))
        await bounded(self._consumer.seek_to_beginning(*open_tps), self.kafka.request_timeout_s, "seek")
        deadline = asyncio.get_running_loop().time() + timeout_s
        while open_tps:
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"replay did not reach the end of {sorted(map(str, open_tps))}")
            fetched = await self._consumer.getmany(*open_tps, timeout_ms=500, max_records=10_000)
            for tp, records in fetched.items():
                end = open_tps.get(tp)
                if end is None:
                    continue
                for record in records:
                    if record.offset < end:
                        yield record.value
                if records and records[-1].offset + 1 >= end:
                    open_tps.pop(tp)
            for tp in [tp for tp in open_tps if await self._consumer.position(tp) >= open_tps[tp]]:
                open_tps.pop(tp)
