"""Tokens a service presents when it calls another service.

Production: OAuth2 client credentials (RFC 6749 §4.4) at the identity provider's token
endpoint (``AUTH_TOKEN_URL``, ``AUTH_CLIENT_ID``, ``AUTH_CLIENT_SECRET``); the token is
cached and fetched anew ``vernieuw_marge_s`` before it expires, so a call never goes out
with a token about to lapse and the provider sees one request per token lifetime, not one
per call. The embedded default signs one with the local key instead (``wijkwerk token``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

from wijkwerk.auth import mint_token
from wijkwerk.settings import AuthSettings

ServiceToken = Callable[[], Awaitable[str]]
VERNIEUW_MARGE_S = 60.0


class TokenOnbeschikbaar(Exception):
    """No token could be had (provider unreachable, credentials refused, a bad answer)."""


class ClientCredentials:
    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        scopes: list[str],
        *,
        audience: str | None = None,
        vernieuw_marge_s: float = VERNIEUW_MARGE_S,
        timeout_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.token_url = token_url
        self._client_id, self._client_secret = client_id, client_secret
        self._scopes, self._audience = scopes, audience
        self._marge, self._timeout_s, self._clock, self._transport = vernieuw_marge_s, timeout_s, clock, transport
        self._token: str | None = None
        self._vernieuwen_op = 0.0
        self._lock = asyncio.Lock()
        self.fetches = 0  # for tests and metrics

    async def __call__(self) -> str:
        async with self._lock:  # one fetch at a time; the others wait and take its token
            if self._token is None or self._clock() >= self._vernieuwen_op:
                await self._haal()
            assert self._token is not None
            return self._token

    async def _haal(self) -> None:
        self.fetches += 1
        data = {"grant_type": "client_credentials", "scope": " ".join(self._scopes)}
        if self._audience:
            data["audience"] = self._audience  # providers that issue per-audience tokens ask for it
        gevraagd_op = self._clock()
        try:
            # trust_env=False: a proxy from the environment must not see the client secret
            async with httpx.AsyncClient(timeout=self._timeout_s, trust_env=False, transport=self._transport) as c:
                r = await c.post(self.token_url, data=data, auth=(self._client_id, self._client_secret),
                                 headers={"Accept": "application/json"})
            r.raise_for_status()
            body = r.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise TokenOnbeschikbaar(f"The token endpoint {self.token_url} gave no token ({type(exc).__name__}).") from exc
        token, soort, geldig_s = body.get("access_token"), body.get("token_type", "Bearer"), body.get("expires_in")
        if not isinstance(token, str) or not token or str(soort).lower() != "bearer":
            raise TokenOnbeschikbaar(f"The token endpoint {self.token_url} answered without a bearer token.")
        if not isinstance(geldig_s, int | float) or geldig_s <= 0:
            geldig_s = 0  # lifetime unknown: use it for this call only
        # renew a margin before expiry, but at most halfway through a short-lived token
        self._token = token
        self._vernieuwen_op = gevraagd_op + geldig_s - min(self._marge, geldig_s / 2)


def service_token(settings: AuthSettings, *, subject: str, scopes: list[str]) -> ServiceToken | None:
    """The configured way for ``subject`` to get a token with ``scopes``: client credentials
    when a token endpoint is set, else the local key (embedded default), else none."""
    if settings.token_url:
        if not settings.client_id or settings.client_secret is None:
            raise ValueError("AUTH_TOKEN_URL needs AUTH_CLIENT_ID and AUTH_CLIENT_SECRET")
        return ClientCredentials(settings.token_url, settings.client_id, settings.client_secret.get_secret_value(),
                                 scopes, audience=settings.audience)
    if settings.private_key_file:
        sleutel = Path(settings.private_key_file)

        async def lokaal() -> str:
            return mint_token(sleutel, subject=subject, scopes=scopes, org_type="service", issuer=settings.issuer,
                              audience=settings.audience, ttl_seconds=300)

        return lokaal
    return None
