"""Issue #21 in cheques: business dates from the request, never the wall clock (defect 6)."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from cheques.adapters.toeleiding import Bankrekening
from cheques.service_layer.uow import ChequesUnitOfWork
from wijkwerk.events import Envelope
from wijkwerk.messaging.consumer import pas_toe

pytestmark = pytest.mark.integration

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}
PAYOUT = ("cheques:payout",)


async def _maart(o):
    """One worker, a prestatie of 2 March 2026 paid with one validated cheque."""
    oid = await o.organisator(745)
    g = uuid.uuid4()
    b = {"type": "bestelling.betaald", "bestelling_id": str(uuid.uuid4()), "gebruiker_id": str(g),
         "organisator_id": str(oid), "aantal": 1, "drager": "papier", "besteld_op": "2026-02-20"}
    await o.ok(b)
    await o.ok({"type": "cheques.uitgegeven", "bestelling_id": b["bestelling_id"], "serienummers": ["D0001"],
                "uitgegeven_op": "2026-02-21"})
    w = uuid.uuid4()
    p = o.prestatie_event(w, g, oid, uuid.uuid4(), date(2026, 3, 2), uren=1, minuten=50, vergoeding=0)
    await o.prestatie(p)
    await o.ok({"type": "cheque.gevalideerd", "serienummer": "D0001", "prestatie_id": str(p.prestatie_id),
                "gevalideerd_op": "2026-03-03"})
    o.toeleiding.rekeningen = {w: Bankrekening("An Peeters", "BE68539007547034")}
    return w


async def _uitvoering(o, periode: str) -> tuple[str, str]:
    """The SEPA file's requested execution date (after a second person approved the run)
    and the event's run date."""
    r = await o.client.post(f"/v1/uitbetalingen/{periode}/goedkeuring", headers=o.tokens.headers(*PAYOUT, sub="controleur"))
    assert r.status_code == 200, r.text
    xml = await o.client.get(f"/v1/uitbetalingen/{periode}/sepa", headers=o.tokens.headers(*PAYOUT))
    datum = ET.fromstring(xml.content).find(".//p:PmtInf/p:ReqdExctnDt/p:Dt", NS).text
    value = await o.scalar("SELECT value FROM outbox WHERE event_type = 'UitbetalingUitgevoerd'")
    return datum, Envelope.from_bytes(value).payload["uitgevoerd_op"]


async def test_the_payout_run_takes_its_dates_from_the_request(omgeving):
    o = omgeving
    await _maart(o)
    r = await o.client.post("/v1/uitbetalingen/2026-03", headers=o.tokens.headers(*PAYOUT),
                            params={"uitgevoerd_op": "2026-04-03", "uitvoeringsdatum": "2026-04-07"})
    assert r.status_code == 200, r.text
    assert await _uitvoering(o, "2026-03") == ("2026-04-07", "2026-04-03")


async def test_the_payout_run_dates_default_to_the_day_after_the_period_not_today(omgeving):
    o = omgeving
    await _maart(o)
    r = await o.client.post("/v1/uitbetalingen/2026-03", headers=o.tokens.headers(*PAYOUT))
    assert r.status_code == 200, r.text
    assert await _uitvoering(o, "2026-03") == ("2026-04-01", "2026-04-01")


async def test_payout_run_dates_that_cannot_be(omgeving):
    o = omgeving
    h = o.tokens.headers(*PAYOUT)
    voor = await o.client.post("/v1/uitbetalingen/2026-03", headers=h, params={"uitgevoerd_op": "2026-02-28"})
    assert (voor.status_code, voor.json()["rule"]) == (422, "periode-in-de-toekomst")
    later = await o.client.post("/v1/uitbetalingen/2026-03", headers=h,
                                params={"uitgevoerd_op": "2026-04-03", "uitvoeringsdatum": "2026-04-02"})
    assert (later.status_code, later.json()["rule"]) == (422, "uitvoeringsdatum-voor-rundatum")
    morgen = date.today() + timedelta(days=1)
    toekomst = await o.client.post(f"/v1/uitbetalingen/{date.today():%Y-%m}", headers=h,
                                   params={"uitgevoerd_op": str(morgen)})
    assert (toekomst.status_code, toekomst.json()["rule"]) == (422, "periode-in-de-toekomst")


async def test_a_split_rate_is_retroactive_only_when_it_would_change_validated_cheques(omgeving):
    """Like an organiser tariff, a split rate may start on any date (loading history);
    it is refused tarief-terugwerkend only when validated cheques were split with the rate
    it would replace: by prestatie date for pay, insurance and travel fund, by order date
    and carrier for the issuer fee, by issue date for the validity."""
    o = omgeving
    await _maart(o)  # a paper cheque ordered 2026-02-20, issued 2026-02-21, prestatie 2026-03-02
    admin = o.tokens.headers("cheques:admin")

    async def post(soort: str, vanaf: str, waarde: int = 450):
        return await o.client.post("/v1/verdeeltarieven", headers=admin,
                                   json={"soort": soort, "waarde": waarde, "geldig_vanaf": vanaf})

    for soort, vanaf in (("loon_per_uur", "2026-03-02"), ("verzekering", "2026-01-01"),
                         ("uitgeverkost_papier", "2026-02-20"), ("geldigheid_maanden", "2026-02-01")):
        r = await post(soort, vanaf, 13 if soort == "geldigheid_maanden" else 45)
        assert (r.status_code, r.json()["rule"], r.json()["cheques"]) == (422, "tarief-terugwerkend", 1), soort
    for soort, vanaf in (("loon_per_uur", "2026-03-03"), ("uitgeverkost_elektronisch", "2026-02-01"),
                         ("uitgeverkost_papier", "2026-02-21"), ("reisfonds", "2026-03-03")):
        r = await post(soort, vanaf)
        assert r.status_code == 201, (soort, r.text)


