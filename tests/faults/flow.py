"""The money flow of tests/e2e/test_cheques.py, for many workers at once: toeleiding
refers and places them, prestaties registers their hours, the issuer's signed webhooks
sell, issue and validate a cheque per started hour, and the cheques service posts them
to its ledger. ``system`` is anything with ``url(service)`` and ``tokens``."""

from __future__ import annotations

import itertools
import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

import httpx
import orjson

from cheques.config import embedded_uitgever_geheim
from cheques.domain.handtekening import headers as ondertekende_headers
from wijkwerk_platform.testing import wait_until

SCOPES = ("toeleiding:admin", "toeleiding:read", "toeleiding:write", "prestaties:read", "prestaties:write",
          "prestaties:admin", "cheques:read", "cheques:admin", "cheques:payout")
IBAN = "BE68539007547034"
DAGEN = ("2026-03-02", "2026-03-09", "2026-03-16")
PRIJS = 745  # the organiser's tariff, per cheque


_NIS = itertools.count(random.randrange(1000, 5000), 7)
_MENSEN = itertools.count(random.randrange(0, 900))


def insz(n: int) -> str:
    """A valid INSZ (born 1985-07-30, sequence ``n``)."""
    first = f"850730{n % 997 + 1:03d}"
    return first + f"{97 - int(first) % 97:02d}"


def post(system, service: str, path: str, body: dict, headers: dict, timeout: float = 60,
         per_verzoek_s: float = 10) -> dict:
    """POSTs until accepted: the services fold each other's events eventually, and a
    service being restarted by a test refuses connections for a while."""
    antwoord: list = []

    def gelukt() -> bool:
        try:
            antwoord.append(httpx.post(system.url(service) + path, json=body, headers=headers,
                                       timeout=per_verzoek_s))
        except httpx.HTTPError as exc:
            antwoord.append(exc)
            return False
        return antwoord[-1].status_code in (200, 201)

    try:
        wait_until(gelukt, timeout=timeout, interval=0.2)
    except AssertionError as exc:
        last = antwoord[-1] if antwoord else None
        raise AssertionError(f"POST {service}{path}: {getattr(last, 'text', last)!r}") from exc
    return antwoord[-1].json()


class Uitgever:
    """The cheque issuer: signs its webhooks with the embedded default's secret for 'vdab'."""

    def __init__(self, system) -> None:
        self.system = system
        self.geheim = embedded_uitgever_geheim(system.tokens.private_key, "vdab")

    def stuur(self, body: dict, delivery: str) -> httpx.Response:
        raw, ts = orjson.dumps(body), int(time.time())
        headers = ondertekende_headers(self.geheim, delivery, ts, raw) | {"content-type": "application/json"}
        return httpx.post(self.system.url("cheques") + "/v1/webhooks/vdab", content=raw, headers=headers, timeout=10)

    def tot_aanvaard(self, body: dict, delivery: str, timeout: float = 60) -> dict:
        """Redelivers (as an issuer does after a 4xx or no answer) until accepted."""
        antwoord: list = []

        def gelukt() -> bool:
            try:
                antwoord.append(self.stuur(body, delivery))
            except httpx.HTTPError:
                return False
            return antwoord[-1].status_code == 200

        try:
            wait_until(gelukt, timeout=timeout, interval=0.2)
        except AssertionError as exc:
            last = antwoord[-1] if antwoord else None
            raise AssertionError(f"webhook {body['type']}: {getattr(last, 'text', last)!r}") from exc
        return antwoord[-1].json()


