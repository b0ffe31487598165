"""Topic administration: create every topic explicitly before any client starts.

Tansu auto-creates a missing topic with 4 partitions on the first produce or on a
metadata request naming it, and cannot add partitions later; so topics are created
here with their final partition count, and existing ones are only ever looked up via
the all-topics listing (naming a missing topic in a metadata request would create it).
aiokafka can hang while a broker is down, so every call has its own timeout.

Each topic's configs are declared once (:func:`topic_configs`: retention, cleanup policy,
``min.insync.replicas``, from :class:`KafkaSettings`), set when the topic is created, and
verified for existing topics together with their replication factor: a topic that differs
(created by hand, by the broker's auto-create, or under other settings) raises
:class:`TopicConfigMismatch` naming every difference, and a service refuses to start on it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Iterable
from typing import TypeVar

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import KafkaError, for_code

from wijkwerk.messaging.kafka import client_kwargs
from wijkwerk.settings import KafkaSettings

log = logging.getLogger("wijkwerk.admin")

T = TypeVar("T")

_TOPIC_ALREADY_EXISTS = 36
_CALL_TIMEOUT_S = 10.0


class TopicSetupError(RuntimeError):
    """The topics could not be ensured (broker unreachable, or it refused them)."""


class TopicConfigMismatch(TopicSetupError):
    """Existing topics differ from their declared configs (not retried: a person decides)."""

    def __init__(self, verschillen: list[str]) -> None:
        self.verschillen = verschillen
        super().__init__("topics differ from their declared configs (fix the topics or the KAFKA_ settings): "
                         + "; ".join(verschillen))


def topic_configs(kafka: KafkaSettings, topic: str) -> dict[str, str]:
    """The configs every topic is created with and checked against."""
    dlq = topic.endswith(".dlq")
    return {
        "cleanup.policy": "delete",
        "retention.ms": str(kafka.dlq_retention_ms if dlq else kafka.retention_ms),
        "min.insync.replicas": str(kafka.min_insync_replicas),
    }


def _settings(kafka: KafkaSettings | str) -> KafkaSettings:
    return kafka if isinstance(kafka, KafkaSettings) else KafkaSettings(bootstrap_servers=kafka)


async def ensure_topics(
    kafka: KafkaSettings | str,
    topics: Iterable[str],
    partitions: int,
    replication_factor: int = 1,
    timeout_s: float = 30.0,
) -> None:
    """Create the missing ``topics`` with ``partitions`` partitions and their configs;
    verify the existing ones (``kafka``: the settings, or just the bootstrap servers of a
    plain local broker).

    Retries until the broker answers or ``timeout_s`` passes (then
    :class:`TopicSetupError`). An existing topic with another partition count is
    logged as a warning, not changed: neither Tansu nor our ordering guarantees allow
    repartitioning a live topic. One whose configs or replication factor differ raises
    :class:`TopicConfigMismatch`.
    """
    kafka = _settings(kafka)
    bootstrap = kafka.bootstrap_servers
    wanted = list(dict.fromkeys(topics))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    admin = await _connect(kafka, deadline)
    try:
        while True:
            try:
                await _ensure_once(admin, kafka, wanted, partitions, replication_factor, deadline)
                return
            except (KafkaError, OSError, TimeoutError) as exc:
                if isinstance(exc, KafkaError) and not exc.retriable:
                    raise TopicSetupError(f"ensuring topics on {bootstrap}: {exc!r}") from exc
                if loop.time() >= deadline:
                    raise TopicSetupError(
                        f"ensuring topics on {bootstrap} did not succeed within {timeout_s:.0f}s: {exc!r}"
                    ) from exc
                log.info("Retrying topic set-up on %s after %r", bootstrap, exc)
                await asyncio.sleep(min(0.5, max(0.0, deadline - loop.time())))
    finally:
        await _close(admin)


async def topic_partition_counts(
    kafka: KafkaSettings | str, topics: Iterable[str], timeout_s: float = 10.0
) -> dict[str, int]:
    """Partition count of each of ``topics`` that exists; missing ones are left out
    (and, unlike a metadata request naming them, not auto-created)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    kafka = _settings(kafka)
    bootstrap = kafka.bootstrap_servers
    admin = await _connect(kafka, deadline)
    try:
        existing = set(await _bounded(admin.list_topics(), deadline))
        return await _partition_counts(admin, [t for t in dict.fromkeys(topics) if t in existing], deadline)
    except (KafkaError, OSError, TimeoutError) as exc:
        raise TopicSetupError(f"describing topics on {bootstrap}: {exc!r}") from exc
    finally:
        await _close(admin)


