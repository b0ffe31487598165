"""Cross-organisation probes of the documents people keep (issue #23 item 5): B cannot read
A's worker's payout slip, A's gebruiker's yearly statement or A's certificates, nor issue or
revoke a certificate for A's worker; each is answered as for an id that exists nowhere."""

from __future__ import annotations

from urllib.parse import urlsplit

from probes import _als_a, _als_b, _registreer, _verborgen, lees, schrijf
from wandeling import MAAND_TOT, VANDAAG, Wandeling

from wijkwerk_platform import scopetabel

lees("cheques", "/v1/wijkwerkers/{wijkwerker_id}/loonbrieven/{periode}",
     lambda a: {"wijkwerker_id": a.wijkwerkers["Anke"], "periode": MAAND_TOT})
lees("cheques", "/v1/gebruikers/{gebruiker_id}/jaaroverzichten/{jaar}",
     lambda a: {"gebruiker_id": a.gebruikers["Greta Aelbrecht"], "jaar": str(VANDAAG.year)})


lees("evaluatie", "/v1/wijkwerkers/{wijkwerker_id}/getuigschriften", lambda a: {"wijkwerker_id": a.wijkwerkers["Anke"]})


def _uitgegeven(w: Wandeling) -> int:
    """Certificates issued so far, from evaluatie's event history (a central reader)."""
    geschiedenis = w.call("evaluatie", "GET", "/v1/gebeurtenissen", w.tokens.headers("gebeurtenissen:lezen"))
    assert geschiedenis.status_code == 200, geschiedenis.text
    return geschiedenis.text.count('"GetuigschriftUitgegeven"') + geschiedenis.text.count('"GetuigschriftIngetrokken"')


schrijf("evaluatie", "POST", "/v1/wijkwerkers/{wijkwerker_id}/getuigschriften",
        lambda a: {"wijkwerker_id": a.wijkwerkers["Anke"]},
        lambda w: {"naam": "A. Testpersoon1", "op": str(VANDAAG)}, _uitgegeven)


def _een_van_a(w: Wandeling) -> dict:
    """A certificate A issues for its own worker."""
    r = w.call("evaluatie", "POST", f"/v1/wijkwerkers/{w.a.wijkwerkers['Anke']}/getuigschriften",
               w.tokens.headers("evaluatie:write", org=w.a.id, org_type="organisator"),
               json={"naam": "A. Testpersoon1", "op": str(VANDAAG)})
    assert r.status_code == 201, r.text
    return r.json()


def _pdf(w: Wandeling, rij: scopetabel.Rij) -> None:
    g = _een_van_a(w)
    pad = rij.path.format(getuigschrift_id=g["id"])
    r = w.call("evaluatie", "GET", pad, _als_b(w, rij))
    _verborgen(w, rij, r, {"getuigschrift_id": g["id"]})
    eigen = w.call("evaluatie", "GET", pad, _als_a(w, rij))
    assert eigen.status_code == 200 and eigen.headers["content-type"] == "application/pdf", eigen.text


def _intrekking(w: Wandeling, rij: scopetabel.Rij) -> None:
    g = _een_van_a(w)
    url = urlsplit(g["verificatie_url"])

    def status() -> str:
        return w.call("evaluatie", "GET", f"{url.path}?{url.query}", {"accept": "application/json"}).json()["status"]

    body = {"ingetrokken_op": str(VANDAAG), "reden": "probe"}
    r = w.call("evaluatie", "POST", rij.path.format(getuigschrift_id=g["id"]), _als_b(w, rij), json=body)
    _verborgen(w, rij, r, {"getuigschrift_id": g["id"]}, json=body)
    assert status() == "geldig", "B's refused revocation changed A's certificate"


_registreer("evaluatie", "GET", "/v1/getuigschriften/{getuigschrift_id}", _pdf)
_registreer("evaluatie", "POST", "/v1/getuigschriften/{getuigschrift_id}/intrekking", _intrekking)


# The worker's own view (issue #23 item 7): B's organiser token sees nothing of A's worker.
lees("evaluatie", "/v1/wijkwerkers/{wijkwerker_id}/overzicht", lambda a: {"wijkwerker_id": a.wijkwerkers["Anke"]})
lees("evaluatie", "/v1/wijkwerkers/{wijkwerker_id}/overzicht/loonbrieven/{periode}",
     lambda a: {"wijkwerker_id": a.wijkwerkers["Anke"], "periode": MAAND_TOT})
