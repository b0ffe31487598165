"""aiokafka clients with the settings EMBEDDED-STACK.md measured, and timeouts.

aiokafka calls can hang while the broker is down, so every call that waits on the
broker goes through :func:`bounded` and a failure surfaces as :class:`BrokerUnavailable`.
Exactly-once comes from outbox + inbox; the idempotent producer (``KAFKA_ENABLE_IDEMPOTENCE``,
on in production) only spares consumers the duplicates of a retried produce. Every client
(producer, consumer, admin, the probes) connects with :func:`client_kwargs`: the bootstrap
servers and the connection's security (TLS, SASL PLAIN/SCRAM/OAUTHBEARER).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable
from typing import Any, TypeVar

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.abc import AbstractTokenProvider
from aiokafka.errors import KafkaError
from aiokafka.helpers import create_ssl_context

from wijkwerk.settings import KafkaSettings

T = TypeVar("T")


class BrokerUnavailable(Exception):
    pass


async def bounded(awaitable: Awaitable[T], timeout_s: float, what: str) -> T:
    try:
        return await asyncio.wait_for(awaitable, timeout_s)
    except (TimeoutError, KafkaError, OSError) as exc:
        raise BrokerUnavailable(f"{what}: {exc!r}") from exc


class OAuthTokens(AbstractTokenProvider):
    """SASL/OAUTHBEARER: a token from the identity provider's token endpoint by client
    credentials, cached and renewed before it expires (wijkwerk.dienstentoken)."""

    def __init__(self, settings: KafkaSettings, *, transport: httpx.AsyncBaseTransport | None = None) -> None:
        from wijkwerk.dienstentoken import ClientCredentials

        assert settings.sasl_oauth_token_url and settings.sasl_oauth_client_id and settings.sasl_oauth_client_secret
        self._bron = ClientCredentials(
            settings.sasl_oauth_token_url, settings.sasl_oauth_client_id,
            settings.sasl_oauth_client_secret.get_secret_value(),
            settings.sasl_oauth_scope.split() if settings.sasl_oauth_scope else [], transport=transport,
        )

    async def token(self) -> str:
        return await self._bron()


def client_kwargs(settings: KafkaSettings) -> dict[str, Any]:
    """The arguments every aiokafka client needs to reach the cluster as configured."""
    kwargs: dict[str, Any] = {"bootstrap_servers": settings.bootstrap_servers,
                              "security_protocol": settings.security_protocol}
    if settings.security_protocol in ("SSL", "SASL_SSL"):
        kwargs["ssl_context"] = create_ssl_context(
            cafile=settings.ssl_cafile, certfile=settings.ssl_certfile, keyfile=settings.ssl_keyfile,
            password=settings.ssl_password.get_secret_value() if settings.ssl_password else None,
        )
    if settings.sasl_mechanism is not None:
        kwargs["sasl_mechanism"] = settings.sasl_mechanism
        if settings.sasl_mechanism == "OAUTHBEARER":
            kwargs["sasl_oauth_token_provider"] = OAuthTokens(settings)
        else:
            kwargs["sasl_plain_username"] = settings.sasl_username
            kwargs["sasl_plain_password"] = settings.sasl_password.get_secret_value() if settings.sasl_password else None
    return kwargs


def make_producer(settings: KafkaSettings, client_id: str) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        **client_kwargs(settings),
        client_id=client_id,
        acks="all",
        enable_idempotence=settings.enable_idempotence,
        linger_ms=5,
        max_batch_size=512 * 1024,
        request_timeout_ms=int(settings.request_timeout_s * 1000),
    )


def make_consumer(
    settings: KafkaSettings, group_id: str, client_id: str, *, max_records: int
) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        **client_kwargs(settings),
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
