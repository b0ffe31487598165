"""Issue #23 item 3 on a real PostgreSQL and broker: a disputed prestatie is held from the
payout run until it is resolved; upheld, the next run pays it; rejected, its cancellation
reverses the validations with a storno; the recompute equals the ledger to the cent."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

import pytest

from cheques.adapters.toeleiding import Bankrekening
from wijkwerk.events.prestaties import PrestatieBetwist, PrestatieBetwistingBeslecht, PrestatieGeannuleerd

pytestmark = pytest.mark.integration

# The reversal tests' world (the prestaties topic through the real inbox consumer), reused.
_spec = importlib.util.spec_from_file_location("_terugdraaien", Path(__file__).with_name("test_terugdraaien.py"))
assert _spec is not None and _spec.loader is not None
_terugdraaien = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_terugdraaien)
Wereld, instellingen = _terugdraaien.Wereld, _terugdraaien.instellingen

PAYOUT = ("cheques:payout",)
DAG = 3 * 410 + 300  # a day: three cheques' worker share and the day's travel allowance


def _kern(p) -> dict:
    return {"prestatie_id": p.prestatie_id, "wijkwerker_id": p.wijkwerker_id, "gebruiker_id": p.gebruiker_id,
            "organisator_id": p.organisator_id, "koppeling_id": p.koppeling_id, "datum": p.datum}


def betwist(p, op: date) -> PrestatieBetwist:
    return PrestatieBetwist(**_kern(p), door="gebruiker", reden="Niet gewerkt.", betwist_op=op)


def beslecht(p, uitkomst: str, op: date) -> PrestatieBetwistingBeslecht:
    return PrestatieBetwistingBeslecht(**_kern(p), door="organisator", uitkomst=uitkomst, beslecht_op=op,
                                       toelichting="Nagekeken.", betwist_op=date(2026, 3, 20))


@pytest.fixture
async def wereld(omgeving, instellingen) -> Wereld:  # noqa: F811
    w = Wereld(omgeving, instellingen)
    await w.start()
    omgeving.toeleiding.rekeningen = {w.w: Bankrekening("An Peeters", "BE68539007547034")}
    return w


async def _run(w: Wereld, periode: str) -> int:
    r = await w.o.client.post(f"/v1/uitbetalingen/{periode}", headers=w.o.tokens.headers(*PAYOUT))
    assert r.status_code == 200, r.text
    return sum(int(u["bedrag"].replace(".", "")) for u in r.json()["uitbetalingen"])


async def _twee_dagen(w: Wereld):
    p1, p2 = w.prestatie(date(2026, 3, 2)), w.prestatie(date(2026, 3, 9))
    await w.publiceer(p1, p2)
    for i, (p, op) in enumerate(((p1, date(2026, 3, 3)), (p2, date(2026, 3, 10)))):
        for serie in w.series[3 * i: 3 * i + 3]:
            await w.valideer(serie, p, op)
    await w.publiceer(betwist(p1, date(2026, 3, 20)))
    return p1, p2


async def test_a_disputed_prestatie_is_held_and_paid_after_it_is_upheld(wereld):
    w = wereld
    p1, _ = await _twee_dagen(w)
    assert await _run(w, "2026-03") == DAG  # only the undisputed day
    await w.publiceer(beslecht(p1, "gehandhaafd", date(2026, 4, 10)))
    assert await _run(w, "2026-04") == DAG  # the upheld day, paid by the next run
    assert await w.saldo() == 0
    vast = await w.o.scalar("SELECT value FROM outbox WHERE event_type = 'UitbetalingUitgevoerd' ORDER BY id LIMIT 1")
    assert b'"vastgehouden_cent":' + str(DAG).encode() in bytes(vast).replace(b" ", b"")
    rapport = await w.herbereken()
    assert (rapport["verschil_cent"], rapport["verschillen"], rapport["fouten"]) == (0, [], [])


async def test_a_rejected_dispute_is_reversed_and_never_paid(wereld):
    w = wereld
    p1, _ = await _twee_dagen(w)
    assert await _run(w, "2026-03") == DAG
    await w.publiceer(beslecht(p1, "afgewezen", date(2026, 4, 10)), PrestatieGeannuleerd(
        **_kern(p1), door="organisator", begonnen_uren=3, reden="betwisting afgewezen: Nagekeken.",
        geannuleerd_op=date(2026, 4, 10)))
    assert len(await w.stornos()) == 4  # three cheques and the day's allowance, in April
    assert await _run(w, "2026-04") == 0
    assert await w.saldo() == 0
    rapport = await w.herbereken()
    assert (rapport["verschil_cent"], rapport["verschillen"], rapport["fouten"]) == (0, [], [])


async def test_a_dispute_after_the_run_date_does_not_change_that_run(wereld):
    """Judged on the run's business date: a dispute dated after it is not held by it."""
    w = wereld
    p1, p2 = w.prestatie(date(2026, 3, 2)), w.prestatie(date(2026, 3, 9))
    await w.publiceer(p1, p2)
    for i, (p, op) in enumerate(((p1, date(2026, 3, 3)), (p2, date(2026, 3, 10)))):
        for serie in w.series[3 * i: 3 * i + 3]:
            await w.valideer(serie, p, op)
    await w.publiceer(betwist(p1, date(2026, 4, 3)))
    assert await _run(w, "2026-03") == 2 * DAG  # the run is dated 1 April
