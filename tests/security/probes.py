"""The probes of the cross-organisation walk: how B is pointed at A's resources on one
endpoint (a read, a write, a list, a report), registered per endpoint in ``PROBES``."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import httpx
from wandeling import Organisatie, Sleutel, Wandeling, _zonder_tijdstip

from wijkwerk_platform import scopetabel

# ---- the probes ------------------------------------------------------------------------

Probe = Callable[[Wandeling, scopetabel.Rij], None]
Ids = Callable[[Organisatie], dict[str, str]]
PROBES: dict[Sleutel, Probe] = {}


def _registreer(service: str, method: str, path: str, probe: Probe) -> None:
    assert (service, method, path) not in PROBES, (service, method, path)
    PROBES[(service, method, path)] = probe


def _als_b(w: Wandeling, rij: scopetabel.Rij) -> dict[str, str]:
    """Organiser B holding the endpoint's own scope(s)."""
    return w.tokens.headers(*rij.scopes, org=w.b.id, org_type="organisator")


def _als_a(w: Wandeling, rij: scopetabel.Rij) -> dict[str, str]:
    return w.tokens.headers(*rij.scopes, org=w.a.id, org_type="organisator")


def _onbekend(ids: dict[str, str]) -> dict[str, str]:
    """The same path parameters, the identifiers pointing at nothing."""
    def niets(k: str, v: str) -> str:
        if k == "serienummer":
            return f"WW{uuid.uuid4().hex[:12]}-00000"
        return str(uuid.uuid4()) if k.endswith("_id") else v

    return {k: niets(k, v) for k, v in ids.items()}


def _probleem(r: httpx.Response) -> dict:
    """The problem document without the request path it echoes."""
    return {k: v for k, v in r.json().items() if k != "instance"}


def _geen_ongeldige_invoer(r: httpx.Response) -> None:
    if r.status_code == 422 and r.json().get("rule") == "ongeldige-invoer":
        raise AssertionError(f"the probe's body is invalid, so it proves nothing: {r.text}")


def _geweigerd_of_onbekend(r: httpx.Response) -> bool:
    """Refused (403, 404), or "not known here yet" (409 + Retry-After, issue #21 item 9): a
    service answers that alike for another organisation's resource and for one that exists
    nowhere, so it tells B nothing either."""
    if r.status_code == 409:
        return "retry-after" in r.headers and r.json()["rule"].endswith("-nog-onbekend")
    return r.status_code in (403, 404)


def _verborgen(w: Wandeling, rij: scopetabel.Rij, r: httpx.Response, ids: dict[str, str], **kw) -> None:
    """B is refused on A's resource with exactly the answer it gets on a resource that does
    not exist: nothing tells B that A's id exists."""
    assert r.status_code in (403, 404), (r.status_code, r.text)
    niets = w.call(rij.service, rij.method, rij.path.format(**_onbekend(ids)), _als_b(w, rij), **kw)
    assert (niets.status_code, _probleem(niets)) == (r.status_code, _probleem(r))
    if r.status_code == 403:  # a refusal by role, never by whose data it is
        assert r.json()["rule"] != "scope-ontbreekt", "B's token lacks the endpoint's scope: the probe proves nothing"


def lees(service: str, path: str, ids: Ids, **params) -> None:
    def probe(w: Wandeling, rij: scopetabel.Rij) -> None:
        pad = path.format(**ids(w.a))
        r = w.call(service, "GET", pad, _als_b(w, rij), params=params)
        assert r.status_code == 404, (r.status_code, r.text)
        _verborgen(w, rij, r, ids(w.a), params=params)
        eigen = w.call(service, "GET", pad, _als_a(w, rij), params=params)
        assert eigen.status_code == 200, eigen.text  # A itself does see it: the 404 is the data scope

    _registreer(service, "GET", path, probe)


def schrijf(service: str, method: str, path: str, ids: Ids | None, body: Callable[[Wandeling], dict | list[dict]],
            blik: Callable[[Wandeling], object]) -> None:
    """B writes against A's resource (in the path, or referenced from the body, also under
    B's own organisation: one body or a list of variants): refused as if it did not exist,
    and A's view afterwards is what it was before."""

    def probe(w: Wandeling, rij: scopetabel.Rij) -> None:
        voor = blik(w)
        pad = path.format(**ids(w.a)) if ids else path
        varianten = body(w)
        for variant in varianten if isinstance(varianten, list) else [varianten]:
            r = w.call(service, method, pad, _als_b(w, rij), json=variant)
            _geen_ongeldige_invoer(r)
            if ids:
                _verborgen(w, rij, r, ids(w.a), json=variant)
            else:
                assert _geweigerd_of_onbekend(r), (variant, r.status_code, r.text)
        assert blik(w) == voor, "B's refused write changed what A sees"

    _registreer(service, method, path, probe)


def lijst(service: str, path: str, van_a: Callable[[Organisatie], set[str]],
          varianten: Callable[[Organisatie], list[dict]] = lambda a: [], ids: Ids | None = None) -> None:
    """A listing for B holds none of A's ids, also when B filters on A's ids."""

    def probe(w: Wandeling, rij: scopetabel.Rij) -> None:
        pad = path.format(**ids(w.a)) if ids else path
        for params in [{}, *varianten(w.a)]:
            r = w.call(service, "GET", pad, _als_b(w, rij), params=params)
            assert r.status_code == 200, r.text
            assert not {i for i in w.a.ids() if i in r.text}, (params, r.text)
        eigen = w.call(service, "GET", pad, _als_a(w, rij)).text
        assert any(i in eigen for i in van_a(w.a)), "A's own listing shows none of A's ids: the probe proves nothing"

    _registreer(service, "GET", path, probe)


def rapport(path: str, csv: bool = True, **params) -> None:
    """B's report, also when B asks for A's organisation, is exactly what a central caller
    gets for B; A's figures (central, for A) differ from B's, so the check has teeth."""

    def probe(w: Wandeling, rij: scopetabel.Rij) -> None:
        centraal = w.headers(None)
        voor = {o.label: _zonder_tijdstip(w.call("evaluatie", "GET", path, centraal,
                                                   params={**params, "organisator_id": o.id}).json())
                for o in (w.a, w.b)}
        assert voor["A"] != voor["B"], "A and B have the same figures here: the probe proves nothing"
        for extra in ({}, {"organisator_id": w.a.id}):
            r = w.call("evaluatie", "GET", path, _als_b(w, rij), params={**params, **extra})
            assert r.status_code == 200, r.text
            assert _zonder_tijdstip(r.json()) == voor["B"], (extra, r.json(), voor)
        if csv:
            als_csv = {**params, "organisator_id": w.a.id, "format": "csv"}
            tekst = w.call("evaluatie", "GET", path, _als_b(w, rij), params=als_csv)
            centraal_b = w.call("evaluatie", "GET", path, centraal, params={**als_csv, "organisator_id": w.b.id})
            assert (tekst.status_code, tekst.text) == (200, centraal_b.text)

    _registreer("evaluatie", "GET", path, probe)


def _als(w: Wandeling, service: str, path: str, **params):
    """What A itself sees (A's token with every read scope)."""
    return w.json(service, path, w.a, **params)


def _eerste(d: dict[str, str]) -> str:
    return next(iter(d.values()))
