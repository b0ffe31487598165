"""Seeded random fault schedules (issue #22 item 7): per seed a fresh process stack, a
realistic load through the public APIs interleaved with faults at random moments, then
healed and checked against the invariants (``invarianten.py``).

``make test`` runs a short fixed set of seeds; ``make soak`` runs
``WIJKWERK_SOAK_SEEDS`` seeds (default 100) from ``WIJKWERK_SOAK_SEED_BASE``;
``WIJKWERK_SEEDS=7,42`` runs exactly those (a failure prints the command)."""

from __future__ import annotations

import os
import shutil
import time

import pytest
from invarianten import controleer, wacht_op_rust
from schema import LEASE_S, genereer
from simulator import Last, Logboek, Storingen, Voortgang, heel, opzet
from stack import SOAK, Stack

VAST = (5, 23)  # `make test`: between them kill -9, the broker lost, PostgreSQL restarted, a frozen leader


def _seeds() -> list[int]:
    if os.environ.get("WIJKWERK_SEEDS"):
        return [int(s) for s in os.environ["WIJKWERK_SEEDS"].split(",") if s.strip()]
    if SOAK:
        basis = int(os.environ.get("WIJKWERK_SOAK_SEED_BASE", "1000"))
        return list(range(basis, basis + int(os.environ.get("WIJKWERK_SOAK_SEEDS", "100"))))
    return list(VAST)


def herhaal(seed: int) -> str:
    return f"WIJKWERK_SEEDS={seed} .venv/bin/pytest tests/faults/test_schemas.py -m faults -s"


def test_the_same_seed_gives_the_same_schedule():
    assert genereer(5) == genereer(5)
    assert genereer(5) != genereer(6)
    for seed in range(50):
        schema = genereer(seed)
        gezien: dict[tuple[int, int], list[str]] = {}
        for a in schema.acties:
            if a.soort != "uitbetaling":
                gezien.setdefault((a.werker, a.dag), []).append(a.soort)
        # Each prestatie: registered, its cheques validated, then at most one change.
        assert all(s[:2] == ["registreer", "valideer"] and len(s) <= 3 for s in gezien.values())
        assert [a.soort for a in schema.acties].count("uitbetaling") == 1
        assert 2 <= len(schema.fouten) <= 4


@pytest.mark.parametrize("seed", _seeds())
def test_a_seeded_fault_schedule_keeps_the_invariants(seed, tmp_path, report):
    schema = genereer(seed, fouten=(3, 6) if SOAK else (2, 4))
    report(f"{schema.beschrijving()}; reproduce: {herhaal(seed)}")
    stack = Stack(tmp_path / "stack", services=("toeleiding", "prestaties", "cheques"), replicas={"prestaties": 2},
                  env_extra={"PRESTATIES_RELAY_LEASE_S": str(LEASE_S)})
    log = Logboek()
    try:
        t_start = time.monotonic()
        stack.start()
        report("stack started (3 services, prestaties twice)", time.monotonic() - t_start)
        wereld, basis = opzet(stack, schema)
        # How long partners and the check wait: relative to this run's fault-free baseline
        # (no fixed seconds: a busy machine stretches both alike).
        geduld = 60 + 40 * basis
        report(f"baseline: fault-free set-up of {schema.werkers} workers; patience {geduld:.0f}s", basis)
        last = Last(stack, schema, wereld, log, geduld)
        voortgang = Voortgang()
        t0 = time.monotonic()
        storingen = Storingen(stack, schema, voortgang, log, t0)
        storingen.start()
        try:
            last.speel(voortgang)
        finally:
            voortgang.zet(None)
            storingen.join(timeout=geduld)
        if storingen.fout is not None:
            raise storingen.fout
        assert not storingen.is_alive(), "the fault thread did not finish"
        for regel in log.fouten:
            report(f"fault {regel}")
        report(f"load done: {len(schema.acties)} commands, {log.herhaald} answers replayed by Idempotency-Key, "
               f"{log.onbeantwoord} unanswered attempts retried, {log.geweigerd} refusals sent again",
               time.monotonic() - t0)
        report("healed: every process running and ready", heel(stack, geduld))
        report("at rest: outboxes drained, cheques' copy equal to prestaties, reversals done",
               wacht_op_rust(stack, log, geduld))
        for figuur in controleer(stack, schema, log, wereld, last.partner):
            report(f"invariant: {figuur}")
    except Exception as exc:  # an interrupt (Ctrl-C) ends the run as it is
        raise AssertionError(f"seed {seed} broke: {exc!r}\n{schema.beschrijving()}\nfaults: {log.fouten}\n"
                             f"logs in {stack.root}\nreproduce: {herhaal(seed)}") from exc
    finally:
        stack.stop()
    shutil.rmtree(stack.root, ignore_errors=True)  # kept only when the seed broke: its logs
