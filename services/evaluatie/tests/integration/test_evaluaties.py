"""Evaluations and outflow measurements through the API, and RPT-04 / RPT-08 from them."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import text

from wijkwerk.events import Envelope
from wijkwerk.events.toeleiding import TrajectBeeindigd, TrajectGestart, WijkwerkerIngeschreven

pytestmark = pytest.mark.integration

VDAB = ("evaluatie:write", "evaluatie:read", "rapportering:read")


def _traject(organisator_id, start: date, einde: date | None = None, ex_pwa: bool = False):
    wid, tid = uuid.uuid4(), uuid.uuid4()
    events = [
        WijkwerkerIngeschreven(wijkwerker_id=wid, organisator_id=organisator_id, domicilie_nis_code="31005",
                               uitkeringsstatus="volledig_werkzoekend", ex_pwa=ex_pwa, onbeperkt_recht=False,
                               ingeschreven_op=start),
        TrajectGestart(traject_id=tid, toeleiding_id=uuid.uuid4(), wijkwerker_id=wid, organisator_id=organisator_id,
                       start=start, gepland_einde=date(start.year + 1, start.month, 1), max_einde=None),
    ]
    if einde is not None:
        events.append(TrajectBeeindigd(traject_id=tid, wijkwerker_id=wid, organisator_id=organisator_id, einde=einde,
                                       reden="gestopt"))
    return tid, events


async def _outbox(engine) -> list[Envelope]:
    async with engine.connect() as conn:
        rows = (await conn.execute(text("SELECT value FROM outbox ORDER BY id"))).all()
    return [Envelope.from_bytes(r.value) for r in rows]


async def test_an_evaluation_is_stored_and_published_without_its_remarks(env, tokens, fold):
    client, engine = env
    oid = uuid.uuid4()
    tid, events = _traject(oid, date(2026, 1, 1))
    await fold(engine, *events)
    r = await client.post("/v1/evaluaties", headers=tokens.headers(*VDAB), json={
        "traject_id": str(tid), "datum": "2026-06-30", "uitkomst": "ander_traject", "vervolg": "TWE",
        "opmerkingen": "Vertrouwelijke opmerking", "evaluator_organisatie": "VDAB"})
    assert r.status_code == 201, r.text
    [published] = await _outbox(engine)
    assert published.event_type == "EvaluatieUitgevoerd"
    assert published.payload["uitkomst"] == "ander_traject" and published.payload["vervolg"] == "TWE"
    assert "Vertrouwelijke" not in published.to_bytes().decode()


async def test_an_evaluation_of_an_unknown_trajectory_or_outside_it_is_refused(env, tokens, fold):
    client, engine = env
    tid, events = _traject(uuid.uuid4(), date(2026, 1, 1), einde=date(2026, 3, 31))
    await fold(engine, *events)
    body = {"traject_id": str(uuid.uuid4()), "datum": "2026-02-01", "uitkomst": "zelfde_klus"}
    onbekend = await client.post("/v1/evaluaties", json=body, headers=tokens.headers(*VDAB))
    # Its TrajectGestart may still be on its way: retryable (issue #21, item 9).
    assert (onbekend.status_code, onbekend.json()["rule"], onbekend.headers["retry-after"]) == (
        409, "traject-nog-onbekend", "2")
    r = await client.post("/v1/evaluaties", json={**body, "traject_id": str(tid), "datum": "2026-05-01"},
                          headers=tokens.headers(*VDAB))
    assert (r.status_code, r.json()["rule"]) == (422, "evaluatie-buiten-traject")
    assert await _outbox(engine) == []


async def test_due_and_overdue_evaluations_per_organiser(env, tokens, fold):
    client, engine = env
    oid = uuid.uuid4()
    overdue, e1 = _traject(oid, date(2025, 12, 1))
    due, e2 = _traject(oid, date(2026, 2, 20))
    recent, e3 = _traject(oid, date(2026, 1, 1))
    await fold(engine, *e1, *e2, *e3)
    await client.post("/v1/evaluaties", json={"traject_id": str(recent), "datum": "2026-06-01", "uitkomst": "zelfde_klus"},
                      headers=tokens.headers(*VDAB))
    r = await client.get("/v1/evaluaties/te-doen", params={"organisator_id": str(oid), "op": "2026-08-05"},
                         headers=tokens.headers(*VDAB))
    status = {row["traject_id"]: row["status"] for row in r.json()}
    assert status == {str(overdue): "achterstallig", str(due): "te_doen"}


async def test_rpt08_counts_evaluations_and_distinct_workers(env, tokens, fold):
    client, engine = env
    oid = uuid.uuid4()
    a, ea = _traject(oid, date(2025, 1, 1))
    b, eb = _traject(oid, date(2025, 3, 1))
    await fold(engine, *ea, *eb)
    for tid, datum, uitkomst in ((a, "2025-06-30", "zelfde_klus"), (a, "2025-12-20", "uitstroom_werk"),
                                 (b, "2025-08-30", "zelfde_klus")):
        body = {"traject_id": str(tid), "datum": datum, "uitkomst": uitkomst}
        assert (await client.post("/v1/evaluaties", json=body, headers=tokens.headers(*VDAB))).status_code == 201
    r = (await client.get("/v1/rapporten/evaluaties", params={"van": "2025-01-01", "tot": "2025-12-31"},
                          headers=tokens.headers("rapportering:read"))).json()
    assert (r["evaluaties"], r["geevalueerde_wijkwerkers"]) == (3, 2)
    assert r["per_uitkomst"] == {"zelfde_klus": 2, "uitstroom_werk": 1}


async def test_rpt04_outflow_cohorts_and_categories_per_horizon(env, tokens, fold):
    client, engine = env
    oid = uuid.uuid4()
    # ended 2026-01-31: in the 3- and 6-month cohorts on 2026-08-15, not in the 9-month one
    ex1, e1 = _traject(oid, date(2025, 2, 1), einde=date(2026, 1, 31), ex_pwa=True)
    new1, e2 = _traject(oid, date(2025, 2, 1), einde=date(2026, 1, 31))
    new2, e3 = _traject(oid, date(2025, 2, 1), einde=date(2026, 1, 31))
    late, e4 = _traject(oid, date(2025, 6, 1), einde=date(2026, 7, 1))  # in no cohort yet
    await fold(engine, *e1, *e2, *e3, *e4)
    h = tokens.headers(*VDAB)
    for tid, cats, subs in ((ex1, ["werk_werknemer"], ["NEC"]), (new1, ["werk_werknemer"], ["SEC"]),
                            (new2, ["competentieversterking"], ["opleiding", "werkplekleren"])):
        r = await client.post("/v1/uitstroommetingen", headers=h, json={
            "traject_id": str(tid), "horizon_maanden": 3, "gemeten_op": "2026-05-02", "categorieen": cats,
            "subcategorieen": subs})
        assert r.status_code == 201, r.text
    early = await client.post("/v1/uitstroommetingen", headers=h, json={
        "traject_id": str(late), "horizon_maanden": 3, "gemeten_op": "2026-08-01", "categorieen": ["werkzoekend"]})
    assert (early.status_code, early.json()["rule"]) == (422, "meetmoment-niet-bereikt")

    rows = (await client.get("/v1/rapporten/uitstroom", params={"op": "2026-08-15"}, headers=h)).json()["rijen"]
    table = {(r["horizon_maanden"], r["groep"]): r for r in rows}
    assert table[(3, "ex_pwa")]["dossiers"] == 1 and table[(3, "nieuw")]["dossiers"] == 2
    assert table[(3, "nieuw")]["categorieen"] == {
        "werk_werknemer": 1, "SEC": 1, "competentieversterking": 1, "opleiding": 1, "werkplekleren": 1}
    assert table[(3, "ex_pwa")]["categorieen"] == {"werk_werknemer": 1, "NEC": 1}
    assert table[(6, "nieuw")]["dossiers"] == 2 and table[(6, "nieuw")]["categorieen"] == {}
    assert table[(9, "nieuw")]["dossiers"] == 0

    csv = await client.get("/v1/rapporten/uitstroom", params={"op": "2026-08-15", "format": "csv"}, headers=h)
    assert csv.headers["content-type"].startswith("text/csv")
    assert "3,nieuw,werk_werknemer,1,2" in csv.text


async def test_concurrent_retries_with_one_key_record_one_evaluation_and_one_event(env, tokens, fold):
    """Idempotency-Key (issue #21, item 8): a partner's retries, even at the same time, record
    the evaluation once; a retry before the trajectory arrived is answered 409 + Retry-After
    and does not use up the key."""
    import asyncio

    client, engine = env
    tid, events = _traject(uuid.uuid4(), date(2026, 1, 1))
    headers = {**tokens.headers(*VDAB), "Idempotency-Key": str(uuid.uuid4())}
    body = {"traject_id": str(tid), "datum": "2026-06-30", "uitkomst": "zelfde_klus"}
    vroeg = await client.post("/v1/evaluaties", json=body, headers=headers)
    assert (vroeg.status_code, vroeg.json()["rule"]) == (409, "traject-nog-onbekend")
    await fold(engine, *events)

    async def tot_beantwoord():
        while True:
            r = await client.post("/v1/evaluaties", json=body, headers=headers)
            if not (r.status_code == 409 and "retry-after" in r.headers):
                return r
            await asyncio.sleep(0.01)

    antwoorden = await asyncio.wait_for(asyncio.gather(*(tot_beantwoord() for _ in range(6))), 60)
    assert {r.status_code for r in antwoorden} == {201}
    assert len({r.json()["id"] for r in antwoorden}) == 1
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM evaluaties WHERE traject_id = :t"), {"t": tid}) == 1
    assert [e.event_type for e in await _outbox(engine)] == ["EvaluatieUitgevoerd"]


async def test_rpt04_a_re_referred_person_counts_once_per_ended_trajectory(env, tokens, fold):
    """A-19: the same worker's trajectory ended on 31 January, a re-referral ended on 30
    April; each is measured from its own end."""
    client, engine = env
    oid, wid = uuid.uuid4(), uuid.uuid4()
    eerste, tweede = uuid.uuid4(), uuid.uuid4()
    await fold(
        engine,
        WijkwerkerIngeschreven(wijkwerker_id=wid, organisator_id=oid, domicilie_nis_code="31005",
                               uitkeringsstatus="volledig_werkzoekend", ex_pwa=False, onbeperkt_recht=False,
                               ingeschreven_op=date(2025, 2, 1)),
        *[e for tid, start, einde in ((eerste, date(2025, 2, 1), date(2026, 1, 31)),
                                      (tweede, date(2026, 3, 1), date(2026, 4, 30)))
          for e in (TrajectGestart(traject_id=tid, toeleiding_id=uuid.uuid4(), wijkwerker_id=wid, organisator_id=oid,
                                   start=start, gepland_einde=einde, max_einde=None),
                    TrajectBeeindigd(traject_id=tid, wijkwerker_id=wid, organisator_id=oid, einde=einde,
                                     reden="gestopt"))],
    )
    h = tokens.headers(*VDAB)
    for tid, gemeten_op, cats in ((eerste, "2026-04-30", ["werkzoekend"]), (tweede, "2026-07-30", ["werk_werknemer"])):
        r = await client.post("/v1/uitstroommetingen", headers=h, json={
            "traject_id": str(tid), "horizon_maanden": 3, "gemeten_op": gemeten_op, "categorieen": cats})
        assert r.status_code == 201, r.text
    te_vroeg = await client.post("/v1/uitstroommetingen", headers=h, json={
        "traject_id": str(tweede), "horizon_maanden": 6, "gemeten_op": "2026-08-15", "categorieen": ["werkzoekend"]})
    assert (te_vroeg.status_code, te_vroeg.json()["rule"]) == (422, "meetmoment-niet-bereikt")  # from its own end

    rows = (await client.get("/v1/rapporten/uitstroom", params={"op": "2026-08-15"}, headers=h)).json()["rijen"]
    table = {(r["horizon_maanden"], r["groep"]): r for r in rows}
    assert table[(3, "nieuw")]["dossiers"] == 2
    assert table[(3, "nieuw")]["categorieen"] == {"werkzoekend": 1, "werk_werknemer": 1}
    assert table[(6, "nieuw")]["dossiers"] == 1  # only the first trajectory is six months out
