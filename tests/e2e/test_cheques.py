"""From referral to SEPA file, across all services as processes: toeleiding refers and
places the worker, prestaties registers 3 prestaties of 2h10 at 10 km, the issuer's signed
webhooks sell, issue and validate 9 cheques (one redelivered), the payout run, approved
by a second person, pays 9 × 4.10 + 3 × 3.00 travel allowance to the IBAN toeleiding
holds, and the recompute
from the topics shows zero difference."""

from __future__ import annotations

import time
import uuid
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import httpx
import orjson
import pytest

from cheques.config import embedded_uitgever_geheim
from cheques.domain.handtekening import headers as ondertekende_headers
from wijkwerk_platform.testing import wait_until

pytestmark = pytest.mark.e2e

SCOPES = ("toeleiding:admin", "toeleiding:read", "toeleiding:write", "prestaties:read", "prestaties:write",
          "prestaties:admin", "cheques:read", "cheques:admin", "cheques:payout")
IBAN = "BE68539007547034"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}


def _post(system, service: str, path: str, body: dict, headers: dict) -> dict:
    r = httpx.post(system.url(service) + path, json=body, headers=headers, timeout=10)
    assert r.status_code in (200, 201), r.text
    return r.json()


def _wanneer_mogelijk(system, service: str, path: str, body: dict, headers: dict) -> dict:
    """POSTs until the service has folded the events it needs (eventual consistency)."""
    antwoord: list[httpx.Response] = []

    def gelukt() -> bool:
        antwoord.append(httpx.post(system.url(service) + path, json=body, headers=headers, timeout=10))
        return antwoord[-1].status_code in (200, 201)

    wait_until(gelukt, timeout=20, interval=0.2)
    return antwoord[-1].json()


class Uitgever:
    """The cheque issuer: signs its webhooks with the embedded default's secret for 'vdab'."""

    def __init__(self, system) -> None:
        self.url = system.url("cheques") + "/v1/webhooks/vdab"
        self.geheim = embedded_uitgever_geheim(system.tokens.private_key, "vdab")

    def stuur(self, body: dict, delivery: str | None = None) -> httpx.Response:
        raw, ts = orjson.dumps(body), int(time.time())
        headers = ondertekende_headers(self.geheim, delivery or uuid.uuid4().hex, ts, raw)
        headers["content-type"] = "application/json"
        return httpx.post(self.url, content=raw, headers=headers, timeout=10)

    def tot_aanvaard(self, body: dict, delivery: str) -> dict:
        """Redelivers (as an issuer does after a 4xx) until cheques knows what it refers to."""
        antwoord: list[httpx.Response] = []
        wait_until(lambda: antwoord.append(self.stuur(body, delivery)) or antwoord[-1].status_code == 200,
                   timeout=20, interval=0.2)
        return antwoord[-1].json()


def _toeleiding(system, h) -> tuple[str, str]:
    org = _post(system, "toeleiding", "/v1/organisatoren", {
        "naam": "Wijk-werken regio Brugge", "samenwerkingsverband": "Werkkracht10", "tarief": "7.45",
        "tarief_vanaf": "2018-01-01", "gemeenten": [{"nis_code": "31005", "naam": "Brugge"}],
    }, h)["id"]
    wie = _post(system, "toeleiding", "/v1/wijkwerkers", {
        "insz": "85073003328", "voornaam": "An", "achternaam": "Peeters", "domicilie_nis_code": "31005",
        "organisator_id": org, "uitkeringsstatus": "leefloon", "vdab_ingeschreven": True, "iban": IBAN,
        "ingeschreven_op": "2026-01-05",
    }, h)["id"]
    traject = _post(system, "toeleiding", "/v1/toeleidingen", {
        "wijkwerker_id": wie, "organisator_id": org, "toeleider_type": "OCMW", "advies_maanden": 12,
        "ontvangen_op": "2026-01-08", "start": "2026-01-10",
    }, h)["id"]
    _post(system, "toeleiding", f"/v1/trajecten/{traject}/overeenkomst", {"getekend_op": "2026-01-10"}, h)
    return org, wie


