"""A worker task that ends while the service runs makes /ready report it (503)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from wijkwerk.http.app import Runtime

pytestmark = pytest.mark.asyncio


async def test_a_consumer_whose_task_ended_is_not_ready_and_says_why():
    relay_state = SimpleNamespace(broker_ok=True, leader=True, last_error=None)
    consumer_state = SimpleNamespace(broker_ok=True, last_error=None, lag={"t": 0})
    gate = asyncio.Event()

    async def relay_run(stop: asyncio.Event) -> None:
        await stop.wait()

    async def consumer_run(stop: asyncio.Event) -> None:
        await gate.wait()
        raise asyncio.CancelledError()  # what used to end a consumer silently

    runtime = Runtime(
        name="svc", settings=None, engine=None, sessions=None,  # type: ignore[arg-type]
        relay=SimpleNamespace(run=relay_run, state=relay_state),  # type: ignore[arg-type]
        consumers=[SimpleNamespace(name="prestaties", state=consumer_state, run=consumer_run)],  # type: ignore[list-item]
    )
    runtime.start_workers()
    assert runtime.workers_ready()["consumer:prestaties"]["ok"] is True
    gate.set()
    await asyncio.wait([runtime.tasks[1]], timeout=5)
    status = runtime.workers_ready()
    assert status["consumer:prestaties"]["ok"] is False
    assert "worker ended" in status["consumer:prestaties"]["error"]
    assert status["relay"]["ok"] is True
    runtime.stop.set()
    await asyncio.wait(runtime.tasks, timeout=5)
