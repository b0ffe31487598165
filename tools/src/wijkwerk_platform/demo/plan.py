"""The demo world's plan, drawn serially from one random generator before anything is
sent, so a seed gives one world."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from faker import Faker

from wijkwerk_platform.demo import identiteit, wereld
from wijkwerk_platform.demo.samenvatting import als_maand


def kies(rng: random.Random, gewogen):
    return rng.choices([w for w, _ in gewogen], weights=[g for _, g in gewogen])[0]


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
    adres: tuple[str, str, str] | None = None  # (straat, huisnummer, postcode), ADR 0024


@dataclass
class PrestatiePlan:
    datum: date
    minuten: int
    door: str
    na: str | None = None  # "bevestig" | "corrigeer" | "annuleer" | "betwist"
    beslissing: str | None = None  # a dispute's resolution: None (still open), "gehandhaafd", "afgewezen"
    correctie_minuten: int | None = None
    koppeling: int = 0  # index in WerkerPlan.koppelingen
    start: str = "09:00"  # another start makes overlapping hours (a fraud flag, issue #23 item 4)


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
    adres: tuple[str, str, str] | None = None  # (straat, huisnummer, postcode), ADR 0024


@dataclass
class OrganisatorPlan:
    seed: wereld.OrganisatorSeed
    werkers: list[WerkerPlan]
    gebruikers: list[GebruikerPlan]
    id: str | None = None
    activiteiten: list[str] = field(default_factory=list)


def einde_gepland(start: date, advies: int | None) -> date | None:
    return None if advies is None else start + relativedelta(months=advies) - timedelta(days=1)


def _uitstroom_categorieen(rng: random.Random, ex_pwa: bool) -> tuple[list[str], list[str]]:
    if rng.random() < (0.24 if ex_pwa else 0.28):  # at work (000, §5.4)
        if rng.random() < 0.95:
            return ["werk_werknemer"], [kies(rng, (("NEC", 80), ("NEC_in_SEC", 11), ("SEC", 9)))]
        return ["werk_zelfstandige"], []
    categorie = kies(rng, (("werkzoekend", 60), ("competentieversterking", 10), ("begeleidingsservice", 8),
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
            categorie = kies(rng, wereld.GEBRUIKER_CATEGORIEEN)
            nis, gemeente = rng.choice(seed_org.gemeenten)
            if categorie == "particulier":
                naam, geslacht = fake.name(), kies(rng, wereld.GESLACHT)
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

        def volgende(past, met_werk: list[GebruikerPlan] = met_werk) -> GebruikerPlan | None:
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
            toeleider = kies(rng, wereld.TOELEIDERS)
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
            w.advies = None if w.onbeperkt else kies(rng, wereld.ADVIES)
            w.start = ingeschreven + timedelta(days=rng.randrange(3, 40))
            w.overeenkomst = rng.random() < 0.92
            if not w.overeenkomst:
                continue
            gepland = einde_gepland(w.start, w.advies)
            if (vandaag - w.start).days > 75 and (nog_buiten or rng.random() < wereld.AANDEEL_VROEG_BEEINDIGD):
                laatst = min(gepland or vandaag, vandaag - timedelta(days=10))
                w.einde = w.start + timedelta(days=rng.randrange(45, max(46, (laatst - w.start).days)))
                w.einde_reden = kies(rng, (("uitstroom_werk", 30), ("ander_traject", 30), ("gestopt", 40)))
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
            for _ in range(kies(rng, wereld.EXTRA_KOPPELINGEN)):
                def keuzes(g: GebruikerPlan, hoofd: str = hoofd, ander: bool = ander) -> list[int]:
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
                    elif r < 0.43:  # disputes (issue #23 item 3): a third open, a third upheld, a third rejected
                        p.na = "betwist"
                        p.beslissing = (None, "gehandhaafd", "afgewezen")[min(2, int((r - 0.40) * 100))]
                    w.prestaties.append(p)
                    if p.na != "annuleer":
                        per_maand[als_maand(dag)] += -(-(p.correctie_minuten or minuten) // 60)
                dag += timedelta(days=rng.choice([3, 4, 7, 7, 10, 14]))
            # A placement that got no day of work is not made (its gebruiker may get another worker).
            gebruikt = sorted({pp.koppeling for pp in w.prestaties} | {0})
            w.koppelingen = [w.koppelingen[i] for i in gebruikt]
            for pp in w.prestaties:
                pp.koppeling = gebruikt.index(pp.koppeling)
            # Fraud and error flags (issue #23 item 4): one worker in twenty has a day's hours
            # registered again, overlapping, at another placement (or the same one) — cheques
            # flags both prestaties and holds them from the payout until ops decide.
            eerste_gewone = next((p for p in w.prestaties if p.na in (None, "bevestig")), None)
            if w.nr % 20 == 5 and eerste_gewone is not None:
                # at another placement when one has started by that day (else buiten-koppeling)
                andere = next((i for i, k in enumerate(w.koppelingen)
                               if i != eerste_gewone.koppeling and k.start <= eerste_gewone.datum),
                              eerste_gewone.koppeling)
                w.prestaties.insert(w.prestaties.index(eerste_gewone) + 1, PrestatiePlan(
                    datum=eerste_gewone.datum, minuten=120, door="gebruiker", start="09:30", koppeling=andere))
            # One worker in twenty fills a month up and then tries one hour too many.
            if w.prestaties and (nog_plafond or rng.random() < 0.03):
                maand = als_maand(w.prestaties[-1].datum)
                # In that month nothing is corrected or cancelled: a prestatie counts its full
                # hours until it is corrected, which could hit the cap before the attempt does.
                for p in w.prestaties:
                    if als_maand(p.datum) == maand and p.na in ("corrigeer", "annuleer"):
                        p.na, p.correctie_minuten = None, None
                per_maand[maand] = sum(-(-p.minuten // 60) for p in w.prestaties if als_maand(p.datum) == maand)
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
    _gedeeld_adres(plannen)
    return plannen


def _gedeeld_adres(plannen: list[OrganisatorPlan]) -> None:
    """Fraud and error flags (ADR 0024): one worker lives at the address of a gebruiker it
    works for (no random draw, so the rest of the world is unchanged); cheques flags each of
    its prestaties there (gedeelde-iban-of-adres) from the address fingerprints."""
    for p in plannen:
        for w in p.werkers:
            pp = next((x for x in w.prestaties if x.na in (None, "bevestig") and x.start == "09:00"), None)
            if w.overeenkomst and w.nr % 20 != 5 and pp is not None:
                w.adres = w.koppelingen[pp.koppeling].gebruiker.adres = ("Kerkstraat", "12", "9000")
                return
