"""Cross-organisation probes of cheques' and evaluatie's endpoints."""

from __future__ import annotations

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from probes import Ids, Probe, _als, _als_a, _als_b, _onbekend, _registreer, lees, lijst, rapport, schrijf
from probes_toeleiding_prestaties import _a_gebruiker, _a_org, _a_traject
from wandeling import MAAND_TOT, MAAND_VAN, TOT, VAN, VANDAAG, Wandeling, _zonder_tijdstip

from wijkwerk_platform import scopetabel

# -- cheques --
lees("cheques", "/v1/cheques/{serienummer}", lambda a: {"serienummer": a.serienummers[0]})


def _afrekening(w: Wandeling, rij: scopetabel.Rij) -> None:
    """B's settlement of a month in which A was paid: B's own organiser row only."""
    # The month A's first gebruiker paid its fee, and the month of the last validations.
    maanden = [f"{VANDAAG - timedelta(days=300):%Y-%m}", f"{VANDAAG - timedelta(days=15):%Y-%m}"]
    centraal = w.headers(None)
    gezien_a = False
    for maand in maanden:
        alle = w.call("cheques", "GET", rij.path.format(periode=maand), centraal).json()["rijen"]
        gezien_a |= any(r["organisator_id"] == w.a.id for r in alle)
        r = w.call("cheques", "GET", rij.path.format(periode=maand), _als_b(w, rij))
        assert r.status_code == 200, r.text
        assert r.json()["rijen"] == [x for x in alle if x["organisator_id"] == w.b.id], maand
    csv = w.call("cheques", "GET", rij.path.format(periode=maanden[0]), _als_b(w, rij), params={"format": "csv"})
    assert csv.status_code == 200 and w.a.id not in csv.text and w.a.naam not in csv.text
    assert gezien_a, "A has no settlement in these months: the probe proves nothing"


_registreer("cheques", "GET", "/v1/afrekeningen/{periode}", _afrekening)


def _chequevoorraad(ids: Ids) -> Probe:
    """B's view of A's gebruiker's or organiser's cheque stock is exactly its view of an
    unknown one (no rows, zero totals); A itself sees its stock."""

    def probe(w: Wandeling, rij: scopetabel.Rij) -> None:
        r = w.call("cheques", "GET", rij.path.format(**ids(w.a)), _als_b(w, rij))
        niets = w.call("cheques", "GET", rij.path.format(**_onbekend(ids(w.a))), _als_b(w, rij))
        assert (r.status_code, r.json()) == (niets.status_code, niets.json())
        assert r.json()["rijen"] == [] and not {i for i in w.a.ids() if i in r.text}
        eigen = w.call("cheques", "GET", rij.path.format(**ids(w.a)), _als_a(w, rij)).json()
        assert eigen["totalen"]["uitgegeven"] > 0, "A sees no stock of its own: the probe proves nothing"

    return probe


_registreer("cheques", "GET", "/v1/gebruikers/{gebruiker_id}/chequevoorraad", _chequevoorraad(_a_gebruiker))
_registreer("cheques", "GET", "/v1/organisatoren/{organisator_id}/chequevoorraad", _chequevoorraad(_a_org))
lees("cheques", "/v1/gebruikers/{gebruiker_id}/tellers", _a_gebruiker)  # issue #23 item 1: 404 like an unknown one


def _afstemming(w: Wandeling, rij: scopetabel.Rij) -> None:
    """B's reconciliation of a closed month (last month, closed here by a central caller):
    B's own row only, in JSON and in CSV."""
    maand = f"{VANDAAG - relativedelta(months=1):%Y-%m}"
    centraal = w.headers(None)
    sluiten = w.call("cheques", "POST", f"/v1/periodes/{maand}/afsluiting", centraal, json={"afgesloten_op": str(VANDAAG)})
    assert sluiten.status_code in (201, 409), sluiten.text
    alle = w.call("cheques", "GET", rij.path.format(periode=maand), centraal).json()["rijen"]
    assert any(r["organisator_id"] == w.a.id for r in alle), "A has no reconciliation: the probe proves nothing"
    r = w.call("cheques", "GET", rij.path.format(periode=maand), _als_b(w, rij))
    assert r.status_code == 200, r.text
    assert r.json()["rijen"] == [x for x in alle if x["organisator_id"] == w.b.id]
    csv = w.call("cheques", "GET", rij.path.format(periode=maand), _als_b(w, rij), params={"format": "csv"})
    assert csv.status_code == 200 and w.a.id not in csv.text and w.a.naam not in csv.text


