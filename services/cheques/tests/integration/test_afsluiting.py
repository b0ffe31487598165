"""Issue #17, the monthly period close, on a real PostgreSQL (and broker for the recompute).

One small world of one organiser at 7.45 (and a second one that only bought cheques),
hand-worked below. January is closed on 3 February; then facts dated in January arrive
(a cheque validated on 28 January, a fee paid on 15 January, a prestatie cancelled on 30
January, January's payout run): each is booked on 1 February, the first open month.
February is closed on 2 March.

January, as of 31 January (O, price 745): 8 cheques issued (S1–S6 paper, E1–E2 electronic,
E* issued 10 January 2025, so valid through 9 January 2026):
  validated E1 (8 Jan) and S1–S3 (20 Jan) = 4 · 29.80; refunded S4 = 1 · 7.45; expired E2 = 1
  · 7.45; outstanding S5, S6 = 2 · 14.90. Money in: 4 cheques, 29.80 = worker 4 · 4.10 (16.40)
  + insurance 4 · 0.42 (1.68) + travel fund 4 · 0.10 (0.40) + issuer 3 · 0.58 + 0.48 (2.22) +
  organiser 3 · 2.25 + 2.35 (9.10).
February, as of 28 February: S1–S3 reversed (storno on 1 February): outstanding again; S5
(late, booked 1 February) and S6 (12 February) validated: validated E1, S5, S6 = 3 · 22.35;
refunded 1 · 7.45; expired 1 · 7.45; outstanding S1–S3 = 3 · 22.35. Money in: S5 + S6 − the
storno of S1–S3 = −1 cheque, −7.45 = −4.10 − 0.42 − 0.10 − 0.58 − 2.25.
"""

from __future__ import annotations

import asyncio
import csv
import io
import uuid
from datetime import UTC, date, datetime

import orjson
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from cheques.adapters.toeleiding import Bankrekening
from cheques.config import Settings
from cheques.entrypoints import afsluiting as afsluiting_cli
from cheques.service_layer import terugdraaien
from cheques.service_layer.consumenten.prestaties import HANDLERS
from cheques.service_layer.uow import ChequesUnitOfWork
from wijkwerk.db import create_engine
from wijkwerk.events import Envelope, Event
from wijkwerk.events.prestaties import InschrijvingsrechtBetaald, PrestatieGeannuleerd, PrestatieGeregistreerd
from wijkwerk.events.topics import dlq_topic
from wijkwerk.messaging.admin import ensure_topics
from wijkwerk.messaging.consumer import pas_toe
from wijkwerk.settings import KafkaSettings
from wijkwerk_platform.testing import async_wait_until, superuser_url

pytestmark = pytest.mark.integration

G = uuid.uuid4()
JAN, FEB = date(2026, 1, 1), date(2026, 2, 1)


def _tellingen(**per_stand: tuple[int, str]) -> dict:
    return {k: {"aantal": n, "bedrag": b} for k, (n, b) in per_stand.items()}


