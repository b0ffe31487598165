"""The monthly payout run on a real PostgreSQL: a pain.001 file valid against its XSD
whose amounts equal a hand computation (generated once a second person approved the run),
an idempotent re-run, and the settlements."""

from __future__ import annotations

import csv
import io
import uuid
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
import xmlschema

from cheques.adapters.sepa import XSD
from cheques.adapters.toeleiding import Bankrekening

pytestmark = pytest.mark.integration

G = uuid.uuid4()
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}
PAYOUT = ("cheques:payout",)


async def _goedgekeurd(o, periode: str) -> dict:
    """A second person (another subject) approves the run."""
    r = await o.client.post(f"/v1/uitbetalingen/{periode}/goedkeuring", headers=o.tokens.headers(*PAYOUT, sub="controleur"))
    assert r.status_code == 200, r.text
    return r.json()


async def _wereld(o):
    """W1: 3 prestaties of 2h10 on 3 days in March, 10 km away (3.00 a day), 9 cheques
    validated in March. W2: one hour in March, its cheque validated only in April."""
    oid = await o.organisator(745)
    b = {"type": "bestelling.betaald", "bestelling_id": str(uuid.uuid4()), "gebruiker_id": str(G),
         "organisator_id": str(oid), "aantal": 10, "drager": "papier", "besteld_op": "2026-02-20"}
    await o.ok(b)
    series = [f"M{i:04d}" for i in range(10)]
    await o.ok({"type": "cheques.uitgegeven", "bestelling_id": b["bestelling_id"], "serienummers": series,
                "uitgegeven_op": "2026-02-21"})
    w1, w2, koppeling = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    dagen = [date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16)]
    for i, dag in enumerate(dagen):
        p = o.prestatie_event(w1, G, oid, koppeling, dag, uren=3, minuten=130, vergoeding=300)
        await o.prestatie(p)
        for serie in series[3 * i: 3 * i + 3]:
            await o.ok({"type": "cheque.gevalideerd", "serienummer": serie, "prestatie_id": str(p.prestatie_id),
                        "gevalideerd_op": str(dag + timedelta(days=1))})
    p2 = o.prestatie_event(w2, G, oid, uuid.uuid4(), date(2026, 3, 20), uren=1, minuten=45, vergoeding=0)
    await o.prestatie(p2)
    await o.ok({"type": "cheque.gevalideerd", "serienummer": series[9], "prestatie_id": str(p2.prestatie_id),
                "gevalideerd_op": "2026-04-02"})
    o.toeleiding.rekeningen = {w1: Bankrekening("An Peeters", "BE68539007547034"),
                               w2: Bankrekening("Bart Claes", "BE62510007547061")}
    return oid, w1, w2


async def test_the_payout_run_writes_a_valid_pain001_with_the_hand_computed_amounts(omgeving):
    o = omgeving
    _, w1, w2 = await _wereld(o)
    r = await o.client.post("/v1/uitbetalingen/2026-03", headers=o.tokens.headers(*PAYOUT))
    assert r.status_code == 200, r.text
    run = r.json()
    hand = 9 * 410 + 3 * 300  # 36.90 + 9.00
    assert (run["aantal"], run["totaal"]) == (1, "45.90")
    assert run["uitbetalingen"][0]["wijkwerker_id"] == str(w1)
    assert o.toeleiding.gevraagd == [w1]  # only workers with money due
    assert (run["status"], [s["door"] for s in run["stappen"]]) == ("opgesteld", ["test"])

    await _goedgekeurd(o, "2026-03")
    xml = await o.client.get("/v1/uitbetalingen/2026-03/sepa", headers=o.tokens.headers(*PAYOUT))
    assert xml.headers["content-type"].startswith("application/xml")
    xmlschema.XMLSchema(str(XSD)).validate(xml.text)
    doc = ET.fromstring(xml.content)
    amounts = [a.text for a in doc.iterfind(".//p:CdtTrfTxInf/p:Amt/p:InstdAmt", NS)]
    assert amounts == [f"{hand // 100}.{hand % 100:02d}"]
    assert doc.find(".//p:CdtTrfTxInf/p:CdtrAcct/p:Id/p:IBAN", NS).text == "BE68539007547034"
    assert doc.find(".//p:GrpHdr/p:CtrlSum", NS).text == "45.90"

    events = await o.scalar("SELECT count(*) FROM outbox WHERE event_type = 'UitbetalingUitgevoerd'")
    assert events == 1
    value = await o.scalar("SELECT value FROM outbox WHERE event_type = 'UitbetalingUitgevoerd'")
    assert b"BE68" not in value and b"Peeters" not in value
    saldo = await o.scalar("SELECT sum(credit_cent - debet_cent) FROM grootboek_boekingen WHERE rekening = :r",
                           r=f"wijkwerker:{w1}")
    assert saldo == 0


