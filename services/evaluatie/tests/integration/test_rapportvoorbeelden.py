"""Issue #21 item 14: the documented 200 example of every generic table report (JSON and
CSV) has exactly the columns and value types of the real answer, computed with the real
projections on a real PostgreSQL from a small world of events, so an example cannot drift
from the code."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date

import pytest

from evaluatie.entrypoints.rapportvoorbeelden import VOORBEELDEN
from wijkwerk.events import cheques as c
from wijkwerk.events import prestaties as p
from wijkwerk.events import toeleiding as t
from wijkwerk_platform.testkit import prestatie_geregistreerd

pytestmark = pytest.mark.integration

MIDWEST, W13 = uuid.uuid4(), uuid.uuid4()
MAART = {"van": "2026-03-01", "tot": "2026-03-31"}
AANVRAGEN: dict[str, dict] = {
    "dossiers-per-maand": {"van": "2026-02", "tot": "2026-03"},
    "werkzame-wijkwerkers": MAART,
    "gebruikerscategorieen": MAART,
    "zelfde-klus": MAART,
    "gebruikers-zonder-prestaties": {"van": "2026-02", "tot": "2026-03"},
    "gebruikers": {"van": "2026-03", "tot": "2026-03"},
    "cheques": {"van": "2026-03", "tot": "2026-04"},
    "gemeenten": MAART,
    "onbeperkt-recht": {"op": "2026-11-01"},
    "contingent": {"jaar": 2026},
}


def _dossier(oid, ex_pwa: bool, toeleider: str, uitkering: str, nis: str, start: date, einde: date | None = None):
    wid, tid, toeleiding = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    return wid, [
        t.WijkwerkerIngeschreven(wijkwerker_id=wid, organisator_id=oid, domicilie_nis_code=nis,
                                 uitkeringsstatus=uitkering, ex_pwa=ex_pwa, onbeperkt_recht=ex_pwa,
                                 ingeschreven_op=date(2026, 1, 5)),
        t.ToeleidingOntvangen(toeleiding_id=toeleiding, wijkwerker_id=wid, organisator_id=oid,
                              toeleider_type=toeleider, advies_maanden=12, ontvangen_op=date(2026, 1, 6),
                              uitkeringsstatus=uitkering, ex_pwa=ex_pwa, onbeperkt_recht=ex_pwa),
        t.TrajectGestart(traject_id=tid, toeleiding_id=toeleiding, wijkwerker_id=wid, organisator_id=oid, start=start,
                         gepland_einde=None if ex_pwa else date(start.year + 1, start.month, 1), max_einde=None),
        t.OvereenkomstGetekend(traject_id=tid, wijkwerker_id=wid, organisator_id=oid, getekend_op=start),
        *([t.TrajectBeeindigd(traject_id=tid, wijkwerker_id=wid, organisator_id=oid, einde=einde,
                              reden="uitstroom_werk")] if einde else []),
    ]


def _gebruiker(oid, categorie: str, aangemeld: date, geslacht: str | None = None):
    gid, eid = uuid.uuid4(), uuid.uuid4()
    tot = date(aangemeld.year + 1, aangemeld.month, aangemeld.day - 1)
    return gid, [
        p.GebruikerGeregistreerd(gebruiker_id=gid, categorie=categorie, geslacht=geslacht, aangemeld_op=aangemeld,
                                 aangemeld_bij=oid),
        p.ErkenningVerleend(gebruiker_id=gid, erkenning_id=eid, organisator_id=oid, gebruiker_categorie=categorie,
                            geldig_van=aangemeld, geldig_tot=tot, inschrijvingsrecht_cent=750, overeenkomst_op=aangemeld),
        p.InschrijvingsrechtBetaald(gebruiker_id=gid, erkenning_id=eid, organisator_id=oid, bedrag_cent=750,
                                    jaar=aangemeld.year, geldig_van=aangemeld, geldig_tot=tot, betaald_op=aangemeld),
    ]


def _prestatie(oid, wid, gid, gcat: str, acat: str, dag: date, nis: str):
    return prestatie_geregistreerd(
        wijkwerker_id=wid, gebruiker_id=gid, organisator_id=oid, datum=dag, activiteit_categorie=acat,
        gebruiker_categorie=gcat, locatie_nis_code=nis, minuten=110, begonnen_uren=2, afstand_km=3)


def _cheque(oid, wid, gid, prestatie_datum: date, gevalideerd: date) -> c.ChequeGevalideerd:
    return c.ChequeGevalideerd(
        serienummer=uuid.uuid4().hex[:12], bestelling_id=uuid.uuid4(), prestatie_id=uuid.uuid4(),
        koppeling_id=uuid.uuid4(), wijkwerker_id=wid, gebruiker_id=gid, organisator_id=oid, drager="papier",
        prijs_cent=745, besteld_op=date(2026, 3, 2), prestatie_datum=prestatie_datum, gevalideerd_op=gevalideerd,
        boekmaand=gevalideerd.replace(day=1), wijkwerker_cent=410, verzekering_cent=42, reisfonds_cent=10,
        uitgever_cent=58, organisator_cent=225)


@pytest.fixture
async def wereld(env, fold):
    """Two organisers; at Midwest an ex-PWA worker with the unlimited right and a new one
    referred by the OCMW, at W13 a new one referred by VDAB; three gebruikers (a school, a
    municipality, a private person without prestaties); prestaties, an order and cheques in March;
    at W13 a trajectory that ended in January."""
    _, engine = env
    w1, e1 = _dossier(MIDWEST, True, "VDAB", "volledig_werkzoekend", "36015", date(2026, 1, 12))
    w2, e2 = _dossier(MIDWEST, False, "OCMW", "leefloon", "36008", date(2026, 2, 2))
    w3, e3 = _dossier(W13, False, "VDAB", "volledig_werkzoekend", "34022", date(2026, 2, 16))
    _, e4 = _dossier(W13, False, "VDAB", "geen_uitkering", "34013", date(2025, 2, 3), einde=date(2026, 1, 30))
    g1, eg1 = _gebruiker(MIDWEST, "school", date(2026, 2, 10))
    g2, eg2 = _gebruiker(MIDWEST, "lokaal_bestuur", date(2026, 3, 5))
    g3, eg3 = _gebruiker(W13, "particulier", date(2026, 3, 20), geslacht="vrouw")
    g4, eg4 = _gebruiker(W13, "vzw", date(2026, 2, 3))
    await fold(
        engine,
        t.OrganisatorGeregistreerd(organisator_id=MIDWEST, naam="Wijk-werken Midwest", samenwerkingsverband="Midwest",
                                   gemeenten=()),
        t.OrganisatorGeregistreerd(organisator_id=W13, naam="Wijk-werken W13", samenwerkingsverband="W13", gemeenten=()),
        *e1, *e2, *e3, *e4, *eg1, *eg2, *eg3, *eg4,
        _prestatie(MIDWEST, w1, g1, "school", "groen", date(2026, 3, 3), "36015"),
        _prestatie(MIDWEST, w1, g1, "school", "groen", date(2026, 3, 10), "36015"),
        _prestatie(MIDWEST, w2, g1, "school", "groen", date(2026, 3, 4), "36015"),
        _prestatie(MIDWEST, w2, g2, "lokaal_bestuur", "logistiek", date(2026, 3, 11), "36008"),
        _prestatie(W13, w3, g4, "vzw", "administratie", date(2026, 3, 12), "34022"),
        p.ContactGeregistreerd(gebruiker_id=g3, contact_id=uuid.uuid4(), organisator_id=W13, datum=date(2026, 3, 22),
                               door_rol="bemiddelaar", kanaal="telefoon", reden="geen_koppeling"),
        c.ChequesBesteld(bestelling_id=uuid.uuid4(), uitgever="vdab", gebruiker_id=g1, organisator_id=MIDWEST,
                         aantal=10, drager="papier", besteld_op=date(2026, 3, 2), prijs_cent=745, totaal_cent=7450),
        _cheque(MIDWEST, w1, g1, date(2026, 3, 3), date(2026, 3, 20)),
        _cheque(MIDWEST, w2, g1, date(2026, 3, 4), date(2026, 4, 8)),
    )


def _typen(waarden) -> set[str]:
    return {type(w).__name__ for w in waarden}


def _vorm(rijen: list[dict]) -> tuple[set[tuple[str, ...]], dict[str, set[str]]]:
    """The columns of the rows (in order) and, per column, the JSON types of its values."""
    return {tuple(r) for r in rijen}, {k: _typen(r[k] for r in rijen) for k in (rijen[0] if rijen else {})}


@pytest.fixture
async def gepubliceerd(env) -> dict:
    """The OpenAPI document as partners read it (``/openapi.json``)."""
    client, _ = env
    r = await client.get("/openapi.json")
    assert r.status_code == 200
    return r.json()


@pytest.mark.parametrize("rapport", sorted(AANVRAGEN))
async def test_the_documented_example_has_the_keys_and_types_of_the_real_answer(env, tokens, wereld, gepubliceerd,
                                                                                 rapport):
    client, _ = env
    pad = f"/v1/rapporten/{rapport}"
    r = await client.get(pad, params=AANVRAGEN[rapport], headers=tokens.headers("rapportering:read"))
    assert r.status_code == 200, r.text
    echt = r.json()
    voorbeeld = gepubliceerd["paths"][pad]["get"]["responses"]["200"]["content"]["application/json"]["example"]
    assert voorbeeld == VOORBEELDEN[rapport]["json"]
    assert echt["rijen"], "the world gives this report rows to compare with"
    assert (voorbeeld["rapport"], list(voorbeeld), list(voorbeeld["parameters"])) == (
        echt["rapport"], list(echt), list(echt["parameters"]))
    kolommen, typen = _vorm(echt["rijen"])
    v_kolommen, v_typen = _vorm(voorbeeld["rijen"])
    assert v_kolommen == kolommen
    for kolom, soorten in typen.items():  # an example may show null where this world has none
        assert soorten <= v_typen[kolom] and v_typen[kolom] - soorten <= {"NoneType"}, (kolom, soorten, v_typen[kolom])
    assert {k: _typen([v]) for k, v in voorbeeld["totalen"].items()} == {
        k: _typen([v]) for k, v in echt["totalen"].items()}


CSV_AANVRAGEN = {
    **{f"/v1/rapporten/{r}": params for r, params in AANVRAGEN.items()},
    "/v1/rapporten/dossiers": {"tot_en_met": "2026-03-31"},
    "/v1/rapporten/advies": {"van": "2026-01-01", "tot": "2026-03-31"},
    "/v1/rapporten/evaluaties": {"van": "2026-01-01", "tot": "2026-06-30"},
    "/v1/rapporten/uitstroom": {"op": "2026-12-31"},
    "/v1/rapporten/werkzame-wijkwerkers-per-jaar": {"jaar": 2026},
    "/v1/rapporten/uitstroom-naar-werk": {"van": "2026-01", "tot": "2026-03", "op": "2026-11-01"},
    "/v1/rapporten/duurzaam-werk-en-opvolging": {"van": "2026-01", "tot": "2026-03", "op": "2026-11-01"},
    "/v1/rapporten/caseload": {"van": "2026-03", "tot": "2026-03"},
}


async def test_every_csv_example_has_the_header_of_the_real_csv(env, tokens, wereld, gepubliceerd):
    """Every operation that answers text/csv documents an example whose header is the one
    the real CSV starts with."""
    client, _ = env
    csv_paden = {pad for pad, ops in gepubliceerd["paths"].items() for op in ops.values()
                 if "text/csv" in op["responses"].get("200", {}).get("content", {})}
    assert csv_paden == set(CSV_AANVRAGEN)
    anders = {}
    for pad, params in sorted(CSV_AANVRAGEN.items()):
        voorbeeld = gepubliceerd["paths"][pad]["get"]["responses"]["200"]["content"]["text/csv"]["example"]
        r = await client.get(pad, params={**params, "format": "csv"}, headers=tokens.headers("rapportering:read"))
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv"), (pad, r.text)
        assert r.text, f"{pad}: the world gives this report rows to compare with"
        kop, echte_kop = next(csv.reader(io.StringIO(voorbeeld))), next(csv.reader(io.StringIO(r.text)))
        if kop != echte_kop:
            anders[pad] = (kop, echte_kop)
    assert anders == {}
