"""Cheque expiry as a dated fact the platform records itself, and its money path (issue #23
item 2), on a real PostgreSQL: the job run late or twice records the same facts; a lapsed
cheque submitted later for a prestatie within its validity reverses its expiry; a period
close lapses the month's cheques first."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import orjson
import pytest
from sqlalchemy import text

pytestmark = pytest.mark.integration

G = uuid.uuid4()


def bestelling(oid, *, aantal: int, besteld_op: str) -> dict:
    return {"type": "bestelling.betaald", "bestelling_id": str(uuid.uuid4()), "gebruiker_id": str(G),
            "organisator_id": str(oid), "aantal": aantal, "drager": "papier", "besteld_op": besteld_op}


def uitgifte(bid: str, serienummers: list[str], op: str) -> dict:
    return {"type": "cheques.uitgegeven", "bestelling_id": bid, "serienummers": serienummers, "uitgegeven_op": op}


def validatie(serie: str, prestatie_id: uuid.UUID, op: str) -> dict:
    return {"type": "cheque.gevalideerd", "serienummer": serie, "prestatie_id": str(prestatie_id), "gevalideerd_op": op}

ADMIN = ("cheques:admin", "cheques:read")


async def _uitgegeven(o, oid, aantal: int, op: str) -> list[str]:
    b = bestelling(oid, aantal=aantal, besteld_op=op)
    await o.ok(b)
    series = [f"V{uuid.uuid4().hex[:10]}" for _ in range(aantal)]
    await o.ok(uitgifte(b["bestelling_id"], series, op=op))
    return series


async def _vervallen_events(o) -> list[dict]:
    async with o.engine.connect() as conn:
        rows = (await conn.scalars(text(
            "SELECT value FROM outbox WHERE event_type = 'ChequeVervallen' ORDER BY id"))).all()
    return [orjson.loads(bytes(v))["payload"] for v in rows]


async def _saldi(o, soort: str) -> dict[tuple[str, str], int]:
    """Debit − credit per (account, booking month) of the transactions of one kind."""
    async with o.engine.connect() as conn:
        rows = await conn.execute(text(
            "SELECT b.rekening, t.boekmaand, sum(b.debet_cent - b.credit_cent) FROM grootboek_boekingen b "
            "JOIN grootboek_transacties t ON t.id = b.transactie_id WHERE t.soort = :s GROUP BY 1, 2"), {"s": soort})
        return {(r[0], str(r[1])): int(r[2]) for r in rows}


async def _job(o, tot: str) -> dict:
    r = await o.client.post("/v1/cheques/vervallingen", json={"tot": tot}, headers=o.tokens.headers(*ADMIN))
    assert r.status_code == 200, r.text
    return r.json()


async def test_the_expiry_job_late_or_twice_records_the_same_dated_facts(omgeving):
    o = omgeving
    oid = await o.organisator(745)
    op_tijd = await _uitgegeven(o, oid, 2, "2025-01-06")  # valid through 2026-01-05: lapses 2026-01-06
    laat = await _uitgegeven(o, oid, 2, "2025-01-06")
    assert (await _job(o, "2026-01-05"))["aantal"] == 0, "still valid on its last day (A-21)"

    # Refund requests filed in time hold two of them back on the expiry day itself …
    gebruiker = o.tokens.headers("cheques:refund", org=str(G), org_type="gebruiker")
    aanvragen = []
    for s in laat:
        r = await o.client.post(f"/v1/cheques/{s}/terugbetalingsaanvragen", json={"gevraagd_op": "2026-01-05"},
                                headers=gebruiker)
        assert r.status_code == 201, r.text
        aanvragen.append(r.json()["id"])
    assert sorted((await _job(o, "2026-01-06"))["serienummers"]) == sorted(op_tijd)
    # … refused weeks later: the run after that lapses them on their own expiry day.
    for a in aanvragen:
        r = await o.client.post(f"/v1/terugbetalingsaanvragen/{a}/beslissing", headers=o.tokens.headers(*ADMIN),
                                json={"beslissing": "geweigerd", "beslist_op": "2026-02-20", "reden": "geen reden"})
        assert (r.status_code, r.json()["status"], r.json()["cheque_status"]) == (200, "geweigerd", "uitgegeven")
    assert sorted((await _job(o, "2026-03-01"))["serienummers"]) == sorted(laat)
    assert (await _job(o, "2026-03-01"))["aantal"] == 0, "a second run records nothing"
    morgen = date.today() + timedelta(days=2)  # a cheque valid today stays usable and refundable
    r = await o.client.post("/v1/cheques/vervallingen", json={"tot": str(morgen)}, headers=o.tokens.headers(*ADMIN))
    assert (r.status_code, r.json()["rule"]) == (422, "vervaldatum-in-de-toekomst")

    feiten = {e["serienummer"]: (e["vervallen_op"], e["boekmaand"], e["geldig_tot"], e["prijs_cent"])
              for e in await _vervallen_events(o)}
    assert feiten == {s: ("2026-01-06", "2026-01-01", "2026-01-05", 745) for s in op_tijd + laat}
    assert await _saldi(o, "verval") == {("chequegelden", "2026-01-01"): 4 * 745,
                                         (f"organisator:{oid}", "2026-01-01"): -4 * 745}
    cheque = (await o.client.get(f"/v1/cheques/{laat[0]}", headers=o.tokens.headers("cheques:read"))).json()
    assert (cheque["status"], cheque["geldig_tot"], cheque["vervaldag"], cheque["afgesloten_op"]) == (
        "vervallen", "2026-01-05", "2026-01-06", "2026-01-06")
    # The issuer's lapse report of a cheque the platform lapsed already changes nothing.
    await o.ok({"type": "cheque.vervallen", "serienummer": laat[0], "vervallen_op": "2026-02-01"})
    assert len(await _vervallen_events(o)) == 4


async def test_a_lapsed_cheque_paying_a_prestatie_within_its_validity_reverses_its_expiry(omgeving):
    o = omgeving
    oid = await o.organisator(745)
    series = await _uitgegeven(o, oid, 2, "2025-01-06")
    p = o.prestatie_event(uuid.uuid4(), G, oid, uuid.uuid4(), date(2026, 1, 4), vergoeding=0)  # within validity
    await o.prestatie(p)
    await _job(o, "2026-01-31")
    await o.ok(validatie(series[0], p.prestatie_id, op="2026-02-10"))  # submitted late
    assert await _saldi(o, "storno") == {("chequegelden", "2026-02-01"): -745,
                                         (f"organisator:{oid}", "2026-02-01"): 745}
    async with o.engine.connect() as conn:
        herroepen = orjson.loads(bytes(await conn.scalar(text(
            "SELECT value FROM outbox WHERE event_type = 'ChequeVervallingHerroepen'"))))["payload"]
    assert (herroepen["serienummer"], herroepen["vervallen_op"], herroepen["herroepen_op"], herroepen["boekmaand"]) == (
        series[0], "2026-01-06", "2026-02-10", "2026-02-01")
    # Net: one cheque expired (to the organiser), one validated (split as always).
    async with o.engine.connect() as conn:
        organisator = await conn.scalar(text(
            "SELECT sum(credit_cent - debet_cent) FROM grootboek_boekingen WHERE rekening = :r"),
            {"r": f"organisator:{oid}"})
    assert organisator == 745 + 225


async def test_a_period_close_lapses_the_months_cheques_first(omgeving):
    o = omgeving
    oid = await o.organisator(695)
    series = await _uitgegeven(o, oid, 3, "2024-01-06")  # lapse 2025-01-06
    r = await o.client.post("/v1/periodes/2025-01/afsluiting", json={"afgesloten_op": "2025-02-03"},
                            headers=o.tokens.headers("cheques:admin"))
    assert r.status_code == 201, r.text
    assert await _saldi(o, "verval") == {("chequegelden", "2025-01-01"): 3 * 695,
                                         (f"organisator:{oid}", "2025-01-01"): -3 * 695}
    assert {e["serienummer"] for e in await _vervallen_events(o)} == set(series)
