"""Referral over HTTP, seen by the other services: evaluatie's RPT-07 counts it, and an
evaluation recorded in evaluatie with the outcome "outflow to work" ends the trajectory
in toeleiding (toeleiding → evaluatie → toeleiding, all through outbox and inbox)."""

from __future__ import annotations

import httpx
import pytest

from wijkwerk_platform.testing import wait_until

pytestmark = pytest.mark.e2e

SCOPES = ("toeleiding:admin", "toeleiding:read", "toeleiding:write", "rapportering:read")


def _post(system, service: str, path: str, body: dict, headers: dict) -> dict:
    r = httpx.post(system.url(service) + path, json=body, headers=headers, timeout=10)
    assert r.status_code in (200, 201), r.text
    return r.json()


def test_a_referral_reaches_the_reports_and_an_evaluation_ends_it(system):
    h = system.tokens.headers(*SCOPES)
    org = _post(system, "toeleiding", "/v1/organisatoren", {
        "naam": "Wijk-werken Westhoek", "samenwerkingsverband": "Westhoek", "tarief": "7.45",
        "tarief_vanaf": "2018-01-01", "gemeenten": [{"nis_code": "33011", "naam": "Ieper"}],
    }, h)
    wie = _post(system, "toeleiding", "/v1/wijkwerkers", {
        "insz": "85073003328", "voornaam": "Jan", "achternaam": "Vermeulen", "domicilie_nis_code": "33011",
        "organisator_id": org["id"], "uitkeringsstatus": "ziekteuitkering", "vdab_ingeschreven": True,
        "iban": "BE68539007547034", "ingeschreven_op": "2026-02-01",
    }, h)
    traject = _post(system, "toeleiding", "/v1/toeleidingen", {
        "wijkwerker_id": wie["id"], "organisator_id": org["id"], "toeleider_type": "GTB", "advies_maanden": 12,
        "ontvangen_op": "2026-02-03", "start": "2026-02-10",
    }, h)
    _post(system, "toeleiding", f"/v1/trajecten/{traject['id']}/overeenkomst", {"getekend_op": "2026-02-09"}, h)

    def rpt07() -> int:
        r = httpx.get(system.url("evaluatie") + "/v1/rapporten/advies",
                      params={"van": "2026-01-01", "tot": "2026-12-31", "organisator_id": org["id"]}, headers=h)
        return r.json()["totaal"] if r.status_code == 200 else -1

    wait_until(lambda: rpt07() == 1, timeout=30)

    # VDAB's bemiddelaar records the evaluation in evaluatie (once it knows the trajectory);
    # evaluatie publishes EvaluatieUitgevoerd and toeleiding ends the trajectory.
    vdab = system.tokens.headers("evaluatie:write", "evaluatie:read")
    body = {"traject_id": traject["id"], "datum": "2026-08-01", "uitkomst": "uitstroom_werk", "evaluator_organisatie": "VDAB"}

    def evaluated() -> bool:
        r = httpx.post(system.url("evaluatie") + "/v1/evaluaties", json=body, headers=vdab, timeout=10)
        # 409 + Retry-After while the trajectory is still on its way (traject-nog-onbekend).
        assert r.status_code == 201 or (r.status_code, r.json()["rule"]) == (409, "traject-nog-onbekend"), r.text
        return r.status_code == 201

    wait_until(evaluated, timeout=30)

    def einde() -> str | None:
        r = httpx.get(system.url("toeleiding") + f"/v1/wijkwerkers/{wie['id']}/trajecten", headers=h)
        return r.json()[0]["werkelijk_einde"]

    wait_until(lambda: einde() == "2026-08-01", timeout=30)
