"""The counters before entry (issue #23 item 1) on the demo world, all services running on
the embedded PostgreSQL and broker: a worker's hours left are what their prestaties leave
under the cap, the next evaluation on prestaties' counter is evaluatie's own due date
(carried over the broker by evaluatie's events), and a gebruiker's cheques left per
carrier are the stock's outstanding cheques."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import httpx
import pytest
from dateutil.relativedelta import relativedelta

from wijkwerk.evaluatieschema import volgende_evaluatie
from wijkwerk_platform.testing import wait_until

pytestmark = pytest.mark.e2e


def _get(system, service: str, path: str, h: dict, **params):
    r = httpx.get(system.url(service) + path, headers=h, params=params, timeout=20)
    assert r.status_code == 200, (path, r.status_code, r.text)
    return r.json()


def test_the_demo_worlds_counters_agree_with_hours_evaluations_and_stock(system):
    from wijkwerk_platform.demo import run_demo

    urls = {s: system.url(s) for s in ("toeleiding", "prestaties", "cheques", "evaluatie")}
    run_demo(urls, scale=0.01, seed=11, private_key=system.tokens.private_key)
    h = system.tokens.headers("prestaties:read", "cheques:read", "rapportering:read")
    vandaag = date.today()

    # Hours: as of the last day of last month, per worker who worked that month.
    einde = vandaag.replace(day=1) - timedelta(days=1)
    prestaties = _get(system, "prestaties", "/v1/prestaties", h, van=einde.replace(day=1).isoformat(),
                      tot=einde.isoformat(), limit=500)
    uren: dict[str, int] = defaultdict(int)
    for p in prestaties:
        if p["status"] != "geannuleerd":
            uren[p["wijkwerker_id"]] += p["begonnen_uren"]
    assert uren, "nobody worked last month in the demo: nothing to compare"
    for wijkwerker_id, gebruikt in sorted(uren.items())[:8]:
        t = _get(system, "prestaties", f"/v1/wijkwerkers/{wijkwerker_id}/tellers", h, op=einde.isoformat())["uren"]
        assert (t["gebruikt_maand"], t["over_maand"]) == (gebruikt, max(0, 60 - gebruikt)), wijkwerker_id
        assert t["max_registreerbaar"] == min(t["over_maand"], t["over_jaar"])

    # The next evaluation: evaluatie's planning and prestaties' counter agree today.
    planning: list[dict] = []

    def gepland() -> bool:  # evaluatie's read model catches up with the demo
        planning[:] = _get(system, "evaluatie", "/v1/evaluaties/te-doen", h, op=vandaag.isoformat(),
                           tot=(vandaag + relativedelta(months=6)).isoformat(), limit=500)
        return bool(planning)

    wait_until(gepland, timeout=60, interval=0.5)
    vergeleken = 0
    for r in planning[:8]:
        t = _get(system, "prestaties", f"/v1/wijkwerkers/{r['wijkwerker_id']}/tellers", h)["traject"]
        if t is None or t["traject_id"] != r["traject_id"]:
            continue  # another trajectory runs today: not this planning row
        assert (t["laatste_evaluatie"], t["volgende_evaluatie"]) == (r["laatste_evaluatie"], r["volgende_evaluatie"])
        vergeleken += 1
    assert vergeleken, "no planned evaluation to compare"

    # The evaluations held reach prestaties through the broker (evaluatie's events): as of
    # the day of a trajectory's last evaluation, its counter shows it, and the next due date
    # is A-11's from there (none when it falls after the trajectory's last day).
    uitkomsten = _get(system, "evaluatie", "/v1/toeleidingen/uitkomsten", h, limit=100)
    geevalueerd = [u for u in uitkomsten if u["evaluaties"]][:8]
    assert geevalueerd, "no evaluation held in the demo: nothing carried over"

    def overgekomen() -> bool:
        for u in geevalueerd:
            laatste = max(e["datum"] for e in u["evaluaties"])
            t = _get(system, "prestaties", f"/v1/wijkwerkers/{u['wijkwerker_id']}/tellers", h, op=laatste)["traject"]
            if t is None or t["traject_id"] != u["traject_id"] or t["laatste_evaluatie"] != laatste:
                return False
            volgende = volgende_evaluatie(date.fromisoformat(u["start"]), date.fromisoformat(laatste))
            verwacht = None if t["laatste_dag"] and volgende.isoformat() > t["laatste_dag"] else volgende.isoformat()
            assert t["volgende_evaluatie"] == verwacht, (u, t)
        return True

    wait_until(overgekomen, timeout=60, interval=0.5)

    # Cheques: per gebruiker and carrier, what is left is the stock's outstanding.
    organisatoren = sorted({p["organisator_id"] for p in prestaties})
    vergeleken = 0
    for organisator_id in organisatoren[:2]:
        stock = _get(system, "cheques", f"/v1/organisatoren/{organisator_id}/chequevoorraad", h,
                     op=vandaag.isoformat())["rijen"]
        for rij in stock[:6]:
            tellers = _get(system, "cheques", f"/v1/gebruikers/{rij['gebruiker_id']}/tellers", h,
                           op=vandaag.isoformat())
            eigen = [d for d in tellers["dragers"]
                     if (d["organisator_id"], d["drager"]) == (organisator_id, rij["drager"])]
            assert [d["over"] for d in eigen] == [rij["openstaand"]], (rij, tellers)
            assert sum(v["aantal"] for v in eigen[0]["vervaldagen"]) == rij["openstaand"]
            vergeleken += 1
    assert vergeleken, "no cheque stock in the demo: nothing to compare"
