"""Overload protection: a bounded number of requests in flight per process (issue #22).

Past the limit of requests being served, a request waits at most ``max_wait_s`` for a
slot; then it is refused at once with 503, ``Retry-After`` and the problem rule
``overbelast``, instead of joining a queue whose wait would grow without bound (measured
before: at 200 registrations/s on 2 cores the service left 296 requests unanswered and
kept others waiting 11 s). The limit adapts between a few and ``max_in_flight`` to keep the
time an accepted request takes near ``doel_s`` (``wijkwerk.http.begrenzer``): what is
accepted keeps its latency; partners retry the refused ones after ``Retry-After`` (README:
the retry contract). The probes and the metrics are never
refused: an orchestrator must see an overloaded process as alive.

A database pool exhausted under load answers the same 503 (``database-overbelast``) from
the problem handlers rather than a 500.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque

import orjson

from wijkwerk.http.begrenzer import MIN_LIMIET, Begrenzer
from wijkwerk.observability import HTTP_IN_FLIGHT, HTTP_IN_FLIGHT_LIMIT, HTTP_SHED
from wijkwerk.problems import MEDIA_TYPE, PROBLEM_BASE

ALTIJD = frozenset({"/health", "/ready", "/metrics", "/ready/workers", "/health/workers"})


class OverbelastingMiddleware:
    def __init__(self, app, *, service: str, max_in_flight: int, max_wait_s: float, doel_s: float = 0.1,
                 min_in_flight: int = MIN_LIMIET, retry_after_s: int = 1, begrenzer: Begrenzer | None = None) -> None:
        self.app = app
        self.service = service
        self.max_wait_s = max_wait_s
        self.retry_after_s = retry_after_s
        self.begrenzer = begrenzer or Begrenzer(max_limiet=max_in_flight, doel_s=doel_s, min_limiet=min_in_flight)
        HTTP_IN_FLIGHT.labels(service).set_function(lambda: self.begrenzer.bezet)
        HTTP_IN_FLIGHT_LIMIT.labels(service).set_function(lambda: self.begrenzer.limiet)
        self._wachtend: deque[asyncio.Future[float]] = deque()

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope.get("path") in ALTIJD:
            await self.app(scope, receive, send)
            return
        gestart = await self._slot()
        if gestart is None:
            HTTP_SHED.labels(self.service).inc()
            await self._refuse(scope, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self.begrenzer.geef_terug(gestart)
            self._geef_door()

    async def _slot(self) -> float | None:
        if not self._wachtend and (gestart := self.begrenzer.neem()) is not None:
            return gestart  # free: taken without yielding
        if self.max_wait_s <= 0:
            return None
        wacht = asyncio.get_running_loop().create_future()
        self._wachtend.append(wacht)
        try:
            return await asyncio.wait_for(wacht, self.max_wait_s)
        except TimeoutError:
            # A slot handed over just as the wait ran out is used, not lost.
            return wacht.result() if wacht.done() and not wacht.cancelled() else None
        except BaseException:
            if wacht.done() and not wacht.cancelled():
                self.begrenzer.geef_terug(wacht.result())
                self._geef_door()
            raise
        finally:
            if not wacht.done():
                with contextlib.suppress(ValueError):
                    self._wachtend.remove(wacht)

    def _geef_door(self) -> None:
        """Slots freed (or the limit raised) go to the requests waiting, first come first served."""
        while self._wachtend and self.begrenzer.vrij():
            wacht = self._wachtend.popleft()
            if not wacht.done():
                start = self.begrenzer.neem()
                assert start is not None  # vrij() said a slot is free
                wacht.set_result(start)

    async def _refuse(self, scope, send) -> None:
        body = orjson.dumps({
            "type": PROBLEM_BASE + "overbelast",
            "title": "Service overloaded",
            "status": 503,
            "detail": f"{self.begrenzer.bezet} requests are being served; retry after {self.retry_after_s} s.",
            "rule": "overbelast",
            "instance": scope.get("path"),
        })
        await send({
            "type": "http.response.start",
            "status": 503,
            "headers": [
                (b"content-type", MEDIA_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
                (b"retry-after", str(self.retry_after_s).encode()),
            ],
        })
        await send({"type": "http.response.body", "body": body})
