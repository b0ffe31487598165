"""Issue #21: a back-office import replays a small world of 2025 through the public APIs in
business-date order while toeleiding's housekeeping job (closing trajectories past their
planned end) runs every second, and gets the same answers and reports as with the job off.

One system, started twice on the same data: first with the job off (world X), then with
the job firing every second (world Y, the same facts for another organiser, and waiting
after each referral until the job has closed the new trajectory: the worst interleaving).
Every fact must be accepted in both; the reports of X (before and after the job finally ran
over it) and of Y must be equal, and so must the trajectories toeleiding ends up with."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from wijkwerk_platform.demo.identiteit import insz
from wijkwerk_platform.embedded import free_port
from wijkwerk_platform.testing import wait_until

# The e2e conftest's System (started here twice, with the job off and on).
_spec = importlib.util.spec_from_file_location("e2e_conftest", Path(__file__).with_name("conftest.py"))
_conftest = sys.modules.setdefault("e2e_conftest", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(_conftest)
System = _conftest.System

pytestmark = pytest.mark.e2e

SCHRIJVEN = ("toeleiding:admin", "toeleiding:read", "toeleiding:write", "prestaties:read", "prestaties:write",
             "prestaties:admin", "evaluatie:write", "evaluatie:read", "rapportering:read")
JOB = "TOELEIDING_SLUIT_VERLOPEN_INTERVAL_S"
# Names that differ between the two worlds by construction.
EIGEN = {"id", "organisator_id", "naam", "samenwerkingsverband", "berekend_op", "traject_id", "wijkwerker_id",
         "gebruiker_id", "evaluatie_id", "meting_id", "toeleiding_id", "koppeling_id", "nis_code"}


@pytest.fixture(scope="module")
def systeem(tmp_path_factory) -> Iterator[System]:
    system = System(data_dir=tmp_path_factory.mktemp("huishouding"), pg_port=free_port(), kafka_port=free_port(),
                    port_base=_conftest._free_port_base())
    try:
        yield system
    finally:
        if system.proc is not None:
            for p in system.stop():
                p.kill()


def _start(system: System, job_interval_s: float) -> None:
    vorige = os.environ.get(JOB)
    os.environ[JOB] = str(job_interval_s)
    try:
        system.start()
    finally:
        if vorige is None:
            os.environ.pop(JOB, None)
        else:
            os.environ[JOB] = vorige


class Import:
    """The back-office import: every fact through the public API, with its own date."""

    def __init__(self, system: System, job_aan: bool) -> None:
        self.system, self.job_aan = system, job_aan
        self.h = system.tokens.headers(*SCHRIJVEN)

    def post(self, service: str, pad: str, body: dict) -> dict:
        """Retries only the retryable "not known here yet" 409s (the previous fact is still
        travelling to this service); any refusal fails the test."""
        antwoord: list[httpx.Response] = []

        def klaar() -> bool:
            antwoord.append(httpx.post(self.system.url(service) + pad, json=body, headers=self.h, timeout=10))
            return antwoord[-1].status_code != 409 or "retry-after" not in antwoord[-1].headers

        wait_until(klaar, timeout=30, interval=0.2)
        assert antwoord[-1].status_code in (200, 201), f"{pad} {body}: {antwoord[-1].text}"
        return antwoord[-1].json()

    def get(self, service: str, pad: str, **params) -> object:
        r = httpx.get(self.system.url(service) + pad, params=params, headers=self.h, timeout=30)
        assert r.status_code == 200, r.text
        return r.json()

    def venster(self, wid: str, klopt: Callable[[dict], bool]) -> None:
        """Waits until prestaties knows the worker's trajectory as ``klopt`` wants it."""
        wait_until(lambda: any(klopt(v) for v in self.get("prestaties", f"/v1/wijkwerkers/{wid}/trajecten")),
                   timeout=30, interval=0.2)

    def traject(self, wid: str, oid: str, start: str, advies: int) -> str:
        tid = self.post("toeleiding", "/v1/toeleidingen", {
            "wijkwerker_id": wid, "organisator_id": oid, "toeleider_type": "VDAB", "advies_maanden": advies,
            "ontvangen_op": start, "start": start})["id"]
        if self.job_aan:  # the job closes the 2025 trajectory at its planned end before the next fact
            wait_until(lambda: self.get("toeleiding", f"/v1/wijkwerkers/{wid}/trajecten")[-1]["werkelijk_einde"],
                       timeout=30, interval=0.2)
        return tid


