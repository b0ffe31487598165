"""How far a consumer group has come, read from the broker: the offsets the group
committed against the topics' end offsets. A consumer commits only after its database
transaction (ADR 0001), so a group with no lag has applied every message before the ends —
whichever process or pod runs it. Reading committed offsets joins no group."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from aiokafka import AIOKafkaConsumer
from aiokafka.structs import TopicPartition

from wijkwerk.messaging.kafka import bounded, client_kwargs, stop_quietly
from wijkwerk.settings import KafkaSettings


def group_id(service: str, name: str) -> str:
    """The consumer group of ``service``'s consumer ``name`` (one spelling everywhere)."""
    return f"{service}.{name}"


async def achterstand(kafka: KafkaSettings, groep: str, topics: Sequence[str]) -> dict[str, int]:
    """Messages per ``topic:partition`` that ``groep`` has not committed yet (only the
    partitions behind; empty when the group is up to the end of every partition)."""
    consumer = AIOKafkaConsumer(**client_kwargs(kafka), group_id=groep, enable_auto_commit=False)
    await bounded(consumer.start(), kafka.request_timeout_s, "group offsets consumer start")
    try:
        await bounded(consumer.topics(), kafka.request_timeout_s, "metadata")
        tps = [TopicPartition(t, p) for t in topics for p in sorted(consumer.partitions_for_topic(t) or ())]
        if not tps:
            return {}
        eindes = await bounded(consumer.end_offsets(tps), kafka.request_timeout_s, "end offsets")
        uit = {}
        for tp in tps:
            gecommit = await bounded(consumer.committed(tp), kafka.request_timeout_s, "committed offsets") or 0
            if eindes[tp] > gecommit:
                uit[f"{tp.topic}:{tp.partition}"] = eindes[tp] - gecommit
        return uit
    finally:
        await stop_quietly(consumer)


async def wacht_op_groepen(
    kafka: KafkaSettings, groepen: dict[str, Sequence[str]], timeout_s: float, interval_s: float = 0.2
) -> dict[str, dict[str, int]]:
    """Until every group has committed up to the ends of its topics, or the timeout: what is
    still behind then, per group (empty when all are up to date)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while True:
        achter = {g: a for g, topics in groepen.items() if (a := await achterstand(kafka, g, topics))}
        if not achter or loop.time() >= deadline:
            return achter
        await asyncio.sleep(interval_s)
