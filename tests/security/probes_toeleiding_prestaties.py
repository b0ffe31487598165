"""Cross-organisation probes of toeleiding's and prestaties' endpoints."""

from __future__ import annotations

from datetime import date, timedelta

from probes import Ids, _als, _als_a, _als_b, _onbekend, _registreer, lees, lijst, schrijf
from wandeling import VANDAAG, Wandeling, _werkdag

from wijkwerk_platform import scopetabel
from wijkwerk_platform.demo import (
    identiteit,
)

# -- toeleiding --
_a_org: Ids = lambda a: {"organisator_id": a.id}
_a_werker: Ids = lambda a: {"wijkwerker_id": a.wijkwerkers["Astrid"]}
_a_traject: Ids = lambda a: {"traject_id": a.trajecten["Astrid"]}
_organisator_a = lambda w: _als(w, "toeleiding", f"/v1/organisatoren/{w.a.id}")
_trajecten_a = lambda w: _als(w, "toeleiding", f"/v1/wijkwerkers/{w.a.wijkwerkers['Astrid']}/trajecten")

schrijf("toeleiding", "POST", "/v1/organisatoren/{organisator_id}/tarieven", _a_org,
        lambda w: {"prijs": "6.95", "geldig_vanaf": str(VANDAAG + timedelta(days=60))}, _organisator_a)
schrijf("toeleiding", "PUT", "/v1/organisatoren/{organisator_id}/werkingsgebied", _a_org,
        lambda w: {"gemeenten": [{"nis_code": n, "naam": g} for n, g in w.a.gemeenten[:-1]]}, _organisator_a)
schrijf("toeleiding", "POST", "/v1/wijkwerkers", None, lambda w: {
    "insz": identiteit.insz(date(1980, 5, 5), 77), "voornaam": "Xander", "achternaam": "Indringer",
    "domicilie_nis_code": w.a.gemeenten[0][0], "organisator_id": w.a.id, "uitkeringsstatus": "leefloon",
    "vdab_ingeschreven": True, "iban": "BE68539007547034", "ingeschreven_op": str(VANDAAG)},
    lambda w: _als(w, "toeleiding", "/v1/wijkwerkers"))
lijst("toeleiding", "/v1/wijkwerkers", lambda a: set(a.wijkwerkers.values()), lambda a: [{"organisator_id": a.id}])
lees("toeleiding", "/v1/wijkwerkers/{wijkwerker_id}", _a_werker)


def _zoeken(w: Wandeling, rij: scopetabel.Rij) -> None:
    """B searching A's worker by INSZ finds nothing, exactly as for an INSZ nobody has."""
    astrid = identiteit.insz(date(1973, 3, 4), 903)  # plan A's worker nr 3 (see _plannen)
    r = w.call("toeleiding", "POST", rij.path, _als_b(w, rij), json={"insz": astrid})
    niemand = w.call("toeleiding", "POST", rij.path, _als_b(w, rij), json={"insz": identiteit.insz(date(1981, 6, 6), 66)})
    assert (r.status_code, r.json()) == (niemand.status_code, niemand.json()) == (200, [])
    eigen = w.call("toeleiding", "POST", rij.path, _als_a(w, rij), json={"insz": astrid})
    assert [d["id"] for d in eigen.json()] == [w.a.wijkwerkers["Astrid"]]  # A itself finds it


_registreer("toeleiding", "POST", "/v1/wijkwerkers/zoeken", _zoeken)
schrijf("toeleiding", "POST", "/v1/wijkwerkers/{wijkwerker_id}/wijzigingen", _a_werker,
        lambda w: {"gewijzigd_op": str(VANDAAG), "iban": "BE71096123456769",
                   "naam": {"voornaam": "Xander", "achternaam": "Indringer"}},
        lambda w: (_als(w, "toeleiding", f"/v1/wijkwerkers/{w.a.wijkwerkers['Astrid']}"),
                   _als(w, "toeleiding", f"/v1/wijkwerkers/{w.a.wijkwerkers['Astrid']}/wijzigingen")))
