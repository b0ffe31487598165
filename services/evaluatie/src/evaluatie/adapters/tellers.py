"""A worker's counters before entry, asked of prestaties (ADR 0020: the service that owns
the caps answers, nobody copies them), with the caller's own token, so prestaties applies
its own data scope: a worker's token sees its own counters, an organiser its workers'."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx

TIMEOUT_S = 5.0


@dataclass(frozen=True)
class Tellers:
    """``ok`` (with ``gegevens``: prestaties' answer), ``onbekend`` (404: not known there, or
    not the caller's), ``onbereikbaar`` (no answer, or one that cannot be used)."""

    status: str
    gegevens: dict[str, Any] | None = None


async def haal(basis_url: str, token: str, wijkwerker_id: uuid.UUID, op: date, *, verify: Any = True,
               transport: httpx.AsyncBaseTransport | None = None) -> Tellers:
    try:
        async with httpx.AsyncClient(base_url=basis_url, timeout=TIMEOUT_S, trust_env=False, verify=verify,
                                     transport=transport) as client:
            r = await client.get(f"/v1/wijkwerkers/{wijkwerker_id}/tellers", params={"op": op.isoformat()},
                                 headers={"Authorization": f"Bearer {token}"})
    except httpx.HTTPError:
        return Tellers("onbereikbaar")
    if r.status_code == 200:
        return Tellers("ok", r.json())
    return Tellers("onbekend" if r.status_code == 404 else "onbereikbaar")
