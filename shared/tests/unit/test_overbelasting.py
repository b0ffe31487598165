"""Overload: past its limit of requests in flight a process refuses the excess at once with
503, Retry-After and a rule, serves what it accepted, and keeps answering its probes
(issue #22 item 4)."""

import asyncio

import httpx
from fastapi import FastAPI
from prometheus_client import REGISTRY
from sqlalchemy.exc import TimeoutError as PoolTimeout

from wijkwerk.http.overbelasting import OverbelastingMiddleware
from wijkwerk.problems import install_problem_handlers

LIMIET = 4


def _app(vrij: asyncio.Event, bezig: list[int]) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/v1/traag")
    async def traag() -> dict:
        bezig.append(1)
        await vrij.wait()
        return {"ok": True}

    @app.get("/health")
    async def health() -> dict:
        return {"status": "ok"}

    @app.get("/v1/pool")
    async def pool() -> dict:
        raise PoolTimeout("QueuePool limit of size 10 overflow 10 reached")

    app.add_middleware(OverbelastingMiddleware, service="test", max_in_flight=LIMIET, max_wait_s=0.05)
    return app


async def test_the_excess_is_refused_at_once_and_what_was_accepted_is_served():
    vrij, bezig = asyncio.Event(), []
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=_app(vrij, bezig)), base_url="http://t") as c:
        aanvaard = [asyncio.create_task(c.get("/v1/traag")) for _ in range(LIMIET)]
        deadline = asyncio.get_running_loop().time() + 5
        while len(bezig) < LIMIET and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.01)
        teveel = await asyncio.gather(*(c.get("/v1/traag") for _ in range(3)))
        assert [r.status_code for r in teveel] == [503] * 3
        assert all(r.headers["retry-after"] == "1" for r in teveel)
        assert {r.json()["rule"] for r in teveel} == {"overbelast"}
        assert teveel[0].headers["content-type"].startswith("application/problem+json")
        assert len(bezig) == LIMIET  # the refused ones never reached the route
        # what an operator sees of it: the slots taken and the limit, per service
        gemeten = {naam: REGISTRY.get_sample_value(naam, {"service": "test"})
                   for naam in ("wijkwerk_http_in_flight", "wijkwerk_http_in_flight_limit")}
        assert gemeten == {"wijkwerk_http_in_flight": LIMIET, "wijkwerk_http_in_flight_limit": LIMIET}
        assert (await c.get("/health")).status_code == 200  # probes are never refused
        vrij.set()
        assert [r.status_code for r in await asyncio.gather(*aanvaard)] == [200] * LIMIET
        assert (await c.get("/v1/traag")).status_code == 200  # slots come back


async def test_an_exhausted_database_pool_is_a_retryable_503_not_a_500():
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=_app(asyncio.Event(), []), raise_app_exceptions=False),
                                 base_url="http://t") as c:
        r = await c.get("/v1/pool")
    assert (r.status_code, r.json()["rule"], r.headers["retry-after"]) == (503, "database-overbelast", "1")


async def test_a_request_waiting_for_a_slot_gets_the_one_freed():
    vrij, bezig = asyncio.Event(), []
    app = _app(vrij, bezig)
    app.user_middleware[0].kwargs["max_wait_s"] = 30.0  # waits until a slot is freed (no timing in the test)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        loop = asyncio.get_running_loop()
        aanvaard = [asyncio.create_task(c.get("/v1/traag")) for _ in range(LIMIET)]
        deadline = loop.time() + 5
        while len(bezig) < LIMIET and loop.time() < deadline:
            await asyncio.sleep(0.01)
        wachtend = asyncio.create_task(c.get("/v1/traag"))
        await asyncio.sleep(0.05)
        assert len(bezig) == LIMIET and not wachtend.done()  # waiting, not refused
        vrij.set()
        assert (await wachtend).status_code == 200
        assert [r.status_code for r in await asyncio.gather(*aanvaard)] == [200] * LIMIET
