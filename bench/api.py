"""Figure 3: the hour registration API under a fixed offered load.

toeleiding and prestaties run as real uvicorn processes, as ``wijkwerk up`` starts them
(one worker, ``--no-access-log``, JSON logs, relay and consumers in the process), on the bench's
PostgreSQL and broker. The world is seeded through the public APIs with the demo's loader:
an organiser, its catalogue, gebruikers with a paid erkenning, and workers referred and
signed in toeleiding whose trajectory windows reach prestaties through the broker; then
one placement per worker.

A load generator in a second process sends ``POST /v1/prestaties`` open-loop: request i is
due at ``t0 + i / rate`` and is sent then whether or not earlier ones have been answered;
its latency runs from that due time, so a stall shows up in the figure instead of
slowing the sender down (no coordinated omission). Each request is a different (worker,
day), one hour, so no cap is reached; every answer but a 201 counts as an error. The
baseline is the same rate against ``GET /health`` of the same process.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import asyncpg
import httpx
import orjson
import psutil
from prometheus_client.parser import text_string_to_metric_families

from bench.generator import CONNECTIES, belast
from wijkwerk.auth import ensure_local_keypair
from wijkwerk.events.topics import ALL_TOPICS, dlq_topic
from wijkwerk.messaging.admin import ensure_topics
from wijkwerk_platform.cli.services import SERVICES
from wijkwerk_platform.demo import SCOPES, DemoLoader, GebruikerPlan, OrganisatorPlan, identiteit, wereld
from wijkwerk_platform.embedded import child_env, free_port, log_tail, parent_death_signal, stop_process
from wijkwerk_platform.testkit import Tokens

HOST = "127.0.0.1"
DIENSTEN = ("toeleiding", "prestaties")
WERKERS = 48
OPWARMEN_S = 2.0


# ---- the services as processes -------------------------------------------------------

@dataclass
class Dienst:
    name: str
    url: str
    database_url: str
    proc: subprocess.Popen[bytes]
    log: Path


def _env(stack, tokens: Tokens, name: str, database_url: str, urls: dict[str, str]) -> dict[str, str]:
    """What ``wijkwerk up`` gives a service (cli/supervisor.py ``_service_env``)."""
    env = child_env(extra={
        f"{name.upper()}_DATABASE_URL": database_url,
        "KAFKA_BOOTSTRAP_SERVERS": stack.kafka.bootstrap_servers,
        "KAFKA_TOPIC_PARTITIONS": str(stack.kafka.topic_partitions),
        "AUTH_PUBLIC_KEY_FILE": str(tokens.public_key),
        "AUTH_PRIVATE_KEY_FILE": str(tokens.private_key),
        **{f"{s.name.upper()}_URL": urls.get(s.name, s.local_url(HOST)) for s in SERVICES},
        "WIJKWERK_ENV": "embedded",
        "PYTHONUNBUFFERED": "1",
    })
    env["NO_PROXY"] = env["no_proxy"] = ",".join(filter(None, [env.get("NO_PROXY", ""), HOST, "localhost"]))
    return env


def _wacht_gezond(dienst: Dienst, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=2.0, trust_env=False) as client:
        while True:
            if dienst.proc.poll() is not None:
                raise RuntimeError(f"{dienst.name} exited {dienst.proc.returncode}:\n{log_tail(dienst.log)}")
            with contextlib.suppress(httpx.HTTPError):
                if client.get(dienst.url + "/ready").status_code == 200:
                    return
            if time.monotonic() > deadline:
                raise RuntimeError(f"{dienst.name} not ready within {timeout:.0f} s:\n{log_tail(dienst.log)}")
            time.sleep(0.1)


@contextlib.contextmanager
def diensten(stack, tokens: Tokens, naam: str = "api") -> Iterator[dict[str, Dienst]]:
    """toeleiding and prestaties on fresh migrated databases, stopped (SIGTERM) at the end."""
    urls = {name: f"http://{HOST}:{free_port()}" for name in DIENSTEN}
    gestart: dict[str, Dienst] = {}
    try:
        for name in DIENSTEN:
            db = stack.database(name, f"{name}_bench_{naam}")
            log = stack.data_dir / f"api-{name}.log"
            with log.open("ab") as out:
                proc = subprocess.Popen(
                    [sys.executable, "-m", "uvicorn", f"{name}.entrypoints.api:create_app", "--factory",
                     "--host", HOST, "--port", urls[name].rsplit(":", 1)[1], "--no-access-log"],
                    stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                    env=_env(stack, tokens, name, db, urls), start_new_session=True,
                    preexec_fn=parent_death_signal(signal.SIGTERM),
                )
            gestart[name] = Dienst(name, urls[name], db, proc, log)
        for dienst in gestart.values():
            _wacht_gezond(dienst)
        yield gestart
    finally:
        for dienst in gestart.values():
            stop_process(dienst.proc, timeout=15.0)


# ---- the world, through the public APIs ----------------------------------------------

@dataclass(frozen=True)
class Wereld:
    organisator_id: str
    koppelingen: list[str]  # one per worker
    eerste_dag: date  # the first day every placement, trajectory and erkenning covers
    laatste_dag: date


async def _wijkwerker(loader: DemoLoader, p: OrganisatorPlan, nr: int, start: date) -> str:
    """A dossier, a 12-month referral from ``start`` and the agreement signed that day."""
    seed = p.seed

    async def post(path: str, body: dict) -> dict:
        r = await loader._post("toeleiding", path, body)  # a shed request (503) is sent again
        r.raise_for_status()
        return r.json()

    wid = (await post("/v1/wijkwerkers", {
        "insz": identiteit.insz(date(1980, 1, 1) + timedelta(days=37 * nr), nr), "voornaam": "Bench",
        "achternaam": f"Werker {nr}", "domicilie_nis_code": seed.gemeenten[nr % len(seed.gemeenten)][0],
        "organisator_id": p.id, "uitkeringsstatus": "volledig_werkzoekend", "vdab_ingeschreven": True,
        "iban": identiteit.belgische_iban(random.Random(nr)),
        "ingeschreven_op": (start - timedelta(days=5)).isoformat(),
    }))["id"]
    traject = (await post("/v1/toeleidingen", {
        "wijkwerker_id": wid, "organisator_id": p.id, "toeleider_type": "VDAB", "advies_maanden": 12,
        "ontvangen_op": (start - timedelta(days=5)).isoformat(), "start": start.isoformat(),
    }))["id"]
    await post(f"/v1/trajecten/{traject}/overeenkomst", {"getekend_op": start.isoformat()})
    return wid


async def _venster_bekend(loader: DemoLoader, wid: str, start: date, timeout: float = 60.0) -> None:
    """prestaties folded the trajectory and the signed agreement (toeleiding → broker → inbox)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r = await loader.client.get(loader.urls["prestaties"] + f"/v1/wijkwerkers/{wid}/trajecten")
        if r.status_code == 200 and any(v["overeenkomst_op"] == start.isoformat() for v in r.json()):
            return
        await asyncio.sleep(0.1)
    raise RuntimeError(f"prestaties did not learn the trajectory of {wid} within {timeout:.0f} s")


