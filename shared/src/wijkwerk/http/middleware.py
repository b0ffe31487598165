"""Pure ASGI middleware: correlation id, request metrics, request body limit."""

from __future__ import annotations

import time

import orjson

from wijkwerk import tracing
from wijkwerk.observability import (
    CORRELATION_HEADER,
    REQUEST_LATENCY,
    new_correlation_id,
    set_correlation_id,
)
from wijkwerk.problems import MEDIA_TYPE, PROBLEM_BASE

_HEADER = CORRELATION_HEADER.lower().encode()


class BodyTooLarge(Exception):
    pass


class RequestContextMiddleware:
    def __init__(self, app, *, service: str, max_body_bytes: int) -> None:
        self.app = app
        self.service = service
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or ())
        correlation_id = (headers.get(_HEADER) or b"").decode("latin-1")[:100] or new_correlation_id()
        set_correlation_id(correlation_id)
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            await self._too_large(scope, send, correlation_id)
            return

        started = time.perf_counter()
        status_holder = {"status": 500}
        seen = 0

        async def limited_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body_bytes:
                    raise BodyTooLarge()
            return message

        async def send_with_context(message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (_HEADER, correlation_id.encode())]
            await send(message)

        with tracing.server_span(self.service, scope["method"], headers) as span:
            try:
                await self.app(scope, limited_receive, send_with_context)
            except BodyTooLarge:
                await self._too_large(scope, send, correlation_id)
            finally:
                route = scope.get("route")
                template = getattr(route, "path", "unmatched")
                REQUEST_LATENCY.labels(
                    self.service, scope["method"], template, str(status_holder["status"])
                ).observe(time.perf_counter() - started)
                tracing.end_server_span(span, template, status_holder["status"])

    async def _too_large(self, scope, send, correlation_id: str) -> None:
        body = orjson.dumps(
            {
                "type": PROBLEM_BASE + "verzoek-te-groot",
                "title": "Content too large",
                "status": 413,
                "detail": f"The request body exceeds {self.max_body_bytes} bytes.",
                "rule": "verzoek-te-groot",
                "instance": scope.get("path"),
            }
        )
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", MEDIA_TYPE.encode()),
                    (b"content-length", str(len(body)).encode()),
                    (_HEADER, correlation_id.encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