async def test_re_running_a_month_returns_the_same_file_and_posts_nothing_more(omgeving):
    o = omgeving
    _, w1, w2 = await _wereld(o)
    h = o.tokens.headers(*PAYOUT)
    first = (await o.client.post("/v1/uitbetalingen/2026-03", headers=h)).json()
    await _goedgekeurd(o, "2026-03")
    file1 = (await o.client.get("/v1/uitbetalingen/2026-03/sepa", headers=h)).content
    before = await o.tellingen()
    again = (await o.client.post("/v1/uitbetalingen/2026-03", headers=h)).json()
    assert {k: v for k, v in again.items() if k not in ("status", "stappen")} == {
        k: v for k, v in first.items() if k not in ("status", "stappen")}
    file2 = (await o.client.get("/v1/uitbetalingen/2026-03/sepa", headers=h)).content
    assert _overschrijvingen(file2) == _overschrijvingen(file1)  # generated again: the same transfers
    assert await o.tellingen() == before
    # April pays W2's late cheque (validated in April) and nothing of March again.
    april = (await o.client.post("/v1/uitbetalingen/2026-04", headers=h)).json()
    assert [(u["wijkwerker_id"], u["bedrag"]) for u in april["uitbetalingen"]] == [(str(w2), "4.10")]


def _overschrijvingen(inhoud: bytes) -> list[tuple[str, ...]]:
    doc = ET.fromstring(inhoud)
    return [(doc.find(".//p:GrpHdr/p:MsgId", NS).text, tx.find("p:PmtId/p:EndToEndId", NS).text,
             tx.find("p:Amt/p:InstdAmt", NS).text, tx.find("p:CdtrAcct/p:Id/p:IBAN", NS).text)
            for tx in doc.iterfind(".//p:CdtTrfTxInf", NS)]


async def test_a_worker_toeleiding_does_not_know_is_listed_not_paid(omgeving):
    o = omgeving
    _, w1, _ = await _wereld(o)
    o.toeleiding.rekeningen.pop(w1)
    run = (await o.client.post("/v1/uitbetalingen/2026-03", headers=o.tokens.headers(*PAYOUT))).json()
    assert (run["aantal"], run["zonder_bankgegevens"], run["sepa_bestand"]) == (0, [str(w1)], None)


async def test_payout_rules_and_scopes(omgeving):
    o = omgeving
    assert (await o.client.post("/v1/uitbetalingen/2026-03", headers=o.tokens.headers("cheques:read"))).status_code == 403
    future = date.today().replace(day=1) + timedelta(days=40)
    r = await o.client.post(f"/v1/uitbetalingen/{future:%Y-%m}", headers=o.tokens.headers(*PAYOUT))
    assert (r.status_code, r.json()["rule"]) == (422, "periode-in-de-toekomst")
    r = await o.client.get("/v1/uitbetalingen/2025-01", headers=o.tokens.headers(*PAYOUT))
    assert (r.status_code, r.json()["rule"]) == (404, "uitbetaling-onbekend")


async def test_settlements_per_organiser_and_party_in_json_and_csv(omgeving):
    o = omgeving
    oid, _, _ = await _wereld(o)
    h = o.tokens.headers("cheques:read")
    rijen = {r["rekening"]: r for r in (await o.client.get("/v1/afrekeningen/2026-03", headers=h)).json()["rijen"]}
    assert set(rijen) == {"verzekering", "reisfonds", "uitgever", f"organisator:{oid}"}
    org = rijen[f"organisator:{oid}"]
    assert (org["cheques"], org["credit"], org["naam"]) == (9, "20.25", "Org 745")
    # The travel fund received 9 × 0.10 and paid 3 × 3.00 of travel allowance.
    assert (rijen["reisfonds"]["credit"], rijen["reisfonds"]["debet"], rijen["reisfonds"]["saldo"]) == ("0.90", "9.00", "-8.10")
    assert (rijen["uitgever"]["credit"], rijen["verzekering"]["credit"]) == ("5.22", "3.78")
    r = await o.client.get("/v1/afrekeningen/2026-03?format=csv", headers=h)
    assert r.headers["content-type"].startswith("text/csv")
    tabel = list(csv.DictReader(io.StringIO(r.text)))
    assert {row["rekening"]: row["credit"] for row in tabel}[f"organisator:{oid}"] == "20.25"
    # An organiser sees only its own row; another organiser sees nothing.
    eigen = o.tokens.headers("cheques:read", org=str(oid), org_type="organisator")
    assert [r["rekening"] for r in (await o.client.get("/v1/afrekeningen/2026-03", headers=eigen)).json()["rijen"]] == [
        f"organisator:{oid}"]
    ander = o.tokens.headers("cheques:read", org=str(uuid.uuid4()), org_type="organisator")
    assert (await o.client.get("/v1/afrekeningen/2026-03", headers=ander)).json()["rijen"] == []
    assert (await o.client.get("/v1/cheques/M0000", headers=ander)).status_code == 404
