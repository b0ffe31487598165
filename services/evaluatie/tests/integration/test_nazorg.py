"""RPT-21 and RPT-22 built from trajectory events (folded as the consumer does) and outflow
measurements recorded through the API; the expected figures are worked out by hand."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from dateutil.relativedelta import relativedelta

from wijkwerk.events.toeleiding import (
    OrganisatorGeregistreerd,
    TrajectBeeindigd,
    TrajectGestart,
    WijkwerkerIngeschreven,
)

pytestmark = pytest.mark.integration

VDAB = ("evaluatie:write", "rapportering:read")
A, B = uuid.uuid4(), uuid.uuid4()


async def _wereld(client, tokens, fold, engine, trajecten: list[tuple]) -> None:
    """``trajecten``: (organiser, end or None, {horizon: (categories, sub-categories[, measured on])})."""
    events = [OrganisatorGeregistreerd(organisator_id=o, naam=n, samenwerkingsverband=n, gemeenten=())
              for o, n in ((A, "Wijk-werken A"), (B, "Wijk-werken B"))]
    metingen = []
    for oid, einde, gemeten in trajecten:
        wid, tid = uuid.uuid4(), uuid.uuid4()
        events += [
            WijkwerkerIngeschreven(wijkwerker_id=wid, organisator_id=oid, domicilie_nis_code="31005",
                                   uitkeringsstatus="volledig_werkzoekend", ex_pwa=False, onbeperkt_recht=False,
                                   ingeschreven_op=date(2025, 1, 1)),
            TrajectGestart(traject_id=tid, toeleiding_id=uuid.uuid4(), wijkwerker_id=wid, organisator_id=oid,
                           start=date(2025, 6, 1), max_einde=None,
                           # a trajectory without an end still runs: its planned end
                           # lies after every as-of date below
                           gepland_einde=date(2026, 5, 31) if einde is not None else date(2027, 5, 31)),
        ]
        if einde is not None:
            events.append(TrajectBeeindigd(traject_id=tid, wijkwerker_id=wid, organisator_id=oid, einde=einde,
                                           reden="gestopt"))
        for horizon, (cat, sub, *op) in gemeten.items():
            metingen.append({"traject_id": str(tid), "horizon_maanden": horizon, "categorieen": cat,
                             "subcategorieen": sub,
                             "gemeten_op": str(op[0] if op else einde + relativedelta(months=horizon))})
    await fold(engine, *events)
    for meting in metingen:
        r = await client.post("/v1/uitstroommetingen", json=meting, headers=tokens.headers(*VDAB))
        assert r.status_code == 201, r.text


def _cijfers(rij: dict, *velden: str) -> tuple:
    return tuple(rij[v] for v in velden)


WERK = ("werk_werknemer",)
UITSTROOM = ("beeindigd", "cohort", "aan_het_werk", "regulier", "waarvan_nec_in_sec", "sociale_economie")


async def test_rpt21_outflow_to_work_within_six_months(env, tokens, fold):
    client, engine = env
    await _wereld(client, tokens, fold, engine, [
        (A, date(2026, 1, 15), {3: (WERK, ["NEC"])}),                                   # t1 at work, NEC
        (A, date(2026, 1, 20), {3: (["competentieversterking"], ["opleiding"]), 6: (WERK, ["SEC"])}),  # t2 SEC at 6 m
        (A, date(2026, 1, 31), {3: (["werkzoekend"], []), 6: (["werkzoekend"], [])}),   # t3 not at work
        (A, date(2026, 1, 10), {3: (["werk_zelfstandige"], [])}),                       # t4 self-employed
        (A, date(2026, 1, 5), {9: (WERK, ["NEC"])}),                                    # t5 at work only after 9 m
        (B, date(2026, 2, 10), {3: (WERK, ["NEC_in_SEC"])}),                            # t6 NEC in a SEC company
        (B, date(2026, 2, 1), {6: (WERK, ["NEC"], date(2026, 12, 15))}),                # t10 measured after op
        (A, date(2026, 6, 20), {3: (WERK, ["NEC"])}),                                   # t7 six months not yet over
        (A, date(2025, 12, 31), {3: (WERK, ["NEC"])}),                                  # t8 before the period
        (B, None, {}),                                                                  # t9 still running
    ])

    async def rapport(op: str) -> dict:
        r = await client.get("/v1/rapporten/uitstroom-naar-werk", params={"van": "2026-01", "tot": "2026-06", "op": op},
                             headers=tokens.headers("rapportering:read"))
        assert r.status_code == 200, r.text
        return r.json()

    body = await rapport("2026-11-30")
    rijen = {(r["maand"], r["naam"]): r for r in body["rijen"]}
    assert set(rijen) == {("2026-01", "Vlaanderen"), ("2026-01", "Wijk-werken A"), ("2026-02", "Vlaanderen"),
                          ("2026-02", "Wijk-werken B"), ("2026-06", "Vlaanderen"), ("2026-06", "Wijk-werken A")}
    # January at A: t1, t2, t3, t4, t5 ended and are 6 months out; at work within 6 months:
    # t1 (NEC), t2 (SEC) and t4 (self-employed); t5 only at 9 months.
    januari = rijen[("2026-01", "Wijk-werken A")]
    assert _cijfers(januari, *UITSTROOM) == (5, 5, 3, 2, 0, 1)
    assert _cijfers(januari, "aandeel_aan_het_werk", "aandeel_regulier", "aandeel_sociale_economie") == (0.6, 0.6667, 0.3333)
    assert _cijfers(rijen[("2026-01", "Vlaanderen")], *UITSTROOM) == (5, 5, 3, 2, 0, 1)
    # February at B: t6 at work (NEC in a SEC company counts as regular); t10's measurement
    # was taken after the as-of date.
    assert _cijfers(rijen[("2026-02", "Wijk-werken B")], *UITSTROOM) == (2, 2, 1, 1, 1, 0)
    # June: t7 ended but its six months end on 20 December.
    assert _cijfers(rijen[("2026-06", "Wijk-werken A")], *UITSTROOM) == (1, 0, 0, 0, 0, 0)
    assert rijen[("2026-06", "Wijk-werken A")]["aandeel_aan_het_werk"] is None
    totaal = body["totalen"]
    assert _cijfers(totaal, *UITSTROOM) == (8, 7, 4, 3, 1, 1)
    assert _cijfers(totaal, "aandeel_aan_het_werk", "aandeel_regulier", "aandeel_sociale_economie") == (0.5714, 0.75, 0.25)

    # As of the end of the year t7 and t10 count too.
    later = (await rapport("2026-12-31"))["totalen"]
    assert _cijfers(later, *UITSTROOM) == (8, 8, 6, 5, 1, 1)

    eigen = tokens.headers("rapportering:read", org=str(B), org_type="organisator")
    alleen_b = (await client.get("/v1/rapporten/uitstroom-naar-werk",
                                 params={"van": "2026-01", "tot": "2026-06", "op": "2026-11-30"}, headers=eigen)).json()
    assert [(r["maand"], r["naam"]) for r in alleen_b["rijen"]] == [("2026-02", "Wijk-werken B")]
    assert _cijfers(alleen_b["totalen"], *UITSTROOM) == (2, 2, 1, 1, 1, 0)

    csv = await client.get("/v1/rapporten/uitstroom-naar-werk",
                           params={"van": "2026-01", "tot": "2026-06", "op": "2026-11-30", "format": "csv"},
                           headers=tokens.headers("rapportering:read"))
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[1].startswith("2026-01,vlaanderen,,Vlaanderen,5,5,3,2,0,1,")


DUURZAAM = ("beeindigd", "cohort_duurzaam", "duurzaam_werk", "aandeel_duurzaam", "cohort_opvolging", "opgevolgd",
            "aandeel_opgevolgd", "zonder_meting")


async def test_rpt22_sustainable_work_and_follow_up(env, tokens, fold):
    client, engine = env
    nec = (WERK, ["NEC"])
    await _wereld(client, tokens, fold, engine, [
        (A, date(2026, 1, 15), {3: (["begeleidingsservice"], ["TWE"]), 6: nec, 12: nec}),     # s1 followed, sustainable
        (A, date(2026, 1, 20), {3: nec, 6: nec, 12: (["werkzoekend"], [])}),                  # s2 lost the job
        (A, date(2026, 1, 25), {}),                                                           # s3 off the radar
        (A, date(2026, 2, 10), {3: (["werkzoekend"], []), 6: (["werk_zelfstandige"], []),
                                12: (["werk_zelfstandige"], [])}),                            # s4 sustainable
        (A, date(2026, 3, 31), {3: (["competentieversterking"], ["opleiding"]), 6: (["gob"], [])}),  # s5 followed
        (A, date(2026, 5, 15), {3: (["welzijnsbegeleiding"], [])}),                          # s6 12 m not yet over
    ])
    r = await client.get("/v1/rapporten/duurzaam-werk-en-opvolging",
                         params={"van": "2026-01", "tot": "2026-06", "op": "2027-03-31"},
                         headers=tokens.headers("rapportering:read"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["parameters"]["duurzaam_horizonten"] == [6, 12] and body["parameters"]["opvolging_horizon"] == 3
    rijen = {r["maand"]: r for r in body["rijen"] if r["niveau"] == "organisator"}
    # January: s1 at work at 6 and 12 months; s2 not at 12; s3 never measured.
    assert _cijfers(rijen["2026-01"], *DUURZAAM) == (3, 3, 1, 0.3333, 3, 1, 0.3333, 1)
    assert _cijfers(rijen["2026-02"], *DUURZAAM) == (1, 1, 1, 1.0, 1, 0, 0.0, 0)
    # s5's 12-month point is 31 March 2027, the as-of date itself.
    assert _cijfers(rijen["2026-03"], *DUURZAAM) == (1, 1, 0, 0.0, 1, 1, 1.0, 0)
    assert _cijfers(rijen["2026-05"], *DUURZAAM) == (1, 0, 0, None, 1, 1, 1.0, 0)
    assert _cijfers(body["totalen"], *DUURZAAM) == (6, 5, 2, 0.4, 6, 3, 0.5, 1)


async def test_rpt21_22_a_re_referred_person_counts_once_per_ended_trajectory(env, tokens, fold):
    """A-19: one worker, two trajectories at A that ended in January and in March 2026."""
    client, engine = env
    wid, eerste, tweede = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    events = [OrganisatorGeregistreerd(organisator_id=A, naam="Wijk-werken A", samenwerkingsverband="A", gemeenten=()),
              WijkwerkerIngeschreven(wijkwerker_id=wid, organisator_id=A, domicilie_nis_code="31005",
                                     uitkeringsstatus="volledig_werkzoekend", ex_pwa=False, onbeperkt_recht=False,
                                     ingeschreven_op=date(2025, 1, 1))]
    for tid, start, einde in ((eerste, date(2025, 6, 1), date(2026, 1, 15)), (tweede, date(2026, 2, 1), date(2026, 3, 20))):
        events += [TrajectGestart(traject_id=tid, toeleiding_id=uuid.uuid4(), wijkwerker_id=wid, organisator_id=A,
                                  start=start, gepland_einde=einde, max_einde=None),
                   TrajectBeeindigd(traject_id=tid, wijkwerker_id=wid, organisator_id=A, einde=einde, reden="gestopt")]
    await fold(engine, *events)
    for tid, einde, cat in ((eerste, date(2026, 1, 15), ["werkzoekend"]), (tweede, date(2026, 3, 20), list(WERK))):
        r = await client.post("/v1/uitstroommetingen", headers=tokens.headers(*VDAB), json={
            "traject_id": str(tid), "horizon_maanden": 3, "categorieen": cat, "subcategorieen": [],
            "gemeten_op": str(einde + relativedelta(months=3))})
        assert r.status_code == 201, r.text
    params = {"van": "2026-01", "tot": "2026-06", "op": "2026-11-30"}
    h = tokens.headers("rapportering:read")
    werk = (await client.get("/v1/rapporten/uitstroom-naar-werk", params=params, headers=h)).json()["totalen"]
    assert _cijfers(werk, "beeindigd", "cohort", "aan_het_werk") == (2, 2, 1)
    duurzaam = (await client.get("/v1/rapporten/duurzaam-werk-en-opvolging", params=params, headers=h)).json()["totalen"]
    assert _cijfers(duurzaam, "beeindigd", "cohort_opvolging") == (2, 2)
