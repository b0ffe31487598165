"""Plays a seeded schedule (``schema.py``) against a process stack: the load as partners
send it, through the public APIs, while a second thread breaks and heals the processes
at the scheduled moments. What was accepted is written down (``Logboek``) for the
invariants (``invarianten.py``)."""

from __future__ import annotations

import math
import os
import signal
import threading
import time
import uuid
from dataclasses import dataclass, field

import httpx
import psutil
from flow import IBAN, PRIJS, SCOPES, Uitgever, Wereld  # noqa: F401 - IBAN/PRIJS re-exported for the checks
from schema import CHEQUES_PER_DAG, DAGEN, Actie, Fout, Schema
from stack import Stack

GECORRIGEERD_OP = "2026-04-06"  # corrections and cancellations: storno in April
PERIODE, VOLGENDE = "2026-03", "2026-04"


@dataclass
class Logboek:
    """What partners were told: each command's key, answer and whether it was a replay."""

    prestaties: dict[tuple[int, int], dict] = field(default_factory=dict)  # (werker, dag) -> 201 body
    uren: dict[tuple[int, int], int] = field(default_factory=dict)  # (werker, dag) -> final started hours
    correcties: dict[tuple[int, int], int] = field(default_factory=dict)  # accepted corrections
    annuleringen: dict[tuple[int, int], int] = field(default_factory=dict)
    verwerkt: dict[str, int] = field(default_factory=dict)  # serie -> webhook answers "verwerkt": true
    uitbetaling: dict | None = None  # the month's run as answered
    herhaald: int = 0  # answers replayed from an Idempotency-Key (a lost answer, retried)
    geweigerd: int = 0  # final refusals, retried as a new command
    onbeantwoord: int = 0  # no answer, 5xx, 409, 503: retried with the same key
    fouten: list[str] = field(default_factory=list)  # what the fault thread did, with figures


class Partner:
    """A partner's HTTP client: one ``Idempotency-Key`` per command for as long as its
    answer is unknown (no answer, 5xx, 409 in progress, 503), so a lost answer never
    makes a second effect; after a final refusal (the services fold each other's events
    eventually) the command is sent again as a new one, with a new key. Replicas of a
    service are tried in turn, as a load balancer would."""

    def __init__(self, stack: Stack, logboek: Logboek, geduld_s: float) -> None:
        self.stack, self.log, self.geduld_s = stack, logboek, geduld_s
        self.h = stack.tokens.headers(*SCOPES)

    def post(self, dienst: str, pad: str, body: dict | None = None, params: dict | None = None) -> dict:
        urls = [self.stack.url(n) for n in self.stack.replicas_of(dienst)]
        sleutel, poging, laatste = str(uuid.uuid4()), 0, None
        deadline = time.monotonic() + self.geduld_s
        while time.monotonic() < deadline:
            url = urls[poging % len(urls)]
            poging += 1
            try:
                r = httpx.post(url + pad, json=body or {}, params=params, timeout=2, trust_env=False,
                               headers=self.h | {"Idempotency-Key": sleutel})
            except httpx.HTTPError as exc:
                r, laatste = None, exc
            if r is not None:
                laatste = r.text
                if r.status_code in (200, 201):
                    self.log.herhaald += r.headers.get("idempotent-replayed") == "true"
                    return r.json()
                if 400 <= r.status_code < 500 and r.status_code not in (408, 409, 429):
                    self.log.geweigerd += 1
                    sleutel = str(uuid.uuid4())
                else:
                    self.log.onbeantwoord += 1
            else:
                self.log.onbeantwoord += 1
            time.sleep(0.2)
        raise AssertionError(f"POST {dienst}{pad} not accepted within {self.geduld_s:.0f}s: {laatste!r}")


