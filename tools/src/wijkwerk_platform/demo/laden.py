"""Sending the plan: organisers first, then gebruikers, dossiers and cheques, each with
bounded concurrency."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import httpx
from dateutil.relativedelta import relativedelta

from wijkwerk.auth import mint_token
from wijkwerk_platform.demo import wereld
from wijkwerk_platform.demo.catalogus import Catalogus
from wijkwerk_platform.demo.dossiers import Dossiers
from wijkwerk_platform.demo.getuigschriften import Getuigschriften
from wijkwerk_platform.demo.partner import Partner
from wijkwerk_platform.demo.plan import plan
from wijkwerk_platform.demo.samenvatting import Samenvatting
from wijkwerk_platform.demo.signalen import Signalen
from wijkwerk_platform.demo.uitgever import embedded_uitgever_geheimen
from wijkwerk_platform.demo.webhooks import Webhooks

SCOPES = [
    "toeleiding:admin", "toeleiding:read", "toeleiding:write",
    "prestaties:read", "prestaties:write", "prestaties:admin", "prestaties:beslechten",
    "cheques:read", "cheques:admin", "cheques:refund", "cheques:signalen", "evaluatie:write", "rapportering:read", "webhooks:beheer",
]


class DemoLoader(Catalogus, Dossiers, Webhooks, Getuigschriften, Signalen):
    async def laad(self, scale: float) -> Samenvatting:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        begonnen = time.monotonic()
        plannen = plan(self.seed, scale, self.vandaag)
        self.samenvatting.van = self.vandaag - relativedelta(months=wereld.WERELD_MAANDEN)
        self.samenvatting.tot = self.vandaag
        partner = Partner(self.client, self.urls["evaluatie"]) if "evaluatie" in self.urls else None
        if partner is not None:
            await partner.start()
        await self.organisatoren(plannen)
        volledig = "prestaties" in self.urls
        with Progress(TextColumn("{task.description:<12}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), disable=not sys.stderr.isatty(), console=None) as voortgang:
            self._voortgang = voortgang
            alle_gebruikers = [(p, g) for p in plannen for g in p.gebruikers] if volledig else []
            t_g = voortgang.add_task("gebruikers", total=len(alle_gebruikers))
            t_w = voortgang.add_task("dossiers", total=sum(len(p.werkers) for p in plannen))
            t_c = voortgang.add_task("cheques", total=len(alle_gebruikers))
            await asyncio.gather(*(self.activiteiten(p) for p in plannen))
            await asyncio.gather(*(self.gebruiker(p, g, t_g) for p, g in alle_gebruikers))
            await asyncio.gather(*(self.wijkwerker(p, w, t_w) for p in plannen for w in p.werkers))
            await asyncio.gather(*(self.cheques(p, g, t_c) for p, g in alle_gebruikers))
            await self.vervallingen()
            await self.signalen(2 * self.samenvatting.signalen_verwacht)
        if "evaluatie" in self.urls and volledig:
            await self.getuigschriften()
        self._voortgang = None
        if partner is not None:
            await partner.stop()
            self.samenvatting.webhooks_ontvangen = len(partner.gezien)
            self.samenvatting.webhooks_ongeldig = partner.ongeldig
        self.samenvatting.seconden = time.monotonic() - begonnen
        return self.samenvatting


async def load(urls: dict[str, str], *, scale: float, seed: int, token: str,
               uitgever_geheim: str | Sequence[str] | None = None, concurrency: int = 16) -> Samenvatting:
    headers = {"Authorization": f"Bearer {token}"}
    # Idle connections are dropped before uvicorn's 5 s keep-alive timeout closes them: a
    # request sent on a connection the server is closing fails with a ReadError.
    limits = httpx.Limits(max_connections=concurrency * 2, max_keepalive_connections=concurrency * 2,
                          keepalive_expiry=2.0)
    async with httpx.AsyncClient(headers=headers, timeout=60, trust_env=False, limits=limits) as client:
        return await DemoLoader(client, urls, seed, concurrency, uitgever_geheim).laad(scale)


def run_demo(urls: dict[str, str], *, scale: float = 1.0, seed: int = 42, private_key: Path,
             uitgever_geheim: str | Sequence[str] | None = None) -> Samenvatting:
    """Fill the system at ``urls``. The issuer's webhook secrets default to those configured
    for cheques (CHEQUES_ISSUER_SECRETS), else to the embedded default's, derived from the
    local signing key (``wijkwerk_platform.demo.uitgever``)."""
    token = mint_token(private_key, subject="demo", scopes=SCOPES, org_type="vdab", ttl_seconds=6 * 3600)
    if uitgever_geheim is None and "cheques" in urls:
        uitgever_geheim = embedded_uitgever_geheimen(private_key)
    return asyncio.run(load(urls, scale=scale, seed=seed, token=token, uitgever_geheim=uitgever_geheim))
