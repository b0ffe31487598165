"""Figure 7: the whole embedded system's memory under a sustained load (issue #17).

``wijkwerk up`` runs as a user would start it (PostgreSQL, the Tansu broker with its
default topic rotation, the four services with their relays and consumers) in a temporary
directory on free ports. The world is seeded through the public APIs (as figure 3 does),
then ``POST /v1/prestaties`` is offered open-loop at a fixed rate: one minute of warm-up,
then the sustained phase (10 minutes; 2 with ``--quick``). Every registration travels on to
cheques and evaluatie through the broker, so every service's consumer works.

Memory is the PSS (proportional set size) of every process of the system (the supervisor,
PostgreSQL's postmaster and backends, the broker, the four services), read once the
consumers have caught up: after the warm-up (the baseline) and after the sustained phase,
with the highest reading of each minute in between. Target: after ≤ 1.2 × warmed up.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

import httpx
import psutil

from bench.api import HOST, _wacht_rustig, aanvragen, belast, zaai
from wijkwerk.auth import ensure_local_keypair
from wijkwerk_platform.embedded import child_env, free_port, log_tail, parent_death_signal, stop_process
from wijkwerk_platform.testkit import Tokens

DIENSTEN = ("toeleiding", "prestaties", "cheques", "evaluatie")
RATE = 40.0  # registrations a second: a busy day for all of Flanders is far below this
WERKERS = 110  # enough (worker, day) pairs for ≈ 35,000 one-hour registrations under the caps


def _poortbasis() -> int:
    """A base B with B+1 … B+4 free (``wijkwerk up --port-base``)."""
    for _ in range(50):
        basis = free_port()
        with contextlib.ExitStack() as stack:
            try:
                for i in range(1, 5):
                    s = stack.enter_context(socket.socket())
                    s.bind((HOST, basis + i))
            except OSError:
                continue
            return basis
    raise RuntimeError("no four consecutive free ports")


def pss_bytes(root: psutil.Process) -> dict[str, int]:
    """PSS per kind of process in the tree under ``root`` (the supervisor included)."""
    delen: dict[str, int] = {}
    for p in [root, *root.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            cmd = " ".join(p.cmdline())
            soort = next((d for d in DIENSTEN if f"{d}.entrypoints" in cmd or f"{d}:" in cmd), None) or (
                "postgres" if "postgres" in p.name() else "broker" if "tansu" in cmd else "supervisor")
            delen[soort] = delen.get(soort, 0) + p.memory_full_info().pss
    return delen


async def _gereed(urls: dict[str, str], proc: subprocess.Popen, log: Path, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(timeout=2.0, trust_env=False) as client:
        for url in urls.values():
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"wijkwerk up exited {proc.returncode}:\n{log_tail(log)}")
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get(url + "/ready")).status_code == 200:
                        break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{url} not ready within {timeout:.0f} s:\n{log_tail(log)}")
                await asyncio.sleep(0.2)


async def _bij(urls: dict[str, str], timeout: float = 300.0) -> None:
    """Until every service's consumers report lag 0 (``/ready``'s consumer detail is not
    enough: the lag is in the metrics), then until each answers /health at once."""
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(timeout=5.0, trust_env=False) as client:
        for url in urls.values():
            while time.monotonic() < deadline:
                tekst = (await client.get(url + "/metrics")).text
                lags = [float(regel.rsplit(" ", 1)[1]) for regel in tekst.splitlines()
                        if regel.startswith("wijkwerk_consumer_lag{")]
                if not any(lags):
                    break
                await asyncio.sleep(0.5)
            await _wacht_rustig(url + "/health")


async def run(seconds: float = 600.0, rate: float = RATE) -> dict:
    with tempfile.TemporaryDirectory(prefix="wijkwerk-duurlast-") as tmp:
        root = Path(tmp)
        tokens = Tokens(*ensure_local_keypair(root / "data" / "keys"))
        basis = _poortbasis()
        urls = {d: f"http://{HOST}:{basis + i}" for i, d in enumerate(DIENSTEN, start=1)}
        log = root / "up.log"
        with log.open("ab") as out:
            proc = subprocess.Popen(
                [str(Path(sys.executable).parent / "wijkwerk"), "up", "--data-dir", str(root / "data"),
                 "--pg-port", str(free_port()), "--kafka-port", str(free_port()), "--port-base", str(basis)],
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=child_env(),
                start_new_session=True, preexec_fn=parent_death_signal(signal.SIGTERM),
            )
        try:
            await _gereed(urls, proc, log)
            systeem = psutil.Process(proc.pid)
            w = await zaai(urls, tokens, WERKERS, date.today())
            opwarm_n, n = round(rate * 60), round(rate * seconds)
            bodies = aanvragen(w, opwarm_n + n)
            headers = tokens.headers("prestaties:read", "prestaties:write", org=w.organisator_id,
                                     org_type="organisator")
            post = urls["prestaties"] + "/v1/prestaties"
            loop = asyncio.get_running_loop()
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as generator:
                opwarmen = await loop.run_in_executor(generator, belast, post, bodies[:opwarm_n], headers, rate,
                                                      opwarm_n, 201)
                await _bij(urls)
                warm = pss_bytes(systeem)
                minuten, fouten, aanvaard = [], dict(opwarmen["fouten"]), opwarmen["ok"]
                for begin in range(opwarm_n, opwarm_n + n, round(rate * 60)):
                    deel = bodies[begin:min(begin + round(rate * 60), opwarm_n + n)]
                    r = await loop.run_in_executor(generator, belast, post, deel, headers, rate, len(deel), 201)
                    aanvaard += r["ok"]
                    for k, v in r["fouten"].items():
                        fouten[k] = fouten.get(k, 0) + v
                    minuten.append(sum(pss_bytes(systeem).values()))
            await _bij(urls)
            na = pss_bytes(systeem)
        finally:
            stop_process(proc, timeout=60.0)
    return {"seconds": seconds, "rate": rate, "warm": warm, "na": na, "minuten": minuten,
            "aanvaard": aanvaard, "fouten": fouten}