async def zaai(urls: dict[str, str], tokens: Tokens, werkers: int, vandaag: date) -> Wereld:
    start = vandaag - timedelta(days=320)
    seed = wereld.ORGANISATOREN[0]
    gebruikers = [
        GebruikerPlan(nr=i, categorie="particulier", naam=f"Bench gebruiker {i}", geslacht="vrouw",
                      nis=seed.gemeenten[i % len(seed.gemeenten)][0], aangemeld_op=start - timedelta(days=10),
                      zonder_prestaties=False, contact=False)
        for i in range(werkers)
    ]
    p = OrganisatorPlan(seed=seed, werkers=[], gebruikers=gebruikers)
    token = tokens.mint(*SCOPES, org_type="vdab", sub="bench")
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=30, trust_env=False) as client:
        loader = DemoLoader(client, urls, seed=11, concurrency=8, vandaag=vandaag)
        await loader.organisatoren([p])
        wids = await asyncio.gather(*(_wijkwerker(loader, p, i + 1, start) for i in range(werkers)))
        await loader.activiteiten(p)  # retried until prestaties knows the organiser
        await asyncio.gather(*(loader.gebruiker(p, g, None) for g in gebruikers))
        await asyncio.gather(*(_venster_bekend(loader, wid, start) for wid in wids))
        if loader.samenvatting.onverwacht or any(g.id is None for g in gebruikers):
            raise RuntimeError(f"seeding failed: {dict(loader.samenvatting.onverwacht)}")
        koppelingen = []
        for i, (wid, g) in enumerate(zip(wids, gebruikers, strict=True)):
            r = await client.post(urls["prestaties"] + "/v1/koppelingen", json={
                "wijkwerker_id": wid, "gebruiker_id": g.id, "organisator_id": p.id,
                "activiteit_id": p.activiteiten[0], "locatie_nis_code": g.nis, "afstand_km": i % 12,
                "start": start.isoformat()})
            r.raise_for_status()
            koppelingen.append(r.json()["id"])
    return Wereld(p.id, koppelingen, start + timedelta(days=1), vandaag - timedelta(days=1))