lees("toeleiding", "/v1/wijkwerkers/{wijkwerker_id}/wijzigingen", _a_werker)
schrijf("toeleiding", "POST", "/v1/wijkwerkers/{wijkwerker_id}/uitkeringsstatus", _a_werker,
        lambda w: {"uitkeringsstatus": "ziekteuitkering", "vanaf": str(VANDAAG)},
        lambda w: _als(w, "toeleiding", f"/v1/wijkwerkers/{w.a.wijkwerkers['Astrid']}"))
lees("toeleiding", "/v1/wijkwerkers/{wijkwerker_id}/bankgegevens", _a_werker)
schrijf("toeleiding", "POST", "/v1/toeleidingen", None, lambda w: {
    "wijkwerker_id": w.a.wijkwerkers["Arne"], "organisator_id": w.a.id, "toeleider_type": "OCMW",
    "advies_maanden": 12, "ontvangen_op": str(VANDAAG), "start": str(VANDAAG + timedelta(days=7))},
    lambda w: _als(w, "toeleiding", f"/v1/wijkwerkers/{w.a.wijkwerkers['Arne']}/trajecten"))
lijst("toeleiding", "/v1/toeleidingen", lambda a: set(a.trajecten.values()))
lees("toeleiding", "/v1/wijkwerkers/{wijkwerker_id}/trajecten", _a_werker)
schrijf("toeleiding", "POST", "/v1/trajecten/{traject_id}/overeenkomst", _a_traject,
        lambda w: {"getekend_op": str(VANDAAG)}, _trajecten_a)
schrijf("toeleiding", "POST", "/v1/trajecten/{traject_id}/verlenging", _a_traject,
        lambda w: {"nieuw_einde": str(VANDAAG + timedelta(days=200))}, _trajecten_a)
schrijf("toeleiding", "POST", "/v1/trajecten/{traject_id}/schorsingen", _a_traject, lambda w: {
    "van": str(VANDAAG + timedelta(days=1)), "tot": str(VANDAAG + timedelta(days=10)),
    "reden": "ziekte met medisch attest", "verlengt_einde": True}, _trajecten_a)
schrijf("toeleiding", "POST", "/v1/trajecten/{traject_id}/beeindiging", _a_traject,
        lambda w: {"einde": str(VANDAAG), "reden": "gestopt"}, _trajecten_a)

# -- prestaties --
_a_gebruiker: Ids = lambda a: {"gebruiker_id": a.gebruikers["Greta Aelbrecht"]}
_a_erkenning: Ids = lambda a: {"erkenning_id": a.erkenningen["Greta Aelbrecht"]}
_a_activiteit: Ids = lambda a: {"activiteit_id": a.activiteiten[0]}
_a_koppeling: Ids = lambda a: {"koppeling_id": a.koppelingen[0]}
_a_prestatie: Ids = lambda a: {"prestatie_id": a.prestaties[-1]}
_erkenning_a = lambda w: _als(w, "prestaties", f"/v1/erkenningen/{w.a.erkenningen['Greta Aelbrecht']}")
_activiteit_a = lambda w: _als(w, "prestaties", f"/v1/activiteiten/{w.a.activiteiten[0]}")


def _prestatie_a(w: Wandeling) -> tuple:
    pid = w.a.prestaties[-1]
    return _als(w, "prestaties", f"/v1/prestaties/{pid}"), _als(w, "prestaties", f"/v1/prestaties/{pid}/historiek")


schrijf("prestaties", "POST", "/v1/gebruikers", None, lambda w: {
    "categorie": "particulier", "naam": "Ingrid Indringer", "aangemeld_op": str(VANDAAG), "aangemeld_bij": w.a.id},
    lambda w: _als(w, "prestaties", "/v1/gebruikers"))
lijst("prestaties", "/v1/gebruikers", lambda a: set(a.gebruikers.values()), lambda a: [{"organisator_id": a.id}])
lees("prestaties", "/v1/gebruikers/{gebruiker_id}", _a_gebruiker)
schrijf("prestaties", "POST", "/v1/gebruikers/{gebruiker_id}/erkenningen", _a_gebruiker,
        lambda w: {"organisator_id": w.a.id, "geldig_vanaf": str(VANDAAG)},
        lambda w: _als(w, "prestaties", f"/v1/gebruikers/{w.a.gebruikers['Greta Aelbrecht']}/erkenningen"))
