"""Structured JSON logs with a correlation id, and the Prometheus metrics every
service exposes on ``/metrics``.

The correlation id comes in on ``X-Correlation-ID`` (or is made up), is put on every
log line and every event emitted while handling the request, and is restored from the
envelope when a consumer handles that event, so one id follows a fact across services.
"""

from __future__ import annotations

import logging
import sys
import time
import uuid
from contextvars import ContextVar

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


class Timer:
    def __init__(self) -> None:
        self.start = time.perf_counter()

    def elapsed(self) -> float:
        return time.perf_counter() - self.start
