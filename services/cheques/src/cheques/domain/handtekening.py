"""Issuer webhook signatures: HMAC-SHA256 over ``f"{timestamp}.{raw_body}"`` with the
issuer's secret, sent as ``v1=<hex>``; the timestamp (unix seconds) must be neither stale
nor ahead of our clock, so a captured request cannot be replayed later."""

from __future__ import annotations

import hashlib
import hmac

from cheques.domain.fouten import Geweigerd

VERSIE = "v1"


def onderteken(geheim: str, tijdstip: int, body: bytes) -> str:
    mac = hmac.new(geheim.encode(), f"{tijdstip}.".encode() + body, hashlib.sha256)
    return f"{VERSIE}={mac.hexdigest()}"


def controleer(
    geheim: str | None,
    tijdstip: str | None,
    handtekening: str | None,
    body: bytes,
    *,
    nu: float,
    max_leeftijd_s: int,
    max_voorsprong_s: int,
) -> int:
    """The verified timestamp, or :class:`Geweigerd` naming what is wrong."""
    if not tijdstip or not handtekening:
        raise Geweigerd("The webhook is not signed.", rule="handtekening-ontbreekt")
    try:
        ts = int(tijdstip)
    except ValueError:
        raise Geweigerd("The timestamp is not unix seconds.", rule="tijdstip-ongeldig") from None
    if nu - ts > max_leeftijd_s:
        raise Geweigerd(f"The webhook is older than {max_leeftijd_s} s.", rule="webhook-verouderd")
    if ts - nu > max_voorsprong_s:
        raise Geweigerd(f"The timestamp is more than {max_voorsprong_s} s ahead.", rule="webhook-uit-de-toekomst")
    # Unknown issuer and bad signature answer alike: the caller learns nothing about our issuers.
    verwacht = onderteken(geheim, ts, body) if geheim else f"{VERSIE}="
    if not geheim or not hmac.compare_digest(verwacht.encode(), handtekening.strip().encode()):
        raise Geweigerd("The signature does not match.", rule="handtekening-ongeldig")
    return ts
