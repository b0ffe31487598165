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
import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

import httpx
import pytest
from dateutil.relativedelta import relativedelta

from wijkwerk_platform import scopetabel
from wijkwerk_platform.demo import (
    DemoLoader,
    GebruikerPlan,
    KoppelingPlan,
    OrganisatorPlan,
    PrestatiePlan,
    WerkerPlan,
    identiteit,
    wereld,
)
from wijkwerk_platform.testing import wait_until
from wijkwerk_platform.testkit import Tokens

pytestmark = pytest.mark.integration

Sleutel = tuple[str, str, str]  # (service, method, path) as in the table
ROWS = {(r.service, r.method, r.path): r for r in scopetabel.rijen() if r.scopes}
VANDAAG = date.today()
VAN, TOT = VANDAAG - timedelta(days=365), VANDAAG
MAAND_VAN, MAAND_TOT = f"{VANDAAG - relativedelta(months=12):%Y-%m}", f"{VANDAAG:%Y-%m}"
LEZEN = ("toeleiding:read", "prestaties:read", "cheques:read", "evaluatie:read", "rapportering:read")
CENTRAAL = (*LEZEN, "cheques:admin")

# Endpoints in the table without a per-organisation data scope, with the reason.
EXEMPT: dict[Sleutel, str] = {
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


# ---- the world of A and B, through the public APIs --------------------------------

@dataclass
class Organisatie:
    label: str
    id: str = ""
    naam: str = ""
    gemeenten: list[tuple[str, str]] = field(default_factory=list)
    wijkwerkers: dict[str, str] = field(default_factory=dict)  # plan label → id
    trajecten: dict[str, str] = field(default_factory=dict)  # plan label → trajectory id
    gebruikers: dict[str, str] = field(default_factory=dict)
    erkenningen: dict[str, str] = field(default_factory=dict)  # gebruiker label → erkenning id
    activiteiten: list[str] = field(default_factory=list)
    koppelingen: list[str] = field(default_factory=list)
    prestaties: list[str] = field(default_factory=list)
    serienummers: list[str] = field(default_factory=list)  # validated cheques
    bestellingen: list[str] = field(default_factory=list)
    evaluaties: list[str] = field(default_factory=list)
    metingen: list[str] = field(default_factory=list)  # outflow measurements

    def ids(self) -> set[str]:
        """Everything that identifies A's data (the organiser id itself is public)."""
        return {
            *self.wijkwerkers.values(), *self.trajecten.values(), *self.gebruikers.values(),
            *self.erkenningen.values(), *self.activiteiten, *self.koppelingen, *self.prestaties,
            *self.serienummers, *self.bestellingen, *self.evaluaties, *self.metingen,
        }


class OpnemendeLoader(DemoLoader):
    """The demo loader, keeping the issuer webhooks it got accepted (serial numbers)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.webhooks: list[dict] = []

    async def _webhook(self, body: dict, delivery: str, wachten: float = 60.0) -> bool:
        gelukt = await super()._webhook(body, delivery, wachten)
        if gelukt:
            self.webhooks.append(body)
        return gelukt


def _werkdag(d: date) -> date:
    return d - timedelta(days=max(0, d.weekday() - 4))


def _plannen() -> tuple[OrganisatorPlan, OrganisatorPlan]:
    """A: three workers (one ex-PWA with the unlimited right working, one ended with an
    evaluation and an outflow measurement, one overdue for its evaluation), two gebruikers
    (one never served). B: one worker at one gebruiker. Their figures differ in every report."""
    rng = random.Random(9)
    seed_a, seed_b = wereld.ORGANISATOREN[0], wereld.ORGANISATOREN[1]
    nis_a, nis_b = seed_a.gemeenten[0][0], seed_b.gemeenten[0][0]

    def werker(nr: int, nis: str, naam: str, **kw) -> WerkerPlan:
        ingeschreven = kw.pop("ingeschreven")
        return WerkerPlan(nr=nr, insz=identiteit.insz(date(1970 + nr, 3, 1 + nr), 900 + nr), voornaam=naam,
                          achternaam=f"Testpersoon{nr}", nis=nis, toeleider="VDAB", iban=identiteit.belgische_iban(rng),
                          ingeschreven=ingeschreven, start=ingeschreven + timedelta(days=5), overeenkomst=True, **kw)

    g_a1 = GebruikerPlan(nr=1, categorie="particulier", naam="Greta Aelbrecht", geslacht="vrouw", nis=nis_a,
                         aangemeld_op=VANDAAG - timedelta(days=300), zonder_prestaties=False, contact=True)
    g_a2 = GebruikerPlan(nr=2, categorie="vzw", naam="vzw Buurtwerk Kortrijk", geslacht=None, nis=nis_a,
                         aangemeld_op=VANDAAG - timedelta(days=250), zonder_prestaties=True, contact=False)
    g_b1 = GebruikerPlan(nr=3, categorie="school", naam="Basisschool De Linde Roeselare", geslacht=None, nis=nis_b,
                         aangemeld_op=VANDAAG - timedelta(days=100), zonder_prestaties=False, contact=False)
    a1 = werker(1, nis_a, "Anke", ingeschreven=VANDAAG - timedelta(days=300), ex_pwa=True, onbeperkt=True,
                prestaties=[
                    PrestatiePlan(_werkdag(VANDAAG - timedelta(days=60)), 120, "wijkwerker", na="bevestig"),
                    PrestatiePlan(_werkdag(VANDAAG - timedelta(days=30)), 90, "gebruiker")])
    a1.evaluaties = [a1.start + relativedelta(months=6)]
    a1.koppelingen = [KoppelingPlan(g_a1, activiteit=0, afstand_km=1, start=a1.start + timedelta(days=3))]
    a2 = werker(2, nis_a, "Arne", ingeschreven=VANDAAG - timedelta(days=330), ex_pwa=False, onbeperkt=False,
                advies=12, einde=VANDAAG - timedelta(days=110), einde_reden="uitstroom_werk")
    a2.evaluaties = [a2.start + relativedelta(months=6)]
    a2.uitstroom = [(3, a2.einde + relativedelta(months=3), ["werk_werknemer"], ["NEC"])]
    a3 = werker(3, nis_a, "Astrid", ingeschreven=VANDAAG - timedelta(days=220), ex_pwa=False, onbeperkt=False,
                advies=12, prestaties=[
                    PrestatiePlan(_werkdag(VANDAAG - timedelta(days=45)), 180, "wijkwerker"),
                    PrestatiePlan(_werkdag(VANDAAG - timedelta(days=15)), 60, "wijkwerker")])
    a3.koppelingen = [KoppelingPlan(g_a1, activiteit=0, afstand_km=3, start=a3.start + timedelta(days=2))]
    b1 = werker(4, nis_b, "Bart", ingeschreven=VANDAAG - timedelta(days=60), ex_pwa=False, onbeperkt=False,
                advies=6, prestaties=[
                    PrestatiePlan(_werkdag(VANDAAG - timedelta(days=20)), 60, "wijkwerker", na="bevestig")])
    b1.koppelingen = [KoppelingPlan(g_b1, activiteit=0, afstand_km=2, start=b1.start + timedelta(days=2))]
    return (OrganisatorPlan(seed=seed_a, werkers=[a1, a2, a3], gebruikers=[g_a1, g_a2]),
            OrganisatorPlan(seed=seed_b, werkers=[b1], gebruikers=[g_b1]))


async def _laad(urls: dict[str, str], token: str, geheim: str) -> tuple[tuple[OrganisatorPlan, ...], OpnemendeLoader]:
    plannen = _plannen()
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=60, trust_env=False) as client:
        loader = OpnemendeLoader(client, urls, seed=9, concurrency=8, uitgever_geheim=geheim, vandaag=VANDAAG)
        await loader.organisatoren(list(plannen))
        await asyncio.gather(*(loader.activiteiten(p) for p in plannen))
        await asyncio.gather(*(loader.gebruiker(p, g, None) for p in plannen for g in p.gebruikers))
        await asyncio.gather(*(loader.wijkwerker(p, w, None) for p in plannen for w in p.werkers))
        await asyncio.gather(*(loader.cheques(p, g, None) for p in plannen for g in p.gebruikers))
    assert dict(loader.samenvatting.onverwacht) == {}, loader.samenvatting
    return plannen, loader


@dataclass
class Wandeling:
    urls: dict[str, str]
    tokens: Tokens
    a: Organisatie
    b: Organisatie
    client: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=30, trust_env=False))
    oproepen: int = 0  # HTTP calls made, reported at the end of the module

    def headers(self, org: Organisatie | None, *scopes: str) -> dict[str, str]:
        if org is None:
            return self.tokens.headers(*(scopes or CENTRAAL), org_type="vdab")
        return self.tokens.headers(*(scopes or LEZEN), org=org.id, org_type="organisator")

    def call(self, service: str, method: str, path: str, headers: dict, **kw) -> httpx.Response:
        self.oproepen += 1
        return self.client.request(method, self.urls[service] + path, headers=headers, follow_redirects=False, **kw)

    def get(self, service: str, path: str, org: Organisatie | None, **params) -> httpx.Response:
        return self.call(service, "GET", path, self.headers(org), params=params)

    def json(self, service: str, path: str, org: Organisatie | None, **params):
        r = self.get(service, path, org, **params)
        assert r.status_code == 200, (path, r.status_code, r.text)
        return r.json()


def _organisatie(w: Wandeling, plan: OrganisatorPlan, loader: OpnemendeLoader, label: str) -> Organisatie:
    o = Organisatie(label, id=plan.id, naam=plan.seed.naam, gemeenten=list(plan.seed.gemeenten),
                    activiteiten=[a for a in plan.activiteiten if a])
    dossiers = w.json("toeleiding", "/v1/wijkwerkers", None, organisator_id=o.id)
    for werker in plan.werkers:
        d = next(d for d in dossiers if (d["voornaam"], d["achternaam"]) == (werker.voornaam, werker.achternaam))
        o.wijkwerkers[werker.voornaam] = d["id"]
        o.trajecten[werker.voornaam] = w.json("toeleiding", f"/v1/wijkwerkers/{d['id']}/trajecten", None)[0]["id"]
    for g in plan.gebruikers:
        o.gebruikers[g.naam] = g.id
        o.erkenningen[g.naam] = w.json("prestaties", f"/v1/gebruikers/{g.id}/erkenningen", None)[0]["id"]
    for p in w.json("prestaties", "/v1/prestaties", None, organisator_id=o.id):
        o.prestaties.append(p["id"])
        if p["koppeling_id"] not in o.koppelingen:
            o.koppelingen.append(p["koppeling_id"])
    besteld = {b["bestelling_id"] for b in loader.webhooks
               if b["type"] == "bestelling.betaald" and b["organisator_id"] == o.id}
    o.bestellingen = sorted(besteld)
    uitgegeven = {s for b in loader.webhooks if b["type"] == "cheques.uitgegeven" and b["bestelling_id"] in besteld
                  for s in b["serienummers"]}
    gevalideerd = [s for b in loader.webhooks if b["type"] in ("cheque.gevalideerd", "cheques.gevalideerd")
                   for s in b.get("serienummers", [b.get("serienummer")])]
    o.serienummers = [s for s in gevalideerd if s in uitgegeven]
    return o


def _zonder_tijdstip(body):
    if isinstance(body, dict):
        return {k: _zonder_tijdstip(v) for k, v in body.items() if k != "berekend_op"}
    if isinstance(body, list):
        return [_zonder_tijdstip(v) for v in body]
    return body


def _uitgedraaid(w: Wandeling, a: Organisatie, b: Organisatie) -> bool:
    """Every event has reached evaluatie: its reports count what A and B were given."""
    def rapport(path: str, org: Organisatie, **params):
        r = w.get("evaluatie", path, None, organisator_id=org.id, **params)
        return r.json() if r.status_code == 200 else None

    dossiers = w.get("evaluatie", "/v1/rapporten/dossiers", None)
    if dossiers.status_code != 200:
        return False
    per_org = {r["organisator_id"]: r["dossiers"] for r in dossiers.json()["rijen"]}
    if (per_org.get(a.id), per_org.get(b.id)) != (len(a.wijkwerkers), len(b.wijkwerkers)):
        return False
    for org, evaluaties, werkzaam in ((a, 2, 2), (b, 0, 1)):
        e = rapport("/v1/rapporten/evaluaties", org, van=VAN, tot=TOT)
        ww = rapport("/v1/rapporten/werkzame-wijkwerkers", org, van=VAN, tot=TOT)
        c = rapport("/v1/rapporten/cheques", org, van=MAAND_VAN, tot=MAAND_TOT)
        if e is None or ww is None or c is None or e["evaluaties"] != evaluaties:
            return False
        if ww["totalen"]["wijkwerkers"] != werkzaam:
            return False
        if sum(r["gebruikt_per_validatiemaand"] for r in c["rijen"]) != len(org.serienummers):
            return False
    return True


@pytest.fixture(scope="module")
def wandeling(live_servers, security_tokens) -> Iterator[Wandeling]:
    from cheques.config import embedded_uitgever_geheim

    urls = {name: s.url for name, s in live_servers.items()}
    token = security_tokens.mint(*CENTRAAL, "toeleiding:admin", "toeleiding:write", "prestaties:write",
                                 "prestaties:admin", "evaluatie:write", org_type="vdab", sub="wereld")
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
schrijf("prestaties", "POST", "/v1/prestaties/{prestatie_id}/correctie", _a_prestatie,
        lambda w: {"door": "organisator", "start": "09:00", "minuten": 30, "reden": "Tikfout in de duur"}, _prestatie_a)
schrijf("prestaties", "POST", "/v1/prestaties/{prestatie_id}/annulering", _a_prestatie,
        lambda w: {"door": "organisator", "reden": "Dubbel ingevoerd"}, _prestatie_a)
lees("prestaties", "/v1/wijkwerkers/{wijkwerker_id}/trajecten", _a_werker)
lees("prestaties", "/v1/wijkwerkers/{wijkwerker_id}/uren", _a_werker)

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