def aanvragen(w: Wereld, n: int) -> list[bytes]:
    """``n`` valid registrations of one hour, each on its own (worker, day): round-robin over
    the workers, one day further each round, so no worker nears a cap (≤ 31 h a month)."""
    dagen = (w.laatste_dag - w.eerste_dag).days + 1
    if n > dagen * len(w.koppelingen):
        raise ValueError(f"{n} requests need more than {len(w.koppelingen)} workers × {dagen} days")
    return [
        orjson.dumps({
            "koppeling_id": w.koppelingen[i % len(w.koppelingen)],
            "datum": (w.eerste_dag + timedelta(days=i // len(w.koppelingen))).isoformat(),
            "start": "09:00", "minuten": 60, "door": "wijkwerker" if i % 2 else "gebruiker",
        })
        for i in range(n)
    ]


# ---- the figure ---------------------------------------------------------------------

async def run(stack, rate: float = 200.0, seconds: float = 20.0, naam: str = "api",
              connecties: int = CONNECTIES, met_sleutels: bool = False) -> dict:
    kafka = stack.kafka
    await ensure_topics(kafka.bootstrap_servers, [*ALL_TOPICS, *(dlq_topic(t) for t in ALL_TOPICS)],
                        kafka.topic_partitions)
    tokens = Tokens(*ensure_local_keypair(stack.data_dir / "keys"))
    n = round(rate * seconds)
    n_op = round(rate * OPWARMEN_S)
    with diensten(stack, tokens, naam) as d:
        urls = {name: dienst.url for name, dienst in d.items()}
        w = await zaai(urls, tokens, WERKERS, date.today())
        bodies = aanvragen(w, n_op + (2 if met_sleutels else 1) * n)
        # An organiser's own token, as its desk would send (data scope checked on each call).
        headers = tokens.headers("prestaties:read", "prestaties:write", org=w.organisator_id, org_type="organisator")
        post, health = urls["prestaties"] + "/v1/prestaties", urls["prestaties"] + "/health"
        metrics = urls["prestaties"] + "/metrics"
        loop = asyncio.get_running_loop()
        dienst, pg = psutil.Process(d["prestaties"].proc.pid), psutil.Process(stack.pg.pid)
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as generator:
            async def fase(url: str, b: list[bytes] | None, k: int, verwacht: int, profiel: str | None = None,
                           sleutels: str | None = None) -> dict:
                await _wacht_rustig(health)
                voor = _cpu_s(dienst), _cpu_s(pg, kinderen=True), time.monotonic(), await _relay_batches(metrics)
                with _py_spy(dienst.pid, k / rate, profiel):
                    r = await loop.run_in_executor(generator, belast, url, b, headers, rate, k, verwacht, connecties,
                                                   sleutels)
                await _wacht_rustig(health)  # CPU of requests still running counts too
                na = _cpu_s(dienst), _cpu_s(pg, kinderen=True), time.monotonic(), await _relay_batches(metrics)
                # Per accepted request (201/200): refusals (503) cost little, but counted as
                # requests they would lower the figure; their CPU is charged to the accepted.
                bediend = max(1, r["ok"])
                batches, rijen = na[3][0] - voor[3][0], na[3][1] - voor[3][1]
                return {
                    **r, "cpu_dienst_ms": (na[0] - voor[0]) * 1000 / bediend,
                    "cpu_pg_ms": (na[1] - voor[1]) * 1000 / bediend,
                    "cpu_aandeel": (na[0] - voor[0]) / (na[2] - voor[2]),  # 1.0: one core, all the time
                    "relay_batches": batches, "relay_rijen_per_batch": rijen / batches if batches else 0.0,
                }

            opwarmen = await fase(post, bodies[:n_op], n_op, 201)  # warm-up: connections, pools, statement caches
            await fase(health, None, n_op, 200)
            pss_voor = dienst.memory_full_info().pss
            load_voor = os.getloadavg()[0]
            baseline = await fase(health, None, n, 200)
            registratie = await fase(post, bodies[n_op:n_op + n], n, 201, os.environ.get("BENCH_PROFIEL"))
            # The same, each request with its own Idempotency-Key, as the retry contract asks of partners.
            gesleuteld = (await fase(post, bodies[n_op + n:], n, 201, os.environ.get("BENCH_PROFIEL_SLEUTEL"),
                                     sleutels=f"bench-{naam}") if met_sleutels else None)
            load_na = os.getloadavg()[0]
            pss_na = dienst.memory_full_info().pss
        rijen = await _rijen(d["prestaties"].database_url)
    return {
        "rate": rate, "seconds": seconds, "post": registratie, "health": baseline, "load": (load_voor, load_na),
        "gesleuteld": gesleuteld,
        "pss_mib": (pss_voor / 2**20, pss_na / 2**20),
        "cpus": os.cpu_count(), "rijen": rijen,
        "aanvaard": opwarmen["ok"] + registratie["ok"] + (gesleuteld["ok"] if gesleuteld else 0),
        "onbeantwoord": opwarmen["onbeantwoord"] + registratie["onbeantwoord"]
                        + (gesleuteld["onbeantwoord"] if gesleuteld else 0),
    }


@contextlib.contextmanager
def _py_spy(pid: int, seconden: float, pad: str | None) -> Iterator[None]:
    """With ``BENCH_PROFIEL=<file>``: py-spy samples the service during the registration
    phase (250 Hz, collapsed stacks to ``pad``), to see where a registration's CPU goes."""
    if not pad:
        yield
        return
    py_spy = Path(sys.executable).with_name("py-spy")
    proc = subprocess.Popen([str(py_spy), "record", "--pid", str(pid), "--duration", str(max(1, round(seconden))),
                             "--rate", "250", "--format", "raw", "-o", pad], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        yield
    finally:
        proc.wait(timeout=60)


async def _wacht_rustig(health: str, timeout: float = 60.0) -> None:
    """Until the service answers /health at once three times in a row: an overloaded phase
    leaves requests behind that the next phase must not pay for."""
    deadline, vlot = time.monotonic() + timeout, 0
    async with httpx.AsyncClient(timeout=5, trust_env=False) as client:
        while vlot < 3 and time.monotonic() < deadline:
            gestart = time.perf_counter()
            with contextlib.suppress(httpx.HTTPError):
                await client.get(health)
            vlot = vlot + 1 if time.perf_counter() - gestart < 0.02 else 0
            await asyncio.sleep(0.05)


async def _relay_batches(metrics: str) -> tuple[float, float]:
    """The prestaties relay's published batches and rows so far (``wijkwerk_outbox_batch_rows``)."""
    async with httpx.AsyncClient(timeout=5, trust_env=False) as client:
        tekst = (await client.get(metrics)).text
    waarden = {
        s.name: s.value
        for family in text_string_to_metric_families(tekst) if family.name == "wijkwerk_outbox_batch_rows"
        for s in family.samples if s.labels.get("service") == "prestaties"
    }
    return waarden.get("wijkwerk_outbox_batch_rows_count", 0.0), waarden.get("wijkwerk_outbox_batch_rows_sum", 0.0)


def _cpu_s(p: psutil.Process, *, kinderen: bool = False) -> float:
    """CPU seconds (user + system) of ``p``; with ``kinderen`` also of its children, live
    and ended (PostgreSQL's backends: the pool's overflow connections come and go)."""
    t = p.cpu_times()
    total = t.user + t.system
    if kinderen:
        total += t.children_user + t.children_system
        for q in p.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                c = q.cpu_times()
                total += c.user + c.system
    return total


async def _rijen(database_url: str) -> dict[str, int]:
    """What the 201s left behind: prestaties, history rows, PrestatieGeregistreerd outbox rows."""
    conn = await asyncpg.connect(database_url.replace("postgresql+asyncpg", "postgresql"))
    try:
        return {
            "prestaties": await conn.fetchval("SELECT count(*) FROM prestaties"),
            "historiek": await conn.fetchval("SELECT count(*) FROM prestatie_historiek"),
            "outbox": await conn.fetchval("SELECT count(*) FROM outbox WHERE event_type = 'PrestatieGeregistreerd'"),
        }
    finally:
        await conn.close()
