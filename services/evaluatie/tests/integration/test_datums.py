"""Issue #21 defects 3 and 7 in evaluatie: an "as of D" answer uses only facts dated on
or before D, and a list filters in its query, so a page is never short while rows remain."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from wijkwerk.events.toeleiding import TrajectGestart, WijkwerkerIngeschreven

pytestmark = pytest.mark.integration

VDAB = ("evaluatie:write", "evaluatie:read", "rapportering:read")


def _traject(organisator_id, start: date):
    wid, tid = uuid.uuid4(), uuid.uuid4()
    return tid, [
        WijkwerkerIngeschreven(wijkwerker_id=wid, organisator_id=organisator_id, domicilie_nis_code="31005",
                               uitkeringsstatus="volledig_werkzoekend", ex_pwa=False, onbeperkt_recht=False,
                               ingeschreven_op=start),
        TrajectGestart(traject_id=tid, toeleiding_id=uuid.uuid4(), wijkwerker_id=wid, organisator_id=organisator_id,
                       start=start, gepland_einde=date(start.year + 1, start.month, 1), max_einde=None),
    ]


async def test_te_doen_as_of_a_date_ignores_evaluations_after_it(env, tokens, fold):
    client, engine = env
    oid = uuid.uuid4()
    tid, events = _traject(oid, date(2025, 1, 1))
    await fold(engine, *events)
    body = {"traject_id": str(tid), "datum": "2025-09-15", "uitkomst": "zelfde_klus"}
    assert (await client.post("/v1/evaluaties", json=body, headers=tokens.headers(*VDAB))).status_code == 201
    # As of 2025-08-01 the evaluation of 2025-09-15 has not happened: due 2025-07-01, overdue.
    r = await client.get("/v1/evaluaties/te-doen", params={"organisator_id": str(oid), "op": "2025-08-01"},
                         headers=tokens.headers(*VDAB))
    assert [(row["traject_id"], row["laatste_evaluatie"], row["volgende_evaluatie"], row["status"])
            for row in r.json()] == [(str(tid), None, "2025-07-01", "achterstallig")]


async def test_te_doen_pages_are_full_while_due_rows_remain(env, tokens, fold):
    client, engine = env
    oid = uuid.uuid4()
    # Three trajectories not due yet (started first, so they come first in the order) and
    # two overdue ones: a page of two must hold two due rows.
    niet_te_doen = [_traject(oid, date(2026, 1, day)) for day in (1, 2, 3)]
    for tid, events in niet_te_doen:
        await fold(engine, *events)
        body = {"traject_id": str(tid), "datum": "2026-05-01", "uitkomst": "zelfde_klus"}
        assert (await client.post("/v1/evaluaties", json=body, headers=tokens.headers(*VDAB))).status_code == 201
    te_doen = [_traject(oid, date(2026, 1, day)) for day in (10, 11)]
    for _, events in te_doen:
        await fold(engine, *events)
    params = {"organisator_id": str(oid), "op": "2026-08-01", "limit": 2}
    eerste = (await client.get("/v1/evaluaties/te-doen", params=params, headers=tokens.headers(*VDAB))).json()
    assert sorted(row["traject_id"] for row in eerste) == sorted(str(t) for t, _ in te_doen)
    volgende = (await client.get("/v1/evaluaties/te-doen", params={**params, "offset": 2},
                                 headers=tokens.headers(*VDAB))).json()
    assert volgende == []


async def test_an_evaluation_that_ends_the_trajectory_carries_its_end_date(env, tokens, fold):
    """Defect 1: the evaluation decides, the end follows later; the event tells toeleiding
    the end date (none given: the evaluation date)."""
    from sqlalchemy import text

    from wijkwerk.events import Envelope

    client, engine = env
    tid, events = _traject(uuid.uuid4(), date(2026, 1, 1))
    await fold(engine, *events)
    body = {"traject_id": str(tid), "datum": "2026-06-30", "uitkomst": "ander_traject", "vervolg": "IBO",
            "einde": "2026-07-31"}
    r = await client.post("/v1/evaluaties", json=body, headers=tokens.headers(*VDAB))
    assert r.status_code == 201, r.text
    terug = (await client.get(f"/v1/evaluaties/{r.json()['id']}", headers=tokens.headers(*VDAB))).json()
    assert terug["einde"] == "2026-07-31"
    async with engine.connect() as conn:
        [value] = (await conn.execute(text("SELECT value FROM outbox WHERE event_type = 'EvaluatieUitgevoerd'"))).scalars()
    assert Envelope.from_bytes(value).payload["einde"] == "2026-07-31"
    voor = await client.post("/v1/evaluaties", headers=tokens.headers(*VDAB), json={**body, "einde": "2026-06-29"})
    assert (voor.status_code, voor.json()["rule"]) == (422, "einde-voor-evaluatie")
    blijft = await client.post("/v1/evaluaties", headers=tokens.headers(*VDAB),
                               json={**body, "uitkomst": "zelfde_klus", "vervolg": None})
    assert (blijft.status_code, blijft.json()["rule"]) == (422, "einde-zonder-beeindiging")


async def test_a_trajectory_past_its_planned_end_has_ended_whether_or_not_the_job_said_so(env, tokens, fold):
    """Defect 6: "ended as of D" is derived from the dated facts (A-08: the actual end, else
    the planned end), so the reports do not depend on when toeleiding's job fires."""
    client, engine = env
    oid = uuid.uuid4()
    wid, tid = uuid.uuid4(), uuid.uuid4()
    await fold(engine,
               WijkwerkerIngeschreven(wijkwerker_id=wid, organisator_id=oid, domicilie_nis_code="31005",
                                      uitkeringsstatus="volledig_werkzoekend", ex_pwa=False, onbeperkt_recht=False,
                                      ingeschreven_op=date(2025, 8, 1)),
               TrajectGestart(traject_id=tid, toeleiding_id=uuid.uuid4(), wijkwerker_id=wid, organisator_id=oid,
                              start=date(2025, 8, 1), gepland_einde=date(2026, 1, 31), max_einde=date(2026, 7, 31)))
    h = tokens.headers(*VDAB)
    te_meten = (await client.get("/v1/uitstroommetingen/te-doen", params={"op": "2026-05-01", "organisator_id": str(oid)},
                                 headers=h)).json()
    assert [(r["traject_id"], r["horizon_maanden"], r["meetmoment"]) for r in te_meten] == [(str(tid), 3, "2026-04-30")]
    r = await client.post("/v1/uitstroommetingen", headers=h, json={
        "traject_id": str(tid), "horizon_maanden": 3, "gemeten_op": "2026-05-02", "categorieen": ["werk_werknemer"],
        "subcategorieen": ["NEC"]})
    assert r.status_code == 201, r.text
    rows = (await client.get("/v1/rapporten/uitstroom", params={"op": "2026-08-15", "organisator_id": str(oid)},
                             headers=h)).json()["rijen"]
    assert {(x["horizon_maanden"], x["groep"]): x["dossiers"] for x in rows}[(3, "nieuw")] == 1


