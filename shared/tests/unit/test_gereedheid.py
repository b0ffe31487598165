"""/ready is what the API needs (its database); the workers report on /ready/workers and
/health/workers. A broker outage takes no API out of service."""

from __future__ import annotations

from contextlib import asynccontextmanager
from types import SimpleNamespace

import httpx
import pytest

from wijkwerk.http.app import Runtime, create_service_app
from wijkwerk.settings import ServiceSettings

pytestmark = pytest.mark.asyncio


class _Engine:
    def __init__(self, up: bool) -> None:
        self.up = up

    @asynccontextmanager
    async def connect(self):
        if not self.up:
            raise ConnectionRefusedError("database down")

        class _Conn:
            async def execute(self, statement):
                return None

        yield _Conn()


def _runtime(*, database: bool, broker: bool, run_workers: bool = True, ended: dict | None = None) -> Runtime:
    relay = SimpleNamespace(state=SimpleNamespace(broker_ok=broker, leader=True, last_error=None if broker else "down"))
    consumer = SimpleNamespace(name="prestaties", state=SimpleNamespace(broker_ok=broker, last_error=None, lag={"t": 3}))
    return Runtime(name="svc", settings=ServiceSettings(run_workers=run_workers), engine=_Engine(database),  # type: ignore[arg-type]
                   sessions=None, relay=relay, consumers=[consumer], ended=ended or {})  # type: ignore[arg-type,list-item]


async def _get(runtime: Runtime, path: str) -> httpx.Response:
    app = create_service_app(name="svc", settings=runtime.settings, routers=[], title="t", description="d")
    app.state.runtime = runtime
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://svc") as client:
        return await client.get(path)


async def test_a_broker_outage_leaves_the_api_ready_and_the_workers_not():
    runtime = _runtime(database=True, broker=False)
    ready = await _get(runtime, "/ready")
    assert ready.status_code == 200 and ready.json()["checks"] == {"database": {"ok": True}}
    workers = await _get(runtime, "/ready/workers")
    assert workers.status_code == 503
    assert workers.json()["checks"]["consumer:prestaties"] == {"ok": False, "error": None, "lag": {"t": 3}}
    assert (await _get(runtime, "/health/workers")).status_code == 200  # no reason to restart


async def test_the_database_down_makes_both_not_ready():
    runtime = _runtime(database=False, broker=True)
    assert (await _get(runtime, "/ready")).status_code == 503
    assert (await _get(runtime, "/ready/workers")).status_code == 503


async def test_a_worker_that_ended_fails_the_workers_liveness():
    runtime = _runtime(database=True, broker=True, ended={"prestaties": "worker ended: returned"})
    health = await _get(runtime, "/health/workers")
    assert health.status_code == 503 and "worker ended" in health.json()["checks"]["prestaties"]["error"]
    assert (await _get(runtime, "/ready")).status_code == 200


async def test_a_process_without_workers_is_not_a_ready_worker():
    runtime = _runtime(database=True, broker=True, run_workers=False)
    assert (await _get(runtime, "/ready/workers")).status_code == 503
    assert (await _get(runtime, "/ready")).status_code == 200