class Voortgang:
    """The index of the action the load is at, for the fault thread to wait on."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.actie, self.klaar = -1, False

    def zet(self, i: int | None) -> None:
        with self.cond:
            if i is None:
                self.klaar = True
            else:
                self.actie = i
            self.cond.notify_all()

    def wacht_tot(self, i: int) -> None:
        with self.cond:
            self.cond.wait_for(lambda: self.actie >= i or self.klaar)


class Storingen(threading.Thread):
    """Injects the schedule's faults one after the other, each healed after its duration."""

    def __init__(self, stack: Stack, schema: Schema, voortgang: Voortgang, logboek: Logboek, t0: float) -> None:
        super().__init__(daemon=True, name=f"storingen-{schema.seed}")
        self.stack, self.schema, self.voortgang, self.log, self.t0 = stack, schema, voortgang, logboek, t0
        self.fout: BaseException | None = None

    def run(self) -> None:
        try:
            for f in self.schema.fouten:
                self.voortgang.wacht_tot(f.na_actie)
                time.sleep(f.vertraging)
                self.breek(f)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            self.fout = exc

    def breek(self, f: Fout) -> None:
        s, begin = self.stack, time.monotonic()
        wat = f.doel
        if f.soort == "kill9":
            s.kill9(f.doel)
            time.sleep(f.duur)
            s.spawn(f.doel)
        elif f.soort in ("sigstop", "leider"):
            wat = self.leider() if f.soort == "leider" else f.doel
            pid = s.procs[wat].pid
            os.kill(pid, signal.SIGSTOP)
            try:
                time.sleep(f.duur)
            finally:
                os.kill(pid, signal.SIGCONT)
        elif f.soort == "broker":
            s.kill_broker()
            time.sleep(f.duur)
            s.broker.start()
        elif f.soort == "postgres":
            s.pg.stop()
            time.sleep(f.duur)
            s.pg.start()
        self.log.fouten.append(f"{f} -> {f.soort} {wat} at {begin - self.t0:.2f}s (load at action "
                               f"{self.voortgang.actie}), healed after {time.monotonic() - begin:.2f}s")

    def leider(self) -> str:
        """The prestaties replica whose session holds the relay's advisory lock (the first
        replica when no lock is held at this moment, e.g. right after a restart)."""
        replicas = self.stack.replicas_of("prestaties")
        try:
            poorten = {r[0] for r in self.stack.query(
                "prestaties", "SELECT a.client_port FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE l.locktype = 'advisory' AND l.granted AND a.datname = 'prestaties'")}
        except Exception:  # noqa: BLE001 - PostgreSQL may be coming back: any replica will do
            return replicas[0]
        for naam in replicas:
            try:
                eigen = {c.laddr.port for c in psutil.Process(self.stack.procs[naam].pid).net_connections("tcp")}
            except (psutil.Error, KeyError):
                continue
            if eigen & poorten:
                return naam
        return replicas[0]


