"""Reports on work, gebruikers and money, built from events and checked against figures
worked out by hand below (RPT-02/03/05/06/09/11-18)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from wijkwerk.events import cheques as c
from wijkwerk.events import prestaties as p
from wijkwerk.events import toeleiding as t
from wijkwerk_platform.testkit import prestatie_geregistreerd

pytestmark = pytest.mark.integration

A = uuid.uuid4()
MAART = {"van": "2026-03-01", "tot": "2026-03-31"}


def _dossier(ex_pwa: bool, toeleider: str, uitkering: str):
    wid = uuid.uuid4()
    return wid, [
        t.WijkwerkerIngeschreven(wijkwerker_id=wid, organisator_id=A, domicilie_nis_code="31005",
                                 uitkeringsstatus=uitkering, ex_pwa=ex_pwa, onbeperkt_recht=False,
                                 ingeschreven_op=date(2026, 1, 5)),
        t.ToeleidingOntvangen(toeleiding_id=uuid.uuid4(), wijkwerker_id=wid, organisator_id=A, toeleider_type=toeleider,
                              advies_maanden=12, ontvangen_op=date(2026, 1, 6), uitkeringsstatus=uitkering,
                              ex_pwa=ex_pwa, onbeperkt_recht=False),
    ]


def _prestatie(wid, gid, gcat: str, acat: str, dag: date, uren: int = 2):
    return prestatie_geregistreerd(
        wijkwerker_id=wid, gebruiker_id=gid, organisator_id=A, datum=dag, activiteit_categorie=acat,
        gebruiker_categorie=gcat, locatie_nis_code="31005", minuten=uren * 60 - 10, begonnen_uren=uren, afstand_km=3,
    )


def _gebruiker(categorie: str, aangemeld: date, geslacht: str | None = None, betaald: date | None = None):
    gid, eid = uuid.uuid4(), uuid.uuid4()
    events = [
        p.GebruikerGeregistreerd(gebruiker_id=gid, categorie=categorie, geslacht=geslacht, aangemeld_op=aangemeld,
                                 aangemeld_bij=A),
        p.ErkenningVerleend(gebruiker_id=gid, erkenning_id=eid, organisator_id=A, gebruiker_categorie=categorie,
                            geldig_van=aangemeld, geldig_tot=date(aangemeld.year + 1, aangemeld.month, aangemeld.day - 1),
                            inschrijvingsrecht_cent=750, overeenkomst_op=aangemeld),
    ]
    if betaald:
        events.append(p.InschrijvingsrechtBetaald(
            gebruiker_id=gid, erkenning_id=eid, organisator_id=A, bedrag_cent=750, jaar=aangemeld.year,
            geldig_van=aangemeld, geldig_tot=date(aangemeld.year + 1, aangemeld.month, aangemeld.day - 1), betaald_op=betaald))
    return gid, events


def _cheque(wid, gid, prestatie_datum: date, gevalideerd: date) -> c.ChequeGevalideerd:
    return c.ChequeGevalideerd(
        serienummer=uuid.uuid4().hex[:12], bestelling_id=uuid.uuid4(), prestatie_id=uuid.uuid4(), koppeling_id=uuid.uuid4(),
        wijkwerker_id=wid, gebruiker_id=gid, organisator_id=A, drager="papier", prijs_cent=745, besteld_op=date(2026, 3, 2),
        prestatie_datum=prestatie_datum, gevalideerd_op=gevalideerd, boekmaand=gevalideerd.replace(day=1),
        wijkwerker_cent=410, verzekering_cent=42, reisfonds_cent=10, uitgever_cent=58, organisator_cent=225,
    )


@pytest.fixture
async def wereld(env, fold):
    _, engine = env
    w1, e1 = _dossier(True, "VDAB", "volledig_werkzoekend")
    w2, e2 = _dossier(False, "OCMW", "leefloon")
    w3, e3 = _dossier(False, "GTB", "ziekteuitkering")
    w4, e4 = _dossier(False, "VDAB", "volledig_werkzoekend")
    g1, eg1 = _gebruiker("school", date(2026, 2, 10), betaald=date(2026, 2, 11))
    g2, eg2 = _gebruiker("lokaal_bestuur", date(2026, 3, 5), betaald=date(2026, 3, 6))
    g3, eg3 = _gebruiker("particulier", date(2026, 3, 20), geslacht="vrouw", betaald=date(2026, 3, 21))
    g4, eg4 = _gebruiker("particulier", date(2026, 1, 15), geslacht="man")  # fee never paid: not active
    geannuleerd = _prestatie(w3, g1, "school", "groen", date(2026, 3, 12))
    await fold(
        engine,
        t.OrganisatorGeregistreerd(organisator_id=A, naam="Wijk-werken A", samenwerkingsverband="SA", gemeenten=()),
        *e1, *e2, *e3, *e4, *eg1, *eg2, *eg3, *eg4,
        _prestatie(w1, g1, "school", "groen", date(2026, 3, 3)),
        _prestatie(w1, g1, "school", "groen", date(2026, 3, 10)),
        _prestatie(w2, g1, "school", "groen", date(2026, 3, 4)),
        _prestatie(w2, g2, "lokaal_bestuur", "logistiek", date(2026, 3, 11)),
        geannuleerd,
        p.PrestatieGeannuleerd(prestatie_id=geannuleerd.prestatie_id, wijkwerker_id=w3, gebruiker_id=g1, organisator_id=A,
                               koppeling_id=geannuleerd.koppeling_id, datum=geannuleerd.datum, door="organisator",
                               begonnen_uren=2, reden="dubbel"),
        _prestatie(w4, g2, "lokaal_bestuur", "groen", date(2026, 4, 2)),
        *[p.ContactGeregistreerd(gebruiker_id=g3, contact_id=uuid.uuid4(), organisator_id=A, datum=date(2026, 3, d),
                                 door_rol="bemiddelaar", kanaal="telefoon", reden="geen_koppeling") for d in (22, 29)],
        c.ChequesBesteld(bestelling_id=uuid.uuid4(), uitgever="vdab", gebruiker_id=g1, organisator_id=A, aantal=10,
                         drager="papier", besteld_op=date(2026, 3, 2), prijs_cent=745, totaal_cent=7450),
        _cheque(w1, g1, date(2026, 3, 3), date(2026, 3, 20)),
        _cheque(w1, g1, date(2026, 3, 10), date(2026, 3, 25)),
        _cheque(w2, g1, date(2026, 3, 4), date(2026, 4, 8)),  # submitted late (P-4)
        c.VerplaatsingsvergoedingToegekend(wijkwerker_id=w1, koppeling_id=uuid.uuid4(), organisator_id=A,
                                           prestatie_id=uuid.uuid4(), serienummer="x", datum=date(2026, 3, 3),
                                           bedrag_cent=300, gevalideerd_op=date(2026, 3, 20), boekmaand=date(2026, 3, 1)),
    )


async def _get(client, tokens, path: str, **params) -> dict:
    r = await client.get(path, params=params, headers=tokens.headers("rapportering:read"))
    assert r.status_code == 200, r.text
    return r.json()


async def test_rpt02_03_05_workers_with_hours_in_march(env, tokens, wereld):
    client, _ = env
    totalen = (await _get(client, tokens, "/v1/rapporten/werkzame-wijkwerkers", **MAART))["totalen"]
    # w1 (ex-PWA) and w2 (new, OCMW, leefloon); w3's only prestatie was cancelled; w4 worked in April
    assert (totalen["wijkwerkers"], totalen["ex_pwa"], totalen["nieuw"]) == (2, 1, 1)
    assert totalen["nieuw_per_toeleider"] == {"OCMW": 1}
    assert totalen["nieuw_per_uitkeringsstatus"] == {"leefloon": 1}


async def test_rpt06_and_rpt09(env, tokens, wereld):
    client, _ = env
    rows = (await _get(client, tokens, "/v1/rapporten/gebruikerscategorieen", **MAART))["rijen"]
    assert {r["gebruiker_categorie"]: r["wijkwerkers"] for r in rows} == {"school": 2, "lokaal_bestuur": 1}
    [klus] = (await _get(client, tokens, "/v1/rapporten/zelfde-klus", **MAART))["rijen"]
    assert (klus["wijkwerkers"], klus["zelfde_klus"], klus["aandeel"]) == (2, 1, 0.5)


async def test_rpt11_active_gebruikers_without_prestaties(env, tokens, wereld):
    client, _ = env
    rows = (await _get(client, tokens, "/v1/rapporten/gebruikers-zonder-prestaties", van="2026-02", tot="2026-03"))["rijen"]
    by_month = {r["maand"]: (r["actieve_gebruikers"], r["zonder_prestaties"]) for r in rows}
    # February: only g1 is active and it has no prestatie yet; March: g1, g2, g3 active, g3 without
    assert by_month == {"2026-02": (1, 1), "2026-03": (3, 1)}


async def test_rpt12_to_15_gebruikers_per_month(env, tokens, wereld):
    client, _ = env
    [maart] = (await _get(client, tokens, "/v1/rapporten/gebruikers", van="2026-03", tot="2026-03"))["rijen"]
    assert maart["nieuwe_gebruikers"] == 2
    assert (maart["inschrijvingsrechten_betaald"], maart["inschrijvingsrechten"]) == (2, "15.00")
    assert (maart["actieve_erkenningen"], maart["actief_particulier_vrouw"], maart["actief_particulier_man"]) == (3, 1, 0)
    assert (maart["contacten"], maart["gecontacteerde_gebruikers"]) == (2, 1)


async def test_rpt16_to_18_cheques_and_money_per_month(env, tokens, wereld):
    client, _ = env
    rows = (await _get(client, tokens, "/v1/rapporten/cheques", van="2026-03", tot="2026-04"))["rijen"]
    maart, april = rows
    assert (maart["cheques_gekocht"], maart["gekocht"]) == (10, "74.50")
    assert (maart["gebruikt_per_prestatiemaand"], maart["gebruikt_per_validatiemaand"]) == (3, 2)
    assert (april["gebruikt_per_prestatiemaand"], april["gebruikt_per_validatiemaand"]) == (0, 1)
    assert (maart["prijs"], maart["wijkwerker"], maart["verzekering"], maart["reisfonds"], maart["uitgever"],
            maart["organisator"]) == ("14.90", "8.20", "0.84", "0.20", "1.16", "4.50")
    assert maart["reisvergoeding"] == "3.00"
    csv = await client.get("/v1/rapporten/cheques", params={"van": "2026-03", "tot": "2026-03", "format": "csv"},
                           headers=tokens.headers("rapportering:read"))
    assert csv.text.splitlines()[1].startswith("2026-03,")


async def test_a_period_over_36_months_is_refused(env, tokens):
    client, _ = env
    r = await client.get("/v1/rapporten/cheques", params={"van": "2020-01", "tot": "2026-01"},
                         headers=tokens.headers("rapportering:read"))
    assert (r.status_code, r.json()["rule"]) == (422, "periode-te-lang")


async def test_rpt20_persons_per_municipality(env, tokens, wereld):
    client, _ = env
    rows = (await _get(client, tokens, "/v1/rapporten/gemeenten", **MAART))["rijen"]
    assert rows == [{"nis_code": "31005", "personen": 2}]  # w1 and w2 live in Brugge


async def test_rpt23_and_rpt25_unlimited_right_and_contingent(env, tokens, fold):
    client, engine = env
    oid = uuid.uuid4()

    def traject(wid, start, einde=None):
        return t.TrajectGestart(traject_id=uuid.uuid4(), toeleiding_id=uuid.uuid4(), wijkwerker_id=wid,
                                organisator_id=oid, start=start, gepland_einde=einde, max_einde=einde)

    def dossier(onbeperkt: bool):
        wid = uuid.uuid4()
        return wid, t.WijkwerkerIngeschreven(wijkwerker_id=wid, organisator_id=oid, domicilie_nis_code="35013",
                                             uitkeringsstatus="geen_uitkering", ex_pwa=onbeperkt,
                                             onbeperkt_recht=onbeperkt, ingeschreven_op=date(2025, 1, 1))

    pwa1, d1 = dossier(True)
    pwa2, d2 = dossier(True)
    nieuw, d3 = dossier(False)
    await fold(engine, d1, d2, d3,
               traject(pwa1, date(2026, 1, 1)),  # unlimited: no end, in the scheme all year
               traject(nieuw, date(2026, 7, 1), date(2027, 6, 30)),  # from July
               _prestatie(pwa1, uuid.uuid4(), "school", "groen", date(2026, 2, 3)))
    [rpt23] = (await _get(client, tokens, "/v1/rapporten/onbeperkt-recht", op="2026-11-01"))["rijen"]
    # two hold the right; pwa1 worked and is still in; pwa2 never started
    assert (rpt23["met_onbeperkt_recht"], rpt23["gewerkt_sinds_start"], rpt23["nog_in_wijkwerken"]) == (2, 1, 1)

    rpt25 = await _get(client, tokens, "/v1/rapporten/contingent", jaar=2026, organisator_id=str(oid))
    per_maand = [r["in_traject"] for r in rpt25["rijen"]]
    assert per_maand == [1] * 6 + [2] * 6
    assert rpt25["totalen"]["jaargemiddelde"] == 1.5
    assert rpt25["totalen"]["bezetting"] == round(1.5 / 7291, 4)


async def test_dashboard_series_of_hours_and_money(env, wereld):
    from evaluatie.adapters.reeksen import Reeksen
    from wijkwerk.db import session_factory

    _, engine = env
    einden = [date(2026, 3, 31), date(2026, 4, 30)]
    async with session_factory(engine)() as session:
        uren = await Reeksen(session).uren(einden, None)
        geld = await Reeksen(session).geld(einden, None)
    # March: w1 2+2 h and w2 2 h at the school, w2 2 h at the municipality; April: w4 2 h
    assert uren == {"lokaal_bestuur": [2, 2], "school": [6, 0]}
    assert geld["wijkwerker"] == [8.2, 4.1] and geld["organisator"] == [4.5, 2.25]


def _teruggedraaid(v: c.ChequeGevalideerd, op: date) -> c.ChequeValidatieTeruggedraaid:
    return c.ChequeValidatieTeruggedraaid(
        **{k: getattr(v, k) for k in ("serienummer", "bestelling_id", "prestatie_id", "koppeling_id", "wijkwerker_id",
                                      "gebruiker_id", "organisator_id", "drager", "prijs_cent", "besteld_op",
                                      "prestatie_datum", "gevalideerd_op", "wijkwerker_cent", "verzekering_cent",
                                      "reisfonds_cent", "uitgever_cent", "organisator_cent", "validatie")},
        teruggedraaid_op=op, boekmaand=op.replace(day=1), reden="geannuleerd",
    )


@pytest.mark.parametrize("volgorde", ["v1 r v2", "v1 v2 r", "v2 v1 r"])
async def test_a_released_cheque_used_again_by_another_worker_counts_once_in_any_arrival_order(env, tokens, fold, volgorde):
    """Worker 1's validation and its reversal share a partition; worker 2's new validation
    of the released cheque travels on another one and may arrive before either."""
    client, engine = env
    await fold(engine, t.OrganisatorGeregistreerd(organisator_id=A, naam="Wijk-werken A", samenwerkingsverband="SA",
                                                  gemeenten=()))
    w1, w2, g = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    v1 = _cheque(w1, g, date(2026, 3, 3), date(2026, 3, 5))
    v2 = v1.model_copy(update={"wijkwerker_id": w2, "prestatie_id": uuid.uuid4(), "prestatie_datum": date(2026, 4, 7),
                               "gevalideerd_op": date(2026, 4, 9), "boekmaand": date(2026, 4, 1), "validatie": 2})
    events = {"v1": v1, "r": _teruggedraaid(v1, date(2026, 3, 20)), "v2": v2}
    await fold(engine, *(events[n] for n in volgorde.split()))
    maart, april = (await _get(client, tokens, "/v1/rapporten/cheques", van="2026-03", tot="2026-04"))["rijen"]
    # The cheque pays worker 2's April prestatie only: its March validation was reversed.
    assert (maart["gebruikt_per_prestatiemaand"], maart["gebruikt_per_validatiemaand"]) == (0, 0)
    assert (april["gebruikt_per_prestatiemaand"], april["gebruikt_per_validatiemaand"], april["wijkwerker"]) == (1, 1, "4.10")


async def test_rpt16_17_expired_cheques_stay_bought_never_used_and_show_per_month(env, tokens, fold):
    """A-21: issued 10 March 2025, valid through 9 March 2026: one used, one refunded, one
    neither, which expires on 10 March 2026 and stays in the stock from then on."""
    client, engine = env
    g, w = uuid.uuid4(), uuid.uuid4()
    gebruikt, terug, vervallen = "V-GEBRUIKT", "V-TERUG", "V-VERVALLEN"
    await fold(
        engine,
        t.OrganisatorGeregistreerd(organisator_id=A, naam="Wijk-werken A", samenwerkingsverband="SA", gemeenten=()),
        c.ChequesUitgegeven(bestelling_id=uuid.uuid4(), uitgever="vdab", gebruiker_id=g, organisator_id=A,
                            drager="papier", prijs_cent=745, serienummers=(gebruikt, terug, vervallen),
                            uitgegeven_op=date(2025, 3, 10), geldig_tot=date(2026, 3, 9)),
        _cheque(w, g, date(2026, 3, 9), date(2026, 3, 20)).model_copy(update={"serienummer": gebruikt}),
        c.ChequeTerugbetaald(serienummer=terug, bestelling_id=uuid.uuid4(), gebruiker_id=g, organisator_id=A,
                             prijs_cent=745, terugbetaald_op=date(2025, 6, 1)),
    )
    feb, maart, april = (await _get(client, tokens, "/v1/rapporten/cheques", van="2026-02", tot="2026-04"))["rijen"]
    velden = ("cheques_vervallen", "vervallen", "cheques_vervallen_voorraad", "vervallen_voorraad")
    assert [tuple(r[k] for k in velden) for r in (feb, maart, april)] == [
        (0, "0.00", 0, "0.00"), (1, "7.45", 1, "7.45"), (0, "0.00", 1, "7.45")]
    assert maart["gebruikt_per_prestatiemaand"] == 1  # the expired cheque is never "used"
    juni = (await _get(client, tokens, "/v1/rapporten/cheques", van="2025-06", tot="2025-06"))["rijen"][0]
    assert (juni["cheques_terugbetaald"], juni["terugbetaald"], april["cheques_terugbetaald"]) == (1, "7.45", 0)


async def test_reports_per_samenwerkingsverband_take_all_its_organisers(env, tokens, fold):
    """A-18: W10 groups A and B. Cheques are summed; a worker with prestaties at both
    organisers counts once per category."""
    client, engine = env
    b = uuid.uuid4()
    w, g = uuid.uuid4(), uuid.uuid4()
    await fold(
        engine,
        t.OrganisatorGeregistreerd(organisator_id=A, naam="Wijk-werken A", samenwerkingsverband="W10", gemeenten=()),
        t.OrganisatorGeregistreerd(organisator_id=b, naam="Wijk-werken B", samenwerkingsverband="W10", gemeenten=()),
        *[c.ChequesBesteld(bestelling_id=uuid.uuid4(), uitgever="vdab", gebruiker_id=g, organisator_id=o, aantal=n,
                           drager="papier", besteld_op=date(2026, 3, 2), prijs_cent=745, totaal_cent=745 * n)
          for o, n in ((A, 10), (b, 2))],
        _prestatie(w, g, "school", "groen", date(2026, 3, 3)),
        _prestatie(w, g, "school", "groen", date(2026, 3, 4)).model_copy(update={"organisator_id": b}),
    )
    [verband] = (await _get(client, tokens, "/v1/rapporten/cheques", van="2026-03", tot="2026-03",
                            niveau="samenwerkingsverband"))["rijen"]
    assert (verband["samenwerkingsverband"], verband["organisatoren"], verband["cheques_gekocht"], verband["gekocht"]) == (
        "W10", 2, 12, "89.40")
    per_organisator = (await _get(client, tokens, "/v1/rapporten/gebruikerscategorieen", **MAART))["rijen"]
    assert sorted(r["wijkwerkers"] for r in per_organisator) == [1, 1]
    [categorie] = (await _get(client, tokens, "/v1/rapporten/gebruikerscategorieen", **MAART,
                              niveau="samenwerkingsverband"))["rijen"]
    assert (categorie["samenwerkingsverband"], categorie["organisatoren"], categorie["gebruiker_categorie"],
            categorie["wijkwerkers"]) == ("W10", 2, "school", 1)
