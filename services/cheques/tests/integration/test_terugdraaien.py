"""Issue #6 on a real PostgreSQL and broker: a prestatie corrected to fewer started hours or
cancelled after its cheques were validated releases the cheques beyond its hours (newest
validation first) with a storno in the correction's month; the worker's payout nets it;
the recompute from the topics still equals the ledger to the cent."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime, time

import orjson
import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import text

from cheques.adapters.toeleiding import Bankrekening
from cheques.service_layer import terugdraaien
from cheques.service_layer.consumenten.prestaties import HANDLERS
from cheques.service_layer.uow import ChequesUnitOfWork
from wijkwerk.db import session_factory
from wijkwerk.events import Actor, Envelope, Event, registry
from wijkwerk.events.prestaties import PrestatieGeannuleerd, PrestatieGecorrigeerd, PrestatieGeregistreerd
from wijkwerk.events.topics import dlq_topic
from wijkwerk.messaging.admin import ensure_topics
from wijkwerk.messaging.consumer import InboxConsumer, dispatch
from wijkwerk.settings import KafkaSettings
from wijkwerk_platform.testing import async_wait_until
from wijkwerk_platform.testkit import archiveer

pytestmark = pytest.mark.integration

G = uuid.uuid4()
APRIL_10 = datetime(2026, 4, 10, 9, tzinfo=UTC)


@pytest.fixture
async def instellingen(kafka_bootstrap) -> dict:
    suffix = uuid.uuid4().hex[:8]
    topics = {"prestaties_topic": f"test.prestaties.{suffix}", "cheques_topic": f"test.cheques.{suffix}"}
    await ensure_topics(kafka_bootstrap, [t for x in topics.values() for t in (x, dlq_topic(x))], 2)
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap, topic_partitions=2)
    return {**topics, "kafka": kafka, "herberekening_wacht_s": 2.0}


class Wereld:
    """One organiser, a paper order of 12 cheques, and the prestaties topic fed through
    the real inbox consumer (every message as the prestaties service would publish it)."""

    def __init__(self, o, instellingen: dict) -> None:
        self.o, self.kafka, self.topic = o, instellingen["kafka"], instellingen["prestaties_topic"]
        self.cheques_topic = instellingen["cheques_topic"]
        self.ontvangen: set[uuid.UUID] = set()
        self.w, self.koppeling = uuid.uuid4(), uuid.uuid4()
        self.series = [f"T{uuid.uuid4().hex[:6]}{i:02d}" for i in range(12)]

    async def start(self) -> None:
        self.oid = await self.o.organisator(745)
        b = {"type": "bestelling.betaald", "bestelling_id": str(uuid.uuid4()), "gebruiker_id": str(G),
             "organisator_id": str(self.oid), "aantal": 12, "drager": "papier", "besteld_op": "2026-02-20"}
        await self.o.ok(b)
        await self.o.ok({"type": "cheques.uitgegeven", "bestelling_id": b["bestelling_id"], "serienummers": self.series,
                         "uitgegeven_op": "2026-02-21"})

    def prestatie(self, dag: date, uren: int = 3, vergoeding: int = 300, koppeling=None) -> PrestatieGeregistreerd:
        return self.o.prestatie_event(self.w, G, self.oid, koppeling or self.koppeling, dag, uren=uren,
                                      minuten=60 * uren - 10, vergoeding=vergoeding)

    @staticmethod
    def correctie(p: PrestatieGeregistreerd, uren: int) -> PrestatieGecorrigeerd:
        return PrestatieGecorrigeerd(
            prestatie_id=p.prestatie_id, wijkwerker_id=p.wijkwerker_id, gebruiker_id=p.gebruiker_id,
            organisator_id=p.organisator_id, koppeling_id=p.koppeling_id, datum=p.datum, door="gebruiker",
            start=time(9), minuten=60 * uren - 10, begonnen_uren=uren, vorige_begonnen_uren=p.begonnen_uren,
            reden="verkeerd ingegeven",
        )

    @staticmethod
    def annulering(p: PrestatieGeregistreerd) -> PrestatieGeannuleerd:
        return PrestatieGeannuleerd(
            prestatie_id=p.prestatie_id, wijkwerker_id=p.wijkwerker_id, gebruiker_id=p.gebruiker_id,
            organisator_id=p.organisator_id, koppeling_id=p.koppeling_id, datum=p.datum, door="organisator",
            begonnen_uren=p.begonnen_uren, reden="niet doorgegaan",
        )

    async def publiceer(self, *events: Event | Envelope, tweemaal: bool = False) -> None:
        """Onto the prestaties topic (each once, or each twice: a redelivery), then consumed,
        then the reversal orders applied as the service's periodic job does. Events happen
        on 10 April unless wrapped otherwise."""
        enveloppen = [
            e if isinstance(e, Envelope) else Envelope.wrap(e, producer="prestaties", occurred_at=APRIL_10)
            for e in events
        ]
        nieuw = [(str(registry.decode(e).partition_key()).encode(), e.to_bytes()) for e in enveloppen]
        berichten = nieuw + nieuw if tweemaal else nieuw
        await archiveer(self.o.prestaties_archief, [(k.decode(), v) for k, v in nieuw])
        producer = AIOKafkaProducer(bootstrap_servers=self.kafka.bootstrap_servers)
        await producer.start()
        try:
            for key, value in berichten:
                await producer.send_and_wait(self.topic, value, key=key)
        finally:
            await producer.stop()
        nieuwe_ids = {e.event_id for e in enveloppen} - self.ontvangen
        self.ontvangen |= nieuwe_ids
        consumer = InboxConsumer(
            name="prestaties", service="cheques", topics=[self.topic], event_types=list(HANDLERS),
            handle=dispatch(HANDLERS, unit_of_work=ChequesUnitOfWork), sessions=self.o.sessions, kafka=self.kafka, registry=registry,
        )
        stop = asyncio.Event()
        task = asyncio.create_task(consumer.run(stop))
        try:  # a fresh consumer of the group resumes after what was committed before
            await async_wait_until(
                lambda: consumer.state.applied + consumer.state.duplicates >= len(berichten), timeout=30)
        finally:
            stop.set()
            await task
        assert (consumer.state.applied, consumer.state.dead_lettered) == (len(nieuwe_ids), 0)
        await terugdraaien.voer_uit(lambda: ChequesUnitOfWork(session_factory(self.o.engine)))

    async def valideer(self, serie: str, p: PrestatieGeregistreerd, op: date) -> None:
        await self.o.ok({"type": "cheque.gevalideerd", "serienummer": serie, "prestatie_id": str(p.prestatie_id),
                         "gevalideerd_op": str(op)})

    async def cheque(self, serie: str) -> tuple:
        async with self.o.engine.connect() as conn:
            return (await conn.execute(text(
                "SELECT status, prestatie_id, terugdraaiingen FROM cheques WHERE serienummer = :s"), {"s": serie})).one()

    async def saldo(self, maand: date | None = None) -> int:
        """The worker's account: credits less debits (what is owed to the worker)."""
        return int(await self.o.scalar(
            "SELECT coalesce(sum(b.credit_cent - b.debet_cent), 0) FROM grootboek_boekingen b "
            "JOIN grootboek_transacties t ON t.id = b.transactie_id WHERE b.rekening = :r "
            "AND (CAST(:m AS date) IS NULL OR t.boekmaand = :m)", r=f"wijkwerker:{self.w}", m=maand))

    async def stornos(self) -> list[tuple[str, date]]:
        async with self.o.engine.connect() as conn:
            rows = await conn.execute(text(
                "SELECT sleutel, boekdatum FROM grootboek_transacties WHERE soort = 'storno' ORDER BY sleutel"))
            return [tuple(r) for r in rows]

    async def teruggedraaid(self) -> list[dict]:
        async with self.o.engine.connect() as conn:
            rows = await conn.execute(text(
                "SELECT key, value FROM outbox WHERE event_type = 'ChequeValidatieTeruggedraaid' ORDER BY txid, id"))
            return [{"key": r.key, **orjson.loads(bytes(r.value))["payload"]} for r in rows]

    async def herbereken(self) -> dict:
        """The outbox onto the test's cheques topic (twice over), then the recompute."""
        async with self.o.engine.begin() as conn:
            rows = (await conn.execute(text("SELECT key, value FROM outbox ORDER BY txid, id"))).all()
            await conn.execute(text("UPDATE outbox SET published_at = now()"))
        producer = AIOKafkaProducer(bootstrap_servers=self.kafka.bootstrap_servers)
        await producer.start()
        try:
            for _ in range(2):
                for r in rows:
                    await producer.send_and_wait(self.cheques_topic, bytes(r.value), key=r.key.encode())
        finally:
            await producer.stop()
        r = await self.o.client.post("/v1/grootboek/herberekening", headers=self.o.tokens.headers("cheques:admin"))
        assert r.status_code == 200, r.text
        return r.json()