async def test_rpt11_per_organiser_counts_on_the_erkenning_level(env, tokens, fold):
    """Defect 2: a gebruiker with active erkenningen at two organisers and prestaties at
    one only is "without prestatie" at the other (DOMAIN RPT-11), and counted once for
    Flanders, as a gebruiker with a prestatie."""
    from wijkwerk.events import prestaties as p
    from wijkwerk_platform.testkit import prestatie_geregistreerd

    client, engine = env
    a, b, gid = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    events = [p.GebruikerGeregistreerd(gebruiker_id=gid, categorie="school", geslacht=None,
                                       aangemeld_op=date(2026, 1, 5), aangemeld_bij=a)]
    for oid in (a, b):
        eid = uuid.uuid4()
        events += [
            p.ErkenningVerleend(gebruiker_id=gid, erkenning_id=eid, organisator_id=oid, gebruiker_categorie="school",
                                geldig_van=date(2026, 1, 5), geldig_tot=date(2027, 1, 4), inschrijvingsrecht_cent=750,
                                overeenkomst_op=date(2026, 1, 5)),
            p.InschrijvingsrechtBetaald(gebruiker_id=gid, erkenning_id=eid, organisator_id=oid, bedrag_cent=750,
                                        jaar=2026, geldig_van=date(2026, 1, 5), geldig_tot=date(2027, 1, 4),
                                        betaald_op=date(2026, 1, 6)),
        ]
    events.append(prestatie_geregistreerd(
        wijkwerker_id=uuid.uuid4(), gebruiker_id=gid, organisator_id=a, datum=date(2026, 2, 3),
        activiteit_categorie="groen", gebruiker_categorie="school", locatie_nis_code="31005", minuten=110,
        begonnen_uren=2, afstand_km=3))
    await fold(engine, *events)

    async def rpt11(**params) -> tuple[int, int]:
        r = await client.get("/v1/rapporten/gebruikers-zonder-prestaties", params={"van": "2026-02", "tot": "2026-02",
                             **params}, headers=tokens.headers("rapportering:read"))
        assert r.status_code == 200, r.text
        [rij] = r.json()["rijen"]
        return rij["actieve_gebruikers"], rij["zonder_prestaties"]

    assert await rpt11(organisator_id=str(a)) == (1, 0)
    assert await rpt11(organisator_id=str(b)) == (1, 1)
    assert await rpt11() == (1, 0)