class Wereld:
    """The world of the module docstring, built through the webhooks, the prestaties
    handlers (as the consumer calls them) and the API; every prestaties event is kept, so
    a test can put them on a topic for the recompute."""

    def __init__(self, o) -> None:
        self.o = o
        self.prestatie_enveloppen: list[Envelope] = []
        self.w, self.k = uuid.uuid4(), uuid.uuid4()
        tag = uuid.uuid4().hex[:6].upper()
        self.s = [f"S{tag}{i}" for i in range(1, 7)]
        self.e = [f"E{tag}{i}" for i in range(1, 3)]

    async def prestaties_event(self, event: Event, op: datetime | None = None) -> None:
        envelope = Envelope.wrap(event, producer="prestaties", occurred_at=op)
        async with self.o.sessions() as session, session.begin():
            await pas_toe(HANDLERS[type(event)], event, ChequesUnitOfWork.joined(session, envelope=envelope))
        self.prestatie_enveloppen.append(envelope)
        await terugdraaien.voer_uit(lambda: ChequesUnitOfWork(self.o.sessions))

    async def prestatie(self, dag: date, uren: int, vergoeding: int) -> PrestatieGeregistreerd:
        p = self.o.prestatie_event(self.w, G, self.oid, self.k, dag, uren=uren, minuten=60 * uren - 10,
                                   vergoeding=vergoeding)
        await self.prestaties_event(p)
        return p

    async def fee(self, betaald_op: date) -> None:
        await self.prestaties_event(InschrijvingsrechtBetaald(
            gebruiker_id=G, erkenning_id=uuid.uuid4(), organisator_id=self.oid, bedrag_cent=750, jaar=2026,
            geldig_van=date(2026, 1, 1), geldig_tot=date(2026, 12, 31), betaald_op=betaald_op))

    async def bestelling(self, oid, aantal: int, drager: str, op: str, series: list[str] | None = None) -> None:
        bid = str(uuid.uuid4())
        await self.o.ok({"type": "bestelling.betaald", "bestelling_id": bid, "gebruiker_id": str(G),
                         "organisator_id": str(oid), "aantal": aantal, "drager": drager, "besteld_op": op})
        await self.o.ok({"type": "cheques.uitgegeven", "bestelling_id": bid, "uitgegeven_op": op,
                         "serienummers": series or [f"X{uuid.uuid4().hex[:8]}{i}" for i in range(aantal)]})

    async def valideer(self, series: list[str], p: PrestatieGeregistreerd, op: str) -> None:
        await self.o.ok({"type": "cheques.gevalideerd", "serienummers": series, "prestatie_id": str(p.prestatie_id),
                         "gevalideerd_op": op})

    async def sluit(self, periode: str, op: str, **kw):
        headers = self.o.tokens.headers("cheques:admin", **kw)
        return await self.o.client.post(f"/v1/periodes/{periode}/afsluiting", json={"afgesloten_op": op},
                                         headers=headers)

    async def januari(self) -> None:
        self.oid, self.oid2 = await self.o.organisator(745), await self.o.organisator(595)
        await self.bestelling(self.oid, 6, "papier", "2026-01-05", self.s)
        await self.bestelling(self.oid, 2, "elektronisch", "2025-01-10", self.e)
        await self.bestelling(self.oid2, 2, "papier", "2026-01-15")
        p0 = await self.prestatie(date(2026, 1, 5), 1, 0)
        self.p1 = await self.prestatie(date(2026, 1, 12), 3, 300)
        await self.valideer(self.e[:1], p0, "2026-01-08")
        await self.valideer(self.s[:3], self.p1, "2026-01-20")
        await self.o.ok({"type": "cheque.terugbetaald", "serienummer": self.s[3], "terugbetaald_op": "2026-01-25"})
        await self.fee(date(2026, 1, 10))

    async def na_januari(self) -> None:
        """Facts dated in January that arrive after its close, and one of February."""
        p2 = await self.prestatie(date(2026, 1, 26), 2, 450)
        await self.valideer(self.s[4:5], p2, "2026-01-28")
        await self.fee(date(2026, 1, 15))
        p1 = self.p1
        await self.prestaties_event(PrestatieGeannuleerd(
            prestatie_id=p1.prestatie_id, wijkwerker_id=p1.wijkwerker_id, gebruiker_id=p1.gebruiker_id,
            organisator_id=p1.organisator_id, koppeling_id=p1.koppeling_id, datum=p1.datum, door="organisator",
            begonnen_uren=p1.begonnen_uren, reden="niet doorgegaan"), op=datetime(2026, 1, 30, 10, tzinfo=UTC))
        self.o.toeleiding.rekeningen = {self.w: Bankrekening("An", "BE68539007547034")}
        r = await self.o.client.post("/v1/uitbetalingen/2026-01", headers=self.o.tokens.headers("cheques:payout"))
        assert r.status_code == 200 and r.json()["totaal"] == "19.40", r.text
        p3 = await self.prestatie(date(2026, 2, 10), 1, 0)
        await self.valideer(self.s[5:6], p3, "2026-02-12")

    async def bouw(self) -> None:
        await self.januari()
        assert (await self.sluit("2026-01", "2026-02-03")).status_code == 201
        await self.na_januari()
        assert (await self.sluit("2026-02", "2026-03-02")).status_code == 201

    async def outbox(self, soort: str) -> list[dict]:
        async with self.o.engine.connect() as conn:
            rijen = await conn.execute(text("SELECT value FROM outbox WHERE event_type = :t ORDER BY id"), {"t": soort})
            return [orjson.loads(bytes(v))["payload"] for (v,) in rijen]

    async def boekmaand(self, sleutel: str) -> date:
        return await self.o.scalar("SELECT boekmaand FROM grootboek_transacties WHERE sleutel = :s", s=sleutel)


