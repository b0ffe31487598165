"""Issuer webhooks on a real PostgreSQL: signatures, staleness and skew, redeliveries with
one effect, bad payloads and broken rules as problem documents with nothing written."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import date

import orjson
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from wijkwerk.db import create_engine
from wijkwerk.events import Envelope
from wijkwerk_platform.testing import superuser_url

pytestmark = pytest.mark.integration

G = uuid.uuid4()


def bestelling(oid, *, aantal=5, drager="papier", besteld_op="2026-01-05", bid=None) -> dict:
    return {"type": "bestelling.betaald", "bestelling_id": str(bid or uuid.uuid4()), "gebruiker_id": str(G),
            "organisator_id": str(oid), "aantal": aantal, "drager": drager, "besteld_op": besteld_op}


def uitgifte(bid, serienummers, op="2026-01-06") -> dict:
    return {"type": "cheques.uitgegeven", "bestelling_id": bid, "serienummers": serienummers, "uitgegeven_op": op}


def validatie(serie, prestatie_id, op="2026-03-05") -> dict:
    return {"type": "cheque.gevalideerd", "serienummer": serie, "prestatie_id": str(prestatie_id), "gevalideerd_op": op}


async def cheques_met_prestatie(o, *, prijs=745, drager="papier", aantal=5, vergoeding=300, datum=date(2026, 3, 2)):
    oid = await o.organisator(prijs)
    b = bestelling(oid, aantal=aantal, drager=drager)
    await o.ok(b)
    series = [f"S{uuid.uuid4().hex[:10]}" for _ in range(aantal)]
    await o.ok(uitgifte(b["bestelling_id"], series))
    p = o.prestatie_event(uuid.uuid4(), G, oid, uuid.uuid4(), datum, vergoeding=vergoeding)
    await o.prestatie(p)
    return oid, series, p


async def outbox(o) -> list[str]:
    async with o.engine.connect() as conn:
        return list((await conn.scalars(text("SELECT event_type FROM outbox ORDER BY id"))).all())


async def test_order_issue_and_validation_post_a_balanced_split_and_emit_events(omgeving):
    o = omgeving
    oid, series, p = await cheques_met_prestatie(o, prijs=595, drager="elektronisch")
    assert (await o.ok(validatie(series[0], p.prestatie_id)))["verwerkt"] is True
    assert await outbox(o) == ["ChequesBesteld", "ChequesUitgegeven", "ChequeGevalideerd",
                               "VerplaatsingsvergoedingToegekend"]
    async with o.engine.connect() as conn:
        rows = dict((await conn.execute(text(
            "SELECT rekening, sum(credit_cent) FROM grootboek_boekingen b JOIN grootboek_transacties t "
            "ON t.id = b.transactie_id WHERE t.sleutel = :k GROUP BY rekening"), {"k": f"cheque:{series[0]}"})).all())
        value = await conn.scalar(text("SELECT value FROM outbox WHERE event_type = 'ChequeGevalideerd'"))
    assert rows == {"chequegelden": 0, f"wijkwerker:{p.wijkwerker_id}": 410, "verzekering": 42, "reisfonds": 10,
                    "uitgever": 48, f"organisator:{oid}": 85}
    event = Envelope.from_bytes(value)
    assert event.payload["prestatie_datum"] == "2026-03-02" and event.payload["gevalideerd_op"] == "2026-03-05"
    assert event.payload["organisator_cent"] == 85 and event.payload["prijs_cent"] == 595
    cheque = await o.client.get(f"/v1/cheques/{series[0]}", headers=o.tokens.headers("cheques:read"))
    assert (cheque.json()["status"], cheque.json()["prijs"]) == ("gevalideerd", "5.95")


async def test_a_redelivery_is_acknowledged_with_one_effect(omgeving):
    o = omgeving
    _, series, p = await cheques_met_prestatie(o)
    body = validatie(series[0], p.prestatie_id)
    assert (await o.ok(body, delivery="lev-1"))["verwerkt"] is True
    before = await o.tellingen()
    again = await o.ok(body, delivery="lev-1", ts=int(time.time()) - 10)
    assert again["verwerkt"] is False
    assert await o.tellingen() == before


async def test_concurrent_redeliveries_of_one_order_record_one_order_and_one_event(omgeving):
    """Issue #21 (must show) for the cheque order: an issuer that retries a delivery (the same
    ``webhook-id``) while the first is still being processed gets one order and one event."""
    o = omgeving
    oid = await o.organisator()
    b = bestelling(oid)
    await o.erkenning(b["gebruiker_id"], b["organisator_id"])
    before = await o.tellingen()
    antwoorden = await asyncio.gather(*(o.webhook(b, delivery="lev-gelijktijdig", erkenning=False) for _ in range(8)))
    assert {r.status_code for r in antwoorden} == {200}, [r.text for r in antwoorden]
    assert sum(r.json()["verwerkt"] for r in antwoorden) == 1  # one took effect, the others were acknowledged
    after = await o.tellingen()
    assert (after["bestellingen"] - before["bestellingen"], after["webhook_inbox"] - before["webhook_inbox"]) == (1, 1)
    assert await outbox(o) == ["ChequesBesteld"]


@pytest.mark.parametrize(
    ("kwargs", "rule"),
    [
        ({"geheim": "not-the-secret"}, "handtekening-ongeldig"),
        ({"ts": -301}, "webhook-verouderd"),  # seconds from now, taken when the test runs
        ({"ts": +120}, "webhook-uit-de-toekomst"),
        ({"uitgever": "onbekend"}, "handtekening-ongeldig"),
    ],
)
async def test_a_bad_stale_or_future_signature_is_a_401_and_writes_nothing(omgeving, kwargs, rule):
    o = omgeving
    oid = await o.organisator()
    before = await o.tellingen()
    if "ts" in kwargs:  # not at collection: the suite may run this test minutes later
        kwargs = {**kwargs, "ts": int(time.time()) + kwargs["ts"]}
    r = await o.webhook(bestelling(oid), **kwargs)
    assert (r.status_code, r.json()["rule"]) == (401, rule)
    assert r.headers["content-type"] == "application/problem+json"
    assert await o.tellingen() == before


async def test_an_unsigned_webhook_is_a_401(omgeving):
    r = await omgeving.client.post("/v1/webhooks/vdab", json={"type": "cheque.vervallen"})
    assert (r.status_code, r.json()["rule"]) == (401, "handtekening-ontbreekt")


@pytest.mark.parametrize(
    "change",
    [
        {"type": "bestelling.geannuleerd"},
        {"drager": "factuur"},
        {"aantal": 0},
        {"onbekend_veld": 1},
        {"besteld_op": "gisteren"},
    ],
)
async def test_a_bad_payload_is_a_422_and_writes_nothing(omgeving, change):
    o = omgeving
    oid = await o.organisator()
    before = await o.tellingen()
    r = await o.webhook({**bestelling(oid), **change})
    assert (r.status_code, r.json()["rule"]) == (422, "ongeldige-invoer")
    r = await o.webhook({}, raw=b"{not json")
    assert (r.status_code, r.json()["rule"]) == (422, "ongeldige-invoer")
    assert await o.tellingen() == before


async def test_validation_rules_refuse_with_their_rule_and_write_nothing(omgeving):
    o = omgeving
    oid, series, p = await cheques_met_prestatie(o, aantal=5)
    for serie in series[:3]:
        await o.ok(validatie(serie, p.prestatie_id))
    ander = o.prestatie_event(p.wijkwerker_id, uuid.uuid4(), oid, p.koppeling_id, date(2026, 3, 2))
    await o.prestatie(ander)
    na_geldigheid = o.prestatie_event(p.wijkwerker_id, G, oid, p.koppeling_id, date(2027, 1, 6))
    await o.prestatie(na_geldigheid)
    await o.ok({"type": "cheque.vervallen", "serienummer": series[4], "vervallen_op": "2027-01-06"})
    before = await o.tellingen()
    cases = [
        (validatie(series[0], p.prestatie_id), 409, "cheque-al-gebruikt"),
        (validatie(series[3], p.prestatie_id), 422, "meer-cheques-dan-uren"),
        (validatie(series[3], ander.prestatie_id), 422, "cheque-andere-gebruiker"),
        (validatie(series[4], na_geldigheid.prestatie_id, op="2027-01-07"), 422, "cheque-vervallen"),
        (validatie(series[3], na_geldigheid.prestatie_id, op="2027-01-07"), 422, "cheque-vervallen"),
        (validatie(series[3], uuid.uuid4()), 409, "prestatie-nog-onbekend"),  # retryable (issue #21, item 9)
        (validatie(series[0], uuid.uuid4()), 409, "cheque-al-gebruikt"),  # the cheque's own refusal first
        (validatie(series[4], uuid.uuid4()), 409, "prestatie-nog-onbekend"),  # expiry waits for its date
        ({"type": "cheque.vervallen", "serienummer": series[3], "vervallen_op": "2027-01-05"}, 422,
         "cheque-nog-geldig"),  # valid through 5 January 2027
        (validatie("ONBEKEND1", p.prestatie_id), 422, "cheque-onbekend"),
        (uitgifte(str(uuid.uuid4()), ["X1"]), 422, "bestelling-onbekend"),
        (bestelling(uuid.uuid4()), 409, "organisator-nog-onbekend"),  # retryable: still on its way
        (bestelling(oid, besteld_op="2000-01-01"), 422, "tarief-onbekend"),  # known, no tariff that day
        ({"type": "cheque.terugbetaald", "serienummer": series[0], "terugbetaald_op": "2026-04-01"}, 409,
         "cheque-al-gebruikt"),
    ]
    for body, status, rule in cases:
        r = await o.webhook(body)
        assert (r.status_code, r.json()["rule"]) == (status, rule), body
    assert await o.tellingen() == before
    assert await o.scalar("SELECT count(*) FROM cheques WHERE status = 'gevalideerd'") == 3


async def test_an_order_is_never_issued_beyond_its_count_nor_a_serial_twice(omgeving):
    o = omgeving
    oid = await o.organisator()
    b = bestelling(oid, aantal=2)
    await o.ok(b)
    r = await o.webhook(uitgifte(b["bestelling_id"], ["A1", "A2", "A3"]))
    assert r.json()["rule"] == "meer-cheques-dan-besteld"
    await o.ok(uitgifte(b["bestelling_id"], ["A1"]))
    b2 = bestelling(oid, aantal=2)
    await o.ok(b2)
    r = await o.webhook(uitgifte(b2["bestelling_id"], ["A1"]))
    assert (r.status_code, r.json()["rule"]) == (409, "serienummer-bestaat-al")
    assert (await o.webhook(b)).json()["rule"] == "bestelling-bestaat-al"


async def test_the_travel_allowance_is_posted_once_per_day_and_placement(omgeving):
    o = omgeving
    oid, series, p = await cheques_met_prestatie(o, aantal=5)
    zelfde_dag = o.prestatie_event(p.wijkwerker_id, G, oid, p.koppeling_id, p.datum, uren=2)
    await o.prestatie(zelfde_dag)
    await o.ok(validatie(series[0], p.prestatie_id))
    await o.ok(validatie(series[1], p.prestatie_id, op="2026-04-02"))
    await o.ok(validatie(series[2], zelfde_dag.prestatie_id))
    assert await o.scalar("SELECT count(*) FROM grootboek_transacties WHERE soort = 'verplaatsingsvergoeding'") == 1
    assert (await outbox(o)).count("VerplaatsingsvergoedingToegekend") == 1
    saldo = await o.scalar(
        "SELECT sum(credit_cent - debet_cent) FROM grootboek_boekingen WHERE rekening = :r",
        r=f"wijkwerker:{p.wijkwerker_id}")
    assert saldo == 3 * 410 + 300


async def test_the_ledger_refuses_an_unbalanced_transaction_and_any_rewrite(omgeving):
    o = omgeving
    async with o.engine.connect() as conn:
        await conn.execute(text(
            "INSERT INTO grootboek_transacties (id, sleutel, soort, boekdatum, boekmaand, omschrijving) "
            "OVERRIDING SYSTEM VALUE VALUES (1, 'test:1', 'test', '2026-03-05', '2026-03-01', 'scheef')"))
        await conn.execute(text(
            "INSERT INTO grootboek_boekingen (transactie_id, rekening, debet_cent, credit_cent) VALUES "
            "(1, 'bank', 100, 0), (1, 'reisfonds', 0, 99)"))
        with pytest.raises(DBAPIError, match="niet in evenwicht"):
            await conn.commit()
    async with o.engine.connect() as conn:
        await conn.execute(text(
            "INSERT INTO grootboek_transacties (id, sleutel, soort, boekdatum, boekmaand, omschrijving) "
            "OVERRIDING SYSTEM VALUE VALUES (2, 'test:2', 'test', '2026-03-05', '2026-03-01', 'leeg')"))
        with pytest.raises(DBAPIError, match="geen boekingen"):
            await conn.commit()
    _, series, p = await cheques_met_prestatie(o)
    await o.ok(validatie(series[0], p.prestatie_id))
    async with o.engine.connect() as conn:  # the service's role has no right to
        with pytest.raises(DBAPIError, match="permission denied"):
            await conn.execute(text("UPDATE grootboek_boekingen SET credit_cent = credit_cent + 1"))
    superuser = create_engine(superuser_url(o.engine.url.render_as_string(hide_password=False)), pool_size=1)
    try:  # and a role that has is stopped by the trigger
        async with superuser.connect() as conn:
            with pytest.raises(DBAPIError, match="niet gewijzigd"):
                await conn.execute(text("UPDATE grootboek_boekingen SET credit_cent = credit_cent + 1"))
    finally:
        await superuser.dispose()
    assert await o.scalar("SELECT count(*) FROM grootboek_transacties WHERE sleutel LIKE 'test:%'") == 0


async def test_refund_and_expiry_of_unused_cheques_emit_events(omgeving):
    o = omgeving
    _, series, _ = await cheques_met_prestatie(o)
    await o.ok({"type": "cheque.terugbetaald", "serienummer": series[0], "terugbetaald_op": "2026-04-01"})
    await o.ok({"type": "cheque.vervallen", "serienummer": series[1], "vervallen_op": "2027-01-06"})
    assert (await outbox(o))[-2:] == ["ChequeTerugbetaald", "ChequeVervallen"]
    r = await o.webhook({"type": "cheque.vervallen", "serienummer": series[0], "vervallen_op": "2027-01-06"})
    assert r.json()["rule"] == "cheque-terugbetaald"
    assert orjson.loads((await o.client.get(f"/v1/cheques/{series[1]}", headers=o.tokens.headers("cheques:read"))
                         ).content)["status"] == "vervallen"


async def test_a_lapsed_cheque_submitted_late_still_pays_a_prestatie_within_its_validity(omgeving):
    """A-21: validity is judged on the prestatie date (2 March 2026, valid through 5 January
    2027), not on the day the cheque is submitted nor on the issuer's lapse report."""
    o = omgeving
    _, series, p = await cheques_met_prestatie(o)
    await o.ok({"type": "cheque.vervallen", "serienummer": series[1], "vervallen_op": "2027-01-06"})
    await o.ok(validatie(series[1], p.prestatie_id, op="2027-02-01"))
    cheque = orjson.loads((await o.client.get(f"/v1/cheques/{series[1]}", headers=o.tokens.headers("cheques:read"))
                           ).content)
    assert cheque["status"] == "gevalideerd"
    assert (await outbox(o))[-2:] == ["ChequeGevalideerd", "VerplaatsingsvergoedingToegekend"]


