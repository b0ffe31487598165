"""The delivery worker of outbound webhooks: sends due deliveries, signed, at least once.

Each pass leases a bounded batch of due rows (SKIP LOCKED: replicas share the work, no
in-memory queue), sends them with at most ``gelijktijdig`` requests in flight, each with a
timeout, and records every attempt. A 2xx is delivered; anything else (another status, a
timeout, a refused connection) is retried after :func:`wijkwerk.webhooks.wachttijd`, until
``max_pogingen`` attempts in the round, then ``mislukt`` (a redelivery starts a new round).
Redirects are not followed: a subscriber registers the URL that answers.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from evaluatie.adapters.verzender import HttpVerzender
from evaluatie.adapters.webhooks import Bezorging, TeLeveren
from wijkwerk import webhooks
from wijkwerk.observability import WEBHOOK_ATTEMPTS, WEBHOOK_OLDEST_PENDING

LEVERINGEN, OUDSTE_WACHTEND = WEBHOOK_ATTEMPTS, WEBHOOK_OLDEST_PENDING


@dataclass(frozen=True)
class Beleid:
    batch: int = 50
    gelijktijdig: int = 8
    timeout_s: float = 10.0
    basis_s: float = 30.0
    max_wacht_s: float = 6 * 3600.0
    max_pogingen: int = 12
    # production: a host name that resolves to a private or local address is not called
    # (a subscriber must not reach our internal network through us)
    alleen_publiek: bool = False

    @property
    def lease_s(self) -> float:
        # longer than any request of a batch can take, so a lease never ends mid-request
        return self.timeout_s * 3 + 30


class Verzender(Protocol):
    async def stuur(self, levering: TeLeveren) -> tuple[int | None, str | None]: ...


async def bezorg(sessions: async_sessionmaker[AsyncSession], beleid: Beleid, *, verzender: Verzender | None = None,
                 service: str = "evaluatie") -> int:
    """One pass: the number of deliveries attempted (a full batch: call again)."""
    async with sessions() as session, session.begin():
        batch = await Bezorging(session).claim(beleid.batch, beleid.lease_s)
        OUDSTE_WACHTEND.labels(service).set(await Bezorging(session).oudste_wachtend_s())
    if not batch:
        return 0
    eigen = HttpVerzender.nieuw(beleid.timeout_s, alleen_publiek=beleid.alleen_publiek) if verzender is None else None
    verzend = verzender or eigen
    assert verzend is not None
    slots = asyncio.Semaphore(beleid.gelijktijdig)

    async def een(levering: TeLeveren) -> None:
        async with slots:
            status, fout = await verzend.stuur(levering)
        async with sessions() as session, session.begin():
            uitkomst = await _leg_vast(Bezorging(session), levering, status, fout, beleid)
        LEVERINGEN.labels(service, uitkomst).inc()

    try:
        await asyncio.gather(*(een(levering) for levering in batch))
    finally:
        if eigen is not None:
            await eigen.sluit()
    return len(batch)


async def _leg_vast(bezorging: Bezorging, levering: TeLeveren, status: int | None, fout: str | None,
                    beleid: Beleid) -> str:
    if fout is None and status is not None:
        await bezorging.geleverd(levering, status)
        return "geleverd"
    poging = levering.ronde_pogingen + 1
    if poging >= beleid.max_pogingen:
        await bezorging.mislukt(levering, status, fout or "?", None)
        return "mislukt"
    wacht = webhooks.wachttijd(poging, basis_s=beleid.basis_s, max_s=beleid.max_wacht_s)
    await bezorging.mislukt(levering, status, fout or "?", wacht)
    return "opnieuw"


async def bezorg_tot_leeg(sessions: async_sessionmaker[AsyncSession], beleid: Beleid, service: str = "evaluatie") -> None:
    """The periodic job: passes until a batch is not full (bounded by the due rows)."""
    while await bezorg(sessions, beleid, service=service) >= beleid.batch:
        pass


async def ruim_op(sessions: async_sessionmaker[AsyncSession], bewaar_dagen: int, batch: int = 1000) -> int:
    """The retention job: finished deliveries older than ``bewaar_dagen`` go, with their
    attempts, in transactions of at most ``batch`` (no long lock, bounded memory); the
    number deleted. The delivery log shows a subscriber that period, no more."""
    weg = 0
    while True:
        async with sessions() as session, session.begin():
            n = await Bezorging(session).ruim_op(bewaar_dagen, batch)
        weg += n
        if n < batch:
            return weg
