"""OpenTelemetry traces across HTTP and Kafka, with the W3C ``traceparent`` carried in
the event envelope.

A request's server span (``wijkwerk.http.middleware``) is the current span while its
handler runs, so the events its unit of work emits carry its ``traceparent``
(``wijkwerk.db.uow``). The outbox relay records a producer span per published event under
that parent, and the consumer of another service handles the event in a consumer span
under the same parent (``wijkwerk.messaging.consumer.dispatch``), whose own events carry
it on: one trace from the HTTP request to the last effect.

Off unless configured (``TracingSettings``, the standard OTEL_ variables): then no SDK is
loaded, every helper returns at once and envelopes carry no ``traceparent``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from wijkwerk.settings import TracingSettings

TRACEPARENT = "traceparent"
_PROPAGATOR = TraceContextTextMapPropagator()
_tracer: trace.Tracer | None = None  # None: tracing is off


def configure_tracing(service: str, settings: TracingSettings, *, exporter: Any = None, batch: bool = True) -> None:
    """Start tracing for this process when the settings name an exporter (or a test passes
    one, e.g. an InMemorySpanExporter with ``batch=False``); otherwise stay off."""
    global _tracer
    if exporter is None:
        if settings.traces_exporter == "none":
            return
        exporter = _exporter(settings)
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor

    provider = TracerProvider(resource=Resource.create({"service.name": settings.service_name or service}))
    provider.add_span_processor(BatchSpanProcessor(exporter) if batch else SimpleSpanProcessor(exporter))
    _tracer = provider.get_tracer("wijkwerk")


def disable_tracing() -> None:
    global _tracer
    _tracer = None


def _exporter(settings: TracingSettings) -> Any:
    if settings.traces_exporter == "console":
        from opentelemetry.sdk.trace.export import ConsoleSpanExporter

        return ConsoleSpanExporter()
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    if settings.exporter_otlp_endpoint:
        return OTLPSpanExporter(endpoint=settings.exporter_otlp_endpoint.rstrip("/") + "/v1/traces")
    return OTLPSpanExporter()  # headers, timeout, a traces endpoint: OTEL_EXPORTER_OTLP_* (the exporter reads them)


def enabled() -> bool:
    return _tracer is not None


def current_traceparent() -> str | None:
    """The W3C traceparent of the current span, for an event's envelope; None when off."""
    if _tracer is None:
        return None
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return carrier.get(TRACEPARENT)


def outgoing_headers() -> dict[str, str]:
    """Headers that continue the current trace in an HTTP call to another service."""
    if _tracer is None:
        return {}
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return carrier


def _parent(traceparent: str | None) -> otel_context.Context | None:
    return _PROPAGATOR.extract({TRACEPARENT: traceparent}) if traceparent else None


@contextmanager
def _span(name: str, kind: SpanKind, parent: otel_context.Context | None, attributes: Mapping[str, Any]) -> Iterator[Any]:
    assert _tracer is not None
    with _tracer.start_as_current_span(name, context=parent, kind=kind, attributes=dict(attributes),
                                       record_exception=True, set_status_on_exception=True) as span:
        yield span


@contextmanager
def server_span(service: str, method: str, headers: Mapping[bytes, bytes]) -> Iterator[Any]:
    """The span of one HTTP request, continuing the caller's ``traceparent`` header.
    Yields None when tracing is off; the caller names the span after routing."""
    if _tracer is None:
        yield None
        return
    traceparent = (headers.get(TRACEPARENT.encode()) or b"").decode("latin-1") or None
    with _span(method, SpanKind.SERVER, _parent(traceparent), {"wijkwerk.service": service,
                                                               "http.request.method": method}) as span:
        yield span


def end_server_span(span: Any, route: str, status: int) -> None:
    if span is None:
        return
    span.update_name(f"{span.name} {route}")
    span.set_attribute("http.route", route)
    span.set_attribute("http.response.status_code", status)
    if status >= 500:
        span.set_status(Status(StatusCode.ERROR))


@contextmanager
def consumer_span(service: str, consumer: str | None, topic: str, envelope: Any) -> Iterator[Any]:
    """Handling one consumed event, under the span that emitted it (its envelope's traceparent)."""
    if _tracer is None:
        yield None
        return
    attributes = {"wijkwerk.service": service, "messaging.system": "kafka", "messaging.operation.type": "process",
                  "messaging.destination.name": topic, "messaging.message.id": str(envelope.event_id),
                  "wijkwerk.event_type": envelope.event_type}
    if consumer:
        attributes["messaging.consumer.group.name"] = consumer
    with _span(f"process {envelope.event_type}", SpanKind.CONSUMER, _parent(envelope.traceparent), attributes) as span:
        yield span


def publish_spans(service: str, topic: str, traceparents: Iterable[str | None], started_ns: int) -> None:
    """One producer span per event the relay published (from the batch's start to the
    broker's acknowledgement), each under the span that emitted the event."""
    if _tracer is None:
        return
    ended = time.time_ns()
    for traceparent in traceparents:
        if traceparent is None:
            continue
        span = _tracer.start_span(f"publish {topic}", context=_parent(traceparent), kind=SpanKind.PRODUCER,
                                  start_time=started_ns,
                                  attributes={"wijkwerk.service": service, "messaging.system": "kafka",
                                              "messaging.operation.type": "send", "messaging.destination.name": topic})
        span.end(end_time=ended)


__all__ = ["TRACEPARENT", "configure_tracing", "consumer_span", "current_traceparent", "disable_tracing", "enabled",
           "end_server_span", "outgoing_headers", "publish_spans", "server_span"]
