"""History that lasts (issue #17), on the whole embedded system: after the transport's
retention has passed — the system restarted with ``<SERVICE>_OUTBOX_RETENTION_DAYS=0``, so
the relays purged every published outbox row, and restarted again, so the memory broker
holds no message at all — the ledger recompute still shows 0 cents difference over the
same events, and a rebuild of evaluatie's read models from the archives gives exactly the
reports the live read models gave before it."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from datetime import date

import asyncpg
import httpx
import pytest

from wijkwerk.events import topics
from wijkwerk.messaging.herlezen import TopicLezer
from wijkwerk.settings import KafkaSettings
from wijkwerk_platform.testing import wait_until

SERVICES = ("toeleiding", "prestaties", "cheques", "evaluatie")
LEZEN = ("toeleiding:read", "prestaties:read", "cheques:read", "cheques:admin", "evaluatie:read", "rapportering:read")


def _zonder_tijdstip(waarde):
    if isinstance(waarde, dict):
        return {k: _zonder_tijdstip(v) for k, v in waarde.items() if k not in ("berekend_op", "uitgevoerd_op", "id")}
    if isinstance(waarde, list):
        return [_zonder_tijdstip(v) for v in waarde]
    return waarde


def _waarde(param: dict, van: date, tot: date) -> str | None:
    schema = param.get("schema", {})
    vorm = schema.get("format") or next((s.get("format") for s in schema.get("anyOf", []) if s.get("format")), None)
    dag = tot if param["name"] in ("tot", "op") else van
    if vorm == "date":
        return dag.isoformat()
    if param["name"] in ("van", "tot"):
        return f"{dag:%Y-%m}"
    if param["name"] == "jaar":
        return str(tot.year)
    return None


def _rapporten(system, h: dict, van: date, tot: date) -> dict[str, object]:
    """Every report of evaluatie without path parameters, its required query filled in."""
    spec = httpx.get(system.url("evaluatie") + "/openapi.json", timeout=10).json()
    uit = {}
    for pad, methoden in spec["paths"].items():
        if not pad.startswith("/v1/rapporten/") or "{" in pad or "get" not in methoden:
            continue
        params = {}
        for p in methoden["get"].get("parameters", []):
            if (p["in"] == "query" and (p.get("required") or p["name"] in ("van", "tot", "op"))
                    and (w := _waarde(p, van, tot)) is not None):
                params[p["name"]] = w
        r = httpx.get(system.url("evaluatie") + pad, params=params, headers=h, timeout=30)
        if r.status_code == 200 and "json" in r.headers["content-type"]:
            uit[pad] = _zonder_tijdstip(r.json())
    return uit


def _bij(system) -> bool:
    """Every relay has published its outbox and evaluatie's consumers have no lag."""
    if asyncio.run(_outbox_tellen(system, "published_at IS NULL")):
        return False
    checks = httpx.get(system.url("evaluatie") + "/ready/workers", timeout=5).json()["checks"]
    lags = [c.get("lag") for naam, c in checks.items() if naam.startswith("consumer:")]
    return all(lag is not None and not any(lag.values()) for lag in lags)


async def _outbox_tellen(system, waar: str = "true") -> int:
    """Outbox rows over the four databases (``waar``: a condition on them)."""
    totaal = 0
    for service in SERVICES:
        conn = await asyncpg.connect(host="127.0.0.1", port=system.pg_port, user="postgres", database=service)
        try:
            totaal += await conn.fetchval(f"SELECT count(*) FROM outbox WHERE {waar}")
        finally:
            await conn.close()
    return totaal


def _herbereken(system, h: dict) -> dict:
    r = httpx.post(system.url("cheques") + "/v1/grootboek/herberekening", json={}, headers=h, timeout=120)
    assert r.status_code == 200, r.text
    return r.json()


async def _berichten_op_topics(system) -> int:
    async with TopicLezer(KafkaSettings(bootstrap_servers=f"127.0.0.1:{system.kafka_port}")) as lezer:
        eindes = await lezer.eindes([topics.TOELEIDING, topics.PRESTATIES, topics.CHEQUES, topics.EVALUATIE])
    return sum(eindes.values())


def test_after_the_retention_the_recompute_and_a_rebuild_answer_as_before(system, monkeypatch):
    from wijkwerk_platform.demo import run_demo

    h = system.tokens.headers(*LEZEN)
    urls = {s: system.url(s) for s in SERVICES}
    s = run_demo(urls, scale=0.01, seed=23, private_key=system.tokens.private_key)
    assert dict(s.onverwacht) == {} and s.cheques_gevalideerd > 20
    van, tot = s.van, s.tot

    voor_geld = _herbereken(system, h)
    assert voor_geld["verschil_cent"] == 0 and voor_geld["events"] > 100
    wait_until(lambda: _rapporten(system, h, van, tot) == _rapporten(system, h, van, tot), timeout=30, interval=1)
    voor = _rapporten(system, h, van, tot)
    assert len(voor) >= 8, sorted(voor)

    # The transport's retention passes: every published outbox row is purged ...
    system.stop()
    for service in SERVICES:
        monkeypatch.setenv(f"{service.upper()}_OUTBOX_RETENTION_DAYS", "0")
    system.start()
    wait_until(lambda: asyncio.run(_outbox_tellen(system)) == 0, timeout=60, interval=0.5)
    # ... and the memory broker, restarted once more, has nothing left to re-fill from.
    system.stop()
    system.start()
    assert asyncio.run(_berichten_op_topics(system)) == 0

    na_geld = _herbereken(system, h)
    assert (na_geld["verschil_cent"], na_geld["fouten"], na_geld["maanden_uit_evenwicht"]) == (0, [], [])
    assert na_geld["events"] == voor_geld["events"]
    assert sum(bron["archief"] for bron in na_geld["gelezen"].values()) >= na_geld["events"]

    # The live read models, once evaluatie has applied what the restarts brought (toeleiding's
    # housekeeping may end trajectories past their planned end): the rebuild must give these.
    wait_until(lambda: _bij(system), timeout=60, interval=0.5)
    voor = _rapporten(system, h, van, tot)
    env = {
        **os.environ,
        "EVALUATIE_DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1:{system.pg_port}/evaluatie",
        "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{system.kafka_port}",
        "AUTH_PRIVATE_KEY_FILE": str(system.tokens.private_key),
        "AUTH_PUBLIC_KEY_FILE": str(system.tokens.public_key),
        **{f"{service.upper()}_URL": system.url(service) for service in SERVICES},
        "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
    }
    begonnen = time.monotonic()
    herbouw = subprocess.run([sys.executable, "-m", "evaluatie.entrypoints.herbouw"], env=env, capture_output=True,
                             text=True, timeout=300)
    assert herbouw.returncode == 0, herbouw.stderr[-3000:]
    print(f"rebuild after retention: {herbouw.stdout.strip()} in {time.monotonic() - begonnen:.1f} s")
    na = _rapporten(system, h, van, tot)
    assert {pad: na.get(pad) for pad in voor if na.get(pad) != voor[pad]} == {}


@pytest.fixture(autouse=True)
def _geen_proxy(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
