"""The cheque issuer as the demo plays it: webhooks signed by the documented scheme, with
no code of the cheques service.

The scheme is Standard Webhooks (standardwebhooks.com; cheques' README, ADR 0005): headers
``webhook-id`` (the delivery id), ``webhook-timestamp`` (unix seconds) and
``webhook-signature``: ``v1,<base64 HMAC-SHA256>`` over ``"{id}.{timestamp}.{raw body}"``,
one per secret, space-separated. A ``whsec_<base64>`` secret is used as the key it encodes,
any other string as its UTF-8 bytes.

The secrets are read as cheques reads them: ``CHEQUES_ISSUER_SECRETS`` (one secret or a
list with validity windows per issuer). Without it, the embedded default derives the
issuer's secret from the local signing key, the documented way a local simulator does.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import httpx
import orjson
from pydantic import AwareDatetime, BaseModel, ConfigDict
from pydantic_settings import BaseSettings, SettingsConfigDict

VERSIE = "v1"
PREFIX = "whsec_"
UITGEVER = "vdab"


def sleutel(geheim: str) -> bytes:
    if geheim.startswith(PREFIX):
        return base64.b64decode(geheim.removeprefix(PREFIX), validate=True)
    return geheim.encode()


def onderteken(geheim: str, delivery_id: str, tijdstip: int, body: bytes) -> str:
    """The ``v1,<base64>`` signature of one delivery."""
    mac = hmac.new(sleutel(geheim), f"{delivery_id}.{tijdstip}.".encode() + body, hashlib.sha256).digest()
    return f"{VERSIE},{base64.b64encode(mac).decode()}"


def headers(geheimen: Sequence[str], delivery_id: str, tijdstip: int, body: bytes) -> dict[str, str]:
    """What the issuer sends with a delivery: one signature per secret."""
    return {
        "webhook-id": delivery_id,
        "webhook-timestamp": str(tijdstip),
        "webhook-signature": " ".join(onderteken(g, delivery_id, tijdstip, body) for g in geheimen),
    }


class _Geheim(BaseModel):
    model_config = ConfigDict(extra="ignore")

    secret: str
    valid_from: AwareDatetime | None = None
    valid_until: AwareDatetime | None = None

    def geldig_op(self, nu: datetime) -> bool:
        return (self.valid_from is None or self.valid_from <= nu) and (self.valid_until is None or nu < self.valid_until)


class UitgeverSettings(BaseSettings):
    """The issuers' secrets as the cheques service is configured with them."""

    model_config = SettingsConfigDict(env_prefix="CHEQUES_", extra="ignore")

    issuer_secrets: dict[str, str | list[_Geheim]] = {}

    def geheimen(self, uitgever: str, nu: datetime) -> list[str]:
        """The issuer's secrets valid at ``nu`` (during a rotation both, as the issuer signs)."""
        waarde = self.issuer_secrets.get(uitgever, [])
        if isinstance(waarde, str):
            return [waarde]
        return [g.secret for g in waarde if g.geldig_op(nu)]


def embedded_uitgever_geheim(private_key_file: str | Path, uitgever: str) -> str:
    """The embedded default's secret of ``uitgever``, derived from the local signing key
    (``sha256(key bytes || "|uitgever:<name>")``, hex), as the cheques service derives it."""
    return hashlib.sha256(Path(private_key_file).read_bytes() + f"|uitgever:{uitgever}".encode()).hexdigest()


def embedded_uitgever_geheimen(private_key_file: str | Path, uitgever: str = UITGEVER) -> list[str]:
    """The secrets to sign with: the configured ones valid now, else the embedded default's."""
    return UitgeverSettings().geheimen(uitgever, datetime.now(UTC)) or [
        embedded_uitgever_geheim(private_key_file, uitgever)]


class Uitgever:
    """The cheque issuer: signs its webhooks (Standard Webhooks headers) with its secrets."""

    def __init__(self, client: httpx.AsyncClient, url: str, geheim: str | Sequence[str]) -> None:
        self.client, self.url = client, url + f"/v1/webhooks/{UITGEVER}"
        self.geheimen = [geheim] if isinstance(geheim, str) else list(geheim)

    async def stuur(self, body: dict, delivery: str) -> httpx.Response:
        raw, ts = orjson.dumps(body), int(time.time())
        return await self.client.post(self.url, content=raw,
                                      headers=headers(self.geheimen, delivery, ts, raw) | {"content-type": "application/json"})