@pytest.fixture
async def wereld(omgeving, instellingen) -> Wereld:
    w = Wereld(omgeving, instellingen)
    await w.start()
    return w


async def test_a_cancellation_after_validation_reverses_every_cheque_and_the_days_allowance(wereld):
    w = wereld
    p = w.prestatie(date(2026, 3, 2))
    await w.publiceer(p)
    for i in range(3):
        await w.valideer(w.series[i], p, date(2026, 3, 3 + i))
    assert await w.saldo() == 3 * 410 + 300

    await w.publiceer(w.annulering(p))
    assert await w.saldo(date(2026, 4, 1)) == -(3 * 410 + 300)  # the storno is booked in April
    assert await w.saldo() == 0
    assert await w.stornos() == sorted(
        [(f"storno:cheque:{s}", APRIL_10.date()) for s in w.series[:3]]
        + [(f"storno:reis:{w.koppeling}:2026-03-02", APRIL_10.date())])
    for s in w.series[:3]:
        assert await w.cheque(s) == ("uitgegeven", None, 1)
    events = await w.teruggedraaid()
    assert [e["serienummer"] for e in events] == [w.series[2], w.series[1], w.series[0]]  # newest first
    assert {e["key"] for e in events} == {str(w.w)}
    assert [e["verplaatsingsvergoeding_cent"] for e in events] == [0, 0, 300]  # with the day's last cheque
    assert {(e["wijkwerker_cent"], e["organisator_cent"], e["boekmaand"], e["reden"]) for e in events} == {
        (410, 225, "2026-04-01", "geannuleerd")}
    assert not {"iban", "naam", "insz"} & set(events[0])

    # Never really spent: the cheque pays another prestatie of its gebruiker, under a new key,
    # and that day's allowance is granted again.
    p2 = w.prestatie(date(2026, 4, 14), uren=1)
    await w.publiceer(p2)
    await w.valideer(w.series[0], p2, date(2026, 4, 15))
    assert await w.cheque(w.series[0]) == ("gevalideerd", p2.prestatie_id, 1)
    assert await w.o.scalar("SELECT count(*) FROM grootboek_transacties WHERE sleutel = :s",
                            s=f"cheque:{w.series[0]}:2") == 1
    assert await w.saldo() == 410 + 300
    # The events number the validations, so a read model keyed by serial keeps the latest
    # whatever order the partitions deliver them in.
    assert {e["validatie"] for e in events} == {1}
    async with w.o.engine.connect() as conn:
        gevalideerd = (await conn.execute(text(
            "SELECT value FROM outbox WHERE event_type = 'ChequeGevalideerd' ORDER BY txid, id"))).all()
    nummers = [(p["serienummer"], p["validatie"]) for p in (orjson.loads(bytes(r.value))["payload"] for r in gevalideerd)]
    assert nummers == [(s, 1) for s in w.series[:3]] + [(w.series[0], 2)]

    rapport = await w.herbereken()
    assert (rapport["verschil_cent"], rapport["verschillen"], rapport["fouten"]) == (0, [], [])
    assert rapport["maanden_uit_evenwicht"] == []