async def _ensure_once(
    admin: AIOKafkaAdminClient,
    kafka: KafkaSettings,
    wanted: list[str],
    partitions: int,
    replication_factor: int,
    deadline: float,
) -> None:
    existing = set(await _bounded(admin.list_topics(), deadline))
    missing = [t for t in wanted if t not in existing]
    if missing:
        response = await _bounded(
            admin.create_topics(
                [NewTopic(t, num_partitions=partitions, replication_factor=replication_factor,
                          topic_configs=topic_configs(kafka, t)) for t in missing],
                timeout_ms=int(_CALL_TIMEOUT_S * 1000),
            ),
            deadline,
        )
        # create_topics does not raise per-topic errors; they are in the response.
        for topic, code, *rest in response.topic_errors:
            if code not in (0, _TOPIC_ALREADY_EXISTS):  # already exists = a concurrent creator
                error = for_code(code)
                message = rest[0] if rest and rest[0] else error.__name__
                if error.retriable:
                    raise error(f"creating {topic}: {message}")
                raise TopicSetupError(f"the broker refused topic {topic!r}: {message} (code {code})")
        log.info("Created topics %s with %d partitions", ", ".join(missing), partitions)
    present = [t for t in wanted if t in existing]
    if present:
        await _verify(admin, kafka, present, replication_factor, deadline)
    for topic, count in (await _partition_counts(admin, present, deadline)).items():
        if count != partitions:
            log.warning(
                "Topic %s has %d partitions, not the %d asked for; left as is "
                "(repartitioning would break per-key ordering; recreate it to change).",
                topic,
                count,
                partitions,
            )
    # Real Kafka creates asynchronously: only return once every topic is listed.
    listed = set(await _bounded(admin.list_topics(), deadline))
    not_yet = [t for t in wanted if t not in listed]
    if not_yet:
        raise TimeoutError(f"topics not listed yet: {not_yet}")


async def _verify(admin: AIOKafkaAdminClient, kafka: KafkaSettings, topics: list[str], replication_factor: int,
                  deadline: float) -> None:
    """Every difference between the existing ``topics`` and their declared configs."""
    verschillen = []
    antwoorden = await _bounded(admin.describe_configs(
        [ConfigResource(ConfigResourceType.TOPIC, t) for t in topics]), deadline)
    gevonden: dict[str, dict[str, str | None]] = {}
    for antwoord in antwoorden:
        for fout, bericht, _, naam, entries in antwoord.resources:
            if fout:
                raise for_code(fout)(f"describing the configs of {naam}: {bericht}")
            gevonden[naam] = {e[0]: e[1] for e in entries}
    for topic in topics:
        heeft = gevonden.get(topic, {})
        for sleutel, waarde in topic_configs(kafka, topic).items():
            if heeft.get(sleutel) != waarde:
                verschillen.append(f"{topic} {sleutel}: declared {waarde}, the broker has {heeft.get(sleutel, '(unset)')}")
    for d in await _bounded(admin.describe_topics(topics), deadline):
        replicas = {len(p["replicas"]) for p in d["partitions"]} if d["error_code"] == 0 else set()
        if replicas and replicas != {replication_factor}:
            verschillen.append(f"{d['topic']} replication factor: declared {replication_factor}, "
                               f"the broker has {', '.join(map(str, sorted(replicas)))}")
    if verschillen:
        raise TopicConfigMismatch(verschillen)


async def verify_topics(kafka: KafkaSettings, topics: Iterable[str], timeout_s: float = 10.0) -> None:
    """Check the existing ``topics`` against their declared configs (missing ones are left
    for whoever creates them): :class:`TopicConfigMismatch` on a difference,
    :class:`TopicSetupError` when the broker does not answer."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    admin = await _connect(kafka, deadline)
    try:
        existing = set(await _bounded(admin.list_topics(), deadline))
        present = [t for t in dict.fromkeys(topics) if t in existing]
        if present:
            await _verify(admin, kafka, present, kafka.replication_factor, deadline)
    except (KafkaError, OSError, TimeoutError) as exc:
        raise TopicSetupError(f"verifying topics on {kafka.bootstrap_servers}: {exc!r}") from exc
    finally:
        await _close(admin)


async def _partition_counts(admin: AIOKafkaAdminClient, topics: list[str], deadline: float) -> dict[str, int]:
    if not topics:
        return {}
    described = await _bounded(admin.describe_topics(topics), deadline)
    return {d["topic"]: len(d["partitions"]) for d in described if d["error_code"] == 0}


async def _connect(kafka: KafkaSettings, deadline: float) -> AIOKafkaAdminClient:
    """A started admin client, retrying until the broker answers or ``deadline``."""
    bootstrap = kafka.bootstrap_servers
    loop = asyncio.get_running_loop()
    while True:
        admin = AIOKafkaAdminClient(
            **client_kwargs(kafka),
            client_id="wijkwerk-admin",
            request_timeout_ms=int(_CALL_TIMEOUT_S * 1000),
        )
        try:
            await _bounded(admin.start(), deadline)
            return admin
        except (KafkaError, OSError, TimeoutError) as exc:
            await _close(admin)
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TopicSetupError(f"no Kafka broker answered on {bootstrap}: {exc!r}") from exc
            await asyncio.sleep(min(0.25, remaining))


async def _bounded(awaitable: Awaitable[T], deadline: float) -> T:
    """Await with a timeout: the per-call limit, but never past the overall deadline."""
    remaining = deadline - asyncio.get_running_loop().time()
    return await asyncio.wait_for(awaitable, max(0.05, min(_CALL_TIMEOUT_S, remaining)))


async def _close(admin: AIOKafkaAdminClient) -> None:
    with contextlib.suppress(Exception):
        await asyncio.wait_for(admin.close(), 5.0)


__all__ = ["TopicConfigMismatch", "TopicSetupError", "ensure_topics", "topic_configs", "topic_partition_counts",
           "verify_topics"]
