"""Operational figures for the dashboard: outbox backlog, consumer lag and dead letters
of every service, read from their Prometheus ``/metrics`` (an ops view, not a report)."""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass, field

import httpx
from prometheus_client.parser import text_string_to_metric_families

METRICS = {
    "wijkwerk_outbox_backlog": "outbox_backlog",
    "wijkwerk_consumer_lag": "consumer_lag",
    "wijkwerk_dlq_total": "dlq",
    "wijkwerk_events_duplicate_total": "duplicates",
}


@dataclass
class ServiceOps:
    service: str
    bereikbaar: bool
    waarden: dict[str, float] = field(default_factory=dict)


def parse(text: str) -> dict[str, float]:
    totals = dict.fromkeys(METRICS.values(), 0.0)
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            key = METRICS.get(sample.name) or METRICS.get(sample.name.removesuffix("_total") + "_total")
            if key is not None and not sample.name.endswith("_created"):
                totals[key] += sample.value
    return totals


async def verzamel(urls: dict[str, str], timeout_s: float = 3.0, verify: ssl.SSLContext | bool = True
                   ) -> list[ServiceOps]:
    """``urls``: each service's metrics URL (``ServiceUrls.metrics_url``)."""
    async with httpx.AsyncClient(timeout=timeout_s, trust_env=False, verify=verify) as client:
        async def een(service: str, url: str) -> ServiceOps:
            try:
                r = await client.get(url)
                r.raise_for_status()
            except httpx.HTTPError:
                return ServiceOps(service, False)
            return ServiceOps(service, True, parse(r.text))

        return list(await asyncio.gather(*(een(s, u) for s, u in urls.items())))
