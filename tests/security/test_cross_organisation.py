"""Cross-organisation walk with real data (issue #9).

Two organisers, A and B, get a small world through the public APIs and the issuer's
signed webhooks (the demo loader's own helpers: ``wijkwerk_platform.demo.DemoLoader``); once the
events have reached every service, organiser B — holding the endpoint's own scope — is
pointed at A's resources on every endpoint of the scope table:

* a read of one of A's resources answers 404, exactly as for an id that does not exist
  (not 403: nothing tells B that A's id exists);
* a list or report holds none of A's ids and none of A's figures: B's answer, even when
  B asks for A's organisation, is what a central caller gets for B's organisation;
* a write against A's resources is refused (404, as for an unknown id) and A, reading
  afterwards with its own token, sees nothing changed.

The walk is driven by the table (``wijkwerk_platform.scopetabel``): every guarded endpoint must
have a probe in ``PROBES`` or an exemption with its reason in ``EXEMPT``, so a new
endpoint cannot be forgotten. What the walk found (two data-scope holes, three existence
leaks) is fixed in the services and asserted here like everything else. Module time: about 30 s to start the services and build the
world, about 0.1 s per HTTP call of the walk (~320 calls) on an idle machine.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import timedelta

import probes_cheques_evaluatie  # noqa: F401 - registers its probes
import probes_documenten  # noqa: F401 - registers its probes
import probes_signalen  # noqa: F401 - registers its probes
import probes_terugbetalingen  # noqa: F401 - registers its probes
import probes_toeleiding_prestaties  # noqa: F401 - registers its probes
import probes_webhooks  # noqa: F401 - registers its probes
import pytest
from probes import PROBES, _als, _geen_ongeldige_invoer, _geweigerd_of_onbekend, _probleem
from wandeling import CENTRAAL, ROWS, VANDAAG, Organisatie, Sleutel, Wandeling, _laad, _organisatie, _uitgedraaid

from wijkwerk_platform.testing import wait_until

pytestmark = pytest.mark.integration


# Endpoints in the table without a per-organisation data scope, with the reason.
EXEMPT: dict[Sleutel, str] = {
    ("evaluatie", "GET", "/v1/webhooks/catalogus"):
        "the catalogue of webhook types and their fields: the same for every caller, no organisation data",
    **{(service, "GET", "/v1/gebeurtenissen"):
       "the service's event history for replays: central callers only (an organiser's token gets 403 "
       "alleen-centraal, shared/tests/integration/test_archief.py); events carry no personal data"
       for service in ("toeleiding", "prestaties", "cheques", "evaluatie")},
    **{(service, "GET", "/v1/audit"):
       "the service's audit trail: audit:lezen and a central caller only (an organiser's token gets 403 "
       "alleen-centraal, services/toeleiding/tests/integration/test_audit.py)"
       for service in ("toeleiding", "prestaties", "cheques", "evaluatie")},
    ("toeleiding", "POST", "/v1/organisatoren"):
        "registers a new organiser (central administration); reads or changes no existing organisation's data",
    ("toeleiding", "GET", "/v1/organisatoren"):
        "the register of organisers (name, area, cheque price) is reference data for every partner "
        "(referrers pick an organiser from it)",
    ("toeleiding", "GET", "/v1/organisatoren/{organisator_id}"):
        "one entry of that public register, no more than the list shows",
    ("prestaties", "GET", "/v1/organisatoren/{organisator_id}"):
        "the organiser's area as prestaties knows it: the same public register",
    ("cheques", "GET", "/v1/organisatoren/{organisator_id}/tarief"):
        "the organiser's cheque price on a date: the same public register (the price gebruikers pay)",
    ("prestaties", "GET", "/v1/inschrijvingsrecht"):
        "the platform-wide yearly registration fee: a setting, no organisation data",
    ("cheques", "GET", "/v1/verdeeltarieven"): "platform-wide split rates: settings, no organisation data",
    ("cheques", "POST", "/v1/verdeeltarieven"): "platform-wide split rates: central administration",
    ("cheques", "POST", "/v1/grootboek/herberekening"):
        "Flanders-wide ledger recompute: cheques:admin is a central (VDAB) scope, never an organiser's",
    ("cheques", "POST", "/v1/uitbetalingen/{periode}"):
        "the monthly payout run pays every worker in Flanders: cheques:payout is held by the cheques "
        "service and VDAB only",
    ("cheques", "GET", "/v1/uitbetalingen/{periode}"): "the payout run (cheques:payout, central only)",
    ("cheques", "GET", "/v1/uitbetalingen/{periode}/sepa"): "the payout run's SEPA file (cheques:payout, central only)",
    ("cheques", "POST", "/v1/uitbetalingen/{periode}/goedkeuring"):
        "the second person's approval of the Flanders-wide payout run (cheques:payout; an organiser's token is "
        "refused alleen-centraal)",
    ("cheques", "POST", "/v1/uitbetalingen/{periode}/verzending"):
        "records that the Flanders-wide run went to the bank (cheques:payout, central only: alleen-centraal)",
    ("cheques", "POST", "/v1/bankberichten/statusrapport"):
        "the bank's pain.002 about the Flanders-wide payout run (cheques:payout, central only: alleen-centraal)",
    ("cheques", "POST", "/v1/bankberichten/debetmelding"):
        "the bank's camt.054 returns of the Flanders-wide payout account (cheques:payout, central only)",
    ("cheques", "GET", "/v1/wijkwerkers/{wijkwerker_id}/uitbetalingen"):
        "a worker's payout history across every organiser (cheques:payout, central only: an organiser's token is "
        "refused alleen-centraal, services/cheques/tests/integration/test_uitbetaling_levenscyclus.py)",
    ("cheques", "POST", "/v1/periodes/{periode}/afsluiting"):
        "closes a month of the Flanders-wide ledger: cheques:admin and a central (VDAB) caller only "
        "(an organiser's token is refused alleen-centraal)",
    ("cheques", "GET", "/v1/periodes"):
        "the register of closed months (month, moment, hash, number of ledger rows): no organisation's figures",
    ("cheques", "GET", "/v1/periodes/verificatie"):
        "the hash-chain check of the Flanders-wide ledger: cheques:admin and a central (VDAB) caller only",
}


@pytest.fixture(scope="module")
def wandeling(live_servers, security_tokens) -> Iterator[Wandeling]:
    from cheques.config import embedded_uitgever_geheim

    urls = {name: s.url for name, s in live_servers.items()}
    token = security_tokens.mint(*CENTRAAL, "toeleiding:admin", "toeleiding:write", "prestaties:write",
                                 "prestaties:admin", "evaluatie:write", "cheques:refund",
                                 org_type="vdab", sub="wereld")
    geheim = embedded_uitgever_geheim(security_tokens.private_key, "vdab")
    (plan_a, plan_b), loader = asyncio.run(_laad(urls, token, geheim))
    w = Wandeling(urls, security_tokens, Organisatie("A"), Organisatie("B"))
    w.a, w.b = _organisatie(w, plan_a, loader, "A"), _organisatie(w, plan_b, loader, "B")
    assert w.a.prestaties and w.a.serienummers and w.b.prestaties and w.b.serienummers, (w.a, w.b)
    wait_until(lambda: _uitgedraaid(w, w.a, w.b), timeout=45, interval=0.3)
    for org in (w.a, w.b):  # evaluations and measurements, as VDAB reads them back
        for tid in org.trajecten.values():
            uitkomst = w.json("evaluatie", f"/v1/trajecten/{tid}/uitkomsten", None)
            org.evaluaties += [e["id"] for e in uitkomst["evaluaties"]]
            org.metingen += [m["id"] for m in uitkomst["uitstroommetingen"]]
    assert w.a.evaluaties and w.a.metingen, w.a
    try:
        yield w
    finally:
        w.client.close()
        print(f"\ncross-organisation walk: {len(PROBES)} endpoints probed, {len(EXEMPT)} exempted, "
              f"{w.oproepen} HTTP calls")


# ---- the walk --------------------------------------------------------------------------

WALKED = [k for k in ROWS if k not in EXEMPT]


def test_every_guarded_endpoint_is_walked_or_exempted_with_a_reason():
    assert not set(EXEMPT) & set(PROBES), "an endpoint is both walked and exempted"
    assert set(EXEMPT) <= set(ROWS), f"stale exemptions: {set(EXEMPT) - set(ROWS)}"
    assert set(PROBES) <= set(ROWS), f"probes of endpoints no longer in the table: {set(PROBES) - set(ROWS)}"
    assert all(len(reason) > 20 for reason in EXEMPT.values())
    # An endpoint without a probe fails its own walk test below; this names them all at once.
    assert set(ROWS) == set(PROBES) | set(EXEMPT), f"neither walked nor exempted: {set(ROWS) - set(PROBES) - set(EXEMPT)}"


@pytest.mark.parametrize("sleutel", [pytest.param(k, id=" ".join(k)) for k in WALKED])
def test_organiser_b_cannot_reach_organiser_a(sleutel, wandeling):
    probe = PROBES.get(sleutel)
    if probe is None:
        pytest.fail(f"{' '.join(sleutel)} has a scope but no cross-organisation probe: add one to PROBES, "
                    "or an exemption with its reason to EXEMPT")
    probe(wandeling, ROWS[sleutel])


# ---- B under its own organisation, pointing at A's resources ----------------------------

def _onder_b(w: Wandeling, a_ids: dict[str, str]) -> dict[str, dict]:
    """Creates by B for B's own organisation that reference A's resources (``a_ids``)."""
    b = w.b
    return {
        "toeleiding": {"wijkwerker_id": a_ids["wijkwerker"], "organisator_id": b.id, "toeleider_type": "OCMW",
                       "advies_maanden": 12, "ontvangen_op": str(VANDAAG), "start": str(VANDAAG + timedelta(days=7))},
        "koppeling-werker": {"wijkwerker_id": a_ids["wijkwerker"], "gebruiker_id": b.gebruikers[next(iter(b.gebruikers))],
                             "organisator_id": b.id, "activiteit_id": b.activiteiten[0],
                             "locatie_nis_code": b.gemeenten[0][0], "afstand_km": 2, "start": str(VANDAAG)},
        "koppeling-gebruiker": {"wijkwerker_id": b.wijkwerkers["Bart"], "gebruiker_id": a_ids["gebruiker"],
                                "organisator_id": b.id, "activiteit_id": b.activiteiten[0],
                                "locatie_nis_code": b.gemeenten[0][0], "afstand_km": 2, "start": str(VANDAAG)},
        "koppeling-activiteit": {"wijkwerker_id": b.wijkwerkers["Bart"], "gebruiker_id": b.gebruikers[next(iter(b.gebruikers))],
                                 "organisator_id": b.id, "activiteit_id": a_ids["activiteit"],
                                 "locatie_nis_code": b.gemeenten[0][0], "afstand_km": 2, "start": str(VANDAAG)},
        "contact-gebruiker": {"organisator_id": b.id, "datum": str(VANDAAG - timedelta(days=1)),
                              "door": "bemiddelaar-0099", "door_rol": "bemiddelaar", "kanaal": "telefoon",
                              "reden": "opvolging"},
    }


ONDER_B = {
    "toeleiding": ("toeleiding", "/v1/toeleidingen", "toeleiding:write"),
    "koppeling-werker": ("prestaties", "/v1/koppelingen", "prestaties:write"),
    "koppeling-gebruiker": ("prestaties", "/v1/koppelingen", "prestaties:write"),
    "koppeling-activiteit": ("prestaties", "/v1/koppelingen", "prestaties:write"),
    "contact-gebruiker": ("prestaties", "/v1/gebruikers/{gebruiker}/contacten", "prestaties:write"),
}


@pytest.mark.parametrize("variant", list(ONDER_B))
def test_b_cannot_use_a_resources_under_its_own_organisation(variant, wandeling):
    """Refused, answered as for an id that does not exist, and nothing written for A."""
    w = wandeling
    service, path, scope = ONDER_B[variant]
    als_b = w.tokens.headers(scope, org=w.b.id, org_type="organisator")
    a_ids = {"wijkwerker": w.a.wijkwerkers["Arne"] if variant == "toeleiding" else w.a.wijkwerkers["Astrid"],
             "gebruiker": w.a.gebruikers["vzw Buurtwerk Kortrijk"], "activiteit": w.a.activiteiten[0]}
    def blik() -> tuple:
        return (_als(w, "toeleiding", f"/v1/wijkwerkers/{a_ids['wijkwerker']}/trajecten"),
                _als(w, "prestaties", "/v1/prestaties", organisator_id=w.a.id),
                _als(w, "prestaties", f"/v1/gebruikers/{a_ids['gebruiker']}/contacten"))

    voor = blik()
    r = w.call(service, "POST", path.format(**a_ids), als_b, json=_onder_b(w, a_ids)[variant])
    _geen_ongeldige_invoer(r)
    onbekend = {k: str(uuid.uuid4()) for k in a_ids}
    niets = w.call(service, "POST", path.format(**onbekend), als_b, json=_onder_b(w, onbekend)[variant])
    assert _geweigerd_of_onbekend(r), (r.status_code, r.text)
    assert (r.status_code, _probleem(r)) == (niets.status_code, _probleem(niets))
    assert voor == blik()
