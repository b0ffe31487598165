"""Issue #21 item 13: report definitions, built from events with the real projections on a
real PostgreSQL and checked against figures worked out by hand: RPT-01 actief / voorlopig /
afgesloten per organiser and month end, RPT-12 "of which active without prestaties",
RPT-15 distinct gebruikers, RPT-16 paper vs electronic, RPT-03 outflow by benefit status,
and CSV for RPT-01/07/08."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date, timedelta

import pytest

from wijkwerk.events import cheques as c
from wijkwerk.events import prestaties as p
from wijkwerk.events import toeleiding as t
from wijkwerk_platform.testkit import prestatie_geregistreerd

pytestmark = pytest.mark.integration


def _org(naam: str) -> t.OrganisatorGeregistreerd:
    return t.OrganisatorGeregistreerd(organisator_id=uuid.uuid4(), naam=naam, samenwerkingsverband=naam, gemeenten=())


async def _get(client, tokens, path: str, **params):
    r = await client.get(path, params=params, headers=tokens.headers("rapportering:read"))
    assert r.status_code == 200, r.text
    return r.json() if params.get("format") != "csv" else list(csv.DictReader(io.StringIO(r.text)))


def _dossier(oid, ingeschreven: date, uitkering: str = "leefloon", ex_pwa: bool = False):
    wid = uuid.uuid4()
    return wid, t.WijkwerkerIngeschreven(wijkwerker_id=wid, organisator_id=oid, domicilie_nis_code="31005",
                                         uitkeringsstatus=uitkering, ex_pwa=ex_pwa, onbeperkt_recht=False,
                                         ingeschreven_op=ingeschreven)


def _traject(oid, wid, start: date, *, ontvangen: date | None = None, getekend: date | None = None,
             einde: date | None = None, uitkering: str = "leefloon", advies: int = 12):
    tid, toeleiding = uuid.uuid4(), uuid.uuid4()
    events = [
        t.ToeleidingOntvangen(toeleiding_id=toeleiding, wijkwerker_id=wid, organisator_id=oid, toeleider_type="OCMW",
                              advies_maanden=advies, ontvangen_op=ontvangen or start, uitkeringsstatus=uitkering,
                              ex_pwa=False, onbeperkt_recht=False),
        t.TrajectGestart(traject_id=tid, toeleiding_id=toeleiding, wijkwerker_id=wid, organisator_id=oid, start=start,
                         gepland_einde=date(start.year + 1, start.month, 1), max_einde=None),
    ]
    if getekend:
        events.append(t.OvereenkomstGetekend(traject_id=tid, wijkwerker_id=wid, organisator_id=oid, getekend_op=getekend))
    if einde:
        events.append(t.TrajectBeeindigd(traject_id=tid, wijkwerker_id=wid, organisator_id=oid, einde=einde,
                                         reden="uitstroom_werk"))
    return tid, events


async def test_rpt01_splits_actief_voorlopig_afgesloten_per_organiser_and_month_end(env, tokens, fold):
    client, engine = env
    a, b = _org("A"), _org("B")
    oa, ob = a.organisator_id, b.organisator_id
    d = [_dossier(oa, date(2026, 1, 5)) for _ in range(5)] + [_dossier(ob, date(2026, 2, 10))]
    events = [a, b, *(e for _, e in d)]
    # A0: no referral (voorlopig throughout) · A1: starts 12 Jan, signed 20 Feb (voorlopig end Jan, actief
    # from Feb) · A2: signed, ends 31 Mar (afgesloten from April) · A3: ended 28 Feb, re-referred on 15 Apr
    # for a start on 1 Jun (afgesloten end Mar, voorlopig end Apr/May, actief end Jun once signed 1 Jun)
    # · A4: registered 5 Jan, referral received 10 Mar starting 1 Apr, signed 1 Apr · B0: starts and signs 10 Feb.
    events += _traject(oa, d[1][0], date(2026, 1, 12), getekend=date(2026, 2, 20))[1]
    events += _traject(oa, d[2][0], date(2026, 1, 12), getekend=date(2026, 1, 12), einde=date(2026, 3, 31))[1]
    events += _traject(oa, d[3][0], date(2026, 1, 12), getekend=date(2026, 1, 12), einde=date(2026, 2, 28))[1]
    events += _traject(oa, d[3][0], date(2026, 6, 1), ontvangen=date(2026, 4, 15), getekend=date(2026, 6, 1))[1]
    events += _traject(oa, d[4][0], date(2026, 4, 1), ontvangen=date(2026, 3, 10), getekend=date(2026, 4, 1))[1]
    events += _traject(ob, d[5][0], date(2026, 2, 10), getekend=date(2026, 2, 10))[1]
    await fold(engine, *events)

    body = await _get(client, tokens, "/v1/rapporten/dossiers-per-maand", van="2026-01", tot="2026-06")
    figuren = {(r["maand"], r["naam"]): (r["dossiers"], r["actief"], r["voorlopig"], r["afgesloten"],
                                         r["actief_of_voorlopig"]) for r in body["rijen"]}
    assert body["rapport"] == "RPT-01"
    assert figuren == {
        ("2026-01", "A"): (5, 2, 3, 0, 5), ("2026-01", "B"): (0, 0, 0, 0, 0),
        ("2026-02", "A"): (5, 3, 2, 0, 5), ("2026-02", "B"): (1, 1, 0, 0, 1),
        ("2026-03", "A"): (5, 2, 2, 1, 4), ("2026-03", "B"): (1, 1, 0, 0, 1),
        ("2026-04", "A"): (5, 2, 2, 1, 4), ("2026-04", "B"): (1, 1, 0, 0, 1),
        ("2026-05", "A"): (5, 2, 2, 1, 4), ("2026-05", "B"): (1, 1, 0, 0, 1),
        ("2026-06", "A"): (5, 3, 1, 1, 4), ("2026-06", "B"): (1, 1, 0, 0, 1),
    }
    # The date report: the same split with totals, and as CSV.
    maart = await _get(client, tokens, "/v1/rapporten/dossiers", tot_en_met="2026-03-31")
    assert (maart["totaal"], maart["totaal_actief"], maart["totaal_voorlopig"], maart["totaal_afgesloten"],
            maart["totaal_actief_of_voorlopig"]) == (6, 3, 2, 1, 5)
    rijen = await _get(client, tokens, "/v1/rapporten/dossiers", tot_en_met="2026-03-31", format="csv")
    assert [(r["naam"], r["actief"], r["voorlopig"], r["afgesloten"]) for r in rijen] == [
        ("A", "2", "2", "1"), ("B", "1", "0", "0")]
    eigen = tokens.headers("rapportering:read", org=str(ob), org_type="organisator")
    r = await client.get("/v1/rapporten/dossiers-per-maand", params={"van": "2026-03", "tot": "2026-03",
                         "organisator_id": str(oa)}, headers=eigen)
    assert [(x["naam"], x["dossiers"]) for x in r.json()["rijen"]] == [("B", 1)]


async def test_rpt07_and_rpt08_as_csv(env, tokens, fold):
    client, engine = env
    a = _org("A")
    oa = a.organisator_id
    w1, d1 = _dossier(oa, date(2026, 1, 5))
    w2, d2 = _dossier(oa, date(2026, 1, 5))
    t1, e1 = _traject(oa, w1, date(2026, 1, 12), advies=12)
    t2, e2 = _traject(oa, w2, date(2026, 1, 20), advies=6)
    await fold(engine, a, d1, d2, *e1, *e2)
    for tid, datum, uitkomst in ((t1, "2026-06-30", "zelfde_klus"), (t1, "2026-07-10", "zelfde_klus"),
                                 (t2, "2026-07-01", "ander_traject")):
        r = await client.post("/v1/evaluaties", headers=tokens.headers("evaluatie:write"), json={
            "traject_id": str(tid), "datum": datum, "uitkomst": uitkomst, "vervolg": "IBO"})
        assert r.status_code == 201, r.text
    advies = await _get(client, tokens, "/v1/rapporten/advies", van="2026-01-01", tot="2026-12-31", format="csv")
    assert [(r["advies_maanden"], r["toeleidingen"]) for r in advies] == [("6", "1"), ("12", "1")]
    evaluaties = await _get(client, tokens, "/v1/rapporten/evaluaties", van="2026-01-01", tot="2026-12-31",
                            format="csv")
    assert [(r["uitkomst"], r["evaluaties"], r["geevalueerde_wijkwerkers"]) for r in evaluaties] == [
        ("totaal", "3", "2"), ("ander_traject", "1", ""), ("zelfde_klus", "2", "")]


def _gebruiker(oid, gid, aangemeld: date, categorie="vzw"):
    eid = uuid.uuid4()
    tot = date(aangemeld.year + 1, aangemeld.month, aangemeld.day) - timedelta(days=1)
    return [
        p.ErkenningVerleend(gebruiker_id=gid, erkenning_id=eid, organisator_id=oid, gebruiker_categorie=categorie,
                            geldig_van=aangemeld, geldig_tot=tot, inschrijvingsrecht_cent=750, overeenkomst_op=aangemeld),
        p.InschrijvingsrechtBetaald(gebruiker_id=gid, erkenning_id=eid, organisator_id=oid, bedrag_cent=750,
                                    jaar=aangemeld.year, geldig_van=aangemeld, geldig_tot=tot, betaald_op=aangemeld),
    ]


def _contact(oid, gid, dag: date):
    return p.ContactGeregistreerd(gebruiker_id=gid, contact_id=uuid.uuid4(), organisator_id=oid, datum=dag,
                                  door_rol="bemiddelaar", kanaal="telefoon", reden="geen_prestaties")


async def test_rpt12_contacted_of_which_active_without_prestaties_and_rpt15_distinct_gebruikers(env, tokens, fold):
    """March 2026. g1: active at A and at B, a prestatie at A only, contacted by A and by B.
    g2: active at A, no prestatie, contacted by A twice. g3: contacted by A, erkenning not yet
    active (its period starts in April). So at A: 3 contacted, of which 1 active without a
    prestatie there (g2); at B: 1 contacted, of which 1 (g1: its prestatie is at A). Active
    erkenningen 2 + 1 = 3, distinct active gebruikers 2 in Flanders."""
    client, engine = env
    a, b = _org("A"), _org("B")
    oa, ob = a.organisator_id, b.organisator_id
    g1, g2, g3 = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    gebruikers = [p.GebruikerGeregistreerd(gebruiker_id=g, categorie="vzw", geslacht=None,
                                           aangemeld_op=date(2026, 2, 1), aangemeld_bij=oa) for g in (g1, g2, g3)]
    await fold(
        engine, a, b, *gebruikers,
        *_gebruiker(oa, g1, date(2026, 2, 1)), *_gebruiker(ob, g1, date(2026, 2, 1)),
        *_gebruiker(oa, g2, date(2026, 2, 1)), *_gebruiker(oa, g3, date(2026, 4, 1)),
        prestatie_geregistreerd(wijkwerker_id=uuid.uuid4(), gebruiker_id=g1, organisator_id=oa, datum=date(2026, 3, 3),
                                activiteit_categorie="groen", gebruiker_categorie="vzw", locatie_nis_code="31005",
                                minuten=110, begonnen_uren=2, afstand_km=3),
        _contact(oa, g1, date(2026, 3, 5)), _contact(ob, g1, date(2026, 3, 6)), _contact(oa, g2, date(2026, 3, 7)),
        _contact(oa, g2, date(2026, 3, 20)), _contact(oa, g3, date(2026, 3, 21)),
    )
    rijen = {r["naam"]: r for r in (await _get(client, tokens, "/v1/rapporten/gebruikers", van="2026-03",
                                                 tot="2026-03"))["rijen"]}
    assert {n: (r["contacten"], r["gecontacteerde_gebruikers"], r["gecontacteerd_actief_zonder_prestaties"],
                r["actieve_erkenningen"], r["actieve_gebruikers"]) for n, r in rijen.items()} == {
        "A": (4, 3, 1, 2, 2), "B": (1, 1, 1, 1, 1)}
    [vlaanderen] = (await _get(client, tokens, "/v1/rapporten/gebruikers", van="2026-03", tot="2026-03",
                               niveau="vlaanderen"))["rijen"]
    assert (vlaanderen["contacten"], vlaanderen["gecontacteerde_gebruikers"], vlaanderen["actieve_erkenningen"],
            vlaanderen["actieve_gebruikers"], vlaanderen["nieuwe_gebruikers"]) == (5, 3, 3, 2, 0)
    csv_rijen = await _get(client, tokens, "/v1/rapporten/gebruikers", van="2026-03", tot="2026-03",
                           niveau="vlaanderen", format="csv")
    assert [(r["maand"], r["actieve_gebruikers"]) for r in csv_rijen] == [("2026-03", "2")]
    eigen = tokens.headers("rapportering:read", org=str(ob), org_type="organisator")
    r = await client.get("/v1/rapporten/gebruikers", params={"van": "2026-03", "tot": "2026-03", "niveau": "vlaanderen"},
                         headers=eigen)
    [alleen_b] = r.json()["rijen"]
    assert (alleen_b["actieve_gebruikers"], alleen_b["contacten"]) == (1, 1)


async def test_rpt16_cheques_bought_paper_and_electronic(env, tokens, fold):
    client, engine = env
    a = _org("A")
    oa = a.organisator_id

    def order(aantal: int, drager: str, dag: date, prijs: int = 745) -> c.ChequesBesteld:
        return c.ChequesBesteld(bestelling_id=uuid.uuid4(), uitgever="vdab", gebruiker_id=uuid.uuid4(), organisator_id=oa,
                                aantal=aantal, drager=drager, besteld_op=dag, prijs_cent=prijs,
                                totaal_cent=aantal * prijs)

    await fold(engine, a, order(10, "papier", date(2026, 3, 2)), order(4, "elektronisch", date(2026, 3, 15)),
               order(3, "elektronisch", date(2026, 4, 1), 595))
    maart, april = (await _get(client, tokens, "/v1/rapporten/cheques", van="2026-03", tot="2026-04"))["rijen"]
    assert (maart["cheques_gekocht"], maart["gekocht"]) == (14, "104.30")
    assert (maart["cheques_gekocht_papier"], maart["gekocht_papier"], maart["cheques_gekocht_elektronisch"],
            maart["gekocht_elektronisch"]) == (10, "74.50", 4, "29.80")
    assert (april["cheques_gekocht_papier"], april["cheques_gekocht_elektronisch"], april["gekocht_elektronisch"]) == (
        0, 3, "17.85")


async def test_rpt03_outflow_by_benefit_status_at_referral(env, tokens, fold):
    """Three new workers ended on 31 Jan 2026: two referred as leefloner (one at work at 3
    months), one as a job seeker whose dossier has since become a leefloner's (the
    referral's status counts); one ex-PWA job seeker."""
    client, engine = env
    a = _org("A")
    oa = a.organisator_id
    events: list = [a]
    trajecten = []
    for uitkering, ex_pwa in (("leefloon", False), ("leefloon", False), ("volledig_werkzoekend", False),
                              ("volledig_werkzoekend", True)):
        wid, dossier = _dossier(oa, date(2025, 1, 5), uitkering="leefloon" if not ex_pwa else uitkering, ex_pwa=ex_pwa)
        tid, e = _traject(oa, wid, date(2025, 2, 1), einde=date(2026, 1, 31), uitkering=uitkering)
        events += [dossier, *e]
        trajecten.append(tid)
    await fold(engine, *events)
    r = await client.post("/v1/uitstroommetingen", headers=tokens.headers("evaluatie:write"), json={
        "traject_id": str(trajecten[0]), "horizon_maanden": 3, "gemeten_op": "2026-05-04",
        "categorieen": ["werk_werknemer"], "subcategorieen": ["NEC"]})
    assert r.status_code == 201, r.text
    body = await _get(client, tokens, "/v1/rapporten/uitstroom", op="2026-05-31", organisator_id=str(oa),
                      per_uitkeringsstatus="true")
    drie = [(g["groep"], g["uitkeringsstatus"], g["dossiers"], g["categorieen"]) for g in body["rijen"]
            if g["horizon_maanden"] == 3]
    assert drie == [("ex_pwa", "volledig_werkzoekend", 1, {}), ("nieuw", "leefloon", 2, {"NEC": 1, "werk_werknemer": 1}),
                    ("nieuw", "volledig_werkzoekend", 1, {})]
    assert [g for g in body["rijen"] if g["horizon_maanden"] == 6] == []  # nobody ended 6 months before 31 May
    zonder = await _get(client, tokens, "/v1/rapporten/uitstroom", op="2026-05-31", organisator_id=str(oa))
    assert [(g["groep"], g["dossiers"]) for g in zonder["rijen"] if g["horizon_maanden"] == 3] == [
        ("ex_pwa", 1), ("nieuw", 3)]
    rijen = await _get(client, tokens, "/v1/rapporten/uitstroom", op="2026-05-31", organisator_id=str(oa),
                       per_uitkeringsstatus="true", format="csv")
    assert ("3", "nieuw", "leefloon", "werk_werknemer", "1", "2") in [
        (r["horizon_maanden"], r["groep"], r["uitkeringsstatus"], r["categorie"], r["aantal"], r["cohort"]) for r in rijen]
