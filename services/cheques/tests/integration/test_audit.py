"""The audit trail in cheques (issue #18): a change that emits no event (a split rate) is
recorded under the request's name with its principal; a refused request records nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

pytestmark = pytest.mark.integration


async def test_a_rate_change_without_an_event_is_in_the_trail_and_a_refusal_is_not(omgeving):
    o = omgeving
    admin = o.tokens.headers("cheques:admin", sub="tarief-beheerder")
    body = {"soort": "verzekering", "waarde": 43, "geldig_vanaf": str(date.today() + timedelta(days=30))}
    assert (await o.client.post("/v1/verdeeltarieven", json=body, headers=admin)).status_code == 201
    assert (await o.client.post("/v1/verdeeltarieven", json=body, headers=admin)).status_code == 409

    r = await o.client.get("/v1/audit", params={"subject": "tarief-beheerder"}, headers=o.tokens.headers("audit:lezen"))
    assert r.status_code == 200, r.text
    assert [(x["soort"], x["handeling"], x["org_type"], x["event_id"]) for x in r.json()] == [
        ("wijziging", "POST /v1/verdeeltarieven", "vdab", None)]
