"""A demo world, loaded only through the public HTTP APIs and signed issuer webhooks.

``run_demo`` is called by ``wijkwerk up --demo`` and ``wijkwerk demo``. It is deterministic
for a seed: a plan is drawn first, serially, from one random generator; only then is it
sent, with bounded concurrency. The world lies in the last ``WERELD_MAANDEN`` months before
today: the organisers of DOMAIN O-3, dossiers with referrals and agreements (some ended),
gebruikers with erkenningen and fees, an activity catalogue per organiser, placements,
months of prestaties (with confirmations, corrections and cancellations), cheque orders,
issues and validations through the issuer webhooks, evaluations every six months, outflow
measurements after the end, contacts, and invalid attempts the services must refuse.
``Samenvatting`` keeps the generator's own tallies, so tests can check the reports.
"""

from __future__ import annotations

import asyncio
import random
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import httpx
import orjson
from dateutil.relativedelta import relativedelta
from faker import Faker
from wijkwerk.auth import mint_token
from wijkwerk_platform.demo import identiteit, wereld

SCOPES = [
    "toeleiding:admin", "toeleiding:read", "toeleiding:write",
    "prestaties:read", "prestaties:write", "prestaties:admin",
    "cheques:read", "cheques:admin", "evaluatie:write", "rapportering:read",
]
OVER_PLAFOND = "max-60-uur-per-maand"


@dataclass
class Samenvatting:
    organisatoren: int = 0
    dossiers: int = 0
    toeleidingen: int = 0
    overeenkomsten: int = 0
    beeindigd: int = 0
    gebruikers: int = 0
    erkenningen: int = 0
    inschrijvingen_betaald: int = 0
    activiteiten: int = 0
    koppelingen: int = 0
    prestaties: int = 0
    bevestigd: int = 0
    gecorrigeerd: int = 0
    geannuleerd: int = 0
    bestellingen: int = 0
    cheques_besteld: int = 0  # in the paid orders (RPT-16)
    cheques_uitgegeven: int = 0
    cheques_gevalideerd: int = 0
    evaluaties: int = 0
    uitstroommetingen: int = 0
    contacten: int = 0
    # Tallies of what was sent, for checks against the reports.
    per_advies: Counter = field(default_factory=Counter)  # (advies_maanden, "YYYY-MM" received) → referrals
    actief_of_voorlopig: int = 0  # dossiers expected actief/voorlopig today
    evaluaties_per_maand: Counter = field(default_factory=Counter)
    gevalideerd_per_maand: Counter = field(default_factory=Counter)  # validation month → cheques
    inschrijvingen_per_maand: Counter = field(default_factory=Counter)  # payment month → fees
    per_categorie: Counter = field(default_factory=Counter)  # gebruiker category → gebruikers
    # number of hoofdactiviteiten among a worker's accepted prestaties → workers (RPT-09)
    werkers_per_aantal_hoofdactiviteiten: Counter = field(default_factory=Counter)
    geweigerd: Counter = field(default_factory=Counter)  # expected refusals, by rule
    onverwacht: Counter = field(default_factory=Counter)  # refusals of calls meant to succeed
    van: date | None = None
    tot: date | None = None
    seconden: float = 0.0

    def __str__(self) -> str:
        return (
            f"{self.organisatoren} organisers, {self.dossiers} dossiers, {self.toeleidingen} referrals, "
            f"{self.overeenkomsten} agreements ({self.beeindigd} ended), {self.gebruikers} gebruikers, "
            f"{self.erkenningen} erkenningen ({self.inschrijvingen_betaald} fees paid), "
            f"{self.activiteiten} activities, {self.koppelingen} placements, {self.prestaties} prestaties "
            f"({self.bevestigd} confirmed, {self.gecorrigeerd} corrected, {self.geannuleerd} cancelled), "
            f"{self.bestellingen} cheque orders, {self.cheques_uitgegeven} cheques issued, "
            f"{self.cheques_gevalideerd} validated, {self.evaluaties} evaluations, "
            f"{self.uitstroommetingen} outflow measurements, {self.contacten} contacts; "
            f"rejected as expected: {dict(self.geweigerd) or 'none'}; "
            f"unexpected refusals: {dict(self.onverwacht) or 'none'}; "
            f"world {self.van} – {self.tot}, {self.seconden:.1f} s"
        )


def _kies(rng: random.Random, gewogen):
    return rng.choices([w for w, _ in gewogen], weights=[g for _, g in gewogen])[0]


def _maand(d: date) -> str:
    return f"{d:%Y-%m}"


# ---- the plan: drawn serially from one generator, so a seed gives one world ----------

@dataclass
class GebruikerPlan:
    nr: int
    categorie: str
    naam: str
    geslacht: str | None
    nis: str
    aangemeld_op: date
    zonder_prestaties: bool
    contact: bool
    id: str | None = None
    # (prestatie_id, datum, uren) of the accepted, not cancelled prestaties
    prestaties: list = field(default_factory=list)


@dataclass
class PrestatiePlan:
    datum: date
    minuten: int
    door: str
    na: str | None = None  # "bevestig" | "corrigeer" | "annuleer"
    correctie_minuten: int | None = None
    koppeling: int = 0  # index in WerkerPlan.koppelingen


