"""Services, PostgreSQL and the broker as separate processes, broken while money flows.
Every test ends with the money invariant: the cheques ledger equals a recomputation
from the event streams (difference 0)."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
from flow import SCOPES, Wereld, herberekening
from stack import Stack, metric_sum, scaled

from wijkwerk_platform.testing import wait_until

WORKERS = scaled(2, 12)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    s = Stack(tmp_path_factory.mktemp("faults-stack"), services=("toeleiding", "prestaties", "cheques"))
    try:
        s.start()
        yield s
    finally:
        s.stop()


def _invariant(stack: Stack, wereld: Wereld, report, validated: int) -> None:
    rapport = herberekening(stack)
    report(f"recompute: {rapport['events']} events, difference {rapport['verschil_cent']} cents")
    assert (rapport["verschil_cent"], rapport["verschillen"], rapport["fouten"]) == (0, [], [])
    # Nothing paid twice: each validated cheque posted once (worker share 4.10 each).
    h = stack.tokens.headers(*SCOPES)
    for serie in wereld.series[:3]:
        r = httpx.get(stack.url("cheques") + f"/v1/cheques/{serie}", headers=h, timeout=10)
        if r.status_code == 200:
            assert r.json().get("status", "gevalideerd") in ("gevalideerd", "GEVALIDEERD")
    assert validated == len(wereld.series)


def _wereld(stack: Stack) -> tuple[Wereld, float]:
    """An organiser with placed workers, set up before any fault; returns it and how long
    that took: the same run's baseline for the money flow's convergence (the flow after
    a fault is a few times this work, plus a service start: ``stack.opstart``)."""
    t0 = time.monotonic()
    w = Wereld(stack)
    w.organisator()
    w.werkers(WORKERS)
    return w, time.monotonic() - t0


def test_kill9_the_cheques_consumer_mid_batch_and_restart(stack, report):
    """SIGKILL the cheques process while it folds prestaties events; restart it."""
    w, basis = _wereld(stack)
    half = len(w.koppelingen) // 2 or 1
    w.prestaties_registreren(w.koppelingen[:half])
    pid = stack.procs["cheques"].pid
    stack.kill9("cheques")  # its consumer is folding the events just published
    t0 = time.monotonic()
    report(f"kill -9 cheques (pid {pid}) after {len(w.prestaties)} prestaties")
    w.prestaties_registreren(w.koppelingen[half:])  # published while cheques is dead
    stack.spawn("cheques")
    report("cheques restarted and ready", stack.wait_ready("cheques", timeout=10 * stack.opstart),
           basis=stack.opstart, factor=5)
    validated = w.cheques_valideren()  # each webhook is retried until cheques knows the prestatie
    report(f"converged: {validated} cheques validated after the kill", time.monotonic() - t0,
           basis=stack.opstart + basis, factor=20)
    _invariant(stack, w, report, validated)


def test_postgres_restarted_under_load(stack, report):
    """Stop and restart PostgreSQL while requests arrive: every service reports not-ready,
    then recovers without a restart of its own."""
    w = Wereld(stack)
    w.organisator()
    stop = threading.Event()
    outcomes: list[int] = []
    h = stack.tokens.headers(*SCOPES)

    def load() -> None:
        i = 0
        while not stop.is_set():
            i += 1
            try:
                r = httpx.get(stack.url("toeleiding") + "/v1/organisatoren", headers=h, timeout=5)
                outcomes.append(r.status_code)
            except httpx.HTTPError:
                outcomes.append(0)

    loader = threading.Thread(target=load, daemon=True)
    loader.start()
    pids = {n: p.pid for n, p in stack.procs.items()}
    try:
        stack.pg.stop()
        t0 = time.monotonic()
        report("PostgreSQL stopped under load")
        for name in stack.services:
            wait_until(lambda name=name: stack.ready_status(name) == 503, timeout=10 * stack.opstart,
                       interval=0.1)
        report("every service reports /ready 503", time.monotonic() - t0, basis=stack.opstart, factor=5)
        stack.pg.start()
        t1 = time.monotonic()
        for name in stack.services:
            stack.wait_ready(name, timeout=10 * stack.opstart)
        report("every service ready again (no service restart)", time.monotonic() - t1, basis=stack.opstart,
               factor=5)
    finally:
        stop.set()
        loader.join(timeout=10)
    assert {n: p.pid for n, p in stack.procs.items()} == pids
    report(f"load: {len(outcomes)} requests, {sum(c >= 500 or c == 0 for c in outcomes)} failed during the outage")
    w.werkers(WORKERS)
    w.prestaties_registreren()
    validated = w.cheques_valideren()
    _invariant(stack, w, report, validated)


def test_kill9_the_broker_while_relays_publish_and_restart_it_empty(stack, report):
    """SIGKILL the broker while prestaties are registered; restart it (it lost every
    topic and offset); relays retry, refill the topics from the outbox; inboxes absorb.
    Runs last in the module: a failure would leave the shared stack broken. It runs after
    the PostgreSQL restart on purpose: that order exposed a consumer task that ended
    silently (see tests/faults/README.md, finding 5)."""
    w, basis = _wereld(stack)
    dupes_before = metric_sum(stack.metrics("cheques"), "wijkwerk_events_duplicate_total")
    stack.kill_broker()
    t0 = time.monotonic()
    report("kill -9 broker")
    w.prestaties_registreren()  # outbox rows pile up while the broker is away
    backlog = stack.outbox_backlog("prestaties")

    def workers_not_ready() -> bool:
        return stack.ready_status("prestaties", "/ready/workers") == 503

    wait_until(workers_not_ready, timeout=10 * stack.opstart, interval=0.2)
    report(f"prestaties /ready/workers 503 while the broker is down; {backlog} outbox rows waiting",
           time.monotonic() - t0, basis=stack.opstart, factor=5)
    assert backlog > 0
    # The API needs no broker: it stays in service for reads and writes (the outbox waits).
    assert all(stack.ready_status(name) == 200 for name in stack.services)
    stack.broker.start()
    t1 = time.monotonic()
    report("broker restarted (empty)")
    for name in stack.services:
        report(f"{name} ready again", stack.wait_ready(name, timeout=10 * stack.opstart), basis=stack.opstart,
               factor=5)

    def drained() -> bool:
        return stack.outbox_backlog("prestaties") == 0

    wait_until(drained, timeout=10 * stack.opstart, interval=0.2)
    validated = w.cheques_valideren()
    report(f"converged: backlog drained, {validated} cheques validated", time.monotonic() - t1,
           basis=stack.opstart + basis, factor=20)
    dupes = metric_sum(stack.metrics("cheques"), "wijkwerk_events_duplicate_total") - dupes_before
    report(f"cheques inboxes skipped {dupes:.0f} duplicates from the refilled topics")
    assert dupes > 0, "the refilled topics should have redelivered events cheques had applied"
    _invariant(stack, w, report, validated)
