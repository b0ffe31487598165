"""The split rates through the API: seeded from 2018-01-01 (A-15), changed only from a
later date by an admin, never rewritten."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

pytestmark = pytest.mark.integration


async def test_rates_are_seeded_and_a_new_row_applies_from_a_later_date(omgeving):
    o = omgeving
    rijen = (await o.client.get("/v1/verdeeltarieven", headers=o.tokens.headers("cheques:read"))).json()
    assert {r["soort"]: r["waarde"] for r in rijen} == {
        "geldigheid_maanden": 12, "loon_per_uur": 410, "reisfonds": 10, "uitgeverkost_elektronisch": 48,
        "uitgeverkost_papier": 58, "verzekering": 42,
    }
    assert {r["geldig_vanaf"] for r in rijen} == {"2018-01-01"}
    admin = o.tokens.headers("cheques:admin")
    morgen = str(date.today() + timedelta(days=1))
    body = {"soort": "loon_per_uur", "waarde": 450, "geldig_vanaf": morgen}
    r = await o.client.post("/v1/verdeeltarieven", json=body, headers=admin)
    assert r.status_code == 201, r.text
    assert [x["waarde"] for x in r.json() if x["soort"] == "loon_per_uur"] == [410, 450]
    again = await o.client.post("/v1/verdeeltarieven", json=body, headers=admin)
    assert (again.status_code, again.json()["rule"]) == (409, "tarief-bestaat-al")
    # a past date is no refusal by itself: only a row that would change validated cheques
    # is retroactive (issue #21 defect 6; services/cheques/tests/integration/test_datums.py)
    past = await o.client.post("/v1/verdeeltarieven", json={**body, "geldig_vanaf": "2019-01-01"}, headers=admin)
    assert past.status_code == 201, past.text
    unknown = await o.client.post("/v1/verdeeltarieven", json={**body, "soort": "bonus"}, headers=admin)
    assert (unknown.status_code, unknown.json()["rule"]) == (422, "ongeldige-invoer")
    reader = await o.client.post("/v1/verdeeltarieven", json=body, headers=o.tokens.headers("cheques:read"))
    assert (reader.status_code, reader.json()["rule"]) == (403, "scope-ontbreekt")
