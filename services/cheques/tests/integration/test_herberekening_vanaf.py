"""Issue #17 item 3: a recompute from the last verified close, on a real PostgreSQL and broker.

The world of ``test_afsluiting`` (January closed on 3 February, late January facts and
January's payout booked in February, February closed on 2 March), then March, after the
close: the prestatie of 26 January is cancelled (the storno of S5, validated on 28 January
and booked in February, and of that day's 4.50 travel allowance: the fold needs the cheque
still validated, the day's cheque count and allowance from before the close), S1–S3 pay a
new prestatie of 10 March (3.00 allowance), and the runs of February (closed: booked in
March; nothing left to pay) and March (pays what the worker earned less what January's
run paid: both from before the close) are executed.

"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import text

from cheques.config import Settings
from cheques.entrypoints import recompute as recompute_cli
from wijkwerk.db import create_engine
from wijkwerk.events.prestaties import PrestatieGeannuleerd
from wijkwerk_platform.testing import superuser_url

from .test_afsluiting import Wereld, instellingen  # noqa: F401  (the module's settings: topics of its own)

pytestmark = pytest.mark.integration

URL = "/v1/grootboek/herberekening"


async def _na_februari(wereld: Wereld) -> None:
    o = wereld.o
    p2 = next(e.payload for e in wereld.prestatie_enveloppen
              if e.event_type == "PrestatieGeregistreerd" and e.payload["datum"] == "2026-01-26")
    await wereld.prestaties_event(PrestatieGeannuleerd(
        prestatie_id=p2["prestatie_id"], wijkwerker_id=p2["wijkwerker_id"], gebruiker_id=p2["gebruiker_id"],
        organisator_id=p2["organisator_id"], koppeling_id=p2["koppeling_id"], datum=date(2026, 1, 26),
        door="organisator", begonnen_uren=p2["begonnen_uren"], reden="niet doorgegaan"),
        op=datetime(2026, 3, 4, 10, tzinfo=UTC))
    p4 = await wereld.prestatie(date(2026, 3, 10), 3, 300)
    await wereld.valideer(wereld.s[:3], p4, "2026-03-12")
    for periode in ("2026-02", "2026-03"):
        r = await o.client.post(f"/v1/uitbetalingen/{periode}", headers=o.tokens.headers("cheques:payout"))
        assert r.status_code == 200, r.text


async def _publiceer_prestaties(wereld: Wereld, instellingen: dict, bootstrap: str) -> None:  # noqa: F811
    """Prestaties' history on its topic (its archive in this test is empty); the cheques
    history is cheques' own archive, the outbox counts as published."""
    async with wereld.o.engine.begin() as conn:
        await conn.execute(text("UPDATE outbox SET published_at = now()"))
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for e in wereld.prestatie_enveloppen:
            await producer.send_and_wait(instellingen["prestaties_topic"], e.to_bytes(),
                                         key=str(e.payload.get("wijkwerker_id") or e.aggregate_id).encode())
    finally:
        await producer.stop()


async def _als_superuser(o, *sqls: str) -> None:
    """With the append-only and close triggers off (the service's role may not do this)."""
    superuser = create_engine(superuser_url(o.engine.url.render_as_string(hide_password=False)), pool_size=1)
    try:
        async with superuser.begin() as conn:
            await conn.execute(text("SET LOCAL session_replication_role = replica"))
            for sql in sqls:
                await conn.execute(text(sql))
    finally:
        await superuser.dispose()


async def _herbereken(o, vanaf: str | None = None):
    params = {"vanaf": vanaf} if vanaf else {}
    return await o.client.post(URL, params=params, headers=o.tokens.headers("cheques:admin"))


def _nul(rapport: dict) -> None:
    assert (rapport["verschil_cent"], rapport["verschillen"], rapport["fouten"]) == (0, [], [])
    assert rapport["maanden_uit_evenwicht"] == []


