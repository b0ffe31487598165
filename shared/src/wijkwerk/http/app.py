"""What every service's FastAPI app has in common.

``create_service_app`` wires: problem documents for every error, bearer-JWT
verification, the correlation-id / metrics / body-size middleware, ``/health``
(liveness), ``/ready`` (what the API needs: its database), ``/ready/workers`` and
``/health/workers`` (the relay, the consumers and their lag, for the workers' probes),
``/metrics``, and a lifespan that owns the engine, the outbox relay and the inbox consumers.
A broker outage stops the workers, not the reads: it shows on ``/ready/workers`` only.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import orjson
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from wijkwerk.aio import sleep_or_stop
from wijkwerk.auth import TokenVerifier
from wijkwerk.db import create_engine, session_factory
from wijkwerk.db.idempotency import purge_expired
from wijkwerk.events import registry
from wijkwerk.events.topics import PRODUCER_TOPIC, dlq_topic
from wijkwerk.http import audit, documentatie, gebeurtenissen, idempotency
from wijkwerk.http.begrenzer import Begrenzer, meet_lusvertraging
from wijkwerk.http.dates import strict_dates
from wijkwerk.http.metriekpoort import MetriekServer
from wijkwerk.http.middleware import RequestContextMiddleware
from wijkwerk.http.overbelasting import ALTIJD, OverbelastingMiddleware
from wijkwerk.http.verzoeklimiet import verzoeklimiet
from wijkwerk.messaging.admin import TopicConfigMismatch, TopicSetupError, verify_topics
from wijkwerk.messaging.consumer import InboxConsumer
from wijkwerk.messaging.relay import OutboxRelay
from wijkwerk.observability import configure_logging, measure_pool
from wijkwerk.problems import MEDIA_TYPE, install_problem_handlers
from wijkwerk.settings import ServiceSettings
from wijkwerk.tracing import configure_tracing

log = logging.getLogger("wijkwerk.app")


@dataclass(frozen=True)
class Periodic:
    """A housekeeping job run every ``interval_s`` while the service runs."""

    name: str
    interval_s: float
    job: Callable[[Runtime], Awaitable[object]]

    async def run(self, runtime: Runtime) -> None:
        while not runtime.stop.is_set():
            try:
                await self.job(runtime)
            except Exception:  # noqa: BLE001 - a failed run is logged and retried next interval
                log.exception("periodic job %s failed", self.name)
            await sleep_or_stop(runtime.stop, self.interval_s)


@dataclass
class Runtime:
    """A service process's long-lived resources, on ``app.state.runtime``."""

    name: str
    settings: ServiceSettings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    relay: OutboxRelay
    consumers: list[InboxConsumer] = field(default_factory=list)
    periodic: list[Periodic] = field(default_factory=list)
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    tasks: list[asyncio.Task] = field(default_factory=list)
    # Workers that ended while the service runs, by name, with why: /ready/workers and
    # /health/workers report them.
    ended: dict[str, str] = field(default_factory=dict)

    def start_workers(self) -> None:
        self._start("relay", self.relay.run(self.stop))
        for consumer in self.consumers:
            self._start(consumer.name, consumer.run(self.stop))
        for job in self.periodic:
            self._start(job.name, job.run(self))

    def _start(self, name: str, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work, name=f"{self.name}-{name}")
        task.add_done_callback(lambda t: self._worker_ended(name, t))
        self.tasks.append(task)

    def _worker_ended(self, name: str, task: asyncio.Task) -> None:
        """A worker only ends on shutdown; one that ends otherwise is reported by
        /health/workers (503, so the orchestrator restarts the process) and logged."""
        if self.stop.is_set():
            return
        why = "cancelled" if task.cancelled() else repr(task.exception()) if task.exception() else "returned"
        self.ended[name] = f"worker ended: {why}"
        log.error("worker %s ended while the service runs: %s", task.get_name(), why)

    async def shutdown(self) -> None:
        self.stop.set()
        if self.tasks:
            _, pending = await asyncio.wait(self.tasks, timeout=10)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        await self.engine.dispose()

    def workers_ready(self) -> dict[str, dict]:
        relay_ended = self.ended.get("relay")
        status = {
            "relay": {
                "ok": (self.relay.state.broker_ok or not self.relay.state.leader) and not relay_ended,
                "leader": self.relay.state.leader,
                "error": relay_ended or self.relay.state.last_error,
            }
        }
        for c in self.consumers:
            ended = self.ended.get(c.name)
            status[f"consumer:{c.name}"] = {
                "ok": c.state.broker_ok and not ended, "error": ended or c.state.last_error, "lag": c.state.lag,
            }
        return status


ConsumerFactory = Callable[[Runtime], Sequence[InboxConsumer]]