async def test_an_order_needs_an_active_erkenning_of_the_gebruiker_at_that_organiser(omgeving):
    """Defect 4 (A-14): a cheque is bound to the gebruiker and the organiser it was bought
    for, so an order for an organiser where the gebruiker holds no active erkenning on the
    order date is refused; one the erkenning of which has not reached cheques yet is a
    retryable 409 (its event is on its way)."""
    from cheques.service_layer.consumenten import prestaties
    from wijkwerk.events import prestaties as p

    o = omgeving
    oid, ander = await o.organisator(745), await o.organisator(745)
    g, eid = uuid.uuid4(), uuid.uuid4()

    def order(organisator, besteld_op="2026-03-02") -> dict:
        return {"type": "bestelling.betaald", "bestelling_id": str(uuid.uuid4()), "gebruiker_id": str(g),
                "organisator_id": str(organisator), "aantal": 5, "drager": "papier", "besteld_op": besteld_op}

    onbekend = await o.webhook(order(oid), erkenning=False)
    assert (onbekend.status_code, onbekend.json()["rule"]) == (409, "erkenning-nog-onbekend")
    assert "retry-after" in onbekend.headers
    events = [
        p.ErkenningVerleend(gebruiker_id=g, erkenning_id=eid, organisator_id=oid, gebruiker_categorie="school",
                            geldig_van=date(2026, 1, 5), geldig_tot=date(2027, 1, 4), inschrijvingsrecht_cent=750,
                            overeenkomst_op=None),
        p.ErkenningOndertekend(gebruiker_id=g, erkenning_id=eid, organisator_id=oid, overeenkomst_op=date(2026, 1, 10)),
        p.InschrijvingsrechtBetaald(gebruiker_id=g, erkenning_id=eid, organisator_id=oid, bedrag_cent=750, jaar=2026,
                                    geldig_van=date(2026, 1, 5), geldig_tot=date(2027, 1, 4),
                                    betaald_op=date(2026, 2, 1)),
        p.ErkenningStopgezet(gebruiker_id=g, erkenning_id=eid, organisator_id=oid, einde=date(2026, 6, 30),
                             reden="gebruiker stopt"),
    ]
    async with o.sessions() as session, session.begin():
        for e in events:
            await pas_toe(prestaties.HANDLERS[type(e)], e, ChequesUnitOfWork.joined(session, envelope=Envelope.wrap(e, producer="prestaties")))
    for datum, rule in (("2026-01-20", "geen-actieve-erkenning"),  # signed, not paid yet
                        ("2026-07-01", "geen-actieve-erkenning")):  # stopped
        r = await o.webhook(order(oid, datum), erkenning=False)
        assert (r.status_code, r.json()["rule"]) == (422, rule), datum
    elders = await o.webhook(order(ander), erkenning=False)  # no erkenning at the other organiser
    assert (elders.status_code, elders.json()["rule"]) == (409, "erkenning-nog-onbekend")
    assert (await o.webhook(order(oid), erkenning=False)).status_code == 200


async def test_a_split_rate_laid_down_while_a_validation_is_in_flight_waits_and_counts_it(omgeving):
    """The retroactive check counts the cheques already split; a validation still in flight
    (uncommitted) would escape it and keep the rate the new row replaces. The new rate waits
    for the split in flight and then refuses, as it would after it."""
    import asyncio

    from sqlalchemy import text

    from cheques.service_layer import commands
    from cheques.service_layer.uow import ChequesUnitOfWork
    from cheques.service_layer.webhooks import valideer_cheque
    from wijkwerk_platform.testing import async_wait_until

    o = omgeving
    oid, g, w = await o.organisator(745), uuid.uuid4(), uuid.uuid4()
    b = {"type": "bestelling.betaald", "bestelling_id": str(uuid.uuid4()), "gebruiker_id": str(g),
         "organisator_id": str(oid), "aantal": 1, "drager": "papier", "besteld_op": "2026-02-20"}
    await o.ok(b)
    await o.ok({"type": "cheques.uitgegeven", "bestelling_id": b["bestelling_id"], "serienummers": ["V0001"],
                "uitgegeven_op": "2026-02-21"})
    p = o.prestatie_event(w, g, oid, uuid.uuid4(), date(2026, 5, 4), uren=1, minuten=50, vergoeding=0)
    await o.prestatie(p)

    uow = ChequesUnitOfWork(o.sessions)
    async with uow:  # the issuer's validation, split and booked but not committed yet
        await valideer_cheque(commands.ValideerCheque("V0001", p.prestatie_id, date(2026, 5, 5)), uow, "vdab")
        nieuw = asyncio.create_task(o.client.post(
            "/v1/verdeeltarieven", headers=o.tokens.headers("cheques:admin"),
            json={"soort": "loon_per_uur", "waarde": 450, "geldig_vanaf": "2026-05-01"}))

        async def wacht_op_het_slot() -> bool:
            async with o.engine.connect() as conn:
                return bool(await conn.scalar(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'")))

        await async_wait_until(wacht_op_het_slot, timeout=20)
        assert not nieuw.done()
        await uow.commit()
    r = await asyncio.wait_for(nieuw, 20)
    assert (r.status_code, r.json()["rule"], r.json()["cheques"]) == (422, "tarief-terugwerkend", 1)