async def test_from_the_close_equals_the_full_recompute_and_the_ledger_also_after_the_history_was_trimmed(
    omgeving, instellingen, kafka_bootstrap,  # noqa: F811
):
    o, wereld = omgeving, Wereld(omgeving)
    await wereld.bouw()
    await _na_februari(wereld)
    s5 = wereld.s[4]
    # What the March facts booked: S5's storno and its day's allowance back, S1–S3 again
    # with the new day's allowance, March's payout (4.10 · 3 + 3.00 − 4.10 − 4.50 = 6.70).
    assert await o.scalar("SELECT boekmaand FROM grootboek_transacties WHERE sleutel = :s",
                          s=f"storno:cheque:{s5}") == date(2026, 3, 1)
    assert await o.scalar("SELECT count(*) FROM grootboek_transacties WHERE sleutel LIKE 'storno:reis:%' "
                          "AND boekmaand = '2026-03-01'") == 1
    # Earned through March: January 4 · 4.10 + 3.00, February −3 · 4.10 − 3.00 + 4.10 + 4.50 + 4.10,
    # March −4.10 − 4.50 + 3 · 4.10 + 3.00 = 23.50; January's run paid 19.40: March pays 4.10
    # (February's run, up to February: 16.80 earned, nothing).
    assert await o.scalar("SELECT b.debet_cent FROM grootboek_boekingen b JOIN grootboek_transacties t "
                          "ON t.id = b.transactie_id WHERE t.sleutel = :s AND b.rekening LIKE 'wijkwerker:%'",
                          s=f"uitbetaling:2026-03:{wereld.w}") == 410
    assert await o.scalar("SELECT count(*) FROM grootboek_transacties WHERE soort = 'uitbetaling' "
                          "AND boekmaand = '2026-03-01'") == 1
    await _publiceer_prestaties(wereld, instellingen, kafka_bootstrap)

    r = await _herbereken(o)
    assert r.status_code == 200, r.text
    volledig = r.json()
    _nul(volledig)
    assert volledig["vanaf"] == "begin"

    r = await _herbereken(o, "laatste-afsluiting")
    assert r.status_code == 200, r.text
    vanaf = r.json()
    _nul(vanaf)
    feb = await o.scalar("SELECT hash FROM periode_afsluitingen WHERE maand = '2026-02-01'")
    assert (vanaf["vanaf"], vanaf["afsluiting"]["periode"], vanaf["afsluiting"]["hash"]) == (
        "laatste-afsluiting", "2026-02", feb)
    assert "2026-02" in vanaf["gesloten_maanden"] and "hash chain" in vanaf["gesloten_maanden"]
    # The diff covers March only, and every account-month of March the full run compared.
    assert vanaf["vergeleken"] == await o.scalar(
        "SELECT count(DISTINCT (b.rekening, t.boekmaand)) FROM grootboek_boekingen b "
        "JOIN grootboek_transacties t ON t.id = b.transactie_id WHERE t.boekmaand = '2026-03-01'") > 5
    assert vanaf["overgenomen"]["cheques"] == 1 and vanaf["overgenomen"]["reisdagen"] == 1

    # Retention has passed: the cheques archive loses everything before January's close
    # (and no longer claims the first event), the outbox is purged; the topic never had them.
    jan = await o.scalar("SELECT event_id FROM periode_afsluitingen WHERE maand = '2026-01-01'")
    await _als_superuser(
        o,
        "DELETE FROM gebeurtenissen WHERE (txid, id) < "
        f"(SELECT txid, id FROM gebeurtenissen WHERE event_id = '{jan}')",
        "UPDATE archief_begin SET volledig = false, toelichting = 'begins at the close of 2026-01'",
        "DELETE FROM outbox",
    )
    r = await _herbereken(o)
    assert (r.status_code, r.json()["rule"]) == (409, "geschiedenis-onvolledig"), r.text
    r = await _herbereken(o, "laatste-afsluiting")
    assert r.status_code == 200, r.text
    na_inkorting = r.json()
    _nul(na_inkorting)
    assert na_inkorting["vergeleken"] == vanaf["vergeleken"]

    # The command says the same.
    settings = Settings(database_url=o.engine.url.render_as_string(hide_password=False), **instellingen)
    cli = await recompute_cli.main(settings, archieven=_archieven(o, settings),
                                   vanaf=recompute_cli.Vanaf.LAATSTE_AFSLUITING)
    assert (cli["verschil_cent"], cli["afsluiting"]["periode"]) == (0, "2026-02")


def _archieven(o, settings: Settings) -> dict:
    from wijkwerk.messaging.archief import DatabaseArchief

    return {settings.cheques_topic: DatabaseArchief(o.engine),
            settings.prestaties_topic: DatabaseArchief(o.prestaties_archief)}


async def test_a_tampered_closed_month_makes_the_recompute_from_the_close_refuse(
    omgeving, instellingen, kafka_bootstrap,  # noqa: F811
):
    o, wereld = omgeving, Wereld(omgeving)
    await wereld.bouw()
    await _na_februari(wereld)
    await _publiceer_prestaties(wereld, instellingen, kafka_bootstrap)
    # Ten cents of a January validation moved from the organiser to the issuer: balanced,
    # and January's balances as the close stored them still add up; only the chain sees it.
    sleutel = f"cheque:{wereld.e[0]}"
    await _als_superuser(
        o,
        "UPDATE grootboek_boekingen SET credit_cent = credit_cent - 10 WHERE rekening LIKE 'organisator:%' AND "
        f"transactie_id = (SELECT id FROM grootboek_transacties WHERE sleutel = '{sleutel}')",
        "UPDATE grootboek_boekingen SET credit_cent = credit_cent + 10 WHERE rekening = 'uitgever' AND "
        f"transactie_id = (SELECT id FROM grootboek_transacties WHERE sleutel = '{sleutel}')",
    )
    r = await _herbereken(o, "laatste-afsluiting")
    assert r.status_code == 409, r.text
    probleem = r.json()
    assert (probleem["rule"], probleem["eerste_afwijkende_periode"]) == ("afsluitingen-niet-geverifieerd", "2026-01")
    assert "vanaf=begin" in probleem["detail"]
    # The full recompute is still allowed, and names the edit.
    r = await _herbereken(o)
    assert r.status_code == 200, r.text
    assert r.json()["verschil_cent"] == 20