def build_runtime(name: str, settings: ServiceSettings) -> Runtime:
    engine = create_engine(settings.database_url, pool_size=settings.db_pool_size, application_name=name)
    measure_pool(name, engine)
    relay = OutboxRelay(
        engine,
        settings.kafka,
        service=name,
        topic=PRODUCER_TOPIC[name],
        batch_size=settings.relay_batch_size,
        idle_poll_s=settings.relay_idle_poll_s,
        linger_s=settings.relay_linger_s,
        retention_days=settings.outbox_retention_days,
        rotate_after=settings.broker_rotatie_berichten,
        lease_s=settings.relay_lease_s,
    )
    return Runtime(name=name, settings=settings, engine=engine, sessions=session_factory(engine), relay=relay)


def make_consumer(
    runtime: Runtime, name: str, topics: Sequence[str], handlers: dict, *, batch=None, geschiedenis=None,
    halt_per_key: bool = False, unit_of_work=None,
) -> InboxConsumer:
    """An inbox consumer for ``handlers`` ({event class: async handler(event, uow)}, each
    given a ``unit_of_work`` joined to the inbox transaction; without ``unit_of_work``:
    handler(session, event, envelope));
    a consumer added to a running platform passes the producers' archives as ``geschiedenis``
    to start from the first event (``InboxConsumer``); a money stream halts per key: a
    worker's later events wait behind a parked one (``wijkwerk.messaging.parkeren``)."""
    from wijkwerk.messaging.consumer import dispatch

    return InboxConsumer(
        name=name,
        service=runtime.name,
        topics=topics,
        event_types=list(handlers),
        handle=batch or dispatch(handlers, service=runtime.name, consumer=f"{runtime.name}.{name}",
                                 unit_of_work=unit_of_work),
        sessions=runtime.sessions,
        kafka=runtime.settings.kafka,
        registry=registry,
        batch_size=runtime.settings.consumer_batch_size,
        geschiedenis=geschiedenis,
        halt_per_key=halt_per_key,
    )


# Expired idempotency keys go in bounded batches; a run's timing changes no answer (an
# expired key counts as absent whether or not it has been purged).
PURGE_IDEMPOTENCY_KEYS = Periodic("idempotency-purge", 600.0, lambda runtime: purge_expired(runtime.engine))


class ORJSONResponse(JSONResponse):
    def render(self, content) -> bytes:
        return orjson.dumps(content)


async def _topics_geverifieerd(runtime: Runtime, timeout_s: float = 3.0) -> None:
    """Refuse to start when a topic this service uses differs from its declared configs
    (the error names every difference); a broker that does not answer yet is left to the
    relay and the consumers, which verify the topics whenever they connect."""
    topics = [runtime.relay.topic, *(t for c in runtime.consumers for t in c.topics)]
    try:
        await verify_topics(runtime.settings.kafka, [*topics, *(dlq_topic(t) for t in topics)], timeout_s)
    except TopicConfigMismatch:
        log.critical("%s refuses to start: its topics differ from their declared configs", runtime.name)
        raise
    except TopicSetupError as exc:
        log.warning("topics not verified at start-up (%s); the relay and the consumers verify them on connect", exc)


@functools.cache
def _freeze_startup_heap() -> None:
    """What exists once a service has started (modules, routes, compiled schemas: ~150k
    objects) lives as long as the process. Frozen, a full collection no longer walks it:
    measured on prestaties under 200 req/s, gen-2 pauses fell from 60–95 ms to 6–9 ms, and
    with them the latency spikes that set the p99 (bench figure 3). Once per process (a
    test process starts many apps)."""
    gc.collect()
    gc.freeze()


def create_service_app(
    *,
    name: str,
    settings: ServiceSettings,
    routers: Sequence[APIRouter],
    consumers: ConsumerFactory | None = None,
    periodic: Sequence[Periodic] = (),
    title: str,
    description: str,
    version: str = "1.0.0",
    openapi_tags: list[dict] | None = None,
    idempotency_exempt: Sequence[str] = (),
) -> FastAPI:
    """``idempotency_exempt``: path prefixes of POSTs that keep their own deduplication
    (the issuer's signed webhooks, by delivery id) and take no ``Idempotency-Key``."""
    configure_logging(name, json=settings.log_json)
    configure_tracing(name, settings.tracing)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        runtime = build_runtime(name, settings)
        if consumers is not None:
            runtime.consumers.extend(consumers(runtime))
        runtime.periodic.extend([*periodic, PURGE_IDEMPOTENCY_KEYS])
        app.state.runtime = runtime
        metrics = MetriekServer.start(settings.metrics_host, settings.metrics_port) if settings.metrics_port else None
        if settings.run_workers:
            await _topics_geverifieerd(runtime)
            runtime.start_workers()
        if settings.serve_api:  # the overload limiter hears how late the event loop runs
            runtime._start("lusvertraging", meet_lusvertraging(begrenzer, runtime.stop))
        _freeze_startup_heap()
        log.info("%s started", name)
        try:
            yield
        finally:
            await runtime.shutdown()
            if metrics is not None:
                metrics.stop()
            log.info("%s stopped", name)

    app = FastAPI(
        title=title,
        description=description,
        version=version,
        lifespan=lifespan,
        openapi_tags=openapi_tags,
        default_response_class=ORJSONResponse,
        dependencies=[Depends(strict_dates)],
        # Production may hide the API's documents (<SERVICE>_DOCS=false); app.openapi()
        # (the tests) works either way.
        **({} if settings.docs else {"docs_url": None, "redoc_url": None, "openapi_url": None}),
    )
    app.state.settings = settings
    app.state.verzoeklimiet = verzoeklimiet(name, settings.rate_limit_per_s, settings.rate_limit_burst,
                                            settings.rate_limit_clients)
    app.state.token_verifier = TokenVerifier(settings.auth)
    _document_problems_as_problem_json(app, idempotency_exempt)
    install_problem_handlers(app)
    # Inside the request context: the body limit and the correlation id apply first.
    app.add_middleware(idempotency.IdempotencyMiddleware, ttl=timedelta(hours=settings.idempotency_ttl_hours),
                       exempt_prefixes=idempotency_exempt)
    begrenzer = Begrenzer(max_limiet=settings.max_in_flight, doel_s=settings.overload_target_s,
                          min_limiet=settings.db_pool_size)
    app.add_middleware(OverbelastingMiddleware, service=name, max_in_flight=settings.max_in_flight,
                       max_wait_s=settings.overload_wait_s, begrenzer=begrenzer)
    app.add_middleware(RequestContextMiddleware, service=name, max_body_bytes=settings.max_body_bytes)
    app.include_router(_ops_router(name, metrics=settings.metrics_port is None))
    if settings.serve_api:
        app.include_router(gebeurtenissen.router())
        app.include_router(audit.router())
        for router in routers:
            app.include_router(router)
    return app