class Last:
    """The schedule's load, sequential as one partner's back office would send it."""

    def __init__(self, stack: Stack, schema: Schema, wereld: Wereld, logboek: Logboek, geduld_s: float) -> None:
        self.stack, self.schema, self.w, self.log = stack, schema, wereld, logboek
        self.partner = Partner(stack, logboek, geduld_s)
        self.uitgever = Uitgever(stack)
        self.geduld_s = geduld_s

    def serie(self, werker: int, dag: int, i: int) -> str:
        return f"WW-{self.w.tag}-{werker}-{dag}-{i}"

    def speel(self, voortgang: Voortgang) -> None:
        for i, actie in enumerate(self.schema.acties):
            time.sleep(actie.pauze)
            voortgang.zet(i)
            getattr(self, actie.soort)(actie)
        voortgang.zet(None)

    def registreer(self, a: Actie) -> None:
        p = self.partner.post("prestaties", "/v1/prestaties", {
            "koppeling_id": self.w.koppelingen[a.werker], "datum": DAGEN[a.dag], "start": "09:00", "minuten": 130,
            "door": "gebruiker"})
        self.log.prestaties[(a.werker, a.dag)] = p
        self.log.uren[(a.werker, a.dag)] = p["begonnen_uren"]

    def valideer(self, a: Actie) -> None:
        p = self.log.prestaties[(a.werker, a.dag)]
        for i in range(CHEQUES_PER_DAG):
            serie = self.serie(a.werker, a.dag, i)
            body = {"type": "cheque.gevalideerd", "serienummer": serie, "prestatie_id": p["id"],
                    "gevalideerd_op": f"2026-03-{int(DAGEN[a.dag][-2:]) + 10:02d}"}
            for _ in range(2):  # the issuer redelivers: never a second posting
                antwoord = self.webhook(body, f"validatie-{serie}")
                self.log.verwerkt[serie] = self.log.verwerkt.get(serie, 0) + bool(antwoord["verwerkt"])

    def webhook(self, body: dict, delivery: str) -> dict:
        deadline, laatste = time.monotonic() + self.geduld_s, None
        while time.monotonic() < deadline:
            try:
                r = self.uitgever.stuur(body, delivery)
                if r.status_code == 200:
                    return r.json()
                laatste = r.text
            except httpx.HTTPError as exc:
                laatste = exc
            self.log.onbeantwoord += 1  # the issuer delivers again, with the same delivery id
            time.sleep(0.2)
        raise AssertionError(f"webhook {body['type']} {delivery} not accepted within {self.geduld_s:.0f}s: {laatste!r}")

    def corrigeer(self, a: Actie) -> None:
        p = self.log.prestaties[(a.werker, a.dag)]
        self.partner.post("prestaties", f"/v1/prestaties/{p['id']}/correctie", {
            "door": "organisator", "start": "09:00", "minuten": a.minuten, "reden": "Tikfout in de duur",
            "gecorrigeerd_op": GECORRIGEERD_OP})
        self.log.correcties[(a.werker, a.dag)] = self.log.correcties.get((a.werker, a.dag), 0) + 1
        self.log.uren[(a.werker, a.dag)] = math.ceil(a.minuten / 60)

    def annuleer(self, a: Actie) -> None:
        p = self.log.prestaties[(a.werker, a.dag)]
        self.partner.post("prestaties", f"/v1/prestaties/{p['id']}/annulering", {
            "door": "organisator", "reden": "Dubbel ingevoerd", "geannuleerd_op": GECORRIGEERD_OP})
        self.log.annuleringen[(a.werker, a.dag)] = self.log.annuleringen.get((a.werker, a.dag), 0) + 1
        self.log.uren[(a.werker, a.dag)] = 0

    def uitbetaling(self, _: Actie) -> None:
        self.log.uitbetaling = self.partner.post("cheques", f"/v1/uitbetalingen/{PERIODE}",
                                                 params={"uitgevoerd_op": "2026-04-01"})


def opzet(stack: Stack, schema: Schema) -> tuple[Wereld, float]:
    """The fault-free part: an organiser, its gebruiker and placed workers, and the cheques
    the gebruiker bought; returns the world and how long it took (the run's baseline)."""
    t0 = time.monotonic()
    w = Wereld(stack)
    w.organisator()
    w.werkers(schema.werkers)
    uitgever = Uitgever(stack)
    aantal = schema.werkers * len(DAGEN) * CHEQUES_PER_DAG
    bestelling = {"type": "bestelling.betaald", "bestelling_id": str(uuid.uuid4()), "gebruiker_id": w.gebruiker,
                  "organisator_id": w.org, "aantal": aantal, "drager": "papier", "besteld_op": "2026-02-20"}
    uitgever.tot_aanvaard(bestelling, f"bestelling-{w.tag}")
    w.series = [f"WW-{w.tag}-{k}-{d}-{i}" for k in range(schema.werkers) for d in range(len(DAGEN))
                for i in range(CHEQUES_PER_DAG)]
    uitgever.tot_aanvaard({"type": "cheques.uitgegeven", "bestelling_id": bestelling["bestelling_id"],
                           "serienummers": w.series, "uitgegeven_op": "2026-02-21"}, f"uitgifte-{w.tag}")
    return w, time.monotonic() - t0


def heel(stack: Stack, geduld_s: float) -> float:
    """Whatever the schedule left: every process running and resumed, the engines up,
    every service ready. Returns how long that took."""
    t0 = time.monotonic()
    if not stack.pg.is_running():
        stack.pg.start()
    if stack.broker.pid is None:
        stack.broker.start()
    for naam in stack.names:
        proc = stack.procs.get(naam)
        if proc is None or proc.poll() is not None:
            stack.procs.pop(naam, None)
            stack.spawn(naam)
        else:
            os.kill(proc.pid, signal.SIGCONT)
    for naam in stack.names:
        stack.wait_ready(naam, timeout=geduld_s)
    return time.monotonic() - t0