_registreer("cheques", "GET", "/v1/periodes/{periode}/afstemming", _afstemming)

# -- evaluatie --
schrijf("evaluatie", "POST", "/v1/evaluaties", None, lambda w: {
    "traject_id": w.a.trajecten["Astrid"], "datum": str(VANDAAG), "uitkomst": "zelfde_klus",
    "evaluator_organisatie": "VDAB"},
    lambda w: (_als(w, "evaluatie", "/v1/evaluaties/te-doen"),
               _zonder_tijdstip(_als(w, "evaluatie", "/v1/rapporten/evaluaties", van=VAN, tot=TOT))))
schrijf("evaluatie", "POST", "/v1/uitstroommetingen", None, lambda w: {
    "traject_id": w.a.trajecten["Arne"], "horizon_maanden": 3, "gemeten_op": str(VANDAAG),
    "categorieen": ["werkzoekend"]},
    lambda w: _zonder_tijdstip(_als(w, "evaluatie", "/v1/rapporten/uitstroom")))
lijst("evaluatie", "/v1/evaluaties/te-doen", lambda a: set(a.trajecten.values()), lambda a: [{"organisator_id": a.id}])
_a_evaluatie: Ids = lambda a: {"evaluatie_id": a.evaluaties[0]}
_a_meting: Ids = lambda a: {"meting_id": a.metingen[0]}
lees("evaluatie", "/v1/evaluaties/{evaluatie_id}", _a_evaluatie)
lees("evaluatie", "/v1/evaluaties/{evaluatie_id}/historiek", _a_evaluatie)
schrijf("evaluatie", "POST", "/v1/evaluaties/{evaluatie_id}/correctie", _a_evaluatie,
        lambda w: {"gecorrigeerd_op": str(VANDAAG), "reden": "Indringer", "opmerkingen": "Overschreven door B"},
        lambda w: (_als(w, "evaluatie", f"/v1/evaluaties/{w.a.evaluaties[0]}"),
                   _als(w, "evaluatie", f"/v1/evaluaties/{w.a.evaluaties[0]}/historiek")))
lees("evaluatie", "/v1/uitstroommetingen/{meting_id}", _a_meting)
lees("evaluatie", "/v1/uitstroommetingen/{meting_id}/historiek", _a_meting)
schrijf("evaluatie", "POST", "/v1/uitstroommetingen/{meting_id}/correctie", _a_meting,
        lambda w: {"gecorrigeerd_op": str(VANDAAG), "reden": "Indringer", "categorieen": ["onbekend"]},
        lambda w: (_als(w, "evaluatie", f"/v1/uitstroommetingen/{w.a.metingen[0]}"),
                   _zonder_tijdstip(_als(w, "evaluatie", "/v1/rapporten/uitstroom"))))


def _te_meten(w: Wandeling, rij: scopetabel.Rij) -> None:
    """Outflow measurements due over the coming year: B's list holds none of A's
    trajectories, also when B asks for A; A's own list holds them."""
    vooruit = {"tot": str(VANDAAG + timedelta(days=400))}
    for extra in ({}, {"organisator_id": w.a.id}):
        r = w.call("evaluatie", "GET", rij.path, _als_b(w, rij), params={**vooruit, **extra})
        assert r.status_code == 200, r.text
        assert not {i for i in w.a.ids() if i in r.text}, r.text
    eigen = w.call("evaluatie", "GET", rij.path, _als_a(w, rij), params=vooruit).text
    assert w.a.trajecten["Arne"] in eigen, "A's ended trajectory is not listed: the probe proves nothing"


_registreer("evaluatie", "GET", "/v1/uitstroommetingen/te-doen", _te_meten)
lijst("evaluatie", "/v1/toeleidingen/uitkomsten", lambda a: set(a.trajecten.values()))
lees("evaluatie", "/v1/trajecten/{traject_id}/uitkomsten", _a_traject)