async def test_the_storno_is_booked_in_the_month_of_the_corrections_business_date(wereld):
    """A-20: a cancellation dated 20 March but processed on 10 April is booked in March; a
    storno never precedes the validation it reverses (a correction dated before it)."""
    w = wereld
    andere_koppeling = uuid.uuid4()
    p, q = w.prestatie(date(2026, 3, 2)), w.prestatie(date(2026, 3, 3), uren=1, koppeling=andere_koppeling)
    await w.publiceer(p, q)
    for i in range(3):
        await w.valideer(w.series[i], p, date(2026, 3, 5))
    await w.valideer(w.series[3], q, date(2026, 3, 25))
    await w.publiceer(w.annulering(p).model_copy(update={"geannuleerd_op": date(2026, 3, 20)}),
                      w.correctie(q, 0).model_copy(update={"gecorrigeerd_op": date(2026, 3, 10)}))
    assert await w.stornos() == sorted(
        [(f"storno:cheque:{s}", date(2026, 3, 20)) for s in w.series[:3]]
        + [(f"storno:reis:{w.koppeling}:2026-03-02", date(2026, 3, 20)),
           (f"storno:cheque:{w.series[3]}", date(2026, 3, 25)),
           (f"storno:reis:{andere_koppeling}:2026-03-03", date(2026, 3, 25))])
    assert await w.saldo(date(2026, 3, 1)) == 0 and await w.saldo(date(2026, 4, 1)) == 0
    assert {(e["boekmaand"], e["teruggedraaid_op"]) for e in await w.teruggedraaid()} == {
        ("2026-03-01", "2026-03-20"), ("2026-03-01", "2026-03-25")}

    rapport = await w.herbereken()
    assert (rapport["verschil_cent"], rapport["verschillen"], rapport["fouten"]) == (0, [], [])


