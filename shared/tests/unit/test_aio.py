"""Workers outlive outages: ``run_until_stopped`` retries a failed session, including a
cancellation that escaped from a library's internal task, and ends only on stop."""

from __future__ import annotations

import asyncio

import pytest

from wijkwerk.aio import run_until_stopped

pytestmark = pytest.mark.asyncio


async def test_a_stray_cancellation_from_inside_the_session_is_retried_like_an_outage():
    stop = asyncio.Event()
    calls: list[int] = []
    errors: list[BaseException] = []

    async def session() -> None:
        calls.append(1)
        if len(calls) == 1:
            # What aiokafka does when the broker dies mid-request: a CancelledError of
            # one of its own futures reaches the caller, though nobody cancelled us.
            raise asyncio.CancelledError()
        stop.set()

    await asyncio.wait_for(run_until_stopped(stop, session, name="t", on_error=errors.append), 10)
    assert len(calls) == 2
    assert len(errors) == 1 and "cancelled underneath" in str(errors[0])


async def test_cancelling_the_worker_itself_still_ends_it():
    stop = asyncio.Event()
    started = asyncio.Event()

    async def session() -> None:
        started.set()
        await asyncio.sleep(3600)

    task = asyncio.create_task(run_until_stopped(stop, session, name="t", on_error=lambda exc: None))
    await asyncio.wait_for(started.wait(), 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 5)


async def test_an_error_is_reported_and_the_session_runs_again_until_stopped():
    stop = asyncio.Event()
    calls: list[int] = []
    errors: list[BaseException] = []

    async def session() -> None:
        calls.append(1)
        if len(calls) < 3:
            raise ConnectionError("broker away")
        stop.set()

    await asyncio.wait_for(run_until_stopped(stop, session, name="t", on_error=errors.append), 20)
    assert len(calls) == 3 and [type(e) for e in errors] == [ConnectionError, ConnectionError]
