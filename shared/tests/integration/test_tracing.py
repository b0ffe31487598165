"""One trace from an HTTP request to the consumer's effect in another service: the
request's server span, the unit of work puts its traceparent in the envelope, the outbox
relay publishes under it and the other service's consumer handles the event in a span of
the same trace (in-memory span exporter; real PostgreSQL and broker)."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from wijkwerk import tracing
from wijkwerk.db import UnitOfWork, create_engine, session_factory
from wijkwerk.events import registry
from wijkwerk.events.toeleiding import OrganisatorGeregistreerd
from wijkwerk.http.middleware import RequestContextMiddleware
from wijkwerk.messaging.admin import ensure_topics
from wijkwerk.messaging.consumer import InboxConsumer, dispatch
from wijkwerk.messaging.relay import OutboxRelay
from wijkwerk.settings import KafkaSettings, TracingSettings
from wijkwerk_platform.testing import async_wait_until, migrated_database

pytestmark = pytest.mark.integration


@pytest.fixture
def spans():
    exporter = InMemorySpanExporter()
    tracing.configure_tracing("test", TracingSettings(), exporter=exporter, batch=False)
    yield exporter
    tracing.disable_tracing()


@pytest.fixture
async def engine(embedded_pg, kafka_bootstrap):
    engine = create_engine(migrated_database(embedded_pg, "toeleiding", f"trace_{uuid.uuid4().hex[:8]}"), pool_size=5)
    yield engine
    await engine.dispose()


def _app(engine, event_cls) -> RequestContextMiddleware:
    async def registreer(request):
        async with UnitOfWork(session_factory(engine), producer="toeleiding") as uow:
            uow.emit(event_cls(organisator_id=uuid.uuid4(), naam="n", samenwerkingsverband="sv", gemeenten=()))
            await uow.commit()
        return JSONResponse({}, status_code=201)

    app = Starlette(routes=[Route("/v1/organisatoren", registreer, methods=["POST"])])
    return RequestContextMiddleware(app, service="toeleiding", max_body_bytes=10_000)


async def test_a_requests_trace_reaches_the_consumer_span_in_the_other_service(spans, engine, kafka_bootstrap):
    topic = f"test.{uuid.uuid4().hex[:8]}"
    event_cls = type("OrganisatorOpTestTopic", (OrganisatorGeregistreerd,), {"topic": topic})
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap, topic_partitions=3, fetch_max_wait_ms=50)
    await ensure_topics(kafka_bootstrap, [topic, f"{topic}.dlq"], 3)
    handled: list[str] = []

    async def on_organisator(session, event, envelope):
        handled.append(envelope.traceparent)

    relay = OutboxRelay(engine, kafka, service="toeleiding", topic=topic)
    consumer = InboxConsumer(
        name="organisatoren", service="evaluatie", topics=[topic], event_types=[OrganisatorGeregistreerd],
        handle=dispatch({OrganisatorGeregistreerd: on_organisator}, service="evaluatie",
                        consumer="evaluatie.organisatoren"),
        sessions=session_factory(engine), kafka=kafka, registry=registry, batch_size=100,
    )
    stop = asyncio.Event()
    tasks = [asyncio.create_task(relay.run(stop)), asyncio.create_task(consumer.run(stop))]
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=_app(engine, event_cls)),
                                     base_url="http://toeleiding") as client:
            assert (await client.post("/v1/organisatoren")).status_code == 201
        await async_wait_until(lambda: handled, timeout=30)
    finally:
        stop.set()
        await asyncio.gather(*tasks)

    finished = spans.get_finished_spans()
    (server,) = [s for s in finished if s.kind is SpanKind.SERVER]
    (published,) = [s for s in finished if s.kind is SpanKind.PRODUCER]
    (consumed,) = [s for s in finished if s.kind is SpanKind.CONSUMER]
    assert server.name == "POST /v1/organisatoren" and server.attributes["wijkwerk.service"] == "toeleiding"
    assert consumed.attributes["wijkwerk.service"] == "evaluatie"
    assert consumed.attributes["messaging.destination.name"] == topic
    assert published.context.trace_id == consumed.context.trace_id == server.context.trace_id
    assert published.parent.span_id == consumed.parent.span_id == server.context.span_id
    assert handled[0].split("-")[1] == f"{server.context.trace_id:032x}"