async def test_a_closed_month_takes_no_booking_and_later_facts_land_in_the_first_open_month(omgeving):
    o, wereld = omgeving, Wereld(omgeving)
    await wereld.januari()
    r = await wereld.sluit("2026-01", "2026-02-03")
    assert r.status_code == 201, r.text
    jan = r.json()
    assert (jan["periode"], jan["volgnummer"], jan["vorige_hash"], jan["van"]) == ("2026-01", 1, "0" * 64, "2026-01")

    # The database refuses a row booked into January by any path (the second line).
    for sql in (
        "INSERT INTO grootboek_transacties (sleutel, soort, boekdatum, boekmaand, omschrijving) "
        "VALUES ('handmatig:jan', 'cheque', '2026-01-31', '2026-01-01', 'na de afsluiting')",
        "INSERT INTO grootboek_boekingen (transactie_id, rekening, debet_cent, credit_cent) "
        "SELECT id, 'bank', 1, 0 FROM grootboek_transacties WHERE boekmaand = '2026-01-01' LIMIT 1",
    ):
        with pytest.raises(DBAPIError, match="periode-afgesloten"):
            async with o.engine.begin() as conn:
                await conn.execute(text(sql))

    await wereld.na_januari()
    s5, s1 = wereld.s[4], wereld.s[0]
    # The late validation, its travel allowance, the fee, the storno and January's payout:
    # all booked on 1 February; the events carry that booking month and the facts' own dates.
    assert await wereld.boekmaand(f"cheque:{s5}") == FEB
    assert await o.scalar("SELECT boekdatum FROM grootboek_transacties WHERE sleutel = :s", s=f"cheque:{s5}") == FEB
    assert await o.scalar("SELECT count(*) FROM grootboek_transacties WHERE boekmaand <= '2026-01-01' "
                          "AND geboekt_op > (SELECT geregistreerd_om FROM periode_afsluitingen)") == 0
    assert {(await wereld.boekmaand(f"storno:cheque:{s}")) for s in wereld.s[:3]} == {FEB}
    assert await wereld.boekmaand(f"uitbetaling:2026-01:{wereld.w}") == FEB
    gevalideerd = [e for e in await wereld.outbox("ChequeGevalideerd") if e["serienummer"] == s5]
    assert [(e["gevalideerd_op"], e["boekmaand"]) for e in gevalideerd] == [("2026-01-28", "2026-02-01")]
    reis = await wereld.outbox("VerplaatsingsvergoedingToegekend")
    assert [(e["bedrag_cent"], e["boekmaand"]) for e in reis] == [(300, "2026-01-01"), (450, "2026-02-01")]
    assert [(e["betaald_op"], e["boekmaand"]) for e in await wereld.outbox("InschrijvingsrechtGeboekt")] == [
        ("2026-01-10", "2026-01-01"), ("2026-01-15", "2026-02-01")]
    teruggedraaid = {e["serienummer"]: e for e in await wereld.outbox("ChequeValidatieTeruggedraaid")}
    assert (teruggedraaid[s1]["teruggedraaid_op"], teruggedraaid[s1]["boekmaand"]) == ("2026-01-30", "2026-02-01")
    assert [(e["periode"], e["boekmaand"]) for e in await wereld.outbox("UitbetalingUitgevoerd")] == [
        ("2026-01", "2026-02-01")]
    # January's ledger is what the close stored: unchanged by everything above.
    maand_jan = await o.scalar("SELECT sum(debet_cent) FROM grootboek_boekingen b JOIN grootboek_transacties t "
                               "ON t.id = b.transactie_id WHERE t.boekmaand = '2026-01-01'")
    assert maand_jan == await o.scalar("SELECT sum(debet_cent) FROM periode_saldi WHERE maand = '2026-01-01'")