@dataclass
class KoppelingPlan:
    gebruiker: GebruikerPlan
    activiteit: int  # index in wereld.ACTIVITEITEN
    afstand_km: int
    start: date


@dataclass
class WerkerPlan:
    nr: int
    insz: str
    voornaam: str
    achternaam: str
    nis: str
    toeleider: str
    ex_pwa: bool
    onbeperkt: bool
    iban: str
    ingeschreven: date
    advies: int | None = None
    start: date | None = None
    overeenkomst: bool = False
    einde: date | None = None  # actual early end
    einde_reden: str | None = None
    koppelingen: list[KoppelingPlan] = field(default_factory=list)  # the first one is the main placement
    prestaties: list[PrestatiePlan] = field(default_factory=list)
    plafond_poging: tuple[date, int] | None = None  # (date, minutes) that must exceed the 60 h cap
    buiten_traject: date | None = None  # a date after the actual end
    evaluaties: list[date] = field(default_factory=list)
    uitstroom: list[tuple[int, date, list[str], list[str]]] = field(default_factory=list)


@dataclass
class OrganisatorPlan:
    seed: wereld.OrganisatorSeed
    werkers: list[WerkerPlan]
    gebruikers: list[GebruikerPlan]
    id: str | None = None
    activiteiten: list[str] = field(default_factory=list)


def _einde_gepland(start: date, advies: int | None) -> date | None:
    return None if advies is None else start + relativedelta(months=advies) - timedelta(days=1)


def _uitstroom_categorieen(rng: random.Random, ex_pwa: bool) -> tuple[list[str], list[str]]:
    if rng.random() < (0.24 if ex_pwa else 0.28):  # at work (000, §5.4)
        if rng.random() < 0.95:
            return ["werk_werknemer"], [_kies(rng, (("NEC", 80), ("NEC_in_SEC", 11), ("SEC", 9)))]
        return ["werk_zelfstandige"], []
    categorie = _kies(rng, (("werkzoekend", 60), ("competentieversterking", 10), ("begeleidingsservice", 8),
                            ("twe_ocmw", 4), ("gob", 4), ("onbekend", 14)))
    sub = {"competentieversterking": [rng.choice(["opleiding", "werkplekleren"])],
           "begeleidingsservice": ["TWE"] if rng.random() < 0.3 else []}.get(categorie, [])
    return [categorie], sub


def _toegelaten(g: GebruikerPlan) -> list[int]:
    """The activities the matrix allows for this gebruiker's category (AC-3)."""
    return [i for i, a in enumerate(wereld.ACTIVITEITEN) if g.categorie in a[2]]


