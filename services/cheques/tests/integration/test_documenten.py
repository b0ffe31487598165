"""The documents people keep (issue #23 item 5) on a real PostgreSQL: the worker's payout
slip and the gebruiker's yearly statement, read back with pypdf. Their amounts are the
ledger's; a month's slip holds only what was booked in that month; each caller sees only
its own data scope."""

from __future__ import annotations

import io
import uuid
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from cheques.adapters.toeleiding import Bankrekening

pytestmark = pytest.mark.integration

G = uuid.uuid4()
LEZEN = "documenten:lezen"


def _tekst(inhoud: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(inhoud)).pages)


async def _wereld(o):
    """W1: 3 prestaties of 2h10 in March, 10 km away (EUR 3.00 a day), 9 cheques validated in
    March. W2: one hour in March, its cheque validated only on 2 April."""
    oid = await o.organisator(745)
    b = {"type": "bestelling.betaald", "bestelling_id": str(uuid.uuid4()), "gebruiker_id": str(G),
         "organisator_id": str(oid), "aantal": 10, "drager": "papier", "besteld_op": "2026-02-20"}
    await o.ok(b)
    series = [f"D{i:04d}" for i in range(10)]
    await o.ok({"type": "cheques.uitgegeven", "bestelling_id": b["bestelling_id"], "serienummers": series,
                "uitgegeven_op": "2026-02-21"})
    w1, w2, koppeling = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    for i, dag in enumerate([date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16)]):
        p = o.prestatie_event(w1, G, oid, koppeling, dag, uren=3, minuten=130, vergoeding=300)
        await o.prestatie(p)
        for serie in series[3 * i: 3 * i + 3]:
            await o.ok({"type": "cheque.gevalideerd", "serienummer": serie, "prestatie_id": str(p.prestatie_id),
                        "gevalideerd_op": str(dag + timedelta(days=1))})
    p2 = o.prestatie_event(w2, G, oid, uuid.uuid4(), date(2026, 3, 20), uren=1, minuten=45, vergoeding=0)
    await o.prestatie(p2)
    await o.ok({"type": "cheque.gevalideerd", "serienummer": series[9], "prestatie_id": str(p2.prestatie_id),
                "gevalideerd_op": "2026-04-02"})
    o.toeleiding.rekeningen = {w1: Bankrekening("An Peeters", "BE68539007547034")}
    return oid, w1, w2


async def _grootboek(o, w, van: date, tot: date) -> int:
    return await o.scalar(
        "SELECT sum(b.credit_cent - b.debet_cent) FROM grootboek_boekingen b JOIN grootboek_transacties t "
        "ON t.id = b.transactie_id WHERE b.rekening = :r AND t.soort <> 'uitbetaling' "
        "AND t.boekdatum BETWEEN :van AND :tot", r=f"wijkwerker:{w}", van=van, tot=tot)


async def test_the_slip_has_a_line_per_cheque_and_allowance_and_the_ledgers_total(omgeving):
    o = omgeving
    _, w1, _ = await _wereld(o)
    r = await o.client.get(f"/v1/wijkwerkers/{w1}/loonbrieven/2026-03", headers=o.tokens.headers(LEZEN))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    tekst = _tekst(r.content)
    assert str(w1) in tekst and "Loonbrief wijk-werken 2026-03" in tekst
    assert tekst.count(f"{G} 1 cheque D00") == 9  # gebruiker, one started hour, the serial
    assert tekst.count("EUR 4,10") == 9 and tekst.count("verplaatsingsvergoeding 2026-03-") == 3
    assert tekst.count("EUR 3,00") == 3 and "2026-03-03 2026-03-02" in tekst  # booked on, prestatie of
    assert await _grootboek(o, w1, date(2026, 3, 1), date(2026, 3, 31)) == 4590
    assert "Begonnen uren: 9" in tekst and "Totaal verdiend in 2026-03: EUR 45,90" in tekst
    assert "Verplaatsingsvergoeding: EUR 9,00" in tekst and "Nog geen uitbetaling voor 2026-03." in tekst

    run = await o.client.post("/v1/uitbetalingen/2026-03", headers=o.tokens.headers("cheques:payout"))
    assert run.json()["totaal"] == "45.90"
    na = _tekst((await o.client.get(f"/v1/wijkwerkers/{w1}/loonbrieven/2026-03",
                                    headers=o.tokens.headers(LEZEN))).content)
    assert "Uitbetaald voor 2026-03: EUR 45,90 (in_behandeling)" in na
    assert "Totaal verdiend in 2026-03: EUR 45,90" in na  # the payout is no earning


