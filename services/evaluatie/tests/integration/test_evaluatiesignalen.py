"""The dated facts "evaluation due / overdue" and "cheques expire soon" (issue #23 item 6):
each dated from its due or expiry date, recorded once, the same whenever the job runs."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import text

from evaluatie.service_layer.signalen import signaleer_vervaldagen
from evaluatie.service_layer.uow import EvaluatieUnitOfWork
from wijkwerk.db import session_factory
from wijkwerk.events import Envelope
from wijkwerk.events import cheques as c
from wijkwerk.events.toeleiding import TrajectGestart

pytestmark = pytest.mark.integration


async def _feiten(engine) -> list[tuple[str, str, str, str]]:
    async with engine.connect() as conn:
        rows = (await conn.execute(text("SELECT event_type, value FROM outbox ORDER BY id"))).all()
    uit = []
    for r in rows:
        if r.event_type in ("EvaluatieTeDoen", "EvaluatieAchterstallig"):
            p = Envelope.from_bytes(r.value).payload
            uit.append((r.event_type, p["traject_id"], p["vervaldag"], p["datum"]))
    return uit


def _traject(start: date) -> TrajectGestart:
    return TrajectGestart(traject_id=uuid.uuid4(), toeleiding_id=uuid.uuid4(), wijkwerker_id=uuid.uuid4(),
                          organisator_id=uuid.uuid4(), start=start, gepland_einde=date(2027, 1, 9), max_einde=None)


async def test_due_and_overdue_are_dated_facts_once_per_due_date_whenever_the_job_runs(env, tokens, fold):
    client, engine = env
    dagelijks, geevalueerd = _traject(date(2026, 1, 10)), _traject(date(2026, 1, 10))
    await fold(engine, dagelijks, geevalueerd)
    uow = lambda: EvaluatieUnitOfWork(session_factory(engine))  # noqa: E731
    r = await client.post("/v1/evaluaties", json={"traject_id": str(geevalueerd.traject_id), "datum": "2026-07-05",
                                                   "uitkomst": "zelfde_klus"},
                          headers=tokens.headers("evaluatie:write", org_type="vdab"))
    assert r.status_code == 201, r.text

    # one run a day from June 8 to July 12, a second run on some days, with no look-back
    for dag in [date(2026, 6, d) for d in range(8, 31)] + [date(2026, 7, d) for d in range(1, 13)]:
        await signaleer_vervaldagen(uow(), dag, terugkijk_dagen=0)
        if dag.day % 5 == 0:
            await signaleer_vervaldagen(uow(), dag, terugkijk_dagen=0)
    feiten = await _feiten(engine)
    # the due date 2026-07-10: due within a month from June 10, overdue from July 11
    verwacht = lambda t: [("EvaluatieTeDoen", str(t.traject_id), "2026-07-10", "2026-06-10"),  # noqa: E731
                          ("EvaluatieAchterstallig", str(t.traject_id), "2026-07-10", "2026-07-11")]
    assert sorted(f for f in feiten if f[1] == str(dagelijks.traject_id)) == sorted(verwacht(dagelijks))
    # evaluated on July 5 (after the fact "due" arose): due, never overdue for that due date
    assert [f for f in feiten if f[1] == str(geevalueerd.traject_id)] == [verwacht(geevalueerd)[0]]

    # a trajectory whose only run comes weeks late gets the same facts with the same dates
    te_laat = _traject(date(2026, 1, 10))
    await fold(engine, te_laat)
    await signaleer_vervaldagen(uow(), date(2026, 7, 15), terugkijk_dagen=40)  # one run, weeks later
    assert sorted(f for f in await _feiten(engine) if f[1] == str(te_laat.traject_id)) == sorted(verwacht(te_laat))
    voor = await _feiten(engine)
    await signaleer_vervaldagen(uow(), date(2026, 7, 15), terugkijk_dagen=40)
    assert await _feiten(engine) == voor  # nothing twice


async def test_cheques_expiring_soon_is_a_dated_fact_per_organiser_and_expiry_date(env, fold):
    client, engine = env
    org, bestelling = uuid.uuid4(), uuid.uuid4()
    gemeen = dict(bestelling_id=bestelling, uitgever="uitgever", gebruiker_id=uuid.uuid4(), organisator_id=org,
                  drager="elektronisch", prijs_cent=745)
    await fold(
        engine,
        c.ChequesUitgegeven(**gemeen, serienummers=("S1", "S2", "S3"), uitgegeven_op=date(2026, 1, 5),
                            geldig_tot=date(2026, 9, 30)),
        c.ChequeGevalideerd(  # used before the warning: not expiring
            serienummer="S1", prestatie_id=uuid.uuid4(), koppeling_id=uuid.uuid4(), wijkwerker_id=uuid.uuid4(),
            besteld_op=date(2026, 1, 5), prestatie_datum=date(2026, 8, 9), gevalideerd_op=date(2026, 8, 10),
            boekmaand=date(2026, 8, 1), wijkwerker_cent=410, verzekering_cent=100, reisfonds_cent=35,
            uitgever_cent=50, organisator_cent=150, **{k: v for k, v in gemeen.items() if k != "uitgever"}),
        c.ChequeTerugbetaald(serienummer="S2", bestelling_id=bestelling, gebruiker_id=gemeen["gebruiker_id"],
                             organisator_id=org, prijs_cent=745, terugbetaald_op=date(2026, 9, 5)),  # after it
    )
    uow = lambda: EvaluatieUnitOfWork(session_factory(engine))  # noqa: E731
    await signaleer_vervaldagen(uow(), date(2026, 9, 20), terugkijk_dagen=30)  # a run weeks late
    await signaleer_vervaldagen(uow(), date(2026, 9, 21), terugkijk_dagen=30)
    async with engine.connect() as conn:
        rows = (await conn.execute(text("SELECT value FROM outbox WHERE event_type = 'ChequesVervallenBinnenkort'"))).all()
    assert [Envelope.from_bytes(r.value).payload for r in rows] == [{
        "organisator_id": str(org), "geldig_tot": "2026-09-30", "datum": "2026-08-31", "aantal": 2,
        "serienummers": ["S2", "S3"]}]
