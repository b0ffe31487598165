"""Cross-organisation probes of cheques' fraud and error flags (issue #23 item 4): B's queue
holds none of A's flags, and B deciding A's flag is answered as for an unknown flag while
A's flag stays open."""

from __future__ import annotations

from datetime import time

from probes import _als, _als_a, _als_b, _registreer, _verborgen
from wandeling import VANDAAG, Wandeling

from wijkwerk_platform import scopetabel
from wijkwerk_platform.testing import wait_until

_SIGNALEN: dict[int, dict] = {}


def _signaal_van_a(w: Wandeling) -> dict:
    """An open flag of A, raised once: one of A's prestaties registered again, a quarter
    later on the same day and placement (overlapping hours), by a central caller."""
    if id(w) not in _SIGNALEN:
        p = _als(w, "prestaties", f"/v1/prestaties/{w.a.prestaties[0]}")
        start = time.fromisoformat(p["start"])
        later = start.hour * 60 + start.minute + 15  # inside the first: every prestatie lasts a quarter or more
        r = w.call("prestaties", "POST", "/v1/prestaties", w.tokens.headers("prestaties:write", org_type="vdab"),
                   json={"koppeling_id": p["koppeling_id"], "datum": p["datum"], "door": "wijkwerker",
                         "start": f"{later // 60:02d}:{later % 60:02d}", "minuten": 30})
        assert r.status_code == 201, r.text
        w.a.prestaties.append(r.json()["id"])
        centraal = w.tokens.headers("cheques:signalen", org_type="vdab")

        def gemeld() -> list[dict]:
            lijst = w.call("cheques", "GET", "/v1/signalen", centraal, params={"organisator_id": w.a.id}).json()
            return [s for s in lijst if s["prestatie_id"] == r.json()["id"]]

        wait_until(lambda: bool(gemeld()), timeout=30, interval=0.3)
        _SIGNALEN[id(w)] = gemeld()[0]
    return _SIGNALEN[id(w)]


def _lijst(w: Wandeling, rij: scopetabel.Rij) -> None:
    signaal = _signaal_van_a(w)
    for params in ({}, {"organisator_id": w.a.id}, {"status": "alle"}):
        r = w.call("cheques", "GET", rij.path, _als_b(w, rij), params=params)
        assert r.status_code == 200, r.text
        assert signaal["id"] not in r.text and not {i for i in w.a.ids() if i in r.text}, (params, r.text)
    assert signaal["id"] in w.call("cheques", "GET", rij.path, _als_a(w, rij)).text  # A sees its own


def _beslis(w: Wandeling, rij: scopetabel.Rij) -> None:
    ids = {"signaal_id": _signaal_van_a(w)["id"]}
    body = {"beslissing": "vrijgegeven", "besloten_op": str(VANDAAG), "reden": "probe"}
    r = w.call("cheques", "POST", rij.path.format(**ids), _als_b(w, rij), json=body)
    assert r.status_code == 404 and r.json()["rule"] == "signaal-onbekend", r.text
    _verborgen(w, rij, r, ids, json=body)
    eigen = w.call("cheques", "GET", "/v1/signalen", _als_a(w, rij)).json()
    assert [s["status"] for s in eigen if s["id"] == ids["signaal_id"]] == ["open"]


_registreer("cheques", "GET", "/v1/signalen", _lijst)
_registreer("cheques", "POST", "/v1/signalen/{signaal_id}/beslissing", _beslis)