lees("prestaties", "/v1/gebruikers/{gebruiker_id}/erkenningen", _a_gebruiker)
schrijf("prestaties", "POST", "/v1/gebruikers/{gebruiker_id}/contacten", _a_gebruiker, lambda w: {
    "organisator_id": w.a.id, "datum": str(VANDAAG - timedelta(days=1)), "door": "bemiddelaar-0099",
    "door_rol": "bemiddelaar", "kanaal": "telefoon", "reden": "opvolging"},
    lambda w: _als(w, "prestaties", f"/v1/gebruikers/{w.a.gebruikers['Greta Aelbrecht']}/contacten"))


def _contacten(w: Wandeling, rij: scopetabel.Rij) -> None:
    """B's contacts with A's gebruiker: B's own (none), answered exactly as for an id that
    does not exist — a listing scoped to B, not an existence check."""
    a_pad = rij.path.format(**_a_gebruiker(w.a))
    r = w.call("prestaties", "GET", a_pad, _als_b(w, rij))
    niets = w.call("prestaties", "GET", rij.path.format(**_onbekend(_a_gebruiker(w.a))), _als_b(w, rij))
    assert (r.status_code, r.json()) == (niets.status_code, niets.json()) == (200, [])
    assert w.a.id in w.call("prestaties", "GET", a_pad, _als_a(w, rij)).text  # A's own contact is there


_registreer("prestaties", "GET", "/v1/gebruikers/{gebruiker_id}/contacten", _contacten)
lees("prestaties", "/v1/erkenningen/{erkenning_id}", _a_erkenning)
schrijf("prestaties", "POST", "/v1/erkenningen/{erkenning_id}/ondertekening", _a_erkenning,
        lambda w: {"getekend_op": str(VANDAAG)}, _erkenning_a)
schrijf("prestaties", "POST", "/v1/erkenningen/{erkenning_id}/betalingen", _a_erkenning,
        lambda w: {"betaald_op": str(VANDAAG)}, _erkenning_a)
schrijf("prestaties", "POST", "/v1/erkenningen/{erkenning_id}/hernieuwing", _a_erkenning,
        lambda w: {"vanaf": str(VANDAAG + timedelta(days=70))}, _erkenning_a)
schrijf("prestaties", "POST", "/v1/erkenningen/{erkenning_id}/stopzetting", _a_erkenning,
        lambda w: {"einde": str(VANDAAG), "reden": "gebruiker stopt"}, _erkenning_a)
schrijf("prestaties", "POST", "/v1/organisatoren/{organisator_id}/activiteiten", _a_org, lambda w: {
    "naam": "Sneeuwruimen", "categorie": "groenonderhoud", "toegelaten_categorieen": ["particulier"]},
    lambda w: _als(w, "prestaties", f"/v1/organisatoren/{w.a.id}/activiteiten"))
lees("prestaties", "/v1/organisatoren/{organisator_id}/activiteiten", _a_org)
lees("prestaties", "/v1/activiteiten/{activiteit_id}", _a_activiteit)
schrijf("prestaties", "PUT", "/v1/activiteiten/{activiteit_id}/toegelaten-categorieen", _a_activiteit,
        lambda w: {"toegelaten_categorieen": ["school"]}, _activiteit_a)
schrijf("prestaties", "POST", "/v1/activiteiten/{activiteit_id}/afwijkingen", _a_activiteit, lambda w: {
    "gebruiker_id": w.a.gebruikers["Greta Aelbrecht"], "aangevraagd_op": str(VANDAAG - timedelta(days=10)),
    "goedgekeurd_op": str(VANDAAG - timedelta(days=2)), "geldig_van": str(VANDAAG),
    "motivering": "Aanvullend op de eigen groendienst."}, _activiteit_a)