async def test_the_storno_and_its_events_name_whoever_cancelled_the_prestatie(wereld):
    """The audit trail (issue #18): the cancellation's actor (in its envelope's metadata)
    is kept with the reversal order and names the storno's ledger rows and events."""
    w = wereld
    p = w.prestatie(date(2026, 3, 2))
    await w.publiceer(p)
    await w.valideer(w.series[0], p, date(2026, 3, 3))
    consulent = Actor(subject="consulent-9", org=str(w.oid), org_type="organisator")
    await w.publiceer(Envelope.wrap(w.annulering(p), producer="prestaties", occurred_at=APRIL_10, actor=consulent))
    async with w.o.engine.connect() as conn:
        door = (await conn.execute(text(
            "SELECT DISTINCT door_subject, door_org, door_org_type FROM grootboek_transacties "
            "WHERE sleutel LIKE 'storno:%'"))).all()
        metadata = [orjson.loads(bytes(v))["actor"] for v in (await conn.execute(text(
            "SELECT value FROM outbox WHERE event_type = 'ChequeValidatieTeruggedraaid'"))).scalars()]
        geldig = await conn.scalar(text(f"SELECT door_org_type FROM grootboek_transacties "
                                        f"WHERE sleutel = 'cheque:{w.series[0]}'"))
    assert door == [("consulent-9", str(w.oid), "organisator")]
    assert metadata == [consulent.model_dump()]
    assert geldig == "uitgever"  # the validation itself: the issuer's webhook


async def test_a_correction_down_releases_the_newest_validations_and_keeps_the_allowance(wereld):
    w = wereld
    p = w.prestatie(date(2026, 3, 2))
    await w.publiceer(p)
    for serie, dag in zip(w.series[:3], (5, 3, 4), strict=True):
        await w.valideer(serie, p, date(2026, 3, dag))

    await w.publiceer(w.correctie(p, 1))
    assert [e["serienummer"] for e in await w.teruggedraaid()] == [w.series[0], w.series[2]]  # 5 March, then 4
    assert await w.cheque(w.series[1]) == ("gevalideerd", p.prestatie_id, 0)
    assert await w.saldo() == 410 + 300  # one hour still paid, and the day's allowance with it
    assert [s for s, _ in await w.stornos()] == sorted(f"storno:cheque:{s}" for s in (w.series[0], w.series[2]))
    # The freed hours are gone: the prestatie takes no further cheque.
    r = await w.o.webhook({"type": "cheque.gevalideerd", "serienummer": w.series[0],
                           "prestatie_id": str(p.prestatie_id), "gevalideerd_op": "2026-04-20"})
    assert r.status_code == 422 and r.json()["rule"] == "meer-cheques-dan-uren"

    rapport = await w.herbereken()
    assert (rapport["verschil_cent"], rapport["fouten"]) == (0, [])


