"""Long-running workers: run until stopped, back off and retry after a failure.

The relay and the consumers must outlive broker and database outages. Retrying uses
tenacity (capped exponential backoff with jitter); the stop event interrupts a wait.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from tenacity import AsyncRetrying, RetryCallState, RetryError, retry_if_exception_type, wait_exponential_jitter

log = logging.getLogger("wijkwerk.worker")


async def sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    """Sleep, but wake as soon as ``stop`` is set."""
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        pass


async def run_until_stopped(
    stop: asyncio.Event,
    session: Callable[[], Awaitable[None]],
    *,
    name: str,
    on_error: Callable[[BaseException], None],
    max_backoff_s: float = 5.0,
) -> None:
    """Call ``session`` again and again until ``stop`` is set. ``session`` returns when it
    wants to be called again (or on stop) and raises on an outage: then ``on_error`` is
    told, and the next call waits a growing, jittered backoff."""

    def before_sleep(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        if exc is not None:
            on_error(exc)
            log.warning("%s: %s; retrying in %.1fs", name, exc, state.upcoming_sleep)

    retrying = AsyncRetrying(
        retry=retry_if_exception_type(Exception),
        wait=wait_exponential_jitter(multiplier=0.2, max=max_backoff_s),
        stop=lambda _state: stop.is_set(),
        sleep=lambda seconds: sleep_or_stop(stop, seconds),
        before_sleep=before_sleep,
    )
    try:
        async for attempt in retrying:
            with attempt:
                while not stop.is_set():
                    await session()
    except RetryError:
        pass  # stopped while the last session had failed