def _wereld(system: System, nr: int, job_aan: bool) -> str:
    """Three workers at one organiser in 2025, replayed in business-date order."""
    imp = Import(system, job_aan)
    nis = ("38014", "38016")[nr]
    oid = imp.post("toeleiding", "/v1/organisatoren", {
        "naam": f"Wijk-werken {nr}", "samenwerkingsverband": f"SV {nr}", "tarief": "7.45", "tarief_vanaf": "2018-01-01",
        "gemeenten": [{"nis_code": nis, "naam": f"Gemeente {nr}"}]})["id"]
    w = [imp.post("toeleiding", "/v1/wijkwerkers", {
        "insz": insz(date(1980 + nr, 3, 1 + i), 11 + i), "voornaam": f"W{i}", "achternaam": f"Wereld {nr}",
        "domicilie_nis_code": nis, "organisator_id": oid, "uitkeringsstatus": "volledig_werkzoekend",
        "vdab_ingeschreven": True, "iban": "BE68539007547034", "ingeschreven_op": "2025-01-02"})["id"]
        for i in range(3)]
    # 2025-01: the first worker is referred for 6 months and signs; a gebruiker registers.
    t0 = imp.traject(w[0], oid, "2025-01-06", 6)
    imp.post("toeleiding", f"/v1/trajecten/{t0}/overeenkomst", {"getekend_op": "2025-01-08"})
    g = imp.post("prestaties", "/v1/gebruikers", {"categorie": "school", "naam": f"School {nr}",
                                                  "aangemeld_op": "2025-01-06", "aangemeld_bij": oid})["id"]
    e = imp.post("prestaties", f"/v1/gebruikers/{g}/erkenningen", {
        "organisator_id": oid, "geldig_vanaf": "2025-01-06", "overeenkomst_op": "2025-01-06"})["id"]
    imp.post("prestaties", f"/v1/erkenningen/{e}/betalingen", {"betaald_op": "2025-01-06"})
    a = imp.post("prestaties", f"/v1/organisatoren/{oid}/activiteiten", {
        "naam": "Toezicht speelplaats", "categorie": "onderwijs_en_kinderopvang",
        "toegelaten_categorieen": ["school"]})["id"]

    def koppeling(wid: str, start: str) -> str:
        return imp.post("prestaties", "/v1/koppelingen", {
            "wijkwerker_id": wid, "gebruiker_id": g, "organisator_id": oid, "activiteit_id": a,
            "locatie_nis_code": nis, "afstand_km": 3, "start": start})["id"]

    def prestatie(k: str, dag: str) -> None:
        imp.post("prestaties", "/v1/prestaties", {"koppeling_id": k, "datum": dag, "start": "09:00", "minuten": 130,
                                                  "door": "gebruiker"})

    k0 = koppeling(w[0], "2025-01-10")
    imp.venster(w[0], lambda v: v["overeenkomst_op"] == "2025-01-08")
    prestatie(k0, "2025-02-03")
    # 2025-02 / 03: the second (12 months) and third (3 months) workers.
    t1 = imp.traject(w[1], oid, "2025-02-03", 12)
    imp.post("toeleiding", f"/v1/trajecten/{t1}/overeenkomst", {"getekend_op": "2025-02-05"})
    k1 = koppeling(w[1], "2025-02-05")
    imp.venster(w[1], lambda v: v["overeenkomst_op"] == "2025-02-05")
    prestatie(k1, "2025-03-03")
    t2 = imp.traject(w[2], oid, "2025-03-03", 3)
    imp.post("toeleiding", f"/v1/trajecten/{t2}/overeenkomst", {"getekend_op": "2025-03-05"})
    k2 = koppeling(w[2], "2025-03-05")
    # 2025-04: the third worker is suspended with a certificate: the end moves 10 days.
    imp.post("toeleiding", f"/v1/trajecten/{t2}/schorsingen", {
        "van": "2025-04-01", "tot": "2025-04-10", "reden": "ziekte met attest", "verlengt_einde": True})
    prestatie(k0, "2025-05-05")
    imp.venster(w[2], lambda v: v["gepland_einde"] == "2025-06-12" and v["werkelijk_einde"] in (None, "2025-06-12"))
    prestatie(k2, "2025-06-10")
    # 2025-06: the first worker's trajectory is prolonged to the end of October.
    imp.post("toeleiding", f"/v1/trajecten/{t0}/verlenging", {"nieuw_einde": "2025-10-31"})
    imp.venster(w[0], lambda v: v["gepland_einde"] == "2025-10-31" and v["werkelijk_einde"] in (None, "2025-10-31"))
    imp.post("evaluatie", "/v1/evaluaties", {"traject_id": t0, "datum": "2025-07-01", "uitkomst": "zelfde_klus"})
    # 2025-08: the second worker's evaluation decides on IBO from the end of August; the
    # worker still works on 20 August; the explicit end comes on 25 August and wins.
    imp.post("evaluatie", "/v1/evaluaties", {"traject_id": t1, "datum": "2025-08-01", "uitkomst": "ander_traject",
                                             "vervolg": "IBO", "einde": "2025-08-31"})
    prestatie(k1, "2025-08-20")
    imp.post("toeleiding", f"/v1/trajecten/{t1}/beeindiging", {"einde": "2025-08-25", "reden": "ander_traject",
                                                                "vervolg": "IBO"})
    prestatie(k0, "2025-09-01")
    # 2025-09: the third worker's 3-month outflow measurement.
    imp.post("evaluatie", "/v1/uitstroommetingen", {"traject_id": t2, "horizon_maanden": 3, "gemeten_op": "2025-09-15",
                                                    "categorieen": ["werk_werknemer"], "subcategorieen": ["NEC"]})
    return oid


