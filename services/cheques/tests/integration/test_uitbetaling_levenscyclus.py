"""The payout run's lifecycle on a real PostgreSQL (issue #18 item 2): four eyes, steps in
order only, the bank's pain.002 rejection and camt.054 return booked back (a balanced
storno on the bank's date), and the next run paying that money again to the corrected
account. The bank files are built by the test bank from the run's own SEPA file."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta

import pytest
from prometheus_client import REGISTRY

from cheques import testbank
from cheques.adapters.toeleiding import Bankrekening

pytestmark = pytest.mark.integration

G = uuid.uuid4()
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}
AUTEUR, CONTROLEUR = "boekhouder-1", "controleur-2"


def _h(o, sub: str = AUTEUR) -> dict:
    return o.tokens.headers("cheques:payout", sub=sub)


async def _wereld(o) -> tuple[uuid.UUID, uuid.UUID]:
    """W1 and W2 each work one day in March (3 cheques, 3.00 travel: 15.30); W1 one day in
    April too. Every cheque is validated the day after."""
    oid = await o.organisator(745)
    bid = str(uuid.uuid4())
    await o.ok({"type": "bestelling.betaald", "bestelling_id": bid, "gebruiker_id": str(G), "organisator_id": str(oid),
                "aantal": 9, "drager": "papier", "besteld_op": "2026-02-20"})
    series = [f"L{uuid.uuid4().hex[:6]}{i}" for i in range(9)]
    await o.ok({"type": "cheques.uitgegeven", "bestelling_id": bid, "serienummers": series, "uitgegeven_op": "2026-02-21"})
    w1, w2 = uuid.uuid4(), uuid.uuid4()
    for i, (w, dag) in enumerate(((w1, date(2026, 3, 2)), (w2, date(2026, 3, 3)), (w1, date(2026, 4, 6)))):
        p = o.prestatie_event(w, G, oid, uuid.uuid4(), dag, uren=3, minuten=130, vergoeding=300)
        await o.prestatie(p)
        for serie in series[3 * i: 3 * i + 3]:
            await o.ok({"type": "cheque.gevalideerd", "serienummer": serie, "prestatie_id": str(p.prestatie_id),
                        "gevalideerd_op": str(dag + timedelta(days=1))})
    o.toeleiding.rekeningen = {w1: Bankrekening("An Peeters", "BE68539007547034"),
                               w2: Bankrekening("Bart Claes", "BE62510007547061")}
    return w1, w2


async def _post(o, pad: str, sub: str = AUTEUR, **kw) -> dict:
    r = await o.client.post(pad, headers=_h(o, sub) | kw.pop("headers", {}), **kw)
    assert r.status_code == 200, r.text
    return r.json()


async def _verzonden(o, periode: str) -> tuple[dict, bytes]:
    """Drawn up by one person, approved by another, file downloaded and sent."""
    await _post(o, f"/v1/uitbetalingen/{periode}")
    await _post(o, f"/v1/uitbetalingen/{periode}/goedkeuring", sub=CONTROLEUR)
    r = await o.client.get(f"/v1/uitbetalingen/{periode}/sepa", headers=_h(o))
    assert r.status_code == 200, r.text
    return await _post(o, f"/v1/uitbetalingen/{periode}/verzending"), r.content


def _e2e(run: dict, w: uuid.UUID) -> str:
    return next(u["end_to_end_id"] for u in run["uitbetalingen"] if u["wijkwerker_id"] == str(w))


async def _bank(o, pad: str, inhoud: bytes, sub: str = AUTEUR):
    return await o.client.post(pad, content=inhoud, headers=_h(o, sub) | {"content-type": "application/xml"})


async def _saldo(o, rekening: str) -> int:
    return await o.scalar("SELECT coalesce(sum(credit_cent - debet_cent), 0) FROM grootboek_boekingen "
                          "WHERE rekening = :r", r=rekening)


async def test_four_eyes_and_steps_in_order_only(omgeving):
    o = omgeving
    await _wereld(o)
    run = await _post(o, "/v1/uitbetalingen/2026-03")
    assert run["status"] == "opgesteld" and run["stappen"][0]["door"] == AUTEUR
    for methode, pad, regel in (
        ("GET", "/v1/uitbetalingen/2026-03/sepa", "uitbetaling-status-ongeldig"),
        ("POST", "/v1/uitbetalingen/2026-03/verzending", "uitbetaling-status-ongeldig"),
    ):
        r = await o.client.request(methode, pad, headers=_h(o))
        assert (r.status_code, r.json()["rule"]) == (409, regel), r.text
    r = await o.client.post("/v1/uitbetalingen/2026-03/goedkeuring", headers=_h(o))  # the author
    assert (r.status_code, r.json()["rule"]) == (403, "uitbetaling-vier-ogen")
    assert r.headers["content-type"].startswith("application/problem+json")
    r = await o.client.post("/v1/uitbetalingen/2026-03/goedkeuring", headers=o.tokens.headers("cheques:read", sub="x"))
    assert (r.status_code, r.json()["rule"]) == (403, "scope-ontbreekt")
    run = await _post(o, "/v1/uitbetalingen/2026-03/goedkeuring", sub=CONTROLEUR)
    assert run["status"] == "goedgekeurd"
    r = await o.client.post("/v1/uitbetalingen/2026-03/goedkeuring", headers=_h(o, "derde"))
    assert (r.status_code, r.json()["rule"]) == (409, "uitbetaling-status-ongeldig")
    pain001 = (await o.client.get("/v1/uitbetalingen/2026-03/sepa", headers=_h(o))).content
    rapport = testbank.statusrapport(pain001, op=datetime(2026, 4, 3, 9))
    r = await _bank(o, "/v1/bankberichten/statusrapport", rapport)  # not sent yet
    assert (r.status_code, r.json()["rule"]) == (409, "uitbetaling-status-ongeldig")
    run = await _post(o, "/v1/uitbetalingen/2026-03/verzending")
    assert [(s["stap"], s["door"]) for s in run["stappen"]] == [
        ("opgesteld", AUTEUR), ("goedgekeurd", CONTROLEUR), ("verzonden", AUTEUR)]


async def test_a_rejected_transfer_is_booked_back_and_paid_again_to_the_corrected_account(omgeving):
    o = omgeving
    w1, w2 = await _wereld(o)
    maart, pain001 = await _verzonden(o, "2026-03")
    assert {u["wijkwerker_id"]: u["bedrag"] for u in maart["uitbetalingen"]} == {str(w1): "15.30", str(w2): "15.30"}
    e1, e2 = _e2e(maart, w1), _e2e(maart, w2)

    # An invalid file is refused whole, naming the rule: nothing changes.
    voor = await o.tellingen()
    slecht = testbank.statusrapport(pain001, op=datetime(2026, 4, 3, 9)).replace(b"<GrpSts>ACSC", b"<GrpSts>NOPE!")
    r = await _bank(o, "/v1/bankberichten/statusrapport", slecht)
    assert (r.status_code, r.json()["rule"]) == (422, "bankbestand-ongeldig")
    assert await o.tellingen() == voor

    rapport = testbank.statusrapport(pain001, op=datetime(2026, 4, 3, 9, 30), groepstatus="PART",
                                     transacties={e1: ("RJCT", "AC04")})
    run = await _bank(o, "/v1/bankberichten/statusrapport", rapport)
    assert run.status_code == 200, run.text
    run = run.json()
    assert run["status"] == "bevestigd"
    assert {u["end_to_end_id"]: (u["status"], u["reden"], u["bankdatum"]) for u in run["uitbetalingen"]} == {
        e1: ("geweigerd", "AC04", "2026-04-03"), e2: ("betaald", None, "2026-04-03")}
    # The storno: balanced, in cents, on the bank's date; W1's March pay is payable again.
    storno = await o.scalar("SELECT boekdatum FROM grootboek_transacties WHERE sleutel = :s",
                            s=f"storno:uitbetaling:2026-03:{w1}")
    assert storno == date(2026, 4, 3)
    assert await _saldo(o, f"wijkwerker:{w1}") == 1530 + 1530  # March's again, and April's
    assert await _saldo(o, f"wijkwerker:{w2}") == 0
    assert await o.scalar("SELECT sum(debet_cent) - sum(credit_cent) FROM grootboek_boekingen") == 0
    value = await o.scalar("SELECT value FROM outbox WHERE event_type = 'UitbetalingTeruggeboekt'")
    assert b"BE68" not in value and b"Peeters" not in value and b'"bedrag_cent":1530' in value

    # The same report again changes nothing.
    voor = await o.tellingen()
    assert (await _bank(o, "/v1/bankberichten/statusrapport", rapport)).json() == run
    assert await o.tellingen() == voor

    # W1's account is fixed; April's run pays March's 15.30 again plus April's 15.30, to the new IBAN.
    o.toeleiding.rekeningen[w1] = Bankrekening("An Peeters", "BE71096123456769")
    april, pain001_april = await _verzonden(o, "2026-04")
    assert [(u["wijkwerker_id"], u["bedrag"]) for u in april["uitbetalingen"]] == [(str(w1), "30.60")]
    tx = ET.fromstring(pain001_april).find(".//p:CdtTrfTxInf", NS)
    assert tx.find("p:CdtrAcct/p:Id/p:IBAN", NS).text == "BE71096123456769"
    assert b"BE68539007547034" not in pain001_april
    ok = await _bank(o, "/v1/bankberichten/statusrapport", testbank.statusrapport(pain001_april, op=datetime(2026, 5, 4)))
    assert ok.json()["status"] == "bevestigd"
    assert await _saldo(o, f"wijkwerker:{w1}") == 0

    historiek = (await o.client.get(f"/v1/wijkwerkers/{w1}/uitbetalingen", headers=_h(o))).json()
    assert [(u["periode"], u["bedrag"], u["status"], u["reden"]) for u in historiek["uitbetalingen"]] == [
        ("2026-03", "15.30", "geweigerd", "AC04"), ("2026-04", "30.60", "betaald", None)]


async def test_a_returned_transfer_is_booked_back_on_the_booking_date_and_paid_in_the_next_run(omgeving):
    o = omgeving
    w1, w2 = await _wereld(o)
    maart, pain001 = await _verzonden(o, "2026-03")
    await _bank(o, "/v1/bankberichten/statusrapport", testbank.statusrapport(pain001, op=datetime(2026, 4, 2)))
    e2 = _e2e(maart, w2)
    melding = testbank.debetmelding(pain001, {e2: "AC04"}, boekdatum=date(2026, 4, 9))
    r = await _bank(o, "/v1/bankberichten/debetmelding", melding)
    assert r.status_code == 200, r.text
    assert r.json() | {"bericht_id": None} == {"bericht_id": None, "teruggeboekt": [e2], "al_verwerkt": [], "onbekend": []}
    assert await o.scalar("SELECT boekdatum FROM grootboek_transacties WHERE sleutel = :s",
                          s=f"storno:uitbetaling:2026-03:{w2}") == date(2026, 4, 9)
    voor = await o.tellingen()
    again = (await _bank(o, "/v1/bankberichten/debetmelding", melding)).json()
    assert (again["teruggeboekt"], again["al_verwerkt"]) == ([], [e2])
    assert await o.tellingen() == voor
    # A return of another transfer, with the wrong amount, is refused whole.
    e1 = _e2e(maart, w1)
    fout = testbank.debetmelding(pain001, {e1: "MD07"}, boekdatum=date(2026, 4, 10)).replace(b">15.30<", b">15.31<")
    r = await _bank(o, "/v1/bankberichten/debetmelding", fout)
    assert (r.status_code, r.json()["rule"]) == (422, "terugstorting-bedrag-wijkt-af")
    assert await o.tellingen() == voor

    april = await _post(o, "/v1/uitbetalingen/2026-04")
    assert sorted((u["wijkwerker_id"], u["bedrag"]) for u in april["uitbetalingen"]) == sorted(
        [(str(w1), "15.30"), (str(w2), "15.30")])
    historiek = (await o.client.get(f"/v1/wijkwerkers/{w2}/uitbetalingen", headers=_h(o))).json()
    assert [(u["periode"], u["status"], u["rondestatus"]) for u in historiek["uitbetalingen"]] == [
        ("2026-03", "teruggestort", "bevestigd"), ("2026-04", "in_behandeling", "opgesteld")]


def _rondes(state: str) -> float:
    return REGISTRY.get_sample_value("wijkwerk_payout_run_transitions_total",
                                     {"service": "cheques", "state": state}) or 0.0


async def test_a_whole_run_rejected_by_the_bank_makes_everything_payable_again(omgeving):
    o = omgeving
    w1, w2 = await _wereld(o)
    before = {state: _rondes(state) for state in ("opgesteld", "goedgekeurd", "verzonden", "geweigerd")}
    _, pain001 = await _verzonden(o, "2026-03")
    run = (await _bank(o, "/v1/bankberichten/statusrapport",
                       testbank.statusrapport(pain001, op=datetime(2026, 4, 3), groepstatus="RJCT", groepreden="AM04"))).json()
    assert run["status"] == "geweigerd"
    # Each step counted by the state it left the run in (WijkwerkPayoutRunRejected watches geweigerd).
    assert {state: _rondes(state) - n for state, n in before.items()} == {
        "opgesteld": 1, "goedgekeurd": 1, "verzonden": 1, "geweigerd": 1}
    assert {(u["status"], u["reden"]) for u in run["uitbetalingen"]} == {("geweigerd", "AM04")}
    assert await _saldo(o, f"wijkwerker:{w1}") == 1530 + 1530 and await _saldo(o, f"wijkwerker:{w2}") == 1530
    r = await _bank(o, "/v1/bankberichten/statusrapport", testbank.statusrapport(pain001, op=datetime(2026, 4, 4)))
    assert (r.status_code, r.json()["rule"]) == (409, "uitbetaling-status-ongeldig")


async def test_an_organiser_holding_the_payout_scope_is_still_refused(omgeving):
    o = omgeving
    w1, _ = await _wereld(o)
    organisator = o.tokens.headers("cheques:payout", org=str(uuid.uuid4()), org_type="organisator", sub="x")
    for methode, pad in (("POST", "/v1/uitbetalingen/2026-03"), ("POST", "/v1/uitbetalingen/2026-03/goedkeuring"),
                         ("GET", f"/v1/wijkwerkers/{w1}/uitbetalingen"), ("POST", "/v1/bankberichten/statusrapport")):
        r = await o.client.request(methode, pad, headers=organisator)
        assert (r.status_code, r.json()["rule"]) == (403, "alleen-centraal"), pad


async def test_a_return_dated_in_a_closed_month_is_booked_in_the_first_open_month(omgeving):
    o = omgeving
    w1, w2 = await _wereld(o)
    maart, pain001 = await _verzonden(o, "2026-03")
    await _bank(o, "/v1/bankberichten/statusrapport", testbank.statusrapport(pain001, op=datetime(2026, 4, 2)))
    r = await o.client.post("/v1/periodes/2026-04/afsluiting", json={"afgesloten_op": "2026-05-02"},
                            headers=o.tokens.headers("cheques:admin"))
    assert r.status_code == 201, r.text
    e1 = _e2e(maart, w1)
    melding = testbank.debetmelding(pain001, {e1: "AC04"}, boekdatum=date(2026, 4, 28))  # April: closed by now
    assert (await _bank(o, "/v1/bankberichten/debetmelding", melding)).json()["teruggeboekt"] == [e1]
    assert await o.scalar("SELECT boekdatum FROM grootboek_transacties WHERE sleutel = :s",
                          s=f"storno:uitbetaling:2026-03:{w1}") == date(2026, 5, 1)
    event = await o.scalar("SELECT value FROM outbox WHERE event_type = 'UitbetalingTeruggeboekt'")
    assert b'"bankdatum":"2026-04-28"' in event and b'"boekmaand":"2026-05-01"' in event
    historiek = (await o.client.get(f"/v1/wijkwerkers/{w1}/uitbetalingen", headers=_h(o))).json()
    assert [(u["status"], u["bankdatum"]) for u in historiek["uitbetalingen"]][0] == ("teruggestort", "2026-04-28")


async def test_two_approvals_at_once_approve_once_and_a_rejection_and_a_return_at_once_book_back_once(omgeving):
    import asyncio

    o = omgeving
    w1, _ = await _wereld(o)
    await _post(o, "/v1/uitbetalingen/2026-03")
    a, b = await asyncio.gather(*(o.client.post("/v1/uitbetalingen/2026-03/goedkeuring", headers=_h(o, sub))
                                  for sub in ("controleur-2", "controleur-3")))
    assert sorted((a.status_code, b.status_code)) == [200, 409]
    pain001 = (await o.client.get("/v1/uitbetalingen/2026-03/sepa", headers=_h(o))).content
    run = await _post(o, "/v1/uitbetalingen/2026-03/verzending")
    e1 = _e2e(run, w1)
    rapport = testbank.statusrapport(pain001, op=datetime(2026, 4, 3), groepstatus="PART", transacties={e1: ("RJCT", "AC04")})
    melding = testbank.debetmelding(pain001, {e1: "AC04"}, boekdatum=date(2026, 4, 3))
    r1, r2 = await asyncio.gather(_bank(o, "/v1/bankberichten/statusrapport", rapport),
                                  _bank(o, "/v1/bankberichten/debetmelding", melding))
    assert (r1.status_code, r2.status_code) == (200, 200), (r1.text, r2.text)
    assert await o.scalar("SELECT count(*) FROM grootboek_transacties WHERE sleutel = :s",
                          s=f"storno:uitbetaling:2026-03:{w1}") == 1
    assert await o.scalar("SELECT count(*) FROM outbox WHERE event_type = 'UitbetalingTeruggeboekt'") == 1
    assert await _saldo(o, f"wijkwerker:{w1}") == 1530 + 1530
