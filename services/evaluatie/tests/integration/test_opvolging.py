"""Issue #21 item 11 on a real PostgreSQL: evaluations and outflow measurements read back
and corrected (every version kept), a referrer's view of its own referrals' outcomes, the
outflow measurements due as of a date, and evaluations due over a longer period."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import text

from wijkwerk.events import Envelope
from wijkwerk.events.toeleiding import (
    ToeleidingOntvangen,
    TrajectBeeindigd,
    TrajectGestart,
    WijkwerkerIngeschreven,
)

pytestmark = pytest.mark.integration

VDAB = ("evaluatie:write", "evaluatie:read", "rapportering:read")


def _traject(oid, start: date, *, gepland_einde: date | None = None, einde: date | None = None,
             toeleider_org: str | None = None):
    wid, tid, toeleiding = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    events = [
        WijkwerkerIngeschreven(wijkwerker_id=wid, organisator_id=oid, domicilie_nis_code="31005",
                               uitkeringsstatus="leefloon", ex_pwa=False, onbeperkt_recht=False, ingeschreven_op=start),
        ToeleidingOntvangen(toeleiding_id=toeleiding, wijkwerker_id=wid, organisator_id=oid, toeleider_type="OCMW",
                            advies_maanden=12, ontvangen_op=start, uitkeringsstatus="leefloon", ex_pwa=False,
                            onbeperkt_recht=False, toeleider_org=toeleider_org),
        TrajectGestart(traject_id=tid, toeleiding_id=toeleiding, wijkwerker_id=wid, organisator_id=oid, start=start,
                       gepland_einde=gepland_einde or date(start.year + 1, start.month, 1), max_einde=None),
    ]
    if einde is not None:
        events.append(TrajectBeeindigd(traject_id=tid, wijkwerker_id=wid, organisator_id=oid, einde=einde,
                                       reden="uitstroom_werk"))
    return tid, events


async def _outbox(engine) -> list[Envelope]:
    async with engine.connect() as conn:
        rows = (await conn.execute(text("SELECT value FROM outbox ORDER BY id"))).all()
    return [Envelope.from_bytes(r.value) for r in rows]


async def _count(engine, sql: str) -> int:
    async with engine.connect() as conn:
        return await conn.scalar(text(sql))


async def _evaluatie(client, tokens, tid, **kw) -> str:
    body = {"traject_id": str(tid), "datum": "2026-06-30", "uitkomst": "zelfde_klus",
            "opmerkingen": "Loopt goed", "evaluator_organisatie": "VDAB", **kw}
    r = await client.post("/v1/evaluaties", json=body, headers=tokens.headers(*VDAB))
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def test_an_evaluation_is_read_back_and_corrected_and_the_latest_dated_version_wins(env, tokens, fold):
    client, engine = env
    oid = uuid.uuid4()
    tid, events = _traject(oid, date(2026, 1, 1))
    await fold(engine, *events)
    eid = await _evaluatie(client, tokens, tid)
    h = tokens.headers(*VDAB, sub="bemiddelaar-3")
    gelezen = (await client.get(f"/v1/evaluaties/{eid}", headers=h)).json()
    assert (gelezen["datum"], gelezen["uitkomst"], gelezen["opmerkingen"]) == ("2026-06-30", "zelfde_klus", "Loopt goed")

    r = await client.post(f"/v1/evaluaties/{eid}/correctie", headers=h, json={
        "gecorrigeerd_op": "2026-07-05", "reden": "Gesprek was op 28 juni", "datum": "2026-06-28",
        "opmerkingen": "Loopt goed; wil opleiding"})
    assert r.status_code == 200, r.text
    assert (r.json()["datum"], r.json()["opmerkingen"]) == ("2026-06-28", "Loopt goed; wil opleiding")
    # A correction dated earlier arrives later: kept in the history, the 5 July version stays.
    r = await client.post(f"/v1/evaluaties/{eid}/correctie", headers=h, json={
        "gecorrigeerd_op": "2026-07-01", "reden": "Evaluator", "evaluator_organisatie": "OCMW"})
    assert r.status_code == 200, r.text
    assert (r.json()["datum"], r.json()["evaluator_organisatie"]) == ("2026-06-28", "VDAB")

    historiek = (await client.get(f"/v1/evaluaties/{eid}/historiek", headers=h)).json()
    assert [(v["gecorrigeerd_op"], v["reden"], v["waarden"]["datum"], v["waarden"]["evaluator_organisatie"])
            for v in historiek] == [
        ("2026-06-30", "registratie", "2026-06-30", "VDAB"),
        ("2026-07-01", "Evaluator", "2026-06-28", "OCMW"),
        ("2026-07-05", "Gesprek was op 28 juni", "2026-06-28", "VDAB"),
    ]
    assert historiek[-1]["door"] == "bemiddelaar-3"
    # The next evaluation is due 6 months after the corrected date: 28 Dec, overdue on 29 Dec.
    te_doen = await client.get("/v1/evaluaties/te-doen", params={"op": "2026-12-29", "organisator_id": str(oid)},
                               headers=h)
    assert [(x["laatste_evaluatie"], x["volgende_evaluatie"], x["status"]) for x in te_doen.json()] == [
        ("2026-06-28", "2026-12-28", "achterstallig")]
    gecorrigeerd = [e for e in await _outbox(engine) if e.event_type == "EvaluatieGecorrigeerd"]
    assert [(e.payload["datum"], e.payload["gecorrigeerd_op"]) for e in gecorrigeerd] == [
        ("2026-06-28", "2026-07-05"), ("2026-06-28", "2026-07-01")]
    assert all("opleiding" not in e.to_bytes().decode() for e in gecorrigeerd)  # remarks stay here


@pytest.mark.parametrize(("body", "status", "rule"), [
    ({"gecorrigeerd_op": "2026-07-05", "reden": "x", "uitkomst": "uitstroom_werk"}, 422, "uitkomst-beeindigt-traject"),
    ({"gecorrigeerd_op": "2026-06-29", "reden": "x", "opmerkingen": "te vroeg"}, 422, "correctie-voor-registratie"),
    ({"gecorrigeerd_op": "2026-07-05", "reden": "x", "datum": "2025-12-31"}, 422, "evaluatie-buiten-traject"),
    ({"gecorrigeerd_op": "2026-07-05", "reden": "x", "opmerkingen": "Loopt goed"}, 422, "correctie-zonder-wijziging"),
])
async def test_a_refused_correction_writes_nothing(env, tokens, fold, body, status, rule):
    client, engine = env
    tid, events = _traject(uuid.uuid4(), date(2026, 1, 1))
    await fold(engine, *events)
    eid = await _evaluatie(client, tokens, tid)
    voor = len(await _outbox(engine))
    r = await client.post(f"/v1/evaluaties/{eid}/correctie", json=body, headers=tokens.headers(*VDAB))
    assert (r.status_code, r.json()["rule"]) == (status, rule)
    assert await _count(engine, "SELECT count(*) FROM correcties") == 0
    assert len(await _outbox(engine)) == voor
    assert (await client.get(f"/v1/evaluaties/{eid}", headers=tokens.headers(*VDAB))).json()["datum"] == "2026-06-30"


async def test_another_organiser_neither_reads_nor_corrects_an_evaluation(env, tokens, fold):
    client, engine = env
    oid, ander = uuid.uuid4(), uuid.uuid4()
    tid, events = _traject(oid, date(2026, 1, 1))
    await fold(engine, *events)
    eid = await _evaluatie(client, tokens, tid)
    b = tokens.headers(*VDAB, org=str(ander), org_type="organisator")
    for r in (await client.get(f"/v1/evaluaties/{eid}", headers=b),
              await client.get(f"/v1/evaluaties/{eid}/historiek", headers=b),
              await client.post(f"/v1/evaluaties/{eid}/correctie", headers=b,
                                json={"gecorrigeerd_op": "2026-07-05", "reden": "x", "opmerkingen": "y"})):
        assert (r.status_code, r.json()["rule"]) == (404, "evaluatie-onbekend")
    assert await _count(engine, "SELECT count(*) FROM correcties") == 0
    a = tokens.headers(*VDAB, org=str(oid), org_type="organisator")
    assert (await client.get(f"/v1/evaluaties/{eid}", headers=a)).status_code == 200


async def test_a_corrected_outflow_measurement_changes_rpt04_and_keeps_its_history(env, tokens, fold):
    client, engine = env
    oid = uuid.uuid4()
    tid, events = _traject(oid, date(2025, 10, 1), einde=date(2026, 3, 31))
    await fold(engine, *events)
    r = await client.post("/v1/uitstroommetingen", headers=tokens.headers(*VDAB), json={
        "traject_id": str(tid), "horizon_maanden": 3, "gemeten_op": "2026-07-01", "categorieen": ["werkzoekend"]})
    mid = r.json()["id"]
    rapport = lambda: client.get("/v1/rapporten/uitstroom", params={"op": "2026-08-01", "organisator_id": str(oid)},  # noqa: E731
                                 headers=tokens.headers(*VDAB))
    drie_nieuw = lambda body: next(g for g in body["rijen"] if (g["horizon_maanden"], g["groep"]) == (3, "nieuw"))  # noqa: E731
    assert drie_nieuw((await rapport()).json()) == {"horizon_maanden": 3, "groep": "nieuw", "uitkeringsstatus": None,
                                                    "dossiers": 1, "categorieen": {"werkzoekend": 1}}
    r = await client.post(f"/v1/uitstroommetingen/{mid}/correctie", headers=tokens.headers(*VDAB), json={
        "gecorrigeerd_op": "2026-07-15", "reden": "Werkt sinds juni", "categorieen": ["werk_werknemer"],
        "subcategorieen": ["NEC"]})
    assert r.status_code == 200, r.text
    assert (r.json()["categorieen"], r.json()["subcategorieen"]) == (["werk_werknemer"], ["NEC"])
    assert drie_nieuw((await rapport()).json())["categorieen"] == {"werk_werknemer": 1, "NEC": 1}
    historiek = (await client.get(f"/v1/uitstroommetingen/{mid}/historiek", headers=tokens.headers(*VDAB))).json()
    assert [(v["gecorrigeerd_op"], v["waarden"]["categorieen"]) for v in historiek] == [
        ("2026-07-01", ["werkzoekend"]), ("2026-07-15", ["werk_werknemer"])]
    fout = await client.post(f"/v1/uitstroommetingen/{mid}/correctie", headers=tokens.headers(*VDAB), json={
        "gecorrigeerd_op": "2026-07-16", "reden": "x", "subcategorieen": ["TWE"]})
    assert (fout.status_code, fout.json()["rule"]) == (422, "subcategorie-ongeldig")
    assert [e.event_type for e in await _outbox(engine)] == ["UitstroomGemeten", "UitstroommetingGecorrigeerd"]


async def test_outflow_measurements_due_as_of_a_date_count_only_facts_dated_by_then(env, tokens, fold):
    client, engine = env
    oid = uuid.uuid4()
    t1, e1 = _traject(oid, date(2025, 3, 1), einde=date(2026, 1, 31))  # points 30 Apr, 31 Jul, 31 Oct, 31 Jan
    t2, e2 = _traject(oid, date(2025, 6, 1), einde=date(2026, 3, 31))  # points 30 Jun, 30 Sep, 31 Dec, 31 Mar
    t3, e3 = _traject(oid, date(2025, 9, 1), einde=date(2026, 8, 31))  # ends after the dates asked
    _, e4 = _traject(oid, date(2026, 1, 1))  # still running
    await fold(engine, *e1, *e2, *e3, *e4)
    r = await client.post("/v1/uitstroommetingen", headers=tokens.headers(*VDAB), json={
        "traject_id": str(t1), "horizon_maanden": 3, "gemeten_op": "2026-05-05", "categorieen": ["werk_werknemer"],
        "subcategorieen": ["SEC"]})
    assert r.status_code == 201, r.text

    async def te_meten(**params) -> list[tuple]:
        r = await client.get("/v1/uitstroommetingen/te-doen", params={"organisator_id": str(oid), **params},
                             headers=tokens.headers(*VDAB))
        assert r.status_code == 200, r.text
        return [(x["traject_id"], x["horizon_maanden"], x["meetmoment"], x["status"]) for x in r.json()]

    # On 1 May, T1's 3-month point (30 Apr) is due: its measurement is dated 5 May.
    assert await te_meten(op="2026-05-01") == [(str(t1), 3, "2026-04-30", "te_meten")]
    assert await te_meten(op="2026-07-31") == [(str(t2), 3, "2026-06-30", "te_meten"), (str(t1), 6, "2026-07-31", "te_meten")]
    assert await te_meten(op="2026-07-31", tot="2026-09-30") == [
        (str(t2), 3, "2026-06-30", "te_meten"), (str(t1), 6, "2026-07-31", "te_meten"),
        (str(t2), 6, "2026-09-30", "gepland")]
    assert str(t3) not in {x[0] for x in await te_meten(op="2026-08-30", tot="2027-12-31")}
    fout = await client.get("/v1/uitstroommetingen/te-doen", params={"op": "2026-07-31", "tot": "2026-07-30"},
                            headers=tokens.headers(*VDAB))
    assert (fout.status_code, fout.json()["rule"]) == (422, "periode-ongeldig")
    ander = tokens.headers(*VDAB, org=str(uuid.uuid4()), org_type="organisator")
    assert (await client.get("/v1/uitstroommetingen/te-doen", params={"op": "2026-07-31"}, headers=ander)).json() == []


async def test_a_referrer_sees_the_outcomes_of_its_own_referrals_only(env, tokens, fold):
    client, engine = env
    oid = uuid.uuid4()
    brugge, e1 = _traject(oid, date(2025, 10, 1), einde=date(2026, 3, 31), toeleider_org="ocmw-brugge")
    gent, e2 = _traject(oid, date(2025, 11, 1), toeleider_org="ocmw-gent")
    await fold(engine, *e1, *e2)
    await _evaluatie(client, tokens, brugge, datum="2026-03-31", uitkomst="uitstroom_werk", opmerkingen="Vertrouwelijk")
    await client.post("/v1/uitstroommetingen", headers=tokens.headers(*VDAB), json={
        "traject_id": str(brugge), "horizon_maanden": 3, "gemeten_op": "2026-07-01", "categorieen": ["werk_werknemer"],
        "subcategorieen": ["NEC"]})
    referrer = tokens.headers("evaluatie:read", org="ocmw-brugge", org_type="toeleider")
    r = await client.get("/v1/toeleidingen/uitkomsten", headers=referrer)
    assert r.status_code == 200, r.text
    [eigen] = r.json()
    assert (eigen["traject_id"], eigen["toeleider_org"], eigen["werkelijk_einde"], eigen["einde_reden"]) == (
        str(brugge), "ocmw-brugge", "2026-03-31", "uitstroom_werk")
    assert [(e["datum"], e["uitkomst"]) for e in eigen["evaluaties"]] == [("2026-03-31", "uitstroom_werk")]
    assert [(m["horizon_maanden"], m["categorieen"], m["subcategorieen"]) for m in eigen["uitstroommetingen"]] == [
        (3, ["werk_werknemer"], ["NEC"])]
    assert "Vertrouwelijk" not in r.text and "opmerkingen" not in r.text
    assert (await client.get(f"/v1/trajecten/{brugge}/uitkomsten", headers=referrer)).status_code == 200
    andere = tokens.headers("evaluatie:read", org="ocmw-gent", org_type="toeleider")
    assert [x["traject_id"] for x in (await client.get("/v1/toeleidingen/uitkomsten", headers=andere)).json()] == [str(gent)]
    for h in (andere, tokens.headers("evaluatie:read", org=str(uuid.uuid4()), org_type="organisator")):
        r = await client.get(f"/v1/trajecten/{brugge}/uitkomsten", headers=h)
        assert (r.status_code, r.json()["rule"]) == (404, "traject-onbekend")
    zonder_org = tokens.headers("evaluatie:read", org_type="toeleider")
    r = await client.get("/v1/toeleidingen/uitkomsten", headers=zonder_org)  # fails closed (issue #18)
    assert (r.status_code, r.json()["rule"]) == (403, "org-ontbreekt")
    centraal = (await client.get("/v1/toeleidingen/uitkomsten", headers=tokens.headers(*VDAB))).json()
    assert {x["traject_id"] for x in centraal} == {str(brugge), str(gent)}


async def test_evaluations_due_over_a_longer_period(env, tokens, fold):
    client, engine = env
    oid = uuid.uuid4()
    jaar, e1 = _traject(oid, date(2026, 1, 1))  # due 1 Jul, runs to 1 Jan 2027
    kort, e2 = _traject(oid, date(2026, 1, 1), gepland_einde=date(2026, 6, 15))  # ends before its due date
    await fold(engine, *e1, *e2)

    async def te_doen(**params) -> list[tuple]:
        r = await client.get("/v1/evaluaties/te-doen", params={"organisator_id": str(oid), **params},
                             headers=tokens.headers(*VDAB))
        assert r.status_code == 200, r.text
        return sorted((x["traject_id"], x["volgende_evaluatie"], x["status"]) for x in r.json())

    assert await te_doen(op="2026-03-01") == []  # the default month ends on 1 April
    assert await te_doen(op="2026-03-01", tot="2026-06-30") == []
    assert await te_doen(op="2026-03-01", tot="2026-07-31") == [(str(jaar), "2026-07-01", "te_doen")]
    fout = await client.get("/v1/evaluaties/te-doen", params={"op": "2026-03-01", "tot": "2026-02-01"},
                            headers=tokens.headers(*VDAB))
    assert (fout.status_code, fout.json()["rule"]) == (422, "periode-ongeldig")
    assert str(kort)  # listed by neither: its due date (1 Jul) falls after its end (15 Jun)
