"""Sends one outbound webhook attempt over HTTP, signed (wijkwerk.webhooks)."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from urllib.parse import urlsplit

import httpx

from evaluatie.adapters.webhooks import TeLeveren
from wijkwerk import webhooks


class HttpVerzender:
    """``stuur`` answers (HTTP status, error): no error for a 2xx. ``alleen_publiek``
    (production): a host that resolves to a private or local address is not called."""

    def __init__(self, client: httpx.AsyncClient, *, alleen_publiek: bool = False) -> None:
        self.client = client
        self.alleen_publiek = alleen_publiek

    @classmethod
    def nieuw(cls, timeout_s: float, *, alleen_publiek: bool = False) -> HttpVerzender:
        # redirects are not followed: a subscriber registers the URL that answers
        return cls(httpx.AsyncClient(timeout=timeout_s, follow_redirects=False), alleen_publiek=alleen_publiek)

    async def sluit(self) -> None:
        await self.client.aclose()

    async def stuur(self, levering: TeLeveren) -> tuple[int | None, str | None]:
        if self.alleen_publiek and not await _publiek(levering.url):
            return None, "the target resolves to a private or local address"
        headers = webhooks.headers(levering.geheimen, str(levering.id), int(time.time()), levering.body)
        try:
            antwoord = await self.client.post(levering.url, content=levering.body, headers=headers)
        except httpx.TimeoutException:
            return None, "timeout"
        except httpx.HTTPError as exc:
            return None, f"{type(exc).__name__}: {exc}"[:500]
        if 200 <= antwoord.status_code < 300:
            return antwoord.status_code, None
        return antwoord.status_code, f"HTTP {antwoord.status_code}"


async def _publiek(url: str) -> bool:
    delen = urlsplit(url)
    try:
        adressen = await asyncio.get_running_loop().getaddrinfo(delen.hostname or "", delen.port or 443,
                                                                type=socket.SOCK_STREAM)
    except OSError:
        return True  # the request itself reports the failure to resolve
    return all(ipaddress.ip_address(a[4][0]).is_global for a in adressen)