async def test_a_correction_up_reverses_nothing(wereld):
    w = wereld
    p = w.prestatie(date(2026, 3, 2), uren=2)
    await w.publiceer(p)
    for serie in w.series[:2]:
        await w.valideer(serie, p, date(2026, 3, 3))
    voor = await w.o.tellingen()

    await w.publiceer(w.correctie(p, 3))
    assert await w.o.tellingen() == voor
    assert await w.o.scalar("SELECT count(*) FROM terugdraai_opdrachten") == 0
    await w.valideer(w.series[2], p, date(2026, 3, 4))  # the third hour can now be paid
    assert await w.saldo() == 3 * 410 + 300


async def test_a_redelivered_correction_reverses_once(wereld):
    w = wereld
    p = w.prestatie(date(2026, 3, 2))
    await w.publiceer(p)
    for serie in w.series[:3]:
        await w.valideer(serie, p, date(2026, 3, 3))

    correctie = Envelope.wrap(w.correctie(p, 2), producer="prestaties", occurred_at=APRIL_10)
    await w.publiceer(correctie, tweemaal=True)
    await w.publiceer(correctie)  # later again, after the first was applied: the inbox skips it
    await terugdraaien.voer_uit(lambda: ChequesUnitOfWork(session_factory(w.o.engine)))
    assert len(await w.teruggedraaid()) == 1
    assert len(await w.stornos()) == 1
    assert await w.saldo() == 2 * 410 + 300


async def test_a_reversal_of_a_paid_cheque_is_netted_from_the_next_payouts_never_below_zero(wereld):
    w, o = wereld, wereld.o
    o.toeleiding.rekeningen = {w.w: Bankrekening("An Peeters", "BE68539007547034")}
    maart = w.prestatie(date(2026, 3, 2))
    await w.publiceer(maart)
    for serie in w.series[:3]:
        await w.valideer(serie, maart, date(2026, 3, 3))
    r = await o.client.post("/v1/uitbetalingen/2026-03", headers=o.tokens.headers("cheques:payout"))
    assert r.json()["totaal"] == "15.30"  # 3 × 4.10 + 3.00

    await w.publiceer(w.annulering(maart))  # on 10 April: 15.30 paid for hours that no longer count
    april = w.prestatie(date(2026, 4, 13), uren=2, vergoeding=0, koppeling=uuid.uuid4())
    await w.publiceer(april)
    for serie in w.series[3:5]:
        await w.valideer(serie, april, date(2026, 4, 14))
    r = await o.client.post("/v1/uitbetalingen/2026-04", headers=o.tokens.headers("cheques:payout"))
    assert (r.json()["aantal"], r.json()["totaal"]) == (0, "0.00")  # 8.20 earned, 15.30 owed back: carried
    assert await w.saldo() == 820 - 1530

    mei = w.prestatie(date(2026, 5, 4), uren=3, vergoeding=0, koppeling=uuid.uuid4())
    await w.publiceer(mei)
    for serie in w.series[5:8]:
        await w.valideer(serie, mei, date(2026, 5, 5))
    r = await o.client.post("/v1/uitbetalingen/2026-05", headers=o.tokens.headers("cheques:payout"))
    assert [(u["wijkwerker_id"], u["bedrag"]) for u in r.json()["uitbetalingen"]] == [(str(w.w), "5.20")]
    assert await w.saldo() == 0

    rapport = await w.herbereken()
    assert (rapport["verschil_cent"], rapport["verschillen"], rapport["fouten"]) == (0, [], [])