async def test_closes_run_in_order_once_and_only_for_past_months_and_every_refusal_names_its_rule(omgeving):
    o, wereld = omgeving, Wereld(omgeving)
    await wereld.januari()
    assert (await wereld.sluit("2026-02", "2026-02-20")).json()["rule"] == "periode-niet-voorbij"  # its own month
    assert (await wereld.sluit("2026-01", "2026-01-31")).json()["rule"] == "periode-niet-voorbij"
    assert (await wereld.sluit("2026-01", "2099-02-01")).json()["rule"] == "afsluitdatum-in-de-toekomst"
    organisator = await wereld.sluit("2026-01", "2026-02-03", org=str(wereld.oid), org_type="organisator")
    assert (organisator.status_code, organisator.json()["rule"]) == (403, "alleen-centraal")
    onbekend = await o.client.get("/v1/periodes/2026-01/afstemming", headers=o.tokens.headers("cheques:read"))
    assert (onbekend.status_code, onbekend.json()["rule"]) == (404, "afsluiting-onbekend")
    assert await o.scalar("SELECT count(*) FROM periode_afsluitingen") == 0  # nothing half-written

    assert (await wereld.sluit("2026-01", "2026-02-03")).status_code == 201  # the first close: any past month
    for periode, op, status, rule in (
        ("2026-01", "2026-02-04", 409, "periode-al-afgesloten"),
        ("2025-12", "2026-02-04", 409, "periode-al-afgesloten"),  # before a close: frozen with it
        ("2026-03", "2026-04-02", 409, "vorige-periode-open"),
    ):
        r = await wereld.sluit(periode, op)
        assert (r.status_code, r.json()["rule"], r.headers["content-type"]) == (
            status, rule, "application/problem+json"), (periode, r.text)
    assert await o.scalar("SELECT count(*) FROM periode_afsluitingen") == 1
    r = await wereld.sluit("2026-02", "2026-03-02")
    assert (r.status_code, r.json()["volgnummer"], r.json()["van"]) == (201, 2, "2026-02")
    lijst = (await o.client.get("/v1/periodes", headers=o.tokens.headers("cheques:read"))).json()
    assert [a["periode"] for a in lijst] == ["2026-01", "2026-02"] and lijst[1]["vorige_hash"] == lijst[0]["hash"]
    [event] = [e for e in await wereld.outbox("PeriodeAfgesloten") if e["periode"] == "2026-02"]
    assert (event["hash"], event["vorige_hash"], event["volgnummer"]) == (lijst[1]["hash"], lijst[0]["hash"], 2)


async def test_the_reconciliation_is_the_hand_worked_one_its_csv_matches_and_an_organiser_sees_its_own(omgeving):
    o, wereld = omgeving, Wereld(omgeving)
    await wereld.bouw()
    centraal = o.tokens.headers("cheques:read")

    jan = (await o.client.get("/v1/periodes/2026-01/afstemming", headers=centraal)).json()
    rij = {r["organisator_id"]: r for r in jan["rijen"]}[str(wereld.oid)]
    assert rij["cheques"] == _tellingen(
        verkocht=(8, "59.60"), gevalideerd=(4, "29.80"), terugbetaald=(1, "7.45"), vervallen=(1, "7.45"),
        openstaand=(2, "14.90"), verschil=(0, "0.00"))
    assert rij["geld"] == {"cheques": 4, "geld_in": "29.80", "wijkwerker": "16.40", "verzekering": "1.68",
                           "reisfonds": "0.40", "uitgever": "2.22", "organisator": "9.10", "verschil": "0.00"}
    assert rij["peildatum"] == "2026-01-31" and rij["sluit"] is True
    ander = {r["organisator_id"]: r for r in jan["rijen"]}[str(wereld.oid2)]
    assert (ander["cheques"]["verkocht"], ander["cheques"]["openstaand"], ander["geld"]["cheques"]) == (
        {"aantal": 2, "bedrag": "11.90"}, {"aantal": 2, "bedrag": "11.90"}, 0)

    feb = {r["organisator_id"]: r for r in (await o.client.get(
        "/v1/periodes/2026-02/afstemming", headers=centraal)).json()["rijen"]}[str(wereld.oid)]
    assert feb["cheques"] == _tellingen(
        verkocht=(8, "59.60"), gevalideerd=(3, "22.35"), terugbetaald=(1, "7.45"), vervallen=(1, "7.45"),
        openstaand=(3, "22.35"), verschil=(0, "0.00"))
    assert feb["geld"] == {"cheques": -1, "geld_in": "-7.45", "wijkwerker": "-4.10", "verzekering": "-0.42",
                           "reisfonds": "-0.10", "uitgever": "-0.58", "organisator": "-2.25", "verschil": "0.00"}

    # The CSV holds the same figures as the JSON, row by row.
    tekst = (await o.client.get("/v1/periodes/2026-01/afstemming", params={"format": "csv"}, headers=centraal)).text
    rijen = list(csv.DictReader(io.StringIO(tekst)))
    assert len(rijen) == len(jan["rijen"])
    for c, j in zip(rijen, jan["rijen"], strict=True):
        assert (c["organisator_id"], c["peildatum"], c["periode"]) == (j["organisator_id"], j["peildatum"], "2026-01")
        for k, v in j["cheques"].items():
            assert (int(c[f"{k}_aantal"]), c[f"{k}_bedrag"]) == (v["aantal"], v["bedrag"])
        assert int(c["geld_cheques"]) == j["geld"]["cheques"]
        assert {k: c[k] for k in ("geld_in", "wijkwerker", "verzekering", "reisfonds", "uitgever", "organisator")} == {
            k: j["geld"][k] for k in ("geld_in", "wijkwerker", "verzekering", "reisfonds", "uitgever", "organisator")}

    # An organiser sees its own row, also in the CSV; asking again gives the same document.
    eigen = o.tokens.headers("cheques:read", org=str(wereld.oid2), org_type="organisator")
    alleen = (await o.client.get("/v1/periodes/2026-01/afstemming", headers=eigen)).json()
    assert [r["organisator_id"] for r in alleen["rijen"]] == [str(wereld.oid2)]
    assert str(wereld.oid) not in (await o.client.get("/v1/periodes/2026-01/afstemming", params={"format": "csv"},
                                                      headers=eigen)).text
    assert (await o.client.get("/v1/periodes/2026-01/afstemming", headers=centraal)).json() == jan

    # The closing balances: the worker was paid January's 19.40 and then lost 15.30 of it
    # (storno of three hours and a day's allowance) and earned 8.20 + 4.50: owes 2.60.
    saldo = "SELECT saldo_cent FROM periode_saldi WHERE maand = :m AND rekening = :r"
    assert await o.scalar(saldo, m=JAN, r=f"wijkwerker:{wereld.w}") == -1940
    assert await o.scalar(saldo, m=FEB, r=f"wijkwerker:{wereld.w}") == 260
    # The organiser also holds the price of the unused electronic cheque that lapsed on 10 January
    # (issued 10 January 2025; the close lapses its month's cheques first, issue #23).
    assert await o.scalar(saldo, m=FEB, r=f"organisator:{wereld.oid}") == -(910 + 750 + 225 + 750 + 225 - 675 + 745)


