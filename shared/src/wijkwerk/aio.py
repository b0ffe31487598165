"""Long-running workers: run until stopped, back off and retry after a failure.

The relay and the consumers must outlive broker and database outages. Retrying uses
tenacity (capped exponential backoff with jitter); the stop event interrupts a wait.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path

from tenacity import AsyncRetrying, RetryCallState, RetryError, retry_if_exception_type, wait_exponential_jitter

log = logging.getLogger("wijkwerk.worker")


async def sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    """Sleep, but wake as soon as ``stop`` is set."""
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        pass


async def wait_or_stop(stop: asyncio.Event, wake: asyncio.Event, seconds: float) -> None:
    """Wait until ``wake`` or ``stop`` is set, at most ``seconds``."""
    if stop.is_set() or wake.is_set():
        return
    waiters = {asyncio.ensure_future(stop.wait()), asyncio.ensure_future(wake.wait())}
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for w in waiters:
            w.cancel()


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
                    await _shielded_from_stray_cancellation(session)
    except RetryError:
        pass  # stopped while the last session had failed


class StrayCancellation(RuntimeError):
    """A ``CancelledError`` that reached a worker although nobody cancelled the worker."""


async def _shielded_from_stray_cancellation(session: Callable[[], Awaitable[None]]) -> None:
    """aiokafka lets a ``CancelledError`` of one of its own internal tasks escape from
    ``getmany``/``committed`` when the broker goes away mid-request. Left alone, it ends
    the worker task silently (tenacity retries ``Exception`` only) and the service keeps
    answering /ready 200 with a consumer that no longer runs. A cancellation of *this*
    task (shutdown) shows in ``Task.cancelling()``; any other one is an outage."""
    try:
        await session()
    except asyncio.CancelledError as exc:
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            raise
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/asyncio/" not in f.filename]
        where = frames[-1] if frames else None
        origin = f" (at {where.name} in {Path(where.filename).name}:{where.lineno})" if where else ""
        raise StrayCancellation(f"a broker or database call was cancelled underneath the worker{origin}") from exc
