"""The dated facts "evaluation due / overdue" (issue #23 item 6): each dated from the due
date, once per trajectory and due date, the same whenever the job runs."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import text

from evaluatie.service_layer.signalen import signaleer_evaluaties
from evaluatie.service_layer.uow import EvaluatieUnitOfWork
from wijkwerk.db import session_factory
from wijkwerk.events import Envelope
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
        await signaleer_evaluaties(uow(), dag, terugkijk_dagen=0)
        if dag.day % 5 == 0:
            await signaleer_evaluaties(uow(), dag, terugkijk_dagen=0)
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
    await signaleer_evaluaties(uow(), date(2026, 7, 15), terugkijk_dagen=40)  # one run, weeks later
    assert sorted(f for f in await _feiten(engine) if f[1] == str(te_laat.traject_id)) == sorted(verwacht(te_laat))
    voor = await _feiten(engine)
    await signaleer_evaluaties(uow(), date(2026, 7, 15), terugkijk_dagen=40)
    assert await _feiten(engine) == voor  # nothing twice