schrijf("prestaties", "POST", "/v1/koppelingen", None, lambda w: {
    "wijkwerker_id": w.a.wijkwerkers["Astrid"], "gebruiker_id": w.a.gebruikers["vzw Buurtwerk Kortrijk"],
    "organisator_id": w.a.id, "activiteit_id": w.a.activiteiten[0], "locatie_nis_code": w.a.gemeenten[0][0],
    "afstand_km": 2, "start": str(VANDAAG)},
    # No listing of placements exists; what A sees of the worker's work is its prestaties.
    lambda w: _als(w, "prestaties", "/v1/prestaties", wijkwerker_id=w.a.wijkwerkers["Astrid"]))
lees("prestaties", "/v1/koppelingen/{koppeling_id}", _a_koppeling)
schrijf("prestaties", "POST", "/v1/koppelingen/{koppeling_id}/beeindiging", _a_koppeling,
        lambda w: {"einde": str(VANDAAG), "reden": "traject beëindigd"},
        lambda w: _als(w, "prestaties", f"/v1/koppelingen/{w.a.koppelingen[0]}"))
schrijf("prestaties", "POST", "/v1/prestaties", None, lambda w: {
    "koppeling_id": w.a.koppelingen[0], "datum": str(_werkdag(VANDAAG - timedelta(days=3))), "start": "13:00",
    "minuten": 60, "door": "wijkwerker"},
    lambda w: _als(w, "prestaties", "/v1/prestaties", organisator_id=w.a.id))
lijst("prestaties", "/v1/prestaties", lambda a: set(a.prestaties), lambda a: [
    {"organisator_id": a.id}, {"wijkwerker_id": a.wijkwerkers["Anke"]},
    {"gebruiker_id": a.gebruikers["Greta Aelbrecht"]}])
lees("prestaties", "/v1/prestaties/{prestatie_id}", _a_prestatie)
lees("prestaties", "/v1/prestaties/{prestatie_id}/historiek", _a_prestatie)
schrijf("prestaties", "POST", "/v1/prestaties/{prestatie_id}/bevestiging", _a_prestatie,
        lambda w: {"door": "gebruiker"}, _prestatie_a)
schrijf("prestaties", "POST", "/v1/prestaties/{prestatie_id}/betwisting", _a_prestatie,
        lambda w: {"door": "gebruiker", "reden": "Er werd maar een uur gewerkt."}, _prestatie_a)
schrijf("prestaties", "POST", "/v1/prestaties/{prestatie_id}/beslissing", _a_prestatie,
        lambda w: [{"uitkomst": "gehandhaafd", "toelichting": "Aanwezigheidslijst klopt."},
                   {"uitkomst": "afgewezen", "toelichting": "Niet gewerkt."}], _prestatie_a)
lijst("prestaties", "/v1/prestaties/te-bevestigen", lambda a: set(a.prestaties), lambda a: [
    {"organisator_id": a.id}, {"wijkwerker_id": a.wijkwerkers["Astrid"]},
    {"gebruiker_id": a.gebruikers["Greta Aelbrecht"]}])
lijst("prestaties", "/v1/prestaties/betwist", lambda a: set(a.prestaties), lambda a: [
    {"organisator_id": a.id}, {"wijkwerker_id": a.wijkwerkers["Astrid"]},
    {"gebruiker_id": a.gebruikers["Greta Aelbrecht"]}])
schrijf("prestaties", "POST", "/v1/prestaties/{prestatie_id}/correctie", _a_prestatie,
        lambda w: {"door": "organisator", "start": "09:00", "minuten": 30, "reden": "Tikfout in de duur"}, _prestatie_a)
schrijf("prestaties", "POST", "/v1/prestaties/{prestatie_id}/annulering", _a_prestatie,
        lambda w: {"door": "organisator", "reden": "Dubbel ingevoerd"}, _prestatie_a)
lees("prestaties", "/v1/wijkwerkers/{wijkwerker_id}/trajecten", _a_werker)
lees("prestaties", "/v1/wijkwerkers/{wijkwerker_id}/uren", _a_werker)
lees("prestaties", "/v1/wijkwerkers/{wijkwerker_id}/tellers", _a_werker)  # issue #23 item 1
