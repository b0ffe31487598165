"""One outbox relay as a process of its own, so a test can freeze it (SIGSTOP) or kill it:
``python relay_proces.py DATABASE_URL BOOTSTRAP SERVICE TOPIC LEASE_S``; SIGTERM stops it."""

from __future__ import annotations

import asyncio
import signal
import sys

from wijkwerk.db import create_engine
from wijkwerk.messaging.relay import OutboxRelay
from wijkwerk.settings import KafkaSettings


async def main(url: str, bootstrap: str, service: str, topic: str, lease_s: str) -> None:
    engine = create_engine(url, pool_size=2, application_name=f"relay-{service}")
    kafka = KafkaSettings(bootstrap_servers=bootstrap, topic_partitions=3, request_timeout_s=3)
    relay = OutboxRelay(engine, kafka, service=service, topic=topic, batch_size=20, idle_poll_s=0.2,
                        lease_s=float(lease_s))
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    try:
        await relay.run(stop)
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:]))
