"""A partner's back office for the demo world: it subscribes to outbound webhooks (as VDAB,
for every organiser) and receives them on 127.0.0.1 while the demo loads, checking each
delivery's Standard Webhooks signature with the secret it was given, as a partner would.
At the end it waits until the deliveries stop coming and nothing is pending, then ends its
subscription, so no delivery is left failing once the demo is gone; the dashboard's
pipelines then show what was delivered (issue #23 item 6)."""

from __future__ import annotations

import asyncio
import time

import httpx
from aiohttp import web

from wijkwerk import webhooks

TYPES = ["traject.gestart", "traject.beeindigd", "evaluatie.achterstallig", "uitbetaling.uitgevoerd"]


class Partner:
    def __init__(self, client: httpx.AsyncClient, evaluatie_url: str) -> None:
        self.client = client
        self.evaluatie_url = evaluatie_url
        self.ontvangen = 0
        self.ongeldig = 0
        self.gezien: set[str] = set()
        self._geheim = ""
        self._abonnement: str | None = None
        self._runner: web.AppRunner | None = None

    async def _ontvang(self, request: web.Request) -> web.Response:
        body = await request.read()
        h = request.headers
        if not webhooks.klopt(self._geheim, h.get("webhook-id", ""), int(h.get("webhook-timestamp", "0")), body,
                              h.get("webhook-signature", "")):
            self.ongeldig += 1
            return web.Response(status=401)
        self.ontvangen += 1
        self.gezien.add(h["webhook-id"])  # at least once: the id tells a redelivery apart
        return web.Response(status=204)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/webhooks", self._ontvang)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        poort = self._runner.addresses[0][1]
        r = await self.client.post(f"{self.evaluatie_url}/v1/abonnementen",
                                   json={"url": f"http://127.0.0.1:{poort}/webhooks", "types": TYPES})
        r.raise_for_status()
        self._abonnement, self._geheim = r.json()["id"], r.json()["geheim"]

    async def stop(self, stil_s: float = 3.0, max_s: float = 60.0) -> None:
        """Once ``stil_s`` passed without a new delivery and none is pending (at most
        ``max_s``): the subscription ends and the endpoint closes."""
        deadline = time.monotonic() + max_s
        laatst, sinds = -1, time.monotonic()
        try:
            while time.monotonic() < deadline and self._abonnement is not None:
                if self.ontvangen != laatst:
                    laatst, sinds = self.ontvangen, time.monotonic()
                elif time.monotonic() - sinds >= stil_s and not await self._wachtend():
                    break
                await asyncio.sleep(0.5)
        finally:
            if self._abonnement is not None:
                await self.client.delete(f"{self.evaluatie_url}/v1/abonnementen/{self._abonnement}")
            if self._runner is not None:
                await self._runner.cleanup()

    async def _wachtend(self) -> bool:
        r = await self.client.get(f"{self.evaluatie_url}/v1/abonnementen/{self._abonnement}/leveringen",
                                  params={"status": "wachtend", "limit": 1})
        return r.status_code != 200 or bool(r.json())
