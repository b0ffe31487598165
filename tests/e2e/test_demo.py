"""The demo world at scale 0.01 against the embedded system, driven only through the
public APIs and the issuer's signed webhooks. Afterwards the cheques ledger recomputed
from the topics shows no difference, and the reports count exactly what the generator
says it sent (its own tallies in ``Samenvatting``)."""

from __future__ import annotations

import time
from collections import Counter

import httpx
import pytest

from wijkwerk_platform.testing import wait_until

pytestmark = pytest.mark.e2e

SCOPES = ("rapportering:read", "cheques:read", "cheques:admin")


def _get(system, service: str, path: str, h: dict, **params) -> dict | None:
    r = httpx.get(system.url(service) + path, headers=h, params=params, timeout=20)
    return r.json() if r.status_code == 200 else None


def test_the_demo_world_keeps_the_ledger_and_the_reports_agree_with_what_was_sent(system):
    from wijkwerk_platform.demo import run_demo

    h = system.tokens.headers(*SCOPES)
    begonnen = time.monotonic()
    urls = {s: system.url(s) for s in ("toeleiding", "prestaties", "cheques", "evaluatie")}
    s = run_demo(urls, scale=0.01, seed=11, private_key=system.tokens.private_key)
    print(s)

    # Everything meant to be accepted was; the invalid attempts were refused by their rule.
    assert dict(s.onverwacht) == {}
    assert s.organisatoren == 5 and s.dossiers >= 10 and s.prestaties > 50 and s.cheques_gevalideerd > 50
    assert s.getuigschriften >= 1 and s.getuigschriften_ingetrokken == 1  # signed certificates, one revoked
    assert s.geweigerd["max-60-uur-per-maand"] >= 1
    # the demo partner received outbound webhooks while the world loaded, every one signed right
    assert s.webhooks_ontvangen > 0 and s.webhooks_ongeldig == 0
    # Issue #23: reserve cheques older than their validity lapsed (the world spans 14 months).
    assert s.cheques_vervallen >= 1, s
    assert sum(n for r, n in s.geweigerd.items() if r != "max-60-uur-per-maand") >= 1  # after the end
    van, tot = s.van.isoformat(), s.tot.isoformat()

    # RPT-01: every dossier, and the expected share actief of voorlopig today.
    def dossiers() -> bool:
        r = _get(system, "evaluatie", "/v1/rapporten/dossiers", h)
        return r is not None and (r["totaal"], r["totaal_actief_of_voorlopig"]) == (s.dossiers, s.actief_of_voorlopig)

    wait_until(dossiers, timeout=20, interval=0.3)

    # RPT-07: referrals per advised length, over the world and in its first months.
    verwacht = Counter()
    for (advies, _), n in s.per_advies.items():
        verwacht[advies] += n

    def advies(van: str, tot: str, verwacht: Counter) -> bool:
        r = _get(system, "evaluatie", "/v1/rapporten/advies", h, van=van, tot=tot)
        return r is not None and {x["advies_maanden"]: x["toeleidingen"] for x in r["rijen"]} == {
            k: v for k, v in verwacht.items() if v}

    wait_until(lambda: advies(van, tot, verwacht), timeout=20, interval=0.3)
    eerste = min(m for _, m in s.per_advies)
    in_eerste = Counter({a: n for (a, m), n in s.per_advies.items() if m == eerste})
    assert advies(f"{eerste}-01", f"{eerste}-28", in_eerste) or advies(f"{eerste}-01", f"{eerste}-31", in_eerste)

    # RPT-08: the evaluations registered in the world's period.
    def evaluaties() -> bool:
        r = _get(system, "evaluatie", "/v1/rapporten/evaluaties", h, van=van, tot=tot)
        return r is not None and r["evaluaties"] == s.evaluaties

    wait_until(evaluaties, timeout=20, interval=0.3)

    # RPT-09: workers whose accepted prestaties all fall under one hoofdactiviteit,
    # against the generator's own tally per worker.
    def zelfde_klus() -> bool:
        r = _get(system, "evaluatie", "/v1/rapporten/zelfde-klus", h, van=van, tot=tot)
        per_aantal = s.werkers_per_aantal_hoofdactiviteiten
        return r is not None and (r["rijen"][0]["zelfde_klus"], r["rijen"][0]["wijkwerkers"]) == (
            per_aantal[1], sum(per_aantal.values()))

    wait_until(zelfde_klus, timeout=20, interval=0.3)
    assert 0 < s.werkers_per_aantal_hoofdactiviteiten[1] < sum(s.werkers_per_aantal_hoofdactiviteiten.values())

    # RPT-12 and RPT-16 over the world's months: every gebruiker signed up, every cheque
    # in a paid order, as the generator sent them.
    maanden = {"van": s.van.strftime("%Y-%m"), "tot": s.tot.strftime("%Y-%m")}

    def gebruikers_en_cheques() -> bool:
        g = _get(system, "evaluatie", "/v1/rapporten/gebruikers", h, **maanden)
        c = _get(system, "evaluatie", "/v1/rapporten/cheques", h, **maanden)
        return g is not None and c is not None and (
            sum(r["nieuwe_gebruikers"] for r in g["rijen"]), sum(r["cheques_gekocht"] for r in c["rijen"]),
            sum(r["gebruikt_per_validatiemaand"] for r in c["rijen"])) == (
            s.gebruikers, s.cheques_besteld, s.cheques_gevalideerd)

    wait_until(gebruikers_en_cheques, timeout=20, interval=0.3)

    # Settlement per booking month: the registration fees (7.50 each) and the insurance
    # share of every validated cheque (0.42, DOMAIN §3.7) are what the generator sent.
    gezien: dict = {}
    for maand in sorted(set(s.gevalideerd_per_maand) | set(s.inschrijvingen_per_maand)):
        def afrekening(maand=maand) -> bool:
            r = _get(system, "cheques", f"/v1/afrekeningen/{maand}", h)
            if r is None:
                return False
            fees = sum(float(x["uit_inschrijvingen"]) for x in r["rijen"] if x["partij"] == "organisator")
            verzekering = [(x["cheques"], x["saldo"]) for x in r["rijen"] if x["partij"] == "verzekering"]
            n = s.gevalideerd_per_maand[maand]
            gezien[maand] = (round(fees, 2), verzekering)
            return gezien[maand] == (7.5 * s.inschrijvingen_per_maand[maand], [(n, f"{n * 42 // 100}.{n * 42 % 100:02d}")] if n else [])

        wait_until(afrekening, timeout=20, interval=0.3)  # gezien[maand] shows what was booked

    # The ledger invariant: recomputed from the topics, no difference.
    r = httpx.post(system.url("cheques") + "/v1/grootboek/herberekening", json={}, headers=h, timeout=60)
    assert r.status_code == 200, r.text
    rapport = r.json()
    assert (rapport["verschil_cent"], rapport["verschillen"], rapport["fouten"]) == (0, [], [])
    assert rapport["events"] >= s.cheques_gevalideerd + s.bestellingen
    print(f"demo at scale 0.01 and checks: {time.monotonic() - begonnen:.1f} s")
