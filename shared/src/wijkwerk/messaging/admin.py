"""Topic administration: create every topic explicitly before any client starts.

Tansu auto-creates a missing topic with 4 partitions on the first produce or on a
metadata request naming it, and cannot add partitions later; so topics are created
here with their final partition count, and existing ones are only ever looked up via
the all-topics listing (naming a missing topic in a metadata request would create it).
aiokafka can hang while a broker is down, so every call has its own timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Iterable
from typing import TypeVar

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, for_code

log = logging.getLogger("wijkwerk.admin")

T = TypeVar("T")

_TOPIC_ALREADY_EXISTS = 36
_CALL_TIMEOUT_S = 10.0


class TopicSetupError(RuntimeError):
    """The topics could not be ensured (broker unreachable, or it refused them)."""


async def ensure_topics(
    bootstrap: str,
    topics: Iterable[str],
    partitions: int,
    replication_factor: int = 1,
    timeout_s: float = 30.0,
) -> None:
    """Create the missing ``topics`` with ``partitions`` partitions; leave existing ones.

    Retries until the broker answers or ``timeout_s`` passes (then
    :class:`TopicSetupError`). An existing topic with another partition count is
    logged as a warning, not changed: neither Tansu nor our ordering guarantees allow
    repartitioning a live topic.
    """
    wanted = list(dict.fromkeys(topics))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    admin = await _connect(bootstrap, deadline)
    try:
        while True:
            try:
                await _ensure_once(admin, wanted, partitions, replication_factor, deadline)
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
    bootstrap: str, topics: Iterable[str], timeout_s: float = 10.0
) -> dict[str, int]:
    """Partition count of each of ``topics`` that exists; missing ones are left out
    (and, unlike a metadata request naming them, not auto-created)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    admin = await _connect(bootstrap, deadline)
    try:
        existing = set(await _bounded(admin.list_topics(), deadline))
        return await _partition_counts(admin, [t for t in dict.fromkeys(topics) if t in existing], deadline)
    except (KafkaError, OSError, TimeoutError) as exc:
        raise TopicSetupError(f"describing topics on {bootstrap}: {exc!r}") from exc
    finally:
        await _close(admin)


async def _ensure_once(
    admin: AIOKafkaAdminClient,
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
                [NewTopic(t, num_partitions=partitions, replication_factor=replication_factor) for t in missing],
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


async def _partition_counts(admin: AIOKafkaAdminClient, topics: list[str], deadline: float) -> dict[str, int]:
    if not topics:
        return {}
    described = await _bounded(admin.describe_topics(topics), deadline)
    return {d["topic"]: len(d["partitions"]) for d in described if d["error_code"] == 0}


async def _connect(bootstrap: str, deadline: float) -> AIOKafkaAdminClient:
    """A started admin client, retrying until the broker answers or ``deadline``."""
    loop = asyncio.get_running_loop()
    while True:
        admin = AIOKafkaAdminClient(
            bootstrap_servers=bootstrap,
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


__all__ = ["TopicSetupError", "ensure_topics", "topic_partition_counts"]