def plan(seed: int, scale: float, vandaag: date) -> list[OrganisatorPlan]:
    rng = random.Random(seed)
    fake = Faker("nl_BE")
    fake.seed_instance(seed)
    begin = vandaag - relativedelta(months=wereld.WERELD_MAANDEN)
    laatste_inschrijving = vandaag - timedelta(days=45)
    per_organisator = max(2, round(wereld.DOSSIERS_PER_ORGANISATOR * scale))
    plannen: list[OrganisatorPlan] = []
    volgnummer = 0
    for o, seed_org in enumerate(wereld.ORGANISATOREN):
        # Gebruikers: about two per working worker (§5.4: 16,318 active gebruikers for 8,343
        # workers); one in nine never gets a prestatie.
        n_gebruikers = max(3, round(per_organisator * wereld.GEBRUIKERS_PER_DOSSIER))
        gebruikers = []
        for g in range(n_gebruikers):
            categorie = _kies(rng, wereld.GEBRUIKER_CATEGORIEEN)
            nis, gemeente = rng.choice(seed_org.gemeenten)
            if categorie == "particulier":
                naam, geslacht = fake.name(), _kies(rng, wereld.GESLACHT)
            else:
                naam = rng.choice(wereld.ORGANISATIE_NAMEN[categorie]).format(g=gemeente, n=fake.last_name())
                geslacht = None
            # Many sign up in the first spring, fewer later (002 Q4).
            dagen = (laatste_inschrijving - begin).days
            aangemeld = begin + timedelta(days=int(dagen * rng.random() ** 2.2))
            gebruikers.append(GebruikerPlan(
                nr=o * 100_000 + g, categorie=categorie, naam=naam, geslacht=geslacht, nis=nis,
                aangemeld_op=aangemeld, zonder_prestaties=rng.random() < wereld.AANDEEL_GEBRUIKERS_ZONDER_PRESTATIE,
                contact=rng.random() < 0.15,
            ))
        met_werk = [g for g in gebruikers if not g.zonder_prestaties] or gebruikers[:1]
        rng.shuffle(met_werk)
        volgende_gebruiker = 0

        def volgende(past) -> GebruikerPlan | None:
            """The next gebruiker in turn that ``past`` accepts (every gebruiker meant to
            work gets a worker before any gets a second one)."""
            nonlocal volgende_gebruiker
            for stap in range(min(len(met_werk), 25)):
                i = (volgende_gebruiker + stap) % len(met_werk)
                if past(met_werk[i]):
                    j = volgende_gebruiker % len(met_werk)
                    met_werk[i], met_werk[j] = met_werk[j], met_werk[i]
                    volgende_gebruiker += 1
                    return met_werk[j]
            return None

        def afstand() -> int:
            return rng.choice([1, 2, 3, 4, 5, 6, 8, 12]) if rng.random() < 0.3 else rng.randrange(0, 6)
        # At least one refused attempt of each kind per organiser, even at a tiny scale.
        nog_plafond = nog_buiten = True
        werkers = []
        for _ in range(per_organisator):
            volgnummer += 1
            toeleider = _kies(rng, wereld.TOELEIDERS)
            ex_pwa = rng.random() < wereld.AANDEEL_EX_PWA * 0.3  # most inflow after 2019 is new
            geboren = fake.date_of_birth(minimum_age=25, maximum_age=64)
            ingeschreven = begin + timedelta(days=rng.randrange(0, (laatste_inschrijving - begin).days))
            w = WerkerPlan(
                nr=volgnummer, insz=identiteit.insz(geboren, volgnummer + seed * 7),
                voornaam=fake.first_name(), achternaam=fake.last_name(), nis=rng.choice(seed_org.gemeenten)[0],
                toeleider=toeleider, ex_pwa=ex_pwa, onbeperkt=ex_pwa and rng.random() < 0.5,
                iban=identiteit.belgische_iban(rng), ingeschreven=ingeschreven,
            )
            werkers.append(w)
            if rng.random() > wereld.AANDEEL_ACTIEF_OF_VOORLOPIG + 0.1:
                continue  # registered, never referred
            w.advies = None if w.onbeperkt else _kies(rng, wereld.ADVIES)
            w.start = ingeschreven + timedelta(days=rng.randrange(3, 40))
            w.overeenkomst = rng.random() < 0.92
            if not w.overeenkomst:
                continue
            gepland = _einde_gepland(w.start, w.advies)
            if (vandaag - w.start).days > 75 and (nog_buiten or rng.random() < wereld.AANDEEL_VROEG_BEEINDIGD):
                laatst = min(gepland or vandaag, vandaag - timedelta(days=10))
                w.einde = w.start + timedelta(days=rng.randrange(45, max(46, (laatst - w.start).days)))
                w.einde_reden = _kies(rng, (("uitstroom_werk", 30), ("ander_traject", 30), ("gestopt", 40)))
            werkt_tot = min(x for x in (w.einde, gepland, vandaag - timedelta(days=1)) if x is not None)
            # Evaluations every six months while the trajectory runs.
            k = 1
            while (d := w.start + relativedelta(months=6 * k)) <= werkt_tot:
                w.evaluaties.append(d)
                k += 1
            eind = w.einde  # outflow is measured after an ended trajectory (evaluatie refuses others)
            if eind is not None:
                for n in (3, 6, 9, 12):
                    if (d := eind + relativedelta(months=n)) <= vandaag:
                        categorieen, sub = _uitstroom_categorieen(rng, ex_pwa)
                        w.uitstroom.append((n, d, categorieen, sub))
            if rng.random() > 0.9:
                continue  # signed, but not (yet) matched
            eerste = volgende(lambda g: True)
            start = max(w.start, eerste.aangemeld_op) + timedelta(days=rng.randrange(0, 10))
            if start > werkt_tot:
                continue
            w.koppelingen.append(KoppelingPlan(eerste, rng.choice(_toegelaten(eerste)), afstand(), start))
            # About two gebruikers per worker; 69 % stay in one hoofdactiviteit (§5.4, A-17):
            # the others get a placement in another activity category.
            hoofd = wereld.ACTIVITEITEN[w.koppelingen[0].activiteit][1]
            ander = rng.random() < wereld.AANDEEL_ANDERE_HOOFDACTIVITEIT
            for _ in range(_kies(rng, wereld.EXTRA_KOPPELINGEN)):
                def keuzes(g: GebruikerPlan) -> list[int]:
                    return [i for i in _toegelaten(g) if (wereld.ACTIVITEITEN[i][1] != hoofd) == ander]

                g = volgende(lambda g: bool(keuzes(g)))
                if g is None:
                    continue
                start = max(w.koppelingen[0].start, g.aangemeld_op) + timedelta(days=rng.randrange(0, 90))
                if start <= werkt_tot:
                    w.koppelingen.append(KoppelingPlan(g, rng.choice(keuzes(g)), afstand(), start))
            # Prestaties: once or twice a week, 1–4 h, well below the caps; the main
            # placement gets about half of them.
            dag = w.koppelingen[0].start
            per_maand: Counter = Counter()
            while dag <= werkt_tot:
                if dag.weekday() < 5:
                    minuten = rng.choice([60, 90, 120, 150, 180, 210, 240])
                    lopend = [i for i, k in enumerate(w.koppelingen) if k.start <= dag]
                    p = PrestatiePlan(datum=dag, minuten=minuten, door=rng.choice(["wijkwerker", "gebruiker"]),
                                      koppeling=rng.choice([0, *lopend]))
                    r = rng.random()
                    if r < 0.35:
                        p.na = "bevestig"
                    elif r < 0.38:
                        p.na, p.correctie_minuten = "corrigeer", max(30, minuten - 60)
                    elif r < 0.40:
                        p.na = "annuleer"
                    w.prestaties.append(p)
                    if p.na != "annuleer":
                        per_maand[_maand(dag)] += -(-(p.correctie_minuten or minuten) // 60)
                dag += timedelta(days=rng.choice([3, 4, 7, 7, 10, 14]))
            # A placement that got no day of work is not made (its gebruiker may get another worker).
            gebruikt = sorted({pp.koppeling for pp in w.prestaties} | {0})
            w.koppelingen = [w.koppelingen[i] for i in gebruikt]
            for pp in w.prestaties:
                pp.koppeling = gebruikt.index(pp.koppeling)
            # One worker in twenty fills a month up and then tries one hour too many.
            if w.prestaties and (nog_plafond or rng.random() < 0.03):
                maand = _maand(w.prestaties[-1].datum)
                # In that month nothing is corrected or cancelled: a prestatie counts its full
                # hours until it is corrected, which could hit the cap before the attempt does.
                for p in w.prestaties:
                    if _maand(p.datum) == maand and p.na in ("corrigeer", "annuleer"):
                        p.na, p.correctie_minuten = None, None
                per_maand[maand] = sum(-(-p.minuten // 60) for p in w.prestaties if _maand(p.datum) == maand)
                eerste = date.fromisoformat(maand + "-01")
                dagen_met = {p.datum for p in w.prestaties}
                d = eerste
                while per_maand[maand] < 53 and d.month == eerste.month:
                    if d not in dagen_met and w.koppelingen[0].start <= d <= werkt_tot:
                        w.prestaties.append(PrestatiePlan(datum=d, minuten=480, door="wijkwerker"))
                        per_maand[maand] += 8
                        dagen_met.add(d)
                    d += timedelta(days=1)
                if 53 <= per_maand[maand] <= 60:
                    vrij = next((x for x in (eerste + timedelta(days=i) for i in range(31))
                                 if x.month == eerste.month and x not in dagen_met
                                 and w.koppelingen[0].start <= x <= werkt_tot), None)
                    if vrij is not None:
                        w.plafond_poging = (vrij, (61 - per_maand[maand]) * 60)
                        nog_plafond = False
            w.prestaties.sort(key=lambda p: p.datum)
            if w.einde is not None and w.einde + timedelta(days=3) < vandaag and (nog_buiten or rng.random() < 0.3):
                w.buiten_traject = w.einde + timedelta(days=2)
                nog_buiten = False
        # Gebruikers meant to work whom no worker reached are not signed up at all, so about
        # one in nine active gebruikers stays without a prestatie, as drawn.
        gekoppeld = {id(k.gebruiker) for w in werkers for k in w.koppelingen}
        aan_het_werk = {id(w.koppelingen[pp.koppeling].gebruiker) for w in werkers for pp in w.prestaties
                        if pp.na != "annuleer"}
        gebruikers = [g for g in gebruikers if g.zonder_prestaties or id(g) in gekoppeld]
        for g in gebruikers:
            g.zonder_prestaties = id(g) not in aan_het_werk
        plannen.append(OrganisatorPlan(seed=seed_org, werkers=werkers, gebruikers=gebruikers))
    return plannen


# ---- sending it -------------------------------------------------------------------------

class Uitgever:
    """The cheque issuer: signs its webhooks (Standard Webhooks headers) with its secret."""

    def __init__(self, client: httpx.AsyncClient, url: str, geheim: str) -> None:
        from cheques.domain.handtekening import headers

        self.client, self.url, self.geheim, self._headers = client, url + "/v1/webhooks/vdab", geheim, headers

    async def stuur(self, body: dict, delivery: str) -> httpx.Response:
        raw, ts = orjson.dumps(body), int(time.time())
        headers = self._headers(self.geheim, delivery, ts, raw) | {"content-type": "application/json"}
        return await self.client.post(self.url, content=raw, headers=headers)


class DemoLoader:
    def __init__(self, client: httpx.AsyncClient, urls: dict[str, str], seed: int, concurrency: int = 16,
                 uitgever_geheim: str | None = None, vandaag: date | None = None) -> None:
        self.client = client
        self.urls = urls
        self.seed = seed
        self.gate = asyncio.Semaphore(concurrency)
        self.samenvatting = Samenvatting()
        self.vandaag = vandaag or date.today()
        self.uitgever = Uitgever(client, urls["cheques"], uitgever_geheim) if uitgever_geheim and "cheques" in urls else None
        self._voortgang = None

    # -- HTTP helpers --
    async def _post(self, service: str, path: str, body: dict, wachten: float = 60.0) -> httpx.Response:
        """One POST; a 503 (the service shed load: nothing was done) is sent again after its
        Retry-After, for at most ``wachten`` seconds (README: the retry contract)."""
        deadline = time.monotonic() + wachten
        while True:
            async with self.gate:
                r = await self.client.post(self.urls[service] + path, json=body)
            if r.status_code != 503 or time.monotonic() > deadline:
                return r
            await asyncio.sleep(float(r.headers.get("retry-after", "1")))

    @staticmethod
    def _rule(r: httpx.Response) -> str:
        try:
            return r.json().get("rule") or str(r.status_code)
        except ValueError:
            return str(r.status_code)

    async def _tot_gelukt(self, service: str, path: str, body: dict, wachten: float = 60.0) -> dict | None:
        """POSTs until the service has folded the events it depends on (eventual consistency);
        a call that keeps failing is counted as an unexpected refusal, not raised."""
        deadline = time.monotonic() + wachten
        pauze = 0.05
        while True:
            try:
                r = await self._post(service, path, body)
            except httpx.TransportError as exc:
                # Not retried: the service may have applied it. Counted, and the run goes on.
                self.samenvatting.onverwacht[f"{service}:{type(exc).__name__}"] += 1
                return None
            if r.status_code in (200, 201):
                return r.json()
            if r.status_code in (400, 401, 403) or time.monotonic() > deadline:
                self.samenvatting.onverwacht[f"{service}:{self._rule(r)}"] += 1
                return None
            await asyncio.sleep(pauze)
            pauze = min(1.0, pauze * 1.5)

    async def _webhook(self, body: dict, delivery: str, wachten: float = 60.0) -> bool:
        deadline = time.monotonic() + wachten
        pauze = 0.05
        while True:
            async with self.gate:
                try:
                    r = await self.uitgever.stuur(body, delivery)
                except httpx.TransportError:
                    r = None  # safe to send again: the delivery id makes it apply once
            if r is not None and r.status_code == 200:
                return True
            if time.monotonic() > deadline:
                self.samenvatting.onverwacht[f"webhook:{self._rule(r) if r is not None else 'transport'}"] += 1
                return False
            await asyncio.sleep(pauze)
            pauze = min(1.0, pauze * 1.5)

    def _stap(self, taak, n: int = 1) -> None:
        if self._voortgang is not None:
            self._voortgang.advance(taak, n)

    # -- organisers and their catalogue --
    async def organisatoren(self, plannen: list[OrganisatorPlan]) -> None:
        # Re-running the demo reuses the organisers it made before (areas are exclusive).
        bestaand = await self.client.get(self.urls["toeleiding"] + "/v1/organisatoren", params={"limit": 500})
        bestaand.raise_for_status()
        per_verband = {o["samenwerkingsverband"]: o for o in bestaand.json()}
        for p in plannen:
            seed = p.seed
            if (o := per_verband.get(seed.samenwerkingsverband)) is not None:
                # Its area as it is now, so every municipality drawn lies inside it.
                gebied = {g["nis_code"] for g in o["gemeenten"]}
                p.id = o["id"]
                if not {w.nis for w in p.werkers} | {g.nis for g in p.gebruikers} <= gebied:
                    eerste = next(iter(sorted(gebied)))
                    for w in p.werkers:
                        w.nis = w.nis if w.nis in gebied else eerste
                    for g in p.gebruikers:
                        g.nis = g.nis if g.nis in gebied else eerste
            else:
                r = await self._post("toeleiding", "/v1/organisatoren", {
                    "naam": seed.naam, "samenwerkingsverband": seed.samenwerkingsverband,
                    "gemeenten": [{"nis_code": n, "naam": g} for n, g in seed.gemeenten],
                    "tarief": seed.tarief, "tarief_vanaf": "2018-01-01",
                })
                r.raise_for_status()
                p.id = r.json()["id"]
            self.samenvatting.organisatoren += 1

    async def activiteiten(self, p: OrganisatorPlan) -> None:
        if "prestaties" not in self.urls:
            return
        for naam, categorie, toegelaten in wereld.ACTIVITEITEN:
            a = await self._tot_gelukt("prestaties", f"/v1/organisatoren/{p.id}/activiteiten", {
                "naam": naam, "categorie": categorie, "toegelaten_categorieen": list(toegelaten)})
            p.activiteiten.append(a["id"] if a else None)
            self.samenvatting.activiteiten += bool(a)

    # -- gebruikers --
    async def gebruiker(self, p: OrganisatorPlan, g: GebruikerPlan, taak) -> None:
        s = self.samenvatting
        body = {"categorie": g.categorie, "naam": g.naam, "aangemeld_op": g.aangemeld_op.isoformat(),
                "aangemeld_bij": p.id}
        if g.geslacht:
            body["geslacht"] = g.geslacht
        nieuw = await self._tot_gelukt("prestaties", "/v1/gebruikers", body)
        self._stap(taak)
        if nieuw is None:
            return
        g.id = nieuw["id"]
        s.gebruikers += 1
        s.per_categorie[g.categorie] += 1
        e = await self._tot_gelukt("prestaties", f"/v1/gebruikers/{g.id}/erkenningen", {
            "organisator_id": p.id, "geldig_vanaf": g.aangemeld_op.isoformat(),
            "overeenkomst_op": g.aangemeld_op.isoformat()})
        if e is None:
            return
        s.erkenningen += 1
        betaald = g.aangemeld_op  # paid on sign-up: the erkenning is active from its first day
        if await self._tot_gelukt("prestaties", f"/v1/erkenningen/{e['id']}/betalingen",
                                  {"betaald_op": betaald.isoformat()}):
            s.inschrijvingen_betaald += 1
            s.inschrijvingen_per_maand[_maand(betaald)] += 1
        # Renewed each year with a new fee.
        vanaf = g.aangemeld_op + relativedelta(years=1)
        while vanaf <= self.vandaag:
            if await self._tot_gelukt("prestaties", f"/v1/erkenningen/{e['id']}/hernieuwing",
                                      {"vanaf": vanaf.isoformat()}) is None:
                break
            if await self._tot_gelukt("prestaties", f"/v1/erkenningen/{e['id']}/betalingen",
                                      {"betaald_op": vanaf.isoformat()}):
                s.inschrijvingen_betaald += 1
                s.inschrijvingen_per_maand[_maand(vanaf)] += 1
            vanaf += relativedelta(years=1)
        if g.contact:
            reden = "geen_prestaties" if g.zonder_prestaties else "opvolging"
            datum = min(self.vandaag - timedelta(days=1), g.aangemeld_op + timedelta(days=60))
            if await self._tot_gelukt("prestaties", f"/v1/gebruikers/{g.id}/contacten", {
                    "organisator_id": p.id, "datum": datum.isoformat(), "door": f"bemiddelaar-{g.nr % 40:04d}",
                    "door_rol": "bemiddelaar", "kanaal": "telefoon", "reden": reden}):
                s.contacten += 1

    # -- workers --
    async def wijkwerker(self, p: OrganisatorPlan, w: WerkerPlan, taak) -> None:
        try:
            await self._wijkwerker(p, w)
        finally:
            self._stap(taak)

    async def _wijkwerker(self, p: OrganisatorPlan, w: WerkerPlan) -> None:
        s = self.samenvatting
        r = await self._post("toeleiding", "/v1/wijkwerkers", {
            "insz": w.insz, "voornaam": w.voornaam, "achternaam": w.achternaam, "domicilie_nis_code": w.nis,
            "organisator_id": p.id, "uitkeringsstatus": wereld.UITKERINGSSTATUS[w.toeleider],
            "vdab_ingeschreven": True, "ex_pwa": w.ex_pwa, "onbeperkt_recht": w.onbeperkt, "iban": w.iban,
            "ingeschreven_op": w.ingeschreven.isoformat(),
        })
        if r.status_code == 409:  # an INSZ drawn twice, or a second run: refused
            s.geweigerd[self._rule(r)] += 1
            return
        r.raise_for_status()
        wid = r.json()["id"]
        s.dossiers += 1
        if w.start is None:
            s.actief_of_voorlopig += 1
            return
        r = await self._post("toeleiding", "/v1/toeleidingen", {
            "wijkwerker_id": wid, "organisator_id": p.id, "toeleider_type": w.toeleider,
            "advies_maanden": w.advies, "ontvangen_op": w.ingeschreven.isoformat(), "start": w.start.isoformat(),
        })
        r.raise_for_status()
        s.toeleidingen += 1
        s.per_advies[(w.advies, _maand(w.ingeschreven))] += 1
        traject = r.json()["id"]
        if not w.overeenkomst:
            s.actief_of_voorlopig += 1
            return
        r = await self._post("toeleiding", f"/v1/trajecten/{traject}/overeenkomst",
                             {"getekend_op": (w.start - timedelta(days=1)).isoformat()})
        r.raise_for_status()
        s.overeenkomsten += 1
        gepland = _einde_gepland(w.start, w.advies)
        if w.einde is not None:
            r = await self._post("toeleiding", f"/v1/trajecten/{traject}/beeindiging",
                                 {"einde": w.einde.isoformat(), "reden": w.einde_reden})
            if r.status_code == 200:
                s.beeindigd += 1
            else:
                s.onverwacht[f"toeleiding:{self._rule(r)}"] += 1
        einde = w.einde or gepland
        if einde is None or einde >= self.vandaag:
            s.actief_of_voorlopig += 1
        if "prestaties" in self.urls and w.koppelingen:
            await self._werk(p, w, wid)
        if "evaluatie" in self.urls:
            for d in w.evaluaties:
                uitkomst = "zelfde_klus" if d < (einde or self.vandaag) - timedelta(days=30) else (
                    {"uitstroom_werk": "uitstroom_werk", "ander_traject": "ander_traject"}.get(w.einde_reden or "", "zelfde_klus"))
                body = {"traject_id": traject, "datum": d.isoformat(), "uitkomst": uitkomst,
                        "evaluator_organisatie": "VDAB"}
                if uitkomst == "ander_traject":  # moving on names the next trajectory
                    body["vervolg"] = ("IBO", "TWE", "opleiding")[w.nr % 3]
                if await self._tot_gelukt("evaluatie", "/v1/evaluaties", body):
                    s.evaluaties += 1
                    s.evaluaties_per_maand[_maand(d)] += 1
            for n, d, categorieen, sub in w.uitstroom:
                if await self._tot_gelukt("evaluatie", "/v1/uitstroommetingen", {
                        "traject_id": traject, "horizon_maanden": n, "gemeten_op": d.isoformat(),
                        "categorieen": categorieen, "subcategorieen": sub}):
                    s.uitstroommetingen += 1

    async def _werk(self, p: OrganisatorPlan, w: WerkerPlan, wid: str) -> None:
        s = self.samenvatting
        koppelingen: list[str | None] = []
        for kp in w.koppelingen:
            activiteit = p.activiteiten[kp.activiteit]
            k = None
            if activiteit is not None and kp.gebruiker.id:
                k = await self._tot_gelukt("prestaties", "/v1/koppelingen", {
                    "wijkwerker_id": wid, "gebruiker_id": kp.gebruiker.id, "organisator_id": p.id,
                    "activiteit_id": activiteit, "locatie_nis_code": kp.gebruiker.nis, "afstand_km": kp.afstand_km,
                    "start": kp.start.isoformat()})
            koppelingen.append(k["id"] if k else None)
            s.koppelingen += k is not None
        if koppelingen[0] is None:
            return
        if w.einde is not None:  # prestaties must know the actual end before any hour is sent
            await self._wacht_op_einde(wid, w.einde)
        wachten = 60.0  # the first prestatie waits for the trajectory and agreement events
        hoofdactiviteiten: set[str] = set()
        for pp in w.prestaties:
            kp, koppeling = w.koppelingen[pp.koppeling], koppelingen[pp.koppeling]
            if koppeling is None:
                continue
            body = {"koppeling_id": koppeling, "datum": pp.datum.isoformat(), "start": "09:00",
                    "minuten": pp.minuten, "door": pp.door}
            pr = await self._tot_gelukt("prestaties", "/v1/prestaties", body, wachten=wachten)
            if pr is None:
                continue
            wachten = 3.0
            s.prestaties += 1
            uren = pr["begonnen_uren"]
            ander = "gebruiker" if pp.door == "wijkwerker" else "wijkwerker"
            if pp.na == "bevestig":
                if await self._tot_gelukt("prestaties", f"/v1/prestaties/{pr['id']}/bevestiging", {"door": ander}, 5):
                    s.bevestigd += 1
            elif pp.na == "corrigeer":
                c = await self._tot_gelukt("prestaties", f"/v1/prestaties/{pr['id']}/correctie", {
                    "door": "organisator", "start": "09:00", "minuten": pp.correctie_minuten,
                    "reden": "Tikfout in de duur"}, 5)
                if c is not None:
                    s.gecorrigeerd += 1
                    uren = c["begonnen_uren"]
            elif pp.na == "annuleer" and await self._tot_gelukt(
                    "prestaties", f"/v1/prestaties/{pr['id']}/annulering",
                    {"door": "organisator", "reden": "Dubbel ingevoerd"}, 5):
                s.geannuleerd += 1
                continue
            kp.gebruiker.prestaties.append((pr["id"], pp.datum, uren))
            hoofdactiviteiten.add(wereld.ACTIVITEITEN[kp.activiteit][1])
        if hoofdactiviteiten:
            s.werkers_per_aantal_hoofdactiviteiten[len(hoofdactiviteiten)] += 1
        hoofd = w.koppelingen[0]
        for datum, minuten in ([w.plafond_poging] if w.plafond_poging else []) + (
                [(w.buiten_traject, 120)] if w.buiten_traject else []):
            r = await self._post("prestaties", "/v1/prestaties", {
                "koppeling_id": koppelingen[0], "datum": datum.isoformat(), "start": "06:00", "minuten": minuten,
                "door": "wijkwerker"})
            if r.status_code in (200, 201):
                s.onverwacht["aanvaard-maar-ongeldig"] += 1
                s.prestaties += 1
                hoofd.gebruiker.prestaties.append((r.json()["id"], datum, r.json()["begonnen_uren"]))
            else:
                s.geweigerd[self._rule(r)] += 1

    async def _wacht_op_einde(self, wid: str, einde: date, wachten: float = 60.0) -> None:
        deadline = time.monotonic() + wachten
        while time.monotonic() < deadline:
            async with self.gate:
                r = await self.client.get(self.urls["prestaties"] + f"/v1/wijkwerkers/{wid}/trajecten")
            if r.status_code == 200 and einde.isoformat() in r.text:
                return
            await asyncio.sleep(0.2)
        self.samenvatting.onverwacht["einde-niet-gezien"] += 1

    # -- cheques through the issuer's webhooks --
    async def cheques(self, p: OrganisatorPlan, g: GebruikerPlan, taak) -> None:
        s = self.samenvatting
        try:
            if not g.prestaties or self.uitgever is None:
                return
            rng = random.Random(f"{self.seed}-cheques-{g.nr}")
            per_kwartaal: dict[tuple[int, int], list] = {}
            for pid, datum, uren in sorted(g.prestaties, key=lambda x: x[1]):
                per_kwartaal.setdefault((datum.year, (datum.month - 1) // 3), []).append((pid, datum, uren))
            for (jaar, kwartaal), prestaties in per_kwartaal.items():
                besteld = max(g.aangemeld_op, date(jaar, 3 * kwartaal + 1, 1) - timedelta(days=5))
                besteld = min(besteld, prestaties[0][1])
                nodig = sum(u for _, _, u in prestaties)
                aantal = nodig + rng.randrange(0, 6)  # a few cheques in reserve
                bestelling = str(uuid.UUID(int=rng.getrandbits(128)))
                drager = "elektronisch" if rng.random() < 0.45 else "papier"
                if not await self._webhook({
                        "type": "bestelling.betaald", "bestelling_id": bestelling, "gebruiker_id": g.id,
                        "organisator_id": p.id, "aantal": aantal, "drager": drager,
                        "besteld_op": besteld.isoformat()}, f"demo-{bestelling}-b"):
                    continue
                s.bestellingen += 1
                s.cheques_besteld += aantal
                series = [f"WW{bestelling[:8]}{bestelling[9:13]}-{i:05d}" for i in range(aantal)]
                if not await self._webhook({
                        "type": "cheques.uitgegeven", "bestelling_id": bestelling, "serienummers": series,
                        "uitgegeven_op": (besteld + timedelta(days=1)).isoformat()}, f"demo-{bestelling}-u"):
                    continue
                s.cheques_uitgegeven += aantal
                volgende = iter(series)
                validaties = []
                for pid, datum, uren in prestaties:
                    if rng.random() < 0.06:
                        continue  # not handed in (yet)
                    # Most within days, some in a later month.
                    vertraging = rng.randrange(0, 6) if rng.random() < 0.8 else rng.randrange(20, 50)
                    gevalideerd = min(datum + timedelta(days=vertraging), self.vandaag)
                    validaties.append(([next(volgende) for _ in range(uren)], pid, gevalideerd))
                await asyncio.gather(*(self._valideer(*v) for v in validaties))
        finally:
            self._stap(taak)

    async def _valideer(self, series: list[str], prestatie_id: str, gevalideerd: date) -> None:
        """The prestatie's cheques in one delivery (as an electronic registration is), or
        one by one for a single hour."""
        if len(series) == 1:
            body = {"type": "cheque.gevalideerd", "serienummer": series[0]}
        else:
            body = {"type": "cheques.gevalideerd", "serienummers": series}
        body |= {"prestatie_id": prestatie_id, "gevalideerd_op": gevalideerd.isoformat()}
        if await self._webhook(body, f"demo-{series[0]}-v"):
            self.samenvatting.cheques_gevalideerd += len(series)
            self.samenvatting.gevalideerd_per_maand[_maand(gevalideerd)] += len(series)

    async def laad(self, scale: float) -> Samenvatting:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        begonnen = time.monotonic()
        plannen = plan(self.seed, scale, self.vandaag)
        self.samenvatting.van = self.vandaag - relativedelta(months=wereld.WERELD_MAANDEN)
        self.samenvatting.tot = self.vandaag
        await self.organisatoren(plannen)
        volledig = "prestaties" in self.urls
        with Progress(TextColumn("{task.description:<12}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), disable=not sys.stderr.isatty(), console=None) as voortgang:
            self._voortgang = voortgang
            alle_gebruikers = [(p, g) for p in plannen for g in p.gebruikers] if volledig else []
            t_g = voortgang.add_task("gebruikers", total=len(alle_gebruikers))
            t_w = voortgang.add_task("dossiers", total=sum(len(p.werkers) for p in plannen))
            t_c = voortgang.add_task("cheques", total=len(alle_gebruikers))
            await asyncio.gather(*(self.activiteiten(p) for p in plannen))
            await asyncio.gather(*(self.gebruiker(p, g, t_g) for p, g in alle_gebruikers))
            await asyncio.gather(*(self.wijkwerker(p, w, t_w) for p in plannen for w in p.werkers))
            await asyncio.gather(*(self.cheques(p, g, t_c) for p, g in alle_gebruikers))
        self._voortgang = None
        self.samenvatting.seconden = time.monotonic() - begonnen
        return self.samenvatting


async def load(urls: dict[str, str], *, scale: float, seed: int, token: str,
               uitgever_geheim: str | None = None, concurrency: int = 16) -> Samenvatting:
    headers = {"Authorization": f"Bearer {token}"}
    # Idle connections are dropped before uvicorn's 5 s keep-alive timeout closes them: a
    # request sent on a connection the server is closing fails with a ReadError.
    limits = httpx.Limits(max_connections=concurrency * 2, max_keepalive_connections=concurrency * 2,
                          keepalive_expiry=2.0)
    async with httpx.AsyncClient(headers=headers, timeout=60, trust_env=False, limits=limits) as client:
        return await DemoLoader(client, urls, seed, concurrency, uitgever_geheim).laad(scale)


def run_demo(urls: dict[str, str], *, scale: float = 1.0, seed: int = 42, private_key: Path,
             uitgever_geheim: str | None = None) -> Samenvatting:
    """Fill the system at ``urls``. The issuer's webhook secret defaults to the embedded
    default's, derived from the local signing key (cheques.config.embedded_uitgever_geheim)."""
    token = mint_token(private_key, subject="demo", scopes=SCOPES, org_type="vdab", ttl_seconds=6 * 3600)
    if uitgever_geheim is None and "cheques" in urls:
        from cheques.config import embedded_uitgever_geheim

        uitgever_geheim = embedded_uitgever_geheim(private_key, "vdab")
    return asyncio.run(load(urls, scale=scale, seed=seed, token=token, uitgever_geheim=uitgever_geheim))