async def test_a_fact_booked_after_the_month_before_its_close_and_followed_by_one_in_it_makes_it_refuse(
    omgeving, instellingen, kafka_bootstrap,  # noqa: F811
):
    """February is still open on 1 March. S1 pays a prestatie of 14 February (2.50 travel
    allowance, booked in February); on 1 March that prestatie is cancelled (S1's storno and
    the day's allowance back, booked in March); then S2 pays a new prestatie of the same
    day, validated on 26 February (booked in February: the day's allowance again); then
    February is closed. The ledger (and the full replay) took the allowance back in March;
    February's closing state holds S2 on that day, so a fold started from it would not:
    the recompute from the close refuses rather than answer wrong."""
    o, wereld = omgeving, Wereld(omgeving)
    await wereld.januari()
    assert (await wereld.sluit("2026-01", "2026-02-03")).status_code == 201
    await wereld.na_januari()
    pa = await wereld.prestatie(date(2026, 2, 14), 1, 250)
    await wereld.valideer(wereld.s[:1], pa, "2026-02-15")
    await wereld.prestaties_event(PrestatieGeannuleerd(
        prestatie_id=pa.prestatie_id, wijkwerker_id=pa.wijkwerker_id, gebruiker_id=pa.gebruiker_id,
        organisator_id=pa.organisator_id, koppeling_id=pa.koppeling_id, datum=pa.datum, door="organisator",
        begonnen_uren=pa.begonnen_uren, reden="niet doorgegaan"), op=datetime(2026, 3, 1, 10, tzinfo=UTC))
    assert await o.scalar("SELECT boekmaand FROM grootboek_transacties WHERE sleutel = :s",
                          s=f"storno:cheque:{wereld.s[0]}:2") == date(2026, 3, 1)
    pb = await wereld.prestatie(date(2026, 2, 14), 1, 250)
    await wereld.valideer(wereld.s[1:2], pb, "2026-02-26")
    assert await o.scalar("SELECT count(*) FROM grootboek_transacties WHERE sleutel LIKE 'reis:%' "
                          "AND boekmaand = '2026-02-01'") == 3  # 26 January's (late), 14 February's twice
    assert (await wereld.sluit("2026-02", "2026-03-02")).status_code == 201
    await _publiceer_prestaties(wereld, instellingen, kafka_bootstrap)

    r = await _herbereken(o, "laatste-afsluiting")
    assert r.status_code == 409, r.text
    probleem = r.json()
    assert probleem["rule"] == "afsluiting-gekruist" and "vanaf=begin" in probleem["detail"]
    assert [e.split()[0] for e in probleem["events"]] == ["ChequeValidatieTeruggedraaid"]
    r = await _herbereken(o)
    assert r.status_code == 200, r.text
    _nul(r.json())


async def test_a_fact_booked_after_the_month_before_the_previous_close_makes_it_refuse(
    omgeving, instellingen, kafka_bootstrap,  # noqa: F811
):
    """S5 validated with a date in March while January is still open (booked in March):
    the read from January's close would not see it; the recompute from February's close
    refuses and the full one still shows 0."""
    o, wereld = omgeving, Wereld(omgeving)
    await wereld.januari()
    p = await wereld.prestatie(date(2026, 3, 2), 1, 0)
    await wereld.valideer(wereld.s[4:5], p, "2026-03-05")
    assert (await wereld.sluit("2026-01", "2026-02-03")).status_code == 201
    assert (await wereld.sluit("2026-02", "2026-03-02")).status_code == 201
    await _publiceer_prestaties(wereld, instellingen, kafka_bootstrap)
    r = await _herbereken(o, "laatste-afsluiting")
    assert r.status_code == 409, r.text
    assert (r.json()["rule"], r.json()["events"]) == ("afsluiting-gekruist", [f"cheque:{wereld.s[4]}"])
    r = await _herbereken(o)
    assert r.status_code == 200, r.text
    _nul(r.json())
