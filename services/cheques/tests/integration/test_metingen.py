"""The metrics on-call alerts on, set by the cheques routes themselves: refused webhooks
counted by issuer and rule (a stranger's issuer name never becomes a label), accepted ones
not (the recompute's gauges are checked in test_herberekening)."""

from __future__ import annotations

import time
import uuid

import pytest
from prometheus_client import REGISTRY

pytestmark = pytest.mark.integration


def bestelling(oid) -> dict:
    return {"type": "bestelling.betaald", "bestelling_id": str(uuid.uuid4()), "gebruiker_id": str(uuid.uuid4()),
            "organisator_id": str(oid), "aantal": 5, "drager": "papier", "besteld_op": "2026-01-05"}


def geweigerd(issuer: str, reason: str) -> float:
    return REGISTRY.get_sample_value("wijkwerk_webhook_rejected_total",
                                     {"service": "cheques", "issuer": issuer, "reason": reason}) or 0.0


async def test_refused_webhooks_are_counted_by_issuer_and_rule(omgeving):
    o = omgeving
    oid = await o.organisator()
    before = {key: geweigerd(*key) for key in [("vdab", "handtekening-ongeldig"), ("vdab", "webhook-verouderd"),
                                               ("onbekend", "uitgever-onbekend")]}
    assert (await o.webhook(bestelling(oid), geheim="not-the-secret")).status_code == 401
    assert (await o.webhook(bestelling(oid), ts=int(time.time()) - 301)).status_code == 401
    for name in ("indringer-1", "indringer-2"):
        assert (await o.webhook(bestelling(oid), uitgever=name)).status_code == 401
    assert geweigerd("vdab", "handtekening-ongeldig") == before[("vdab", "handtekening-ongeldig")] + 1
    assert geweigerd("vdab", "webhook-verouderd") == before[("vdab", "webhook-verouderd")] + 1
    assert geweigerd("onbekend", "uitgever-onbekend") == before[("onbekend", "uitgever-onbekend")] + 2
    labels = {s.labels["issuer"] for m in REGISTRY.collect() if m.name == "wijkwerk_webhook_rejected"
              for s in m.samples}
    assert not {"indringer-1", "indringer-2"} & labels


async def test_an_accepted_webhook_is_not_counted_as_refused(omgeving):
    o = omgeving
    oid = await o.organisator()
    before = sum(s.value for m in REGISTRY.collect() if m.name == "wijkwerk_webhook_rejected"
                 for s in m.samples if s.name.endswith("_total"))
    await o.ok(bestelling(oid))
    after = sum(s.value for m in REGISTRY.collect() if m.name == "wijkwerk_webhook_rejected"
                for s in m.samples if s.name.endswith("_total"))
    assert after == before
