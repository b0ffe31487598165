"""A worker's payout slip (PDF), asked of cheques, which renders it from its ledger (ADR
0022), with the caller's own token, so cheques applies its own data scope."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

TIMEOUT_S = 15.0


async def haal(basis_url: str, token: str, wijkwerker_id: uuid.UUID, periode: str, *, verify: Any = True,
               transport: httpx.AsyncBaseTransport | None = None) -> tuple[int, bytes]:
    """cheques' status and body; (0, b"") when it does not answer."""
    try:
        async with httpx.AsyncClient(base_url=basis_url, timeout=TIMEOUT_S, trust_env=False, verify=verify,
                                     transport=transport) as client:
            r = await client.get(f"/v1/wijkwerkers/{wijkwerker_id}/loonbrieven/{periode}",
                                 headers={"Authorization": f"Bearer {token}"})
    except httpx.HTTPError:
        return 0, b""
    return r.status_code, r.content
