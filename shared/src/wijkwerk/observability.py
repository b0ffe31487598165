"""Structured JSON logs with a correlation id, and the Prometheus metrics every
service exposes on ``/metrics``.

The correlation id comes in on ``X-Correlation-ID`` (or is made up), is put on every
log line and every event emitted while handling the request, and is restored from the
envelope when a consumer handles that event, so one id follows a fact across services.
"""

from __future__ import annotations

import logging
import socket
import sys
import time
import uuid
from contextvars import ContextVar
from typing import Any

import structlog
from prometheus_client import Counter, Gauge, Histogram

_correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)

CORRELATION_HEADER = "X-Correlation-ID"


def current_correlation_id() -> str | None:
    return _correlation_id.get()


def set_correlation_id(value: str | None) -> None:
    _correlation_id.set(value)
    structlog.contextvars.bind_contextvars(correlation_id=value)


def new_correlation_id() -> str:
    return str(uuid.uuid4())


def configure_logging(service: str, *, json: bool = True, level: int = logging.INFO) -> None:
    """Route stdlib logging (uvicorn, aiokafka, ours) through structlog's JSON renderer."""
    shared = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer = structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer()
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("aiokafka", "kafka"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        # uvicorn installs its own plain-text handlers; route its lines through ours, except
        # the access log when uvicorn switched it off (--no-access-log: no handler, no
        # propagation): one line per request costs ≈ 3 % of a busy service.
        uvicorn_logger = logging.getLogger(name)
        switched_off = name == "uvicorn.access" and not uvicorn_logger.handlers and not uvicorn_logger.propagate
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = not switched_off
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    structlog.contextvars.bind_contextvars(service=service)


# --- metrics -------------------------------------------------------------------------

REQUEST_LATENCY = Histogram(
    "wijkwerk_http_request_duration_seconds",
    "HTTP request latency",
    ["service", "method", "route", "status"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
HTTP_SHED = Counter("wijkwerk_http_shed_total", "Requests refused with 503 because the process was at its limit",
                   ["service"])
HTTP_IN_FLIGHT = Gauge("wijkwerk_http_in_flight", "Requests being served (the overload limiter's slots taken)",
                       ["service"])
HTTP_IN_FLIGHT_LIMIT = Gauge("wijkwerk_http_in_flight_limit",
                             "The overload limiter's current limit of requests in flight (adapts to latency)",
                             ["service"])
HTTP_RATE_LIMITED = Counter("wijkwerk_http_rate_limited_total",
                            "Requests refused with 429 because their client was past its rate limit", ["service"])
OUTBOX_BACKLOG = Gauge("wijkwerk_outbox_backlog", "Outbox rows not yet published", ["service"])
OUTBOX_PUBLISHED = Counter("wijkwerk_outbox_published_total", "Outbox rows published", ["service", "topic"])
OUTBOX_BATCH = Histogram(
    "wijkwerk_outbox_batch_rows",
    "Rows per published outbox batch (its count is the number of batches)",
    ["service"],
    buckets=(1, 2, 5, 10, 25, 50, 100, 250, 1000),
)
OUTBOX_LAG = Histogram(
    "wijkwerk_outbox_publish_lag_seconds",
    "From outbox insert to broker acknowledgement",
    ["service"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30),
)
CONSUMED = Counter(
    "wijkwerk_events_consumed_total", "Events applied by a consumer", ["service", "consumer", "event_type"]
)
DUPLICATES = Counter(
    "wijkwerk_events_duplicate_total", "Events skipped by the inbox as already applied", ["service", "consumer"]
)
DLQ = Counter("wijkwerk_dlq_total", "Messages sent to a dead-letter topic", ["service", "consumer", "topic"])
CONSUMER_LAG = Gauge("wijkwerk_consumer_lag", "Messages behind the partition end", ["service", "consumer", "topic"])
MONEY = Counter(
    "wijkwerk_money_cents_total", "Money posted, in cents, by party", ["service", "party"]
)
RELAY_LEADER = Gauge(
    "wijkwerk_relay_leader", "1 while this replica holds its service's relay lock (exactly one per service)",
    ["service", "replica"],
)
RELAY_REFILLS = Counter(
    "wijkwerk_relay_refills_total", "Topics re-filled from the outbox because the broker lost their data",
    ["service"],
)
RELAY_REFILLED_ROWS = Counter("wijkwerk_relay_refilled_rows_total", "Outbox rows re-published by re-fills",
                              ["service"])
RELAY_ROTATIONS = Counter("wijkwerk_relay_rotations_total", "Topics rotated after every group consumed them",
                          ["service"])
RECOMPUTE_DIFFERENCE = Gauge(
    "wijkwerk_recompute_difference_cents", "Absolute difference, in cents, of the last recompute (0 = ledger agrees)",
    ["service"],
)
RECOMPUTE_UNBALANCED = Gauge("wijkwerk_recompute_unbalanced_months",
                             "Months whose ledger did not balance in the last recompute", ["service"])
RECOMPUTE_EVENTS = Gauge("wijkwerk_recompute_events", "Events folded by the last recompute", ["service"])
RECOMPUTE_DURATION = Gauge("wijkwerk_recompute_duration_seconds", "Duration of the last recompute", ["service"])
# Outbound webhooks to partners (evaluatie, ADR 0018)
WEBHOOK_ATTEMPTS = Counter("wijkwerk_webhook_attempts_total", "Outbound webhook attempts by outcome "
                           "(geleverd; opnieuw: failed, retried later; mislukt: failed for the last time)",
                           ["service", "uitkomst"])
WEBHOOK_OLDEST_PENDING = Gauge("wijkwerk_webhook_oldest_pending_seconds",
                               "Age of the oldest outbound webhook delivery neither delivered nor given up", ["service"])
RECOMPUTE_LAST = Gauge("wijkwerk_recompute_last_run_timestamp_seconds", "When the last recompute finished",
                       ["service"])
WEBHOOK_REJECTED = Counter(
    "wijkwerk_webhook_rejected_total", "Issuer webhooks refused, by the rule that refused them",
    ["service", "issuer", "reason"],
)
PAYOUT_RUNS = Counter(
    "wijkwerk_payout_run_transitions_total", "Payout run steps answered, by the state the run is in after them",
    ["service", "state"],
)
DB_POOL = Gauge(
    "wijkwerk_db_pool_connections", "SQLAlchemy pool of a process: checked_out, size (idle + checked out), "
    "overflow (beyond pool_size; negative while the pool is not full), capacity (pool_size + max_overflow)",
    ["service", "state"],
)


def replica() -> str:
    """This process's replica name: the pod (Kubernetes sets HOSTNAME to it) or container."""
    return socket.gethostname()


def measure_pool(service: str, engine: Any) -> None:
    """Export the pool usage of ``engine`` (an AsyncEngine) under ``service``; read at scrape time."""
    pool = engine.sync_engine.pool
    if not hasattr(pool, "checkedout"):  # NullPool / StaticPool (tests): nothing to measure
        return
    DB_POOL.labels(service, "checked_out").set_function(pool.checkedout)
    DB_POOL.labels(service, "size").set_function(lambda: pool.checkedin() + pool.checkedout())
    DB_POOL.labels(service, "overflow").set_function(pool.overflow)
    capacity = pool.size() + getattr(pool, "_max_overflow", 0)
    DB_POOL.labels(service, "capacity").set(capacity)


def record_recompute(service: str, rapport: dict, duration_s: float | None = None,
                     finished_at: float | None = None) -> None:
    """The result of a recompute; ``finished_at`` (unix seconds) for one read back from the
    database, which may have run in another process (the scheduled job)."""
    RECOMPUTE_DIFFERENCE.labels(service).set(rapport["verschil_cent"])
    RECOMPUTE_UNBALANCED.labels(service).set(len(rapport.get("maanden_uit_evenwicht", [])))
    RECOMPUTE_EVENTS.labels(service).set(rapport.get("events", 0))
    if duration_s is not None:
        RECOMPUTE_DURATION.labels(service).set(duration_s)
    if finished_at is None:
        RECOMPUTE_LAST.labels(service).set_to_current_time()
    else:
        RECOMPUTE_LAST.labels(service).set(finished_at)


class Timer:
    def __init__(self) -> None:
        self.start = time.perf_counter()

    def elapsed(self) -> float:
        return time.perf_counter() - self.start
