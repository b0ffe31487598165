"""Reads topics from the beginning with a fresh, group-less consumer: no offsets are
committed and no consumer group is joined, so a replay never disturbs the live consumers."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Sequence

from aiokafka import AIOKafkaConsumer
from aiokafka.structs import TopicPartition

from wijkwerk.messaging.kafka import bounded, client_kwargs, stop_quietly
from wijkwerk.settings import KafkaSettings

BLOK = 1000


class TopicLezer:
    def __init__(self, kafka: KafkaSettings) -> None:
        self.kafka = kafka
        self._consumer: AIOKafkaConsumer | None = None

    async def __aenter__(self) -> TopicLezer:
        self._consumer = AIOKafkaConsumer(
            **client_kwargs(self.kafka),
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

    async def lees(
        self, eindes: dict[TopicPartition, int], timeout_s: float = 120.0, tot_ms: int | None = None
    ) -> AsyncIterator[bytes]:
        """Every message value before ``eindes``, in partition order (see :meth:`blokken`)."""
        async for blok in self.blokken(eindes, timeout_s, tot_ms):
            for waarde in blok:
                yield waarde

    async def blokken(
        self, eindes: dict[TopicPartition, int], timeout_s: float = 120.0, tot_ms: int | None = None
    ) -> AsyncIterator[list[bytes]]:
        """Every message value before ``eindes``, in partition order, in blocks of at most
        ``BLOK`` values. Between blocks the event loop runs, so the consumer's fetcher asks
        the broker for the next records while the caller folds these (the broker works on
        the other core): a caller that folds a whole fetch at once leaves the broker idle.

        The embedded broker (Tansu, memory engine) under-reports end offsets when
        multi-record batches were produced (measured: 2,194 reported for 2,210 stored), so
        ``eindes`` is a lower bound: past it, records stamped no later than ``tot_ms``
        (the moment the ends were taken; default now) are still read, until the partition
        is quiet for two fetch rounds or a later record appears.
        """
        assert self._consumer is not None
        loop = asyncio.get_running_loop()
        tot_ms = tot_ms if tot_ms is not None else int(time.time() * 1000)
        tps = list(eindes)
        open_tps = {tp: end for tp, end in eindes.items()}
        if not open_tps:
            return
        self._consumer.assign(tps)
        await bounded(self._consumer.seek_to_beginning(*tps), self.kafka.request_timeout_s, "seek")
        stil: dict[TopicPartition, int] = dict.fromkeys(tps, 0)
        deadline = loop.time() + timeout_s
        # A quiet round: one fetch the broker held back fetch_max_wait_ms for lack of data.
        ronde_ms = self.kafka.fetch_max_wait_ms + 10
        while open_tps:
            if loop.time() > deadline:
                raise TimeoutError(f"replay did not reach the end of {sorted(map(str, open_tps))}")
            fetched = await self._consumer.getmany(*open_tps, timeout_ms=ronde_ms, max_records=20_000)
            for tp, records in fetched.items():
                end = open_tps.get(tp)
                if end is None:
                    continue
                waarden = []
                for record in records:
                    if record.offset >= end and record.timestamp > tot_ms:
                        open_tps.pop(tp)
                        break
                    waarden.append(record.value)
                for i in range(0, len(waarden), BLOK):
                    yield waarden[i:i + BLOK]
                    await asyncio.sleep(0)
            for tp in list(open_tps):
                if fetched.get(tp):
                    stil[tp] = 0
                elif await self._consumer.position(tp) >= open_tps[tp]:
                    stil[tp] += 1
                    if stil[tp] >= 2:
                        open_tps.pop(tp)
