"""The demo's HTTP side: bounded concurrency, retries after load shedding and while
the services fold the events a call depends on, and signed issuer webhooks."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from datetime import date

import httpx

from wijkwerk_platform.demo.samenvatting import Samenvatting
from wijkwerk_platform.demo.uitgever import Uitgever


class Verzender:
    def __init__(self, client: httpx.AsyncClient, urls: dict[str, str], seed: int, concurrency: int = 16,
                 uitgever_geheim: str | Sequence[str] | None = None, vandaag: date | None = None) -> None:
        self.client = client
        self.urls = urls
        self.seed = seed
        self.gate = asyncio.Semaphore(concurrency)
        self.samenvatting = Samenvatting()
        self.vandaag = vandaag or date.today()
        self.uitgever = Uitgever(client, urls["cheques"], uitgever_geheim) if uitgever_geheim and "cheques" in urls else None
        self._voortgang = None
        # workers with accepted hours: (plan number, wijkwerker_id, name as printed on a certificate)
        self.met_uren: list[tuple[int, str, str]] = []

    # -- HTTP helpers --
    async def _post(self, service: str, path: str, body: dict, wachten: float = 60.0) -> httpx.Response:
        """One POST; a 503 (the service shed load: nothing was done) is sent again after its
        Retry-After, for at most ``wachten`` seconds (README: the retry contract)."""
        deadline = time.monotonic() + wachten
        while True:
            async with self.gate:
                r = await self.client.post(self.urls[service] + path, json=body)
            if r.status_code != 503 or time.monotonic() > deadline:
                return r
            await asyncio.sleep(float(r.headers.get("retry-after", "1")))

    @staticmethod
    def _rule(r: httpx.Response) -> str:
        try:
            return r.json().get("rule") or str(r.status_code)
        except ValueError:
            return str(r.status_code)

    async def _tot_gelukt(self, service: str, path: str, body: dict, wachten: float = 60.0) -> dict | None:
        """POSTs until the service has folded the events it depends on (eventual consistency);
        a call that keeps failing is counted as an unexpected refusal, not raised."""
        deadline = time.monotonic() + wachten
        pauze = 0.05
        while True:
            try:
                r = await self._post(service, path, body)
            except httpx.TransportError as exc:
                # Not retried: the service may have applied it. Counted, and the run goes on.
                self.samenvatting.onverwacht[f"{service}:{type(exc).__name__}"] += 1
                return None
            if r.status_code in (200, 201):
                return r.json()
            if r.status_code in (400, 401, 403) or time.monotonic() > deadline:
                self.samenvatting.onverwacht[f"{service}:{self._rule(r)}"] += 1
                return None
            await asyncio.sleep(pauze)
            pauze = min(1.0, pauze * 1.5)

    async def _webhook(self, body: dict, delivery: str, wachten: float = 60.0) -> bool:
        deadline = time.monotonic() + wachten
        pauze = 0.05
        while True:
            async with self.gate:
                try:
                    r = await self.uitgever.stuur(body, delivery)
                except httpx.TransportError:
                    r = None  # safe to send again: the delivery id makes it apply once
            if r is not None and r.status_code == 200:
                return True
            if time.monotonic() > deadline:
                self.samenvatting.onverwacht[f"webhook:{self._rule(r) if r is not None else 'transport'}"] += 1
                return False
            await asyncio.sleep(pauze)
            pauze = min(1.0, pauze * 1.5)

    def _stap(self, taak, n: int = 1) -> None:
        if self._voortgang is not None:
            self._voortgang.advance(taak, n)
