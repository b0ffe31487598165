"""Outbound webhooks in the Standard Webhooks format (standardwebhooks.com), the same scheme
the issuer's inbound webhooks are verified with (cheques.domain.handtekening, ADR 0005).

A delivery carries ``webhook-id`` (the delivery's id: the same on every retry and on a
redelivery, so a receiver deduplicates by it), ``webhook-timestamp`` (unix seconds of this
attempt) and ``webhook-signature``: HMAC-SHA256 over ``f"{id}.{timestamp}.{raw body}"`` as
``v1,<base64>``, one per secret valid now, space-separated (a rotation's overlap).

Secrets are ``whsec_`` + base64 of 24 random bytes, as Standard Webhooks libraries generate
and expect them; the key is the decoded bytes.

Retries: :func:`wachttijd` is exponential back-off with "equal jitter": attempt *n* waits
between half and all of ``basis * 2**(n-1)`` (capped), so a crowd of failed deliveries does
not return at one instant, and below the cap a later wait is never shorter than an earlier one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import random
import secrets
from collections.abc import Callable, Sequence

VERSIE = "v1"
PREFIX = "whsec_"
SLEUTEL_BYTES = 24


def nieuw_geheim() -> str:
    """A fresh secret, returned to the subscriber once."""
    return PREFIX + base64.b64encode(secrets.token_bytes(SLEUTEL_BYTES)).decode()


def sleutel(geheim: str) -> bytes:
    if geheim.startswith(PREFIX):
        return base64.b64decode(geheim.removeprefix(PREFIX), validate=True)
    return geheim.encode()


def onderteken(geheim: str, webhook_id: str, tijdstip: int, body: bytes) -> str:
    """The ``v1,<base64>`` signature of one delivery attempt."""
    inhoud = f"{webhook_id}.{tijdstip}.".encode() + body
    return f"{VERSIE},{base64.b64encode(hmac.new(sleutel(geheim), inhoud, hashlib.sha256).digest()).decode()}"


def headers(geheimen: str | Sequence[str], webhook_id: str, tijdstip: int, body: bytes) -> dict[str, str]:
    """The headers of one attempt: one signature per secret, space-separated."""
    lijst = [geheimen] if isinstance(geheimen, str) else list(geheimen)
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(tijdstip),
        "webhook-signature": " ".join(onderteken(g, webhook_id, tijdstip, body) for g in lijst),
        "content-type": "application/json",
    }


def klopt(geheim: str, webhook_id: str, tijdstip: int, body: bytes, handtekening: str) -> bool:
    """Whether any ``v1`` signature in the header matches ``geheim`` (a receiver's check;
    the tests and the README's example use it)."""
    verwacht = onderteken(geheim, webhook_id, tijdstip, body).encode()
    return any([hmac.compare_digest(verwacht, s.encode()) for s in handtekening.split()])


def wachttijd(poging: int, *, basis_s: float, max_s: float, toeval: Callable[[], float] = random.random) -> float:
    """Seconds to wait after failed attempt ``poging`` (1-based) before the next one."""
    if poging < 1:
        raise ValueError("attempts count from 1")
    plafond = min(max_s, basis_s * 2 ** (poging - 1))
    return plafond / 2 + toeval() * plafond / 2
