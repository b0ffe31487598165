"""Cross-organisation probes of cheques' refund requests and expiry job (issue #23 item 2)."""

from __future__ import annotations

from probes import _als, _als_a, _als_b, _registreer, _verborgen, schrijf
from wandeling import VANDAAG, Wandeling

from wijkwerk_platform import scopetabel

_AANVRAGEN: dict[int, str] = {}


def _aanvraag_van_a(w: Wandeling) -> str:
    """A refund request on one of A's unused cheques, made once by a central caller."""
    if id(w) not in _AANVRAGEN:
        cheques = [_als(w, "cheques", f"/v1/cheques/{s}") for s in w.a.ongebruikt]
        cheque = next((c for c in cheques if c["status"] == "uitgegeven"), None)
        assert cheque is not None, "A has no unused cheque: the probes prove nothing"
        serie = cheque["serienummer"]
        r = w.call("cheques", "POST", f"/v1/cheques/{serie}/terugbetalingsaanvragen",
                   w.tokens.headers("cheques:refund", org_type="vdab"),
                   json={"gevraagd_op": min(str(VANDAAG), cheque["geldig_tot"])})
        assert r.status_code == 201, r.text
        _AANVRAGEN[id(w)] = r.json()["id"]
    return _AANVRAGEN[id(w)]


def _cheque_van_a(w: Wandeling) -> object:
    return [_als(w, "cheques", f"/v1/cheques/{s}") for s in (*w.a.ongebruikt[:2], *w.a.serienummers[:1])]


schrijf("cheques", "POST", "/v1/cheques/{serienummer}/terugbetalingsaanvragen",
        lambda a: {"serienummer": a.ongebruikt[0]}, lambda w: {"gevraagd_op": str(VANDAAG), "reden": "probe"},
        _cheque_van_a)


def _lees_aanvraag(w: Wandeling, rij: scopetabel.Rij) -> None:
    ids = {"aanvraag_id": _aanvraag_van_a(w)}
    r = w.call("cheques", "GET", rij.path.format(**ids), _als_b(w, rij))
    assert r.status_code == 404, (r.status_code, r.text)
    _verborgen(w, rij, r, ids)
    assert w.call("cheques", "GET", rij.path.format(**ids), _als_a(w, rij)).status_code == 200


_registreer("cheques", "GET", "/v1/terugbetalingsaanvragen/{aanvraag_id}", _lees_aanvraag)


def _beslis(w: Wandeling, rij: scopetabel.Rij) -> None:
    """An organiser never decides a refund: 403 alleen-centraal, alike for A's request and
    an unknown one, and A's request is still open."""
    ids = {"aanvraag_id": _aanvraag_van_a(w)}
    body = {"beslissing": "goedgekeurd", "beslist_op": str(VANDAAG)}
    r = w.call("cheques", "POST", rij.path.format(**ids), _als_b(w, rij), json=body)
    _verborgen(w, rij, r, ids, json=body)
    assert _als(w, "cheques", f"/v1/terugbetalingsaanvragen/{ids['aanvraag_id']}")["status"] == "gevraagd"


_registreer("cheques", "POST", "/v1/terugbetalingsaanvragen/{aanvraag_id}/beslissing", _beslis)

schrijf("cheques", "POST", "/v1/cheques/vervallingen", None, lambda w: {"tot": str(VANDAAG)},
        lambda w: _als(w, "cheques", f"/v1/organisatoren/{w.a.id}/chequevoorraad", op=str(VANDAAG)))
