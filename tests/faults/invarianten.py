"""What must hold after any schedule, once healed (issue #22 item 7): the ledger equals
its recomputation, every accepted command took effect exactly once, a worker's events
were applied in order, nobody was paid twice, and every worker's money matches a
hand computation from what partners were told. Read behind the APIs where the APIs do
not show it (outboxes, the ledger's transactions), as the superuser."""

from __future__ import annotations

import time
from collections import Counter

import httpx
from flow import SCOPES, herberekening
from schema import CHEQUES_PER_DAG, Schema
from simulator import PERIODE, VOLGENDE, Logboek, Partner
from stack import Stack

from wijkwerk.events import Envelope

AANDEEL_CENT = 410  # the worker's share of a cheque at a tariff of 7.45
REIS_CENT = 2 * 10 * 15  # the day's travel allowance at 10 km


def _gebeurtenissen(stack: Stack, dienst: str, soorten: tuple[str, ...]) -> list[tuple[str, dict]]:
    rows = stack.query(dienst, "SELECT event_type, value FROM outbox WHERE event_type = ANY($1) ORDER BY id",
                       list(soorten))
    return [(t, Envelope.from_bytes(v).payload) for t, v in rows]


def geconvergeerd(stack: Stack, log: Logboek) -> str | None:
    """None once the system is at rest, else what it is still waiting for."""
    for dienst in ("toeleiding", "prestaties", "cheques"):
        if (n := stack.outbox_backlog(dienst)) > 0:
            return f"{dienst}: {n} outbox rows unpublished"
    ids = [p["id"] for p in log.prestaties.values()]
    bron = {str(i): (u, s == "geannuleerd") for i, u, s in stack.query(
        "prestaties", "SELECT id, begonnen_uren, status FROM prestaties WHERE id::text = ANY($1)", ids)}
    kopie = {str(i): (u, g) for i, u, g in stack.query(
        "cheques", "SELECT id, begonnen_uren, geannuleerd FROM prestaties_ref WHERE id::text = ANY($1)", ids)}
    if kopie != bron:
        return f"cheques' copy of the prestaties differs: {len(set(bron.items()) - set(kopie.items()))} behind"
    if (n := stack.query("cheques", "SELECT count(*) FROM terugdraai_opdrachten")[0][0]) > 0:
        return f"cheques: {n} reversal orders open"
    return None


def wacht_op_rust(stack: Stack, log: Logboek, geduld_s: float) -> float:
    t0, laatste = time.monotonic(), None
    while time.monotonic() - t0 < geduld_s:
        try:
            laatste = geconvergeerd(stack, log)
        except Exception as exc:  # noqa: BLE001 - an engine still coming back
            laatste = repr(exc)
        if laatste is None:
            return time.monotonic() - t0
        time.sleep(0.3)
    raise AssertionError(f"not at rest after {geduld_s:.0f}s: {laatste}")


