"""Figure 3's load generator, run in a second process: open-loop requests at a fixed rate.

Request i is due at ``t0 + i / rate`` and is sent then whether or not earlier ones have been
answered; its latency runs from that due time, so a stall shows up in the figure instead of
slowing the sender down (no coordinated omission).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter

import aiohttp

# The generator's limit of requests in flight (and connections); a request waiting for a
# slot is late, and counted so.
CONNECTIES = 64
TIMEOUT_S = 10.0  # per request; and how long a phase waits for answers after its last send


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))] if values else float("nan")


async def _belast(url: str, bodies: list[bytes] | None, headers: dict[str, str], rate: float, n: int,
                  verwacht: int, connecties: int = CONNECTIES, sleutels: str | None = None) -> dict:
    # aiohttp, not httpx: at 200 req/s with dozens of requests in flight httpx's client took
    # 0.8 of a core (8 ms a request) and the generator, not the server, set the pace.
    # Idle connections are dropped before uvicorn's 5 s keep-alive timeout would close them
    # under a request in flight (an error the server is not to blame for).
    headers = {**headers, "content-type": "application/json"}
    latenties: list[float] = []
    fouten: Counter[str] = Counter()
    connector = aiohttp.TCPConnector(limit=connecties, keepalive_timeout=2.0)
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_S)
    async with aiohttp.ClientSession(headers=headers, connector=connector, timeout=timeout,
                                     trust_env=False) as client:
        loop = asyncio.get_running_loop()
        klaar = 0.0
        vrij = asyncio.Semaphore(connecties)

        async def een(i: int, gepland: float) -> None:
            nonlocal klaar
            try:
                async with vrij, client.request("GET" if bodies is None else "POST", url,
                                                data=None if bodies is None else bodies[i],
                                                headers={"Idempotency-Key": f"{sleutels}-{i}"} if sleutels else None
                                                ) as r:
                    await r.read()
                uitkomst = str(r.status) if r.status != verwacht else None
            except (TimeoutError, aiohttp.ClientError) as exc:
                uitkomst = type(exc).__name__
            klaar = max(klaar, loop.time())
            if uitkomst is None:
                latenties.append(loop.time() - gepland)
            else:
                fouten[uitkomst] += 1

        taken = []
        t0 = loop.time() + 0.05
        for i in range(n):
            gepland = t0 + i / rate
            if (wacht := gepland - loop.time()) > 0:
                await asyncio.sleep(wacht)
            taken.append(asyncio.create_task(een(i, gepland)))
        achter = loop.time() - (t0 + (n - 1) / rate)  # how late the last send left
        # Bounded: what is not answered TIMEOUT_S after the last send is an error (the server
        # may still finish it: the caller of a phase allows for that).
        _, open_ = await asyncio.wait(taken, timeout=TIMEOUT_S)
        for t in open_:
            t.cancel()
        await asyncio.gather(*open_, return_exceptions=True)
        fouten["onbeantwoord"] += len(open_)
        fouten = +fouten
    return {
        "n": n, "ok": len(latenties), "fouten": dict(fouten), "onbeantwoord": len(open_),
        "rps": len(latenties) / max(klaar - t0, 1e-9),
        "p50_ms": _pct(latenties, 50) * 1000, "p99_ms": _pct(latenties, 99) * 1000,
        "max_ms": max(latenties, default=float("nan")) * 1000, "zender_achter_ms": achter * 1000,
    }


def belast(url: str, bodies: list[bytes] | None, headers: dict[str, str], rate: float, n: int, verwacht: int,
           connecties: int = CONNECTIES, sleutels: str | None = None) -> dict:
    """One open-loop phase: ``n`` requests at ``rate``/s (entry point of the second process),
    at most ``connecties`` in flight (more than the server's limit to see it shed load); with
    ``sleutels``, each request carries its own ``Idempotency-Key`` (the partners' retry contract)."""
    with contextlib.suppress(ImportError):
        import uvloop

        return uvloop.run(_belast(url, bodies, headers, rate, n, verwacht, connecties, sleutels))
    return asyncio.run(_belast(url, bodies, headers, rate, n, verwacht, connecties, sleutels))