def _zonder_eigen(waarde):
    if isinstance(waarde, dict):
        return {k: _zonder_eigen(v) for k, v in waarde.items() if k not in EIGEN}
    if isinstance(waarde, list):
        return [_zonder_eigen(v) for v in waarde]
    return waarde


def _bij(system: System, imp: Import, oid: str, trajecten: int) -> None:
    """Waits until evaluatie has folded the world: its trajectories, ends and measurements."""
    def klaar() -> bool:
        rijen = imp.get("evaluatie", "/v1/toeleidingen/uitkomsten", limit=100)
        eigen = [r for r in rijen if r["organisator_id"] == oid]
        return len(eigen) == trajecten and any(r["werkelijk_einde"] == "2025-08-25" for r in eigen) and any(
            r["uitstroommetingen"] for r in eigen)

    wait_until(klaar, timeout=30, interval=0.3)


def _rapporten(imp: Import, oid: str) -> dict[str, object]:
    """Every evaluatie report that can be limited to one organiser, for 2025, and what is due."""
    spec = imp.get("evaluatie", "/openapi.json")
    uit: dict[str, object] = {}
    for pad, methoden in spec["paths"].items():
        if not pad.startswith("/v1/rapporten/") or "{" in pad or "get" not in methoden:
            continue
        namen = {p["name"]: p for p in methoden["get"].get("parameters", []) if p["in"] == "query"}
        if "organisator_id" not in namen:
            continue
        params = {"organisator_id": oid}
        for naam, waarde in (("van", "2025-01"), ("tot", "2025-12"), ("op", "2025-12-31"), ("jaar", "2025"),
                             ("tot_en_met", "2025-12-31")):
            if naam in namen:
                schema = namen[naam].get("schema", {})
                datum = "date" in str(schema)
                params[naam] = {"van": "2025-01-01", "tot": "2025-12-31"}.get(naam, waarde) if datum else waarde
        r = httpx.get(imp.system.url("evaluatie") + pad, params=params, headers=imp.h, timeout=30)
        if r.status_code == 200 and "json" in r.headers["content-type"]:
            uit[pad] = _zonder_eigen(r.json())
    for op in ("2025-03-01", "2025-07-15", "2025-12-31"):
        uit[f"te-doen {op}"] = _zonder_eigen(imp.get("evaluatie", "/v1/evaluaties/te-doen", organisator_id=oid, op=op))
        uit[f"te-meten {op}"] = _zonder_eigen(imp.get("evaluatie", "/v1/uitstroommetingen/te-doen", organisator_id=oid,
                                                      op=op, tot="2026-12-31"))
        uit[f"dossiers {op}"] = sorted(w["status"] for w in imp.get("toeleiding", "/v1/wijkwerkers",
                                                                     organisator_id=oid, op=op))
    return uit


def _trajecten(imp: Import, oid: str) -> list[dict]:
    dossiers = imp.get("toeleiding", "/v1/wijkwerkers", organisator_id=oid)
    velden = ("start", "gepland_einde", "overeenkomst_op", "werkelijk_einde", "einde_reden", "vervolg")
    return sorted(tuple(t.get(v) for v in velden) for d in dossiers
                  for t in imp.get("toeleiding", f"/v1/wijkwerkers/{d['id']}/trajecten"))


def test_the_housekeeping_job_does_not_change_an_import_replayed_in_business_date_order(systeem):
    _start(systeem, 100_000)  # the job off (it would first fire after a day)
    x = _wereld(systeem, 0, job_aan=False)
    imp = Import(systeem, job_aan=False)
    _bij(systeem, imp, x, 3)
    rapporten_x = _rapporten(imp, x)
    assert rapporten_x["dossiers 2025-07-15"] == ["actief", "actief", "afgesloten"]
    drie = {(r["horizon_maanden"], r["groep"]): r for r in rapporten_x["/v1/rapporten/uitstroom"]["rijen"]}[(3, "nieuw")]
    assert (drie["dossiers"], drie["categorieen"]) == (2, {"werk_werknemer": 1, "NEC": 1})
    assert len(rapporten_x) > 20
    assert systeem.stop() == []

    _start(systeem, 1)  # the job every second
    y = _wereld(systeem, 1, job_aan=True)
    imp = Import(systeem, job_aan=True)
    _bij(systeem, imp, y, 3)
    # the job has run over X by now too (it ends the first worker's trajectory on 31 October)
    wait_until(lambda: all(t[3] for t in _trajecten(imp, x)), timeout=30, interval=0.3)
    assert _trajecten(imp, x) == _trajecten(imp, y)
    assert _rapporten(imp, x) == rapporten_x
    rapporten_y = _rapporten(imp, y)
    assert set(rapporten_y) == set(rapporten_x)
    for naam in rapporten_x:
        assert rapporten_y[naam] == rapporten_x[naam], naam