def _dossiers(w: Wandeling, rij: scopetabel.Rij) -> None:
    """RPT-01 for B: B's own row, totals of B only."""
    alle = _zonder_tijdstip(w.json("evaluatie", rij.path, None))
    assert any(r["organisator_id"] == w.a.id for r in alle["rijen"])
    r = w.call("evaluatie", "GET", rij.path, _als_b(w, rij))
    assert r.status_code == 200, r.text
    eigen = _zonder_tijdstip(r.json())
    assert eigen["rijen"] == [x for x in alle["rijen"] if x["organisator_id"] == w.b.id]
    assert eigen["totaal"] == sum(x["dossiers"] for x in eigen["rijen"]) == len(w.b.wijkwerkers)
    csv = w.call("evaluatie", "GET", rij.path, _als_b(w, rij), params={"format": "csv"})
    assert csv.status_code == 200 and w.a.id not in csv.text and w.b.id in csv.text


_registreer("evaluatie", "GET", "/v1/rapporten/dossiers", _dossiers)
rapport("/v1/rapporten/dossiers-per-maand", van=MAAND_VAN, tot=MAAND_TOT)
rapport("/v1/rapporten/advies", van=VAN, tot=TOT)
rapport("/v1/rapporten/evaluaties", van=VAN, tot=TOT)
rapport("/v1/rapporten/uitstroom")
rapport("/v1/rapporten/werkzame-wijkwerkers", van=VAN, tot=TOT)
rapport("/v1/rapporten/gebruikerscategorieen", van=VAN, tot=TOT)
rapport("/v1/rapporten/zelfde-klus", van=VAN, tot=TOT)
rapport("/v1/rapporten/gebruikers-zonder-prestaties", van=MAAND_VAN, tot=MAAND_TOT)
rapport("/v1/rapporten/gebruikers", van=MAAND_VAN, tot=MAAND_TOT)
rapport("/v1/rapporten/cheques", van=MAAND_VAN, tot=MAAND_TOT)
rapport("/v1/rapporten/gemeenten", van=VAN, tot=TOT)
rapport("/v1/rapporten/werkzame-wijkwerkers-per-jaar", jaar=(VANDAAG - timedelta(days=20)).year)
rapport("/v1/rapporten/onbeperkt-recht", op=VANDAAG)
rapport("/v1/rapporten/contingent", jaar=VANDAAG.year)


rapport("/v1/rapporten/caseload", van=MAAND_VAN, tot=MAAND_TOT)
rapport("/v1/rapporten/uitstroom-naar-werk", van=MAAND_VAN, tot=MAAND_TOT)
rapport("/v1/rapporten/duurzaam-werk-en-opvolging", van=MAAND_VAN, tot=MAAND_TOT)
schrijf("evaluatie", "PUT", "/v1/organisatoren/{organisator_id}/bemiddelaarsinzet/{geldig_vanaf}",
        lambda a: {"organisator_id": a.id, "geldig_vanaf": str(VANDAAG)}, lambda w: {"fte": "1.50", "inwoners": 50000},
        lambda w: _als(w, "evaluatie", f"/v1/organisatoren/{w.a.id}/bemiddelaarsinzet"))
lees("evaluatie", "/v1/organisatoren/{organisator_id}/bemiddelaarsinzet", _a_org)


def _dashboard(w: Wandeling, rij: scopetabel.Rij) -> None:
    """B's Flanders page sends B to its own organiser page, never A's."""
    r = w.call("evaluatie", "GET", rij.path, _als_b(w, rij))
    assert r.status_code == 303 and r.headers["location"].endswith(f"/dashboard/organisatoren/{w.b.id}")


_registreer("evaluatie", "GET", "/dashboard", _dashboard)
lees("evaluatie", "/dashboard/organisatoren/{organisator_id}", _a_org)


def _dashboard_csv(w: Wandeling, rij: scopetabel.Rij) -> None:
    """B gets neither A's figures nor Flanders' (which hold A's); A gets its own."""
    pad = rij.path.format(grafiek_id="geld")
    for params in ({"organisator_id": w.a.id}, {}):
        r = w.call("evaluatie", "GET", pad, _als_b(w, rij), params=params)
        assert r.status_code == 404, (params, r.status_code, r.text)
    eigen = w.call("evaluatie", "GET", pad, _als_a(w, rij), params={"organisator_id": w.a.id})
    assert eigen.status_code == 200 and eigen.text.startswith("maand,"), eigen.text


_registreer("evaluatie", "GET", "/dashboard/grafieken/{grafiek_id}.csv", _dashboard_csv)
lees("evaluatie", "/dashboard/organisatoren/{organisator_id}/tellers", _a_org)  # issue #23 item 1