_OVERBELAST = {
    "description": "Service unavailable: the process is at its limit of requests in flight (rule `overbelast`), "
                   "its database connections are all busy (`database-overbelast`) or a dependency is down. "
                   "Nothing was done: retry after `Retry-After` seconds (with the same Idempotency-Key).",
    "headers": {"Retry-After": {"description": "Seconds to wait before retrying", "schema": {"type": "integer"}}},
    "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemDocument"}}},
}


def _document_problems_as_problem_json(app: FastAPI, idempotency_exempt: Sequence[str]) -> None:
    """Errors are served as ``application/problem+json`` (RFC 9457); say so in the
    OpenAPI document, which FastAPI would otherwise describe as ``application/json``.
    Every POST outside ``idempotency_exempt`` documents the ``Idempotency-Key`` header."""
    generate = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        for path, methods in schema.get("paths", {}).items():
            for operation in methods.values():
                if path not in ALTIJD and "ProblemDocument" in schema.get("components", {}).get("schemas", {}):
                    operation.setdefault("responses", {}).setdefault("503", _OVERBELAST)
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if status[0] in "45" and "application/json" in content:
                        content[MEDIA_TYPE] = content.pop("application/json")
        idempotency.document(schema, idempotency_exempt)
        documentatie.documenteer_algemene_regels(schema)
        documentatie.herstel_voorbeelden(app, schema)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


async def _database_check(runtime: Runtime) -> dict:
    try:
        async with runtime.engine.connect() as conn:
            await asyncio.wait_for(conn.execute(text("SELECT 1")), 2.0)
        return {"ok": True}
    except Exception as exc:  # noqa: BLE001 - readiness reports, it does not raise
        return {"ok": False, "error": type(exc).__name__}


def _status(name: str, checks: dict[str, dict]) -> Response:
    ok = all(c["ok"] for c in checks.values())
    return ORJSONResponse({"status": "ready" if ok else "not-ready", "service": name, "checks": checks},
                          status_code=200 if ok else 503)


def _ops_router(name: str, *, metrics: bool) -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/health", summary="Liveness: the process answers")
    async def health() -> dict:
        return {"status": "ok", "service": name}

    @router.get("/ready", summary="Readiness of the API: its database reachable (the broker is the workers' concern)")
    async def ready(request: Request) -> Response:
        runtime: Runtime = request.app.state.runtime
        checks = {"database": await _database_check(runtime)}
        return _status(name, checks)

    # The workers' probes, like /metrics outside the API's schema: a process without workers
    # answers 503 here on purpose (a workers Deployment run without them is misconfigured).
    @router.get("/ready/workers", summary="Readiness of the workers: database, relay and consumers connected (with lag)",
                include_in_schema=False)
    async def workers_ready(request: Request) -> Response:
        runtime: Runtime = request.app.state.runtime
        if not runtime.settings.run_workers:
            return _status(name, {"workers": {"ok": False, "error": f"{name} runs no workers in this process"}})
        return _status(name, {"database": await _database_check(runtime), **runtime.workers_ready()})

    @router.get("/health/workers", summary="Liveness of the workers: none ended (a broker outage is no reason to restart)",
                include_in_schema=False)
    async def workers_health(request: Request) -> Response:
        runtime: Runtime = request.app.state.runtime
        return _status(name, {worker: {"ok": False, "error": why} for worker, why in runtime.ended.items()})

    if metrics:  # else on <SERVICE>_METRICS_PORT (wijkwerk.http.metriekpoort)
        @router.get("/metrics", summary="Prometheus metrics", include_in_schema=False)
        async def metrics_() -> Response:
            return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router
