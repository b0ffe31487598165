"""Operational figures for the dashboard: outbox backlog, consumer lag, parked events and the
relay's leadership of every service, read from their Prometheus ``/metrics`` (an ops view,
not a report), each with what to do when it is off (the runbooks in deploy/README.md)."""

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
    "wijkwerk_relay_leader": "relay_leider",
}
# thresholds at which the dashboard says what to do (the alert rules in deploy/ use these
# figures over time; the page shows the moment)
DREMPELS = {"outbox_backlog": 1_000, "consumer_lag": 1_000}


@dataclass
class ServiceOps:
    service: str
    bereikbaar: bool
    waarden: dict[str, float] = field(default_factory=dict)

    @property
    def advies(self) -> list[str]:
        """What to do, most urgent first; empty when the pipeline is healthy."""
        if not self.bereikbaar:
            return ["Dienst onbereikbaar: zie runbook WijkwerkServiceDown (deploy/README.md)."]
        uit = []
        if self.waarden.get("relay_leider", 0) < 1:
            uit.append("Geen relay-leider in dit proces: als geen enkele replica leidt, blijven events in de outbox; "
                       "zie runbook WijkwerkRelayNoLeader.")
        if self.waarden.get("dlq", 0) > 0:
            uit.append("Geparkeerde events: `wijkwerk dlq lijst --service " + self.service + "`, oorzaak herstellen, "
                       "dan `wijkwerk dlq opnieuw`; zie runbook WijkwerkDeadLetters.")
        if self.waarden.get("outbox_backlog", 0) >= DREMPELS["outbox_backlog"]:
            uit.append("Outbox loopt achter: broker bereikbaar? zie runbook WijkwerkOutboxBacklog.")
        if self.waarden.get("consumer_lag", 0) >= DREMPELS["consumer_lag"]:
            uit.append("Consumers lopen achter: zie runbook WijkwerkConsumerLag.")
        return uit


# a pending delivery older than this is behind (the alert WijkwerkOutboundWebhooksBehind)
WEBHOOK_ACHTER_S = 3600.0


def webhook_advies(stand: dict[str, float]) -> list[str]:
    """What to do about the partners' outbound webhooks (``adapters.webhooks.stand``)."""
    uit = []
    if stand.get("mislukt", 0) > 0:
        uit.append("Leveringen opgegeven na alle pogingen: de partner herstelt zijn endpoint en vraagt ze opnieuw "
                   "(POST /v1/abonnementen/{id}/leveringen/{levering}/opnieuw); zie runbook "
                   "WijkwerkOutboundWebhooksFailing.")
    if stand.get("oudste_wachtend_s", 0) > WEBHOOK_ACHTER_S:
        uit.append("Leveringen wachten langer dan een uur: endpoint van de partner traag of onbereikbaar, of de "
                   "workers van evaluatie staan stil; zie runbook WijkwerkOutboundWebhooksBehind.")
    return uit


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