def bundel(series, prestatie_id, op="2026-03-05") -> dict:
    return {"type": "cheques.gevalideerd", "serienummers": series, "prestatie_id": str(prestatie_id),
            "gevalideerd_op": op}


async def test_a_bundle_validates_each_cheque_as_if_alone_or_none_of_them(omgeving):
    o = omgeving
    oid, series, p = await cheques_met_prestatie(o, aantal=5)  # the prestatie has 3 started hours
    before = await o.tellingen()
    for body, status, rule in [
        (bundel(series[:4], p.prestatie_id), 422, "meer-cheques-dan-uren"),  # the fourth is one too many
        (bundel([series[0], series[0]], p.prestatie_id), 422, "serienummer-dubbel"),
        (bundel([series[0], "ONBEKEND1"], p.prestatie_id), 422, "cheque-onbekend"),
    ]:
        r = await o.webhook(body)
        assert (r.status_code, r.json()["rule"]) == (status, rule), body
    assert await o.tellingen() == before  # not even the cheques before the refused one

    assert (await o.ok(bundel(series[:3], p.prestatie_id)))["verwerkt"] is True
    # the day's allowance comes with its first cheque, as with single deliveries
    assert await outbox(o) == ["ChequesBesteld", "ChequesUitgegeven", "ChequeGevalideerd",
                               "VerplaatsingsvergoedingToegekend", "ChequeGevalideerd", "ChequeGevalideerd"]
    assert await o.scalar("SELECT count(*) FROM cheques WHERE status = 'gevalideerd'") == 3
    saldo = await o.scalar("SELECT sum(credit_cent - debet_cent) FROM grootboek_boekingen WHERE rekening = :r",
                           r=f"wijkwerker:{p.wijkwerker_id}")
    assert saldo == 3 * 410 + 300
    r = await o.webhook(bundel([series[3]], p.prestatie_id))
    assert (r.status_code, r.json()["rule"]) == (422, "meer-cheques-dan-uren")


async def test_a_posting_and_its_event_name_the_issuer_that_caused_it(omgeving):
    """The audit trail (issue #18): a validation's ledger transaction, its event's metadata
    and the audit record name the issuer whose signed webhook caused them."""
    o = omgeving
    _, series, p = await cheques_met_prestatie(o)
    await o.ok(validatie(series[0], p.prestatie_id))
    door = await o.scalar(f"SELECT door_subject || '/' || door_org_type FROM grootboek_transacties "
                          f"WHERE sleutel = 'cheque:{series[0]}'")
    assert door == "vdab/uitgever"
    async with o.engine.connect() as conn:
        value = await conn.scalar(text("SELECT value FROM outbox WHERE event_type = 'ChequeGevalideerd'"))
        record = (await conn.execute(text(
            "SELECT subject, org_type FROM audit WHERE handeling = 'ChequeGevalideerd'"))).one()
    assert Envelope.from_bytes(value).actor.model_dump() == {"subject": "vdab", "org": "vdab", "org_type": "uitgever"}
    assert tuple(record) == ("vdab", "uitgever")