async def test_a_months_slip_holds_only_what_was_booked_in_that_month(omgeving):
    o = omgeving
    _, _, w2 = await _wereld(o)
    h = o.tokens.headers(LEZEN)
    maart = _tekst((await o.client.get(f"/v1/wijkwerkers/{w2}/loonbrieven/2026-03", headers=h)).content)
    assert "Geen boekingen in deze maand." in maart and "Totaal verdiend in 2026-03: EUR 0,00" in maart
    april = _tekst((await o.client.get(f"/v1/wijkwerkers/{w2}/loonbrieven/2026-04", headers=h)).content)
    assert "2026-04-02 2026-03-20" in april and "Totaal verdiend in 2026-04: EUR 4,10" in april
    assert await _grootboek(o, w2, date(2026, 4, 1), date(2026, 4, 30)) == 410


async def test_each_caller_sees_its_own_slips_only(omgeving):
    o = omgeving
    oid, w1, w2 = await _wereld(o)
    pad = f"/v1/wijkwerkers/{w1}/loonbrieven/2026-03"

    async def status(**kw) -> tuple[int, str | None]:
        r = await o.client.get(pad, headers=o.tokens.headers(LEZEN, **kw))
        return r.status_code, (r.json()["rule"] if r.status_code != 200 else None)

    assert await status(org=str(w1), org_type="wijkwerker") == (200, None)  # the worker's own token
    assert await status(org=str(oid), org_type="organisator") == (200, None)  # the worker's organiser
    onbekend = (404, "wijkwerker-onbekend")
    assert await status(org=str(w2), org_type="wijkwerker") == onbekend  # another worker
    assert await status(org=str(uuid.uuid4()), org_type="organisator") == onbekend  # another organiser
    assert await status(org=str(G), org_type="gebruiker") == onbekend
    assert (await o.client.get(pad, headers=o.tokens.headers("cheques:read"))).json()["rule"] == "scope-ontbreekt"
    eigen = await o.client.get(pad, headers=o.tokens.headers(LEZEN, org=str(oid), org_type="organisator"))
    tekst = _tekst(eigen.content)
    assert f"Deel van organisator {oid}" in tekst and "Uitbetaald" not in tekst
    assert "Totaal verdiend in 2026-03: EUR 45,90" in tekst


async def test_the_yearly_statement_of_cheques_bought_and_used(omgeving):
    o = omgeving
    oid, _, _ = await _wereld(o)
    pad = f"/v1/gebruikers/{G}/jaaroverzichten/2026"
    r = await o.client.get(pad, headers=o.tokens.headers(LEZEN, org=str(G), org_type="gebruiker"))
    assert r.status_code == 200, r.text
    tekst = _tekst(r.content)
    assert "Jaaroverzicht wijk-werkcheques 2026" in tekst and str(G) in tekst
    assert "2026-02-20 Org 745 papier 10 EUR 7,45 EUR 74,50" in tekst
    assert "maart 9 EUR 67,05 0 EUR 67,05 0 0" in tekst and "april 1 EUR 7,45 0 EUR 7,45 0 0" in tekst
    assert "Gekocht: 10 cheques, EUR 74,50" in tekst and "Gebruikt (netto): 10 cheques, EUR 74,50" in tekst
    debet = await o.scalar("SELECT sum(debet_cent) FROM grootboek_boekingen WHERE rekening = 'chequegelden'")
    assert debet == 7450  # what the ledger took out of the cheque money

    vorig = _tekst((await o.client.get(f"/v1/gebruikers/{G}/jaaroverzichten/2025",
                                       headers=o.tokens.headers(LEZEN))).content)
    assert "Gekocht: 0 cheques, EUR 0,00" in vorig and "Gebruikt (netto): 0 cheques" in vorig
    assert (await o.client.get(pad, headers=o.tokens.headers(LEZEN, org=str(oid), org_type="organisator"))
            ).status_code == 200
    for kw in ({"org": str(uuid.uuid4()), "org_type": "organisator"},
               {"org": str(uuid.uuid4()), "org_type": "gebruiker"},
               {"org": str(G), "org_type": "wijkwerker"}):
        r = await o.client.get(pad, headers=o.tokens.headers(LEZEN, **kw))
        assert (r.status_code, r.json()["rule"]) == (404, "gebruiker-onbekend"), kw
    fout = await o.client.get(f"/v1/gebruikers/{G}/jaaroverzichten/1999", headers=o.tokens.headers(LEZEN))
    assert (fout.status_code, fout.json()["rule"]) == (422, "jaar-ongeldig")
