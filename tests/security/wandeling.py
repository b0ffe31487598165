"""The world of the cross-organisation walk (``test_cross_organisation``): organisers A and
B with a small world each, built through the public APIs and the issuer's signed webhooks."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

import httpx
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
from wijkwerk_platform.testkit import Tokens

Sleutel = tuple[str, str, str]  # (service, method, path) as in the table
ROWS = {(r.service, r.method, r.path): r for r in scopetabel.rijen() if r.scopes}
VANDAAG = date.today()
VAN, TOT = VANDAAG - timedelta(days=365), VANDAAG
MAAND_VAN, MAAND_TOT = f"{VANDAAG - relativedelta(months=12):%Y-%m}", f"{VANDAAG:%Y-%m}"
LEZEN = ("toeleiding:read", "prestaties:read", "cheques:read", "evaluatie:read", "rapportering:read")
CENTRAAL = (*LEZEN, "cheques:admin")

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
    ongebruikt: list[str] = field(default_factory=list)  # issued, never validated (refund requests, issue #23)
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
                    PrestatiePlan(_werkdag(VANDAAG - timedelta(days=25)), 120, "wijkwerker", na="betwist"),
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
    o.ongebruikt = sorted(uitgegeven - set(gevalideerd))
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