async def test_an_edit_of_a_closed_months_stored_rows_is_named_by_the_chain_verification(omgeving):
    o, wereld = omgeving, Wereld(omgeving)
    await wereld.bouw()
    beheer = o.tokens.headers("cheques:admin")
    settings = Settings(database_url=o.engine.url.render_as_string(hide_password=False))
    goed = (await o.client.get("/v1/periodes/verificatie", headers=beheer)).json()
    assert (goed["in_orde"], goed["eerste_afwijkende_periode"]) == (True, None)
    assert [m["in_orde"] for m in goed["afsluitingen"]] == [True, True]

    async def als_aanvaller(sql: str) -> None:
        """As the database superuser, with the append-only and close triggers switched off."""
        # (The service's own role may not even try: it has no UPDATE on these tables.)
        superuser = create_engine(superuser_url(o.engine.url.render_as_string(hide_password=False)), pool_size=1)
        try:
            async with superuser.begin() as conn:
                await conn.execute(text("SET LOCAL session_replication_role = replica"))
                assert (await conn.execute(text(sql))).rowcount == 1
        finally:
            await superuser.dispose()

    # February's stored reconciliation is "improved": February no longer matches.
    await als_aanvaller(
        "UPDATE periode_afstemmingen SET afstemming = jsonb_set(afstemming, '{geld,organisator_cent}', '0') "
        f"WHERE maand = '2026-02-01' AND organisator_id = '{wereld.oid}'")
    uitslag = (await o.client.get("/v1/periodes/verificatie", headers=beheer)).json()
    assert (uitslag["in_orde"], uitslag["eerste_afwijkende_periode"]) == (False, "2026-02")

    # Ten cents of a January validation moved from the organiser to the issuer (still
    # balanced, so no other check sees it): January is the first month that no longer matches.
    await als_aanvaller(
        "UPDATE grootboek_boekingen SET credit_cent = credit_cent - 10 WHERE rekening LIKE 'organisator:%' AND "
        f"transactie_id = (SELECT id FROM grootboek_transacties WHERE sleutel = 'cheque:{wereld.e[0]}')")
    await als_aanvaller(
        "UPDATE grootboek_boekingen SET credit_cent = credit_cent + 10 WHERE rekening = 'uitgever' AND "
        f"transactie_id = (SELECT id FROM grootboek_transacties WHERE sleutel = 'cheque:{wereld.e[0]}')")
    uitslag = (await o.client.get("/v1/periodes/verificatie", headers=beheer)).json()
    assert (uitslag["in_orde"], uitslag["eerste_afwijkende_periode"]) == (False, "2026-01")
    jan = uitslag["afsluitingen"][0]
    assert jan["berekend"] != jan["hash"] == goed["afsluitingen"][0]["hash"]
    assert (await afsluiting_cli.main(settings))["eerste_afwijkende_periode"] == "2026-01"  # the command says the same


