"""Tracing (wijkwerk.tracing): off by default, with no traceparent on events and events
byte-for-byte as before; on, the envelope carries the emitting span's W3C traceparent,
and an envelope without one (written before, or by a service with tracing off) still
decodes."""

from __future__ import annotations

import uuid

import orjson
import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from wijkwerk import tracing
from wijkwerk.events import Envelope
from wijkwerk.events.toeleiding import OrganisatorGeregistreerd
from wijkwerk.settings import TracingSettings


def _event() -> OrganisatorGeregistreerd:
    return OrganisatorGeregistreerd(organisator_id=uuid.uuid4(), naam="n", samenwerkingsverband="sv", gemeenten=())


@pytest.fixture
def spans():
    exporter = InMemorySpanExporter()
    tracing.configure_tracing("test", TracingSettings(), exporter=exporter, batch=False)
    yield exporter
    tracing.disable_tracing()


def test_tracing_is_off_by_default_and_events_carry_no_traceparent(monkeypatch):
    monkeypatch.delenv("OTEL_TRACES_EXPORTER", raising=False)
    tracing.disable_tracing()
    tracing.configure_tracing("test", TracingSettings())
    assert not tracing.enabled()
    assert tracing.current_traceparent() is None and tracing.outgoing_headers() == {}
    raw = Envelope.wrap(_event(), producer="t", traceparent=tracing.current_traceparent()).to_bytes()
    assert "traceparent" not in orjson.loads(raw)
    with tracing.server_span("t", "GET", {}) as span:
        assert span is None


def test_the_standard_variable_switches_the_exporter_on(monkeypatch):
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "otlp")
    assert TracingSettings().traces_exporter == "otlp"
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "zipkin-nope")
    with pytest.raises(ValueError):
        TracingSettings()


def test_an_envelope_carries_the_current_span_and_continues_it_when_consumed(spans):
    incoming = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    with tracing.server_span("toeleiding", "POST", {b"traceparent": incoming.encode()}) as span:
        traceparent = tracing.current_traceparent()
        tracing.end_server_span(span, "/v1/x", 201)
    envelope = Envelope.from_bytes(Envelope.wrap(_event(), producer="t", traceparent=traceparent).to_bytes())
    assert envelope.traceparent == traceparent and traceparent.split("-")[1] == "0af7651916cd43dd8448eb211c80319c"
    with tracing.consumer_span("evaluatie", "evaluatie.x", "wijkwerk.toeleiding.v1", envelope):
        pass
    server, consumed = spans.get_finished_spans()
    assert server.name == "POST /v1/x" and consumed.name == "process OrganisatorGeregistreerd"
    assert consumed.context.trace_id == server.context.trace_id == int("0af7651916cd43dd8448eb211c80319c", 16)
    assert consumed.parent.span_id == server.context.span_id


def test_an_old_envelope_without_a_traceparent_decodes_and_a_malformed_one_is_refused(spans):
    old = Envelope.wrap(_event(), producer="t").to_bytes()
    assert Envelope.from_bytes(old).traceparent is None
    with tracing.consumer_span("s", None, "t", Envelope.from_bytes(old)):  # a new trace, no parent
        pass
    (span,) = spans.get_finished_spans()
    assert span.parent is None
    bad = orjson.loads(old) | {"traceparent": "not-a-traceparent"}
    with pytest.raises(ValueError):
        Envelope.model_validate(bad)


def test_the_otlp_exporter_sends_to_the_configured_collector(monkeypatch):
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "otlp")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/")
    exporter = tracing._exporter(TracingSettings())
    assert exporter._endpoint == "http://collector:4318/v1/traces"


def test_with_tracing_off_a_service_loads_no_sdk():
    """Negligible cost when off: the SDK and exporters are never imported."""
    import subprocess
    import sys

    code = ("import sys; from wijkwerk import tracing; from wijkwerk.settings import TracingSettings; "
            "import wijkwerk.http.middleware, wijkwerk.messaging.relay, wijkwerk.messaging.consumer; "
            "tracing.configure_tracing('x', TracingSettings()); "
            "print(sorted(m for m in sys.modules if m.startswith(('opentelemetry.sdk', 'opentelemetry.exporter'))))")
    env = {"PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env, timeout=60)
    assert out.stdout.strip() == "[]"
