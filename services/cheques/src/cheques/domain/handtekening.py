"""Issuer webhook signatures in the Standard Webhooks format (standardwebhooks.com).

The issuer sends ``webhook-id`` (the delivery id), ``webhook-timestamp`` (unix seconds) and
``webhook-signature``: HMAC-SHA256 with its secret over ``f"{id}.{timestamp}.{raw body}"``,
as ``v1,<base64>``. The delivery id is inside the signed content, so a captured request
cannot be replayed under another id; the timestamp must be neither stale nor ahead of our
clock, so it cannot be replayed later either.

Rotation without downtime: an issuer may have several secrets, each valid in a window.
During an overlap the issuer signs with the new secret (or with both: the header holds
several signatures, space-separated) and a delivery is accepted when any signature matches
any secret valid now; after the old secret's window it no longer opens anything.

A secret ``whsec_<base64>`` (as Standard Webhooks libraries generate them) is used as the
key it encodes; any other string as its UTF-8 bytes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cheques.domain.fouten import Geweigerd

VERSIE = "v1"
PREFIX = "whsec_"


@dataclass(frozen=True)
class Geheim:
    """One webhook secret of an issuer, valid from ``geldig_vanaf`` (inclusive) until
    ``geldig_tot`` (exclusive); an open end is unbounded."""

    waarde: str
    geldig_vanaf: datetime | None = None
    geldig_tot: datetime | None = None

    def geldig_op(self, nu: float) -> bool:
        if self.geldig_vanaf is not None and nu < self.geldig_vanaf.timestamp():
            return False
        return self.geldig_tot is None or nu < self.geldig_tot.timestamp()

    @property
    def sleutel(self) -> bytes:
        if self.waarde.startswith(PREFIX):
            try:
                return base64.b64decode(self.waarde.removeprefix(PREFIX), validate=True)
            except binascii.Error:
                raise ValueError("A whsec_ secret must be base64 after its prefix.") from None
        return self.waarde.encode()


def onderteken(geheim: str, delivery_id: str, tijdstip: int, body: bytes) -> str:
    """The ``v1,<base64>`` signature of one delivery."""
    inhoud = f"{delivery_id}.{tijdstip}.".encode() + body
    mac = hmac.new(Geheim(geheim).sleutel, inhoud, hashlib.sha256).digest()
    return f"{VERSIE},{base64.b64encode(mac).decode()}"


def headers(geheimen: str | Sequence[str], delivery_id: str, tijdstip: int, body: bytes) -> dict[str, str]:
    """What an issuer sends with a delivery (the demo, the tests and a local simulator):
    one signature per secret, space-separated."""
    lijst = [geheimen] if isinstance(geheimen, str) else list(geheimen)
    return {
        "webhook-id": delivery_id,
        "webhook-timestamp": str(tijdstip),
        "webhook-signature": " ".join(onderteken(g, delivery_id, tijdstip, body) for g in lijst),
    }


def controleer(
    geheimen: Sequence[Geheim],
    delivery_id: str | None,
    tijdstip: str | None,
    handtekening: str | None,
    body: bytes,
    *,
    nu: float,
    max_leeftijd_s: int,
    max_voorsprong_s: int,
) -> int:
    """The verified timestamp, or :class:`Geweigerd` naming what is wrong."""
    if not delivery_id or not tijdstip or not handtekening:
        raise Geweigerd("The webhook is not signed (webhook-id, webhook-timestamp, webhook-signature).",
                        rule="handtekening-ontbreekt")
    try:
        ts = int(tijdstip)
    except ValueError:
        raise Geweigerd("The timestamp is not unix seconds.", rule="tijdstip-ongeldig") from None
    if nu - ts > max_leeftijd_s:
        raise Geweigerd(f"The webhook is older than {max_leeftijd_s} s.", rule="webhook-verouderd")
    if ts - nu > max_voorsprong_s:
        raise Geweigerd(f"The timestamp is more than {max_voorsprong_s} s ahead.", rule="webhook-uit-de-toekomst")
    gegeven = [d.encode() for v, _, d in (s.partition(",") for s in handtekening.split()) if v == VERSIE and d]
    # Unknown issuer, no secret valid now and a bad signature answer alike: the caller
    # learns nothing about our issuers or their rotation.
    for geheim in (g for g in geheimen if g.geldig_op(nu)):
        verwacht = onderteken(geheim.waarde, delivery_id, ts, body).partition(",")[2].encode()
        # every candidate compared, in constant time each
        if any([hmac.compare_digest(verwacht, d) for d in gegeven]):
            return ts
    raise Geweigerd("The signature does not match.", rule="handtekening-ongeldig")