async def test_an_outflow_horizon_other_than_3_6_9_12_answers_the_domain_rule(env, tokens, fold):
    """Defect 5: V-3's horizons are a domain bound: horizon-ongeldig, not ongeldige-invoer."""
    client, engine = env
    tid, events = _traject(uuid.uuid4(), date(2025, 1, 1))
    await fold(engine, *events)
    r = await client.post("/v1/uitstroommetingen", headers=tokens.headers(*VDAB), json={
        "traject_id": str(tid), "horizon_maanden": 4, "gemeten_op": "2026-08-01", "categorieen": ["werkzoekend"]})
    assert (r.status_code, r.json()["rule"]) == (422, "horizon-ongeldig")


async def test_rpt04_as_of_a_date_counts_only_measurements_taken_by_then(env, tokens, fold):
    """Defect 3: the outflow report as of D leaves out a measurement taken after D."""
    from wijkwerk.events.toeleiding import TrajectBeeindigd

    client, engine = env
    oid = uuid.uuid4()
    tid, events = _traject(oid, date(2025, 2, 1))
    wid = events[0].wijkwerker_id
    await fold(engine, *events, TrajectBeeindigd(traject_id=tid, wijkwerker_id=wid, organisator_id=oid,
                                                 einde=date(2026, 1, 31), reden="gestopt"))
    h = tokens.headers(*VDAB)
    r = await client.post("/v1/uitstroommetingen", headers=h, json={
        "traject_id": str(tid), "horizon_maanden": 3, "gemeten_op": "2026-05-20", "categorieen": ["werk_werknemer"]})
    assert r.status_code == 201, r.text

    async def drie_maanden(op: str) -> dict:
        rows = (await client.get("/v1/rapporten/uitstroom", params={"op": op, "organisator_id": str(oid)},
                                 headers=h)).json()["rijen"]
        return {(x["horizon_maanden"], x["groep"]): x for x in rows}[(3, "nieuw")]

    voor = await drie_maanden("2026-05-10")
    assert (voor["dossiers"], voor["categorieen"]) == (1, {})
    assert (await drie_maanden("2026-05-20"))["categorieen"] == {"werk_werknemer": 1}


async def test_rpt23_as_of_a_date_counts_only_dossiers_registered_by_then(env, tokens, fold):
    """Defect 3: RPT-23 as of D leaves out an unlimited-right dossier registered after D."""
    client, engine = env
    oid, wid = uuid.uuid4(), uuid.uuid4()
    await fold(engine, WijkwerkerIngeschreven(
        wijkwerker_id=wid, organisator_id=oid, domicilie_nis_code="31005", uitkeringsstatus="volledig_werkzoekend",
        ex_pwa=True, onbeperkt_recht=True, ingeschreven_op=date(2026, 5, 1)))

    async def rpt23(op: str) -> int:
        r = await client.get("/v1/rapporten/onbeperkt-recht", params={"op": op, "organisator_id": str(oid)},
                             headers=tokens.headers("rapportering:read"))
        assert r.status_code == 200, r.text
        return r.json()["rijen"][0]["met_onbeperkt_recht"]

    assert (await rpt23("2026-04-01"), await rpt23("2026-05-01")) == (0, 1)