@dataclass
class Wereld:
    """One organiser with ``n`` placed workers, each with 3 prestaties of 2h10 (3 cheques each)."""

    system: object
    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:6])
    org: str = ""
    gebruiker: str = ""
    koppelingen: list[str] = field(default_factory=list)
    prestaties: list[dict] = field(default_factory=list)
    series: list[str] = field(default_factory=list)
    # Each world its own municipality (one organiser per municipality) and people.
    nis: str = field(default_factory=lambda: f"3{next(_NIS):04d}")

    @property
    def h(self) -> dict:
        return self.system.tokens.headers(*SCOPES)

    def organisator(self) -> None:
        s, h = self.system, self.h
        self.org = post(s, "toeleiding", "/v1/organisatoren", {
            "naam": f"Wijk-werken {self.tag}", "samenwerkingsverband": "Werkkracht10", "tarief": "7.45",
            "tarief_vanaf": "2018-01-01", "gemeenten": [{"nis_code": self.nis, "naam": f"Gemeente {self.nis}"}],
        }, h)["id"]
        self.gebruiker = post(s, "prestaties", "/v1/gebruikers", {
            "categorie": "school", "naam": f"School {self.tag}", "aangemeld_op": "2026-01-12",
            "aangemeld_bij": self.org}, h)["id"]
        erkenning = post(s, "prestaties", f"/v1/gebruikers/{self.gebruiker}/erkenningen", {
            "organisator_id": self.org, "geldig_vanaf": "2026-01-12", "overeenkomst_op": "2026-01-12"}, h)["id"]
        post(s, "prestaties", f"/v1/erkenningen/{erkenning}/betalingen", {"betaald_op": "2026-01-12"}, h)
        self.activiteit = post(s, "prestaties", f"/v1/organisatoren/{self.org}/activiteiten", {
            "naam": "Toezicht speelplaats", "categorie": "onderwijs_en_kinderopvang",
            "toegelaten_categorieen": ["school"]}, h)["id"]

    def werkers(self, n: int, start: int = 0) -> None:
        s, h = self.system, self.h
        for i in range(start, start + n):
            wie = post(s, "toeleiding", "/v1/wijkwerkers", {
                "insz": insz(next(_MENSEN)), "voornaam": "An", "achternaam": f"Peeters{i}", "domicilie_nis_code": self.nis,
                "organisator_id": self.org, "uitkeringsstatus": "leefloon", "vdab_ingeschreven": True,
                "iban": IBAN, "ingeschreven_op": "2026-01-05"}, h)["id"]
            traject = post(s, "toeleiding", "/v1/toeleidingen", {
                "wijkwerker_id": wie, "organisator_id": self.org, "toeleider_type": "OCMW", "advies_maanden": 12,
                "ontvangen_op": "2026-01-08", "start": "2026-01-10"}, h)["id"]
            post(s, "toeleiding", f"/v1/trajecten/{traject}/overeenkomst", {"getekend_op": "2026-01-10"}, h)
            self.koppelingen.append(post(s, "prestaties", "/v1/koppelingen", {
                "wijkwerker_id": wie, "gebruiker_id": self.gebruiker, "organisator_id": self.org,
                "activiteit_id": self.activiteit, "locatie_nis_code": self.nis, "afstand_km": 10,
                "start": "2026-01-12"}, h)["id"])

    def prestaties_registreren(self, koppelingen: list[str] | None = None) -> None:
        for k in koppelingen if koppelingen is not None else self.koppelingen:
            for dag in DAGEN:
                self.prestaties.append(post(self.system, "prestaties", "/v1/prestaties", {
                    "koppeling_id": k, "datum": dag, "start": "09:00", "minuten": 130, "door": "gebruiker"}, self.h))

    def cheques_valideren(self) -> int:
        """Sells, issues and validates 3 cheques per prestatie (each validation also
        redelivered once); returns the number of cheques validated."""
        uitgever = Uitgever(self.system)
        aantal = 3 * len(self.prestaties)
        bestelling = {"type": "bestelling.betaald", "bestelling_id": str(uuid.uuid4()),
                      "gebruiker_id": self.gebruiker, "organisator_id": self.org, "aantal": aantal,
                      "drager": "papier", "besteld_op": "2026-02-20"}
        uitgever.tot_aanvaard(bestelling, f"bestelling-{self.tag}")
        self.series = [f"WW-{self.tag}-{i:06d}" for i in range(aantal)]
        uitgever.tot_aanvaard({"type": "cheques.uitgegeven", "bestelling_id": bestelling["bestelling_id"],
                               "serienummers": self.series, "uitgegeven_op": "2026-02-21"}, f"uitgifte-{self.tag}")
        for i, serie in enumerate(self.series):
            p = self.prestaties[i // 3]
            body = {"type": "cheque.gevalideerd", "serienummer": serie, "prestatie_id": p["id"],
                    "gevalideerd_op": str(date.fromisoformat(p["datum"]) + timedelta(days=10))}
            uitgever.tot_aanvaard(body, f"validatie-{self.tag}-{i}")
            # The issuer redelivers: never a second posting.
            assert uitgever.stuur(body, f"validatie-{self.tag}-{i}").json()["verwerkt"] is False
        return aantal


def herberekening(system) -> dict:
    """The money invariant: the ledger equals a recomputation from the topics. A long call: after
    a broker loss it took 10.2–10.4 s for 44 events on a slow host (soak seeds 5022, 5041), so
    each attempt may take a minute; retried only when it fails (an attempt cut short at 10 s
    was cut short again each time, and the seed failed on the clock, not on an invariant)."""
    return post(system, "cheques", "/v1/grootboek/herberekening", {}, system.tokens.headers(*SCOPES), timeout=180,
                per_verzoek_s=60)
