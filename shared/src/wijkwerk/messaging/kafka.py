"""aiokafka clients with the settings EMBEDDED-STACK.md measured, and timeouts.

aiokafka calls can hang while the broker is down, so every call that waits on the
broker goes through :func:`bounded` and a failure surfaces as :class:`BrokerUnavailable`.
No idempotent or transactional producer: exactly-once comes from outbox + inbox.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable
from typing import TypeVar

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.errors import KafkaError

from wijkwerk.settings import KafkaSettings

T = TypeVar("T")


class BrokerUnavailable(Exception):
    pass


async def bounded(awaitable: Awaitable[T], timeout_s: float, what: str) -> T:
    try:
        return await asyncio.wait_for(awaitable, timeout_s)
    except (TimeoutError, KafkaError, OSError) as exc:
        raise BrokerUnavailable(f"{what}: {exc!r}") from exc


def make_producer(settings: KafkaSettings, client_id: str) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        bootstrap_servers=settings.bootstrap_servers,
        client_id=client_id,
        acks="all",
        linger_ms=5,
        max_batch_size=512 * 1024,
        request_timeout_ms=int(settings.request_timeout_s * 1000),
    )


def make_consumer(
    settings: KafkaSettings, group_id: str, client_id: str, *, max_records: int
) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers,
        group_id=group_id,
        client_id=client_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=settings.fetch_max_wait_ms,
        session_timeout_ms=settings.session_timeout_ms,
        heartbeat_interval_ms=settings.heartbeat_interval_ms,
        max_poll_records=max_records,
        max_partition_fetch_bytes=8 * 1024 * 1024,
        request_timeout_ms=int(settings.request_timeout_s * 1000) + settings.session_timeout_ms,
    )


async def stop_quietly(client: AIOKafkaProducer | AIOKafkaConsumer | None, timeout_s: float = 5.0) -> None:
    if client is None:
        return
    try:
        await asyncio.wait_for(client.stop(), timeout_s)
    except Exception:  # noqa: BLE001 - closing a client to a dead broker must not raise
        pass


async def send_all(
    producer: AIOKafkaProducer,
    messages: Iterable[tuple[str, bytes, bytes]],
    timeout_s: float,
) -> list:
    """Send (topic, key, value) messages in order and wait for every acknowledgement;
    returns their ``RecordMetadata`` (topic, partition, offset)."""

    async def _send() -> list:
        futures = [await producer.send(topic, value=value, key=key) for topic, key, value in messages]
        return list(await asyncio.gather(*futures)) if futures else []

    return await bounded(_send(), timeout_s, "produce")