def controleer(stack: Stack, schema: Schema, log: Logboek, wereld, partner: Partner) -> list[str]:
    """Checks every invariant; returns the figures it found (for the report)."""
    figuren: list[str] = []
    # 1. The ledger equals a recomputation from the event streams.
    rapport = herberekening(stack)
    assert (rapport["verschil_cent"], rapport["verschillen"], rapport["fouten"]) == (0, [], []), rapport
    figuren.append(f"recompute of {rapport['events']} events: difference 0 cents")

    # 2. Every 201 exactly once: one prestatie per registration answered, per placement and day,
    #    and one event per accepted command, whatever was retried.
    h = stack.tokens.headers(*SCOPES)
    for k, koppeling in enumerate(wereld.koppelingen):
        lijst = httpx.get(stack.url("prestaties") + "/v1/prestaties", params={"gebruiker_id": wereld.gebruiker},
                          headers=h, timeout=10, trust_env=False).json()
        eigen = sorted(p["id"] for p in lijst if p["koppeling_id"] == koppeling)
        assert eigen == sorted(p["id"] for (w, _), p in log.prestaties.items() if w == k), (koppeling, eigen)
    gebeurd = Counter((t, p["prestatie_id"]) for t, p in _gebeurtenissen(
        stack, "prestaties", ("PrestatieGeregistreerd", "PrestatieGecorrigeerd", "PrestatieGeannuleerd")))
    for sleutel, p in log.prestaties.items():
        verwacht = {"PrestatieGeregistreerd": 1, "PrestatieGecorrigeerd": log.correcties.get(sleutel, 0),
                    "PrestatieGeannuleerd": log.annuleringen.get(sleutel, 0)}
        assert {t: gebeurd[(t, p["id"])] for t in verwacht} == verwacht, (sleutel, p["id"])
    figuren.append(f"{len(log.prestaties)} registrations, {sum(log.correcties.values())} corrections, "
                   f"{sum(log.annuleringen.values())} cancellations: one event each")

    # 3. One ledger posting per validated cheque; reversed ones exactly once, as the
    #    prestatie's final hours require (which also shows the worker's events were applied
    #    in order: a correction folded before its registration would reverse nothing).
    assert all(n <= 1 for n in log.verwerkt.values()), "a webhook answered 'verwerkt' twice for one cheque"
    sleutels = Counter(s for (s,) in stack.query(
        "cheques", "SELECT sleutel FROM grootboek_transacties WHERE sleutel LIKE $1 OR sleutel LIKE $2",
        f"cheque:WW-{wereld.tag}-%", f"storno:cheque:WW-{wereld.tag}-%"))
    teruggedraaid = 0
    for (w, d), uren in log.uren.items():
        series = [f"WW-{wereld.tag}-{w}-{d}-{i}" for i in range(CHEQUES_PER_DAG)]
        assert all(sleutels[f"cheque:{s}"] == 1 for s in series), ("validation posted once", series, sleutels)
        storno = sum(sleutels[f"storno:cheque:{s}"] for s in series)
        assert storno == CHEQUES_PER_DAG - min(CHEQUES_PER_DAG, uren), ("reversals", (w, d), uren, storno)
        teruggedraaid += storno
    figuren.append(f"{sum(sleutels[k] for k in sleutels if k.startswith('cheque:'))} validations posted once, "
                   f"{teruggedraaid} reversed once")

    # 4. No payout twice; every worker's money as computed by hand.
    volgende = partner.post("cheques", f"/v1/uitbetalingen/{VOLGENDE}", params={"uitgevoerd_op": "2026-05-01"})
    rondes = {PERIODE: log.uitbetaling, VOLGENDE: volgende}
    assert log.uitbetaling is not None
    nu = partner.post("cheques", f"/v1/uitbetalingen/{PERIODE}", params={"uitgevoerd_op": "2026-04-01"})
    assert nu["uitbetalingen"] == log.uitbetaling["uitbetalingen"], "a re-run returns the same run"
    uitgevoerd = Counter((p["wijkwerker_id"], p["periode"]) for _, p in _gebeurtenissen(
        stack, "cheques", ("UitbetalingUitgevoerd",)))
    assert all(n == 1 for n in uitgevoerd.values()), ("a payout published twice", uitgevoerd)
    werkers = _werkers(stack, wereld)
    rekeningen = [f"wijkwerker:{w}" for w in werkers]
    stand = {r.split(":", 1)[1]: (v, b) for r, v, b in stack.query(
        "cheques", "SELECT b.rekening, sum(CASE WHEN t.soort <> 'uitbetaling' THEN b.credit_cent - b.debet_cent "
        "ELSE 0 END), sum(CASE WHEN t.soort = 'uitbetaling' THEN b.debet_cent ELSE 0 END) FROM grootboek_boekingen b "
        "JOIN grootboek_transacties t ON t.id = b.transactie_id WHERE b.rekening = ANY($1) GROUP BY b.rekening",
        rekeningen)}
    for k, wid in enumerate(werkers):
        hand = sum(min(CHEQUES_PER_DAG, u) * AANDEEL_CENT + (REIS_CENT if u > 0 else 0)
                   for (w, _), u in log.uren.items() if w == k)
        verdiend, betaald = stand.get(wid, (0, 0))
        lijnen = {p: _bedrag(r, wid) for p, r in rondes.items()}
        assert verdiend == hand, (f"worker {k}: earned {verdiend} cents, by hand {hand}", log.uren)
        assert betaald == sum(lijnen.values()), (f"worker {k}: paid {betaald}, the runs say {lijnen}")
        assert sum(uitgevoerd[(wid, p)] for p in rondes) == sum(1 for v in lijnen.values() if v), "one event a line"
        # Paid in full by the next month's run, or owing a storno after being paid.
        assert verdiend == betaald or (verdiend < betaald and not lijnen[VOLGENDE]), (k, verdiend, betaald, lijnen)
    figuren.append(f"payouts {PERIODE}: {_totaal(log.uitbetaling)} cents, {VOLGENDE}: {_totaal(volgende)} cents; "
                   "each worker's money equals the hand computation, nobody paid twice")
    return figuren


def _werkers(stack: Stack, wereld) -> list[str]:
    ids = stack.query("prestaties", "SELECT wijkwerker_id::text, id::text FROM koppelingen WHERE id::text = ANY($1)",
                      wereld.koppelingen)
    per_koppeling = {k: w for w, k in ids}
    return [per_koppeling[k] for k in wereld.koppelingen]


def _bedrag(ronde: dict, wid: str) -> int:
    return sum(_cent(u["bedrag"]) for u in ronde["uitbetalingen"] if u["wijkwerker_id"] == wid)


def _totaal(ronde: dict) -> int:
    return _cent(ronde["totaal"])


def _cent(euro) -> int:
    return round(float(euro) * 100)
