"""Cross-organisation probes of the outbound webhook subscriptions (evaluatie, ADR 0018):
a subscription belongs to its organisation."""

from __future__ import annotations

import uuid

from probes import _als_b, _registreer, _verborgen
from wandeling import Organisatie, Wandeling

from wijkwerk_platform import scopetabel

_ABONNEMENT_A: dict[int, dict[str, str]] = {}


def _abonnement_a(a: Organisatie, w: Wandeling | None = None) -> dict[str, str]:
    """A's own subscription, made once by A (the world has none)."""
    if id(a) not in _ABONNEMENT_A:
        assert w is not None
        r = w.call("evaluatie", "POST", "/v1/abonnementen", _webhooks(w, a),
                   json={"url": "http://127.0.0.1:9/a", "types": ["prestatie.geregistreerd"]})
        assert r.status_code == 201, r.text
        _ABONNEMENT_A[id(a)] = {"abonnement_id": r.json()["id"], "levering_id": str(uuid.uuid4())}
    return _ABONNEMENT_A[id(a)]


def _webhooks(w: Wandeling, org: Organisatie) -> dict[str, str]:
    return w.tokens.headers("webhooks:beheer", org=org.id, org_type="organisator")


def _abonnementen_van_a(w: Wandeling) -> list:
    r = w.call("evaluatie", "GET", "/v1/abonnementen", _webhooks(w, w.a))
    assert r.status_code == 200, r.text
    return r.json()


def _abonnement_ids(w: Wandeling) -> dict[str, str]:
    return _abonnement_a(w.a, w)


def _webhook_schrijf(method: str, path: str) -> None:
    def probe(w: Wandeling, rij: scopetabel.Rij) -> None:
        ids = _abonnement_ids(w)
        voor = _abonnementen_van_a(w)
        r = w.call("evaluatie", method, path.format(**ids), _als_b(w, rij))
        assert (r.status_code, r.json()["rule"]) == (404, "abonnement-onbekend"), r.text
        _verborgen(w, rij, r, ids)
        assert _abonnementen_van_a(w) == voor, "B's refused write changed A's subscriptions"

    _registreer("evaluatie", method, path, probe)


def _webhook_neem(w: Wandeling, rij: scopetabel.Rij) -> None:
    """B cannot subscribe to A's organiser's events."""
    voor = _abonnementen_van_a(w)
    r = w.call("evaluatie", "POST", rij.path, _als_b(w, rij), json={
        "url": "http://127.0.0.1:9/b", "types": ["prestatie.geregistreerd"], "organisator_id": w.a.id})
    assert (r.status_code, r.json()["rule"]) == (403, "abonnement-buiten-scope"), r.text
    assert _abonnementen_van_a(w) == voor


def _webhook_lijst(w: Wandeling, rij: scopetabel.Rij) -> None:
    eigen = _abonnement_ids(w)["abonnement_id"]
    r = w.call("evaluatie", "GET", rij.path, _als_b(w, rij))
    assert r.status_code == 200 and eigen not in r.text, r.text
    assert eigen in {x["id"] for x in _abonnementen_van_a(w)}  # A does see it: the probe has teeth


def _webhook_log(w: Wandeling, rij: scopetabel.Rij) -> None:
    ids = _abonnement_ids(w)
    r = w.call("evaluatie", "GET", rij.path.format(**ids), _als_b(w, rij))
    assert r.status_code == 404, r.text
    _verborgen(w, rij, r, ids)
    assert w.call("evaluatie", "GET", rij.path.format(**ids), _webhooks(w, w.a)).status_code == 200


_registreer("evaluatie", "POST", "/v1/abonnementen", _webhook_neem)
_registreer("evaluatie", "GET", "/v1/abonnementen", _webhook_lijst)
_registreer("evaluatie", "GET", "/v1/abonnementen/{abonnement_id}/leveringen", _webhook_log)
_webhook_schrijf("POST", "/v1/abonnementen/{abonnement_id}/geheim")
_webhook_schrijf("POST", "/v1/abonnementen/{abonnement_id}/leveringen/{levering_id}/opnieuw")
_webhook_schrijf("DELETE", "/v1/abonnementen/{abonnement_id}")