def _prestaties(system, h, org: str, wie: str) -> tuple[str, list[dict]]:
    gebruiker = _wanneer_mogelijk(system, "prestaties", "/v1/gebruikers", {
        "categorie": "school", "naam": "Basisschool De Linde", "aangemeld_op": "2026-01-12", "aangemeld_bij": org,
    }, h)["id"]
    erkenning = _wanneer_mogelijk(system, "prestaties", f"/v1/gebruikers/{gebruiker}/erkenningen", {
        "organisator_id": org, "geldig_vanaf": "2026-01-12", "overeenkomst_op": "2026-01-12"}, h)["id"]
    _post(system, "prestaties", f"/v1/erkenningen/{erkenning}/betalingen", {"betaald_op": "2026-01-12"}, h)
    activiteit = _post(system, "prestaties", f"/v1/organisatoren/{org}/activiteiten", {
        "naam": "Toezicht speelplaats", "categorie": "onderwijs_en_kinderopvang", "toegelaten_categorieen": ["school"],
    }, h)["id"]
    koppeling = _wanneer_mogelijk(system, "prestaties", "/v1/koppelingen", {
        "wijkwerker_id": wie, "gebruiker_id": gebruiker, "organisator_id": org, "activiteit_id": activiteit,
        "locatie_nis_code": "31005", "afstand_km": 10, "start": "2026-01-12"}, h)["id"]
    prestaties = [
        _wanneer_mogelijk(system, "prestaties", "/v1/prestaties", {
            "koppeling_id": koppeling, "datum": dag, "start": "09:00", "minuten": 130, "door": "gebruiker"}, h)
        for dag in ("2026-03-02", "2026-03-09", "2026-03-16")
    ]
    return gebruiker, prestaties


def test_from_referral_to_a_sepa_file_that_matches_a_hand_computation(system):
    h = system.tokens.headers(*SCOPES)
    org, wie = _toeleiding(system, h)
    gebruiker, prestaties = _prestaties(system, h, org, wie)
    assert [(p["begonnen_uren"], p["verplaatsingsvergoeding_dag"]) for p in prestaties] == [(3, "3.00")] * 3

    uitgever = Uitgever(system)
    bestelling = {"type": "bestelling.betaald", "bestelling_id": str(uuid.uuid4()), "gebruiker_id": gebruiker,
                  "organisator_id": org, "aantal": 9, "drager": "papier", "besteld_op": "2026-02-20"}
    uitgever.tot_aanvaard(bestelling, "bestelling-1")  # once cheques knows the organiser's tariff
    series = [f"WW-2026-{i:06d}" for i in range(9)]
    assert uitgever.stuur({"type": "cheques.uitgegeven", "bestelling_id": bestelling["bestelling_id"],
                           "serienummers": series, "uitgegeven_op": "2026-02-21"}).status_code == 200
    for i, serie in enumerate(series):
        p = prestaties[i // 3]
        body = {"type": "cheque.gevalideerd", "serienummer": serie, "prestatie_id": p["id"],
                "gevalideerd_op": str(date.fromisoformat(p["datum"]) + timedelta(days=10))}
        assert uitgever.tot_aanvaard(body, f"validatie-{i}")["verwerkt"] is True
    assert uitgever.stuur(body, f"validatie-{i}").json()["verwerkt"] is False  # a redelivery

    run = _post(system, "cheques", "/v1/uitbetalingen/2026-03", {}, h)
    hand = 9 * 410 + 3 * (2 * 10 * 15)  # 36.90 pay + 9.00 travel allowance
    assert (run["aantal"], run["totaal"]) == (1, f"{hand // 100}.{hand % 100:02d}")
    # four eyes: a second person approves before the file exists
    controleur = system.tokens.headers("cheques:payout", sub="controleur-e2e")
    assert _post(system, "cheques", "/v1/uitbetalingen/2026-03/goedkeuring", {}, controleur)["status"] == "goedgekeurd"
    xml = httpx.get(system.url("cheques") + "/v1/uitbetalingen/2026-03/sepa", headers=h, timeout=10)
    doc = ET.fromstring(xml.content)
    [tx] = doc.findall(".//p:CdtTrfTxInf", NS)
    assert tx.find("p:Amt/p:InstdAmt", NS).text == "45.90"
    assert tx.find("p:CdtrAcct/p:Id/p:IBAN", NS).text == IBAN
    assert tx.find("p:Cdtr/p:Nm", NS).text == "An Peeters"
    again = _post(system, "cheques", "/v1/uitbetalingen/2026-03", {}, h)  # idempotent
    assert (again["uitbetalingen"], again["totaal"]) == (run["uitbetalingen"], run["totaal"])

    rapport = _post(system, "cheques", "/v1/grootboek/herberekening", {}, h)
    assert (rapport["verschil_cent"], rapport["verschillen"], rapport["fouten"]) == (0, [], [])
    assert rapport["events"] >= 9 + 3 + 1
    metrics = httpx.get(system.url("cheques") + "/metrics", timeout=10).text
    assert 'wijkwerk_money_cents_total{party="wijkwerker",service="cheques"} 4590.0' in metrics
    afrekening = httpx.get(system.url("cheques") + "/v1/afrekeningen/2026-01", headers=h, timeout=10).json()
    assert {r["rekening"]: r["uit_inschrijvingen"] for r in afrekening["rijen"]} == {f"organisator:{org}": "7.50"}
