"""A gebruiker's cheque counters before entry (issue #23 item 1) on a real PostgreSQL: the
counter is what a validation is refused at (used up, expired on the prestatie date), as of a
business date, scoped per organiser and gebruiker."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

pytestmark = pytest.mark.integration


def _pad(g) -> str:
    return f"/v1/gebruikers/{g}/tellers"


async def _tellers(o, g, op: str, headers=None) -> dict:
    r = await o.client.get(_pad(g), params={"op": op}, headers=headers or o.tokens.headers("cheques:read"))
    assert r.status_code == 200, r.text
    return r.json()


def _kort(body: dict) -> dict:
    return {r["drager"]: (r["over"], r["eerste_vervaldag"], [(v["geldig_tot"], v["aantal"]) for v in r["vervaldagen"]])
            for r in body["dragers"]}


async def _wereld(o):
    """Ordered 2 Jan 2025: 2 paper cheques issued 6 Jan 2025 (valid through 5 Jan 2026), 3 paper issued 2 Jun 2025
    (through 1 Jun 2026), 2 electronic issued 3 Feb 2025 (through 2 Feb 2026)."""
    g, oid = uuid.uuid4(), await o.organisator(745)
    series: dict[str, list[str]] = {}
    for naam, aantal, drager, uitgegeven in (("a", 2, "papier", "2025-01-06"), ("b", 3, "papier", "2025-06-02"),
                                            ("c", 2, "elektronisch", "2025-02-03")):
        bid = str(uuid.uuid4())
        await o.ok({"type": "bestelling.betaald", "bestelling_id": bid, "gebruiker_id": str(g),
                    "organisator_id": str(oid), "aantal": aantal, "drager": drager, "besteld_op": "2025-01-02"})
        series[naam] = [f"T{naam.upper()}{i}-{uuid.uuid4().hex[:6]}" for i in range(aantal)]
        await o.ok({"type": "cheques.uitgegeven", "bestelling_id": bid, "serienummers": series[naam],
                    "uitgegeven_op": uitgegeven})
    return g, oid, series


async def test_cheques_left_per_carrier_and_their_expiry_as_of_a_date(omgeving):
    o = omgeving
    g, oid, s = await _wereld(o)
    # Ordered on 2 Jan, not issued yet: the carriers show, nothing usable.
    assert _kort(await _tellers(o, g, "2025-01-05")) == {"papier": (0, None, []), "elektronisch": (0, None, [])}
    assert _kort(await _tellers(o, g, "2025-03-01")) == {
        "papier": (2, "2026-01-05", [("2026-01-05", 2)]), "elektronisch": (2, "2026-02-02", [("2026-02-02", 2)])}
    body = await _tellers(o, g, "2025-12-20")
    assert body["per_drager"] == {"papier": 5, "elektronisch": 2}
    papier = next(r for r in body["dragers"] if r["drager"] == "papier")
    assert (papier["organisator_id"], papier["vervalt_binnen_30_dagen"]) == (str(oid), 2)
    # the last valid day still counts, the day after not.
    assert _kort(await _tellers(o, g, "2026-01-05"))["papier"][0] == 5
    assert _kort(await _tellers(o, g, "2026-01-06")) == {
        "papier": (3, "2026-06-01", [("2026-06-01", 3)]), "elektronisch": (2, "2026-02-02", [("2026-02-02", 2)])}


async def test_the_counter_is_what_a_validation_is_refused_at(omgeving):
    o = omgeving
    g, oid, s = await _wereld(o)
    # A prestatie dated 6 Jan 2026: the January 2025 paper cheques expired the day before.
    p = o.prestatie_event(uuid.uuid4(), g, oid, uuid.uuid4(), date(2026, 1, 6), uren=4, minuten=240)
    await o.prestatie(p)
    assert _kort(await _tellers(o, g, "2026-01-06"))["papier"][0] == 3
    r = await o.webhook({"type": "cheque.gevalideerd", "serienummer": s["a"][0], "prestatie_id": str(p.prestatie_id),
                         "gevalideerd_op": "2026-01-07"})
    assert (r.status_code, r.json()["rule"]) == (422, "cheque-vervallen")
    # The three counted ones pay; then the counter shows 0 and the next paper cheque is refused.
    await o.ok({"type": "cheques.gevalideerd", "serienummers": s["b"], "prestatie_id": str(p.prestatie_id),
                "gevalideerd_op": "2026-01-07"})
    assert _kort(await _tellers(o, g, "2026-01-07"))["papier"] == (0, None, [])
    assert _kort(await _tellers(o, g, "2026-01-06"))["papier"][0] == 3  # as of the day before: not yet validated
    r = await o.webhook({"type": "cheque.gevalideerd", "serienummer": s["b"][0], "prestatie_id": str(p.prestatie_id),
                         "gevalideerd_op": "2026-01-07"})
    assert (r.status_code, r.json()["rule"]) == (409, "cheque-al-gebruikt")


async def test_scoped_to_the_organiser_and_the_gebruiker(omgeving):
    o = omgeving
    g, oid, _ = await _wereld(o)
    for h in (o.tokens.headers("cheques:read", org=str(oid), org_type="organisator"),
              o.tokens.headers("rapportering:read", org=str(oid), org_type="organisator"),
              o.tokens.headers("cheques:read", org=str(g), org_type="gebruiker")):
        assert (await _tellers(o, g, "2025-03-01", h))["per_drager"] == {"papier": 2, "elektronisch": 2}
    for h in (o.tokens.headers("cheques:read", org=str(uuid.uuid4()), org_type="organisator"),
              o.tokens.headers("cheques:read", org=str(uuid.uuid4()), org_type="gebruiker"),
              o.tokens.headers("cheques:read", org="vdab-gent", org_type="toeleider")):
        r = await o.client.get(_pad(g), params={"op": "2025-03-01"}, headers=h)
        assert (r.status_code, r.json()["rule"]) == (404, "gebruiker-onbekend")


async def test_unknown_gebruiker_is_404_with_rule(omgeving):
    r = await omgeving.client.get(_pad(uuid.uuid4()), headers=omgeving.tokens.headers("cheques:read"))
    assert (r.status_code, r.json()["rule"]) == (404, "gebruiker-onbekend")
