"""Seeded fault schedules (issue #22 item 7, in the spirit of TigerBeetle's simulator and
Jepsen): from a seed, and from ``random.Random(seed)`` only, a load of partner commands
(registrations, the issuer's validations, corrections, cancellations, a payout run) and
faults at moments in that load. The same seed gives the same schedule, on any machine;
what the processes make of it (which request a kill -9 cuts off) is up to the system,
and the invariants must hold whatever it is.

No stack is needed here: ``python tests/faults/schema.py SEED`` prints a schedule."""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, replace

DAGEN = ("2026-03-02", "2026-03-09", "2026-03-16")
CHEQUES_PER_DAG = 3  # 2h10: three started hours
LEASE_S = 3.0  # the relays' lease in the simulated stack (ADR 0012)

# Processes a fault may hit: prestaties runs two replicas, so that one relay can lead
# while the other waits for the lock.
PROCESSEN = ("toeleiding", "prestaties", "prestaties-2", "cheques")
SOORTEN = {  # fault: weight
    "kill9": 4,  # SIGKILL a service process, restart it after `duur`
    "sigstop": 3,  # SIGSTOP a service process, SIGCONT after `duur`
    "broker": 2,  # SIGKILL the broker, restart it empty (topics, offsets gone)
    "postgres": 2,  # stop PostgreSQL (fast shutdown), start it again
    "leider": 2,  # SIGSTOP prestaties' relay leader for longer than its lease
}


@dataclass(frozen=True)
class Actie:
    soort: str  # registreer | valideer | corrigeer | annuleer | uitbetaling
    werker: int = 0
    dag: int = 0
    minuten: int = 0  # the corrected duration
    pauze: float = 0.0  # the partner's think time before it sends this command


@dataclass(frozen=True)
class Fout:
    na_actie: int  # fires once the load has started this action...
    vertraging: float  # ...this many seconds after it started
    soort: str
    doel: str  # the process hit (kill9, sigstop), else the engine
    duur: float  # seconds broken before it is healed

    def __str__(self) -> str:
        return f"@{self.na_actie}+{self.vertraging:.2f}s {self.soort}({self.doel}) {self.duur:.1f}s"


@dataclass(frozen=True)
class Schema:
    seed: int
    werkers: int
    acties: tuple[Actie, ...]
    fouten: tuple[Fout, ...]

    def beschrijving(self) -> str:
        load: dict[str, int] = {}
        for a in self.acties:
            load[a.soort] = load.get(a.soort, 0) + 1
        return (f"seed {self.seed}: {self.werkers} workers, {len(self.acties)} commands {load}; "
                f"faults: {'; '.join(map(str, self.fouten)) or 'none'}")


def _verweef(rng: random.Random, reeksen: list[list[Actie]]) -> list[Actie]:
    """A random interleaving that keeps each sequence's own order."""
    reeksen = [list(r) for r in reeksen if r]
    uit: list[Actie] = []
    while reeksen:
        i = rng.randrange(len(reeksen))
        uit.append(reeksen[i].pop(0))
        if not reeksen[i]:
            reeksen.pop(i)
    return uit


def genereer(seed: int, *, werkers: int = 2, fouten: tuple[int, int] = (2, 4)) -> Schema:
    rng = random.Random(seed)
    reeksen: list[list[Actie]] = []
    for w in range(werkers):
        for d in range(len(DAGEN)):
            reeks = [Actie("registreer", w, d), Actie("valideer", w, d)]
            lot = rng.random()
            if lot < 0.3:  # fewer hours than validated: the surplus is reversed (storno)
                reeks.append(Actie("corrigeer", w, d, minuten=rng.choice((40, 70, 100))))
            elif lot < 0.45:
                reeks.append(Actie("annuleer", w, d))
            reeksen.append(reeks)
    acties = [replace(a, pauze=round(rng.uniform(0.0, 0.4), 3)) for a in _verweef(rng, reeksen)]
    # The month's payout run somewhere after the first validation (it pays what is booked
    # by then; what arrives later and every storno is netted by the next month's run).
    eerste = next(i for i, a in enumerate(acties) if a.soort == "valideer")
    acties.insert(rng.randint(eerste + 1, len(acties)), Actie("uitbetaling"))
    soorten, gewichten = zip(*SOORTEN.items(), strict=True)
    gekozen = []
    for _ in range(rng.randint(*fouten)):
        soort = rng.choices(soorten, gewichten)[0]
        doel = rng.choice(PROCESSEN) if soort in ("kill9", "sigstop") else soort
        duur = {"kill9": (0.2, 3.0), "sigstop": (0.5, 4.0), "broker": (0.5, 4.0), "postgres": (0.2, 3.0),
                "leider": (LEASE_S + 0.5, LEASE_S + 3.0)}[soort]
        gekozen.append(Fout(rng.randrange(len(acties)), round(rng.uniform(0.0, 0.5), 3), soort, doel,
                            round(rng.uniform(*duur), 2)))
    gekozen.sort(key=lambda f: (f.na_actie, f.vertraging))
    return Schema(seed, werkers, tuple(acties), tuple(gekozen))


if __name__ == "__main__":
    for s in sys.argv[1:]:
        print(genereer(int(s)).beschrijving())