async def test_a_close_waits_for_a_booking_in_flight_and_covers_it(omgeving):
    """A booking that saw January open (its insert took the close lock, shared) and has not
    committed yet: the close waits for it, then freezes and hashes it with the rest."""
    o, wereld = omgeving, Wereld(omgeving)
    await wereld.januari()
    voor = await o.scalar("SELECT count(*) FROM grootboek_transacties WHERE boekmaand = '2026-01-01'")
    async with o.engine.connect() as boeking:
        await boeking.begin()
        tid = await boeking.scalar(text(
            "INSERT INTO grootboek_transacties (sleutel, soort, boekdatum, boekmaand, omschrijving) "
            "VALUES ('handmatig:onderweg', 'correctie', '2026-01-31', '2026-01-01', 'onderweg') RETURNING id"))
        await boeking.execute(text("INSERT INTO grootboek_boekingen (transactie_id, rekening, debet_cent, credit_cent) "
                                   "VALUES (:t, 'bank', 5, 0), (:t, 'uitgever', 0, 5)"), {"t": tid})
        sluiten = asyncio.create_task(wereld.sluit("2026-01", "2026-02-03"))
        wachtend = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        await async_wait_until(lambda: _waar(o, wachtend), timeout=10)
        assert not sluiten.done()
        await boeking.commit()
    r = await sluiten
    # The booking in flight, and the expiry of the unused electronic cheque (10 January): the
    # close lapses its month's cheques first (issue #23).
    assert (r.status_code, r.json()["transacties"]) == (201, voor + 2), r.text
    assert (await o.client.get("/v1/periodes/verificatie", headers=o.tokens.headers("cheques:admin"))).json()["in_orde"]


async def _waar(o, sql: str) -> bool:
    return bool(await o.scalar(sql))


@pytest.fixture
async def instellingen(kafka_bootstrap) -> dict:
    suffix = uuid.uuid4().hex[:8]
    topics = {"prestaties_topic": f"test.prestaties.{suffix}", "cheques_topic": f"test.cheques.{suffix}"}
    await ensure_topics(kafka_bootstrap, [t for x in topics.values() for t in (x, dlq_topic(x))], 2)
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap, topic_partitions=2)
    return {**topics, "kafka": kafka, "herberekening_wacht_s": 2.0}


async def test_the_recompute_folds_the_closes_and_shows_zero_difference(omgeving, instellingen, kafka_bootstrap):
    from aiokafka import AIOKafkaProducer

    o, wereld = omgeving, Wereld(omgeving)
    await wereld.bouw()
    async with o.engine.begin() as conn:
        outbox = (await conn.execute(text("SELECT key, value FROM outbox ORDER BY txid, id"))).all()
        await conn.execute(text("UPDATE outbox SET published_at = now()"))
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await producer.start()
    try:
        for e in wereld.prestatie_enveloppen:  # keyed by worker, as prestaties publishes them
            await producer.send_and_wait(instellingen["prestaties_topic"], e.to_bytes(),
                                         key=str(e.payload.get("wijkwerker_id") or e.aggregate_id).encode())
        for key, value in outbox:
            await producer.send_and_wait(instellingen["cheques_topic"], bytes(value), key=key.encode())
    finally:
        await producer.stop()
    r = await o.client.post("/v1/grootboek/herberekening", headers=o.tokens.headers("cheques:admin"))
    assert r.status_code == 200, r.text
    rapport = r.json()
    assert (rapport["verschil_cent"], rapport["verschillen"], rapport["fouten"]) == (0, [], [])
    assert rapport["maanden_uit_evenwicht"] == [] and rapport["vergeleken"] >= 15
