"""Overload protection: a bounded number of requests in flight per process (issue #22).

Past ``max_in_flight`` requests being served, a request waits at most ``max_wait_s`` for a
slot; then it is refused at once with 503, ``Retry-After`` and the problem rule
``overbelast``, instead of joining a queue whose wait would grow without bound (measured
before: at 200 registrations/s on 2 cores the service left 296 requests unanswered and
kept others waiting 11 s). What is accepted keeps its latency; partners retry the refused
ones after ``Retry-After`` (README: the retry contract). The probes and the metrics are never
refused: an orchestrator must see an overloaded process as alive.

A database pool exhausted under load answers the same 503 (``database-overbelast``) from
the problem handlers rather than a 500.
"""

from __future__ import annotations

import asyncio

import orjson

from wijkwerk.observability import HTTP_SHED
from wijkwerk.problems import MEDIA_TYPE, PROBLEM_BASE

ALTIJD = frozenset({"/health", "/ready", "/metrics", "/ready/workers", "/health/workers"})


class OverbelastingMiddleware:
    def __init__(self, app, *, service: str, max_in_flight: int, max_wait_s: float, retry_after_s: int = 1) -> None:
        self.app = app
        self.service = service
        self.max_in_flight = max_in_flight
        self.max_wait_s = max_wait_s
        self.retry_after_s = retry_after_s
        self._slots = asyncio.Semaphore(max_in_flight)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope.get("path") in ALTIJD:
            await self.app(scope, receive, send)
            return
        if not await self._slot():
            HTTP_SHED.labels(self.service).inc()
            await self._refuse(scope, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self._slots.release()

    async def _slot(self) -> bool:
        if not self._slots.locked():
            await self._slots.acquire()  # free: taken without yielding
            return True
        try:
            await asyncio.wait_for(self._slots.acquire(), self.max_wait_s)
        except TimeoutError:
            return False
        return True

    async def _refuse(self, scope, send) -> None:
        body = orjson.dumps({
            "type": PROBLEM_BASE + "overbelast",
            "title": "Service overloaded",
            "status": 503,
            "detail": f"{self.max_in_flight} requests are being served; retry after {self.retry_after_s} s.",
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
