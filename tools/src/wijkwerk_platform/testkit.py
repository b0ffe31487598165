"""Helpers for API tests: an in-process app with its lifespan, tokens, and events."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from datetime import time as kloktijd
from pathlib import Path

import httpx
import jwt
from fastapi import FastAPI

from wijkwerk.auth import LOCAL_KEY_ID, ensure_local_keypair, mint_token
from wijkwerk.events.prestaties import PrestatieGeregistreerd
from wijkwerk.settings import AuthSettings


@dataclass(frozen=True)
class Tokens:
    private_key: Path
    public_key: Path

    @classmethod
    def create(cls, keys_dir: Path) -> Tokens:
        return cls(*ensure_local_keypair(keys_dir))

    def auth_settings(self) -> AuthSettings:
        return AuthSettings(public_key_file=str(self.public_key), private_key_file=str(self.private_key))

    def mint(self, *scopes: str, org: str | None = None, org_type: str | None = "vdab", sub: str = "test") -> str:
        return mint_token(self.private_key, subject=sub, scopes=list(scopes), org=str(org) if org else None, org_type=org_type)

    def headers(self, *scopes: str, **kw) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.mint(*scopes, **kw)}"}

    def sign(self, **claims: object) -> str:
        """A validly signed token with exactly these claims on top of the registered ones
        (iss, aud, sub, iat, exp); a claim given as None is left out. For tokens an
        identity provider might get wrong."""
        now = int(time.time())
        alle = {"iss": "wijkwerk-local", "aud": "wijkwerk", "sub": "test", "iat": now, "exp": now + 600} | claims
        return jwt.encode({k: v for k, v in alle.items() if v is not None}, self.private_key.read_bytes(),
                          algorithm="RS256", headers={"kid": LOCAL_KEY_ID})


# Tokens a real identity provider might mint by mistake (a mapping left out, a value in
# another case, an organiser without its id): every one is refused with 403 and a rule, on
# every guarded endpoint. (name, claims on top of a valid token, the rule of the refusal)
VERKEERDE_ORGANISATIES: list[tuple[str, dict[str, object], str]] = [
    ("org_type ontbreekt", {"org_type": None}, "org-type-ontbreekt"),
    ("org_type leeg", {"org_type": ""}, "org-type-ontbreekt"),
    ("org_type in hoofdletters", {"org_type": "VDAB"}, "org-type-onbekend"),
    ("org_type met spatie", {"org_type": "vdab "}, "org-type-onbekend"),
    ("org_type onbekend", {"org_type": "admin"}, "org-type-onbekend"),
    ("org_type als lijst", {"org_type": ["vdab"]}, "org-type-onbekend"),
    ("uitgever is geen org_type", {"org_type": "issuer"}, "org-type-onbekend"),
    ("organisator zonder org", {"org_type": "organisator"}, "org-ontbreekt"),
    ("organisator met lege org", {"org_type": "organisator", "org": ""}, "org-ontbreekt"),
    ("organisator met naam als org", {"org_type": "organisator", "org": "Wijk-werken Brugge"}, "org-ongeldig"),
    ("gebruiker zonder org", {"org_type": "gebruiker"}, "org-ontbreekt"),
    ("toeleider zonder org", {"org_type": "toeleider"}, "org-ontbreekt"),
    ("org als getal", {"org_type": "organisator", "org": 42}, "org-ongeldig"),
    ("scope als getal", {"org_type": "vdab", "scope": 42}, "scope-ongeldig"),
]


@asynccontextmanager
async def api_client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client talking to ``app`` in-process, with the app's lifespan running."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


def prestatie_geregistreerd(**velden: object) -> PrestatieGeregistreerd:
    """A valid ``PrestatieGeregistreerd`` of one started hour (60 minutes from 09:00, no
    travel allowance) with fresh ids; ``velden`` sets what a test is about."""
    standaard: dict[str, object] = {
        "prestatie_id": uuid.uuid4(), "wijkwerker_id": uuid.uuid4(), "gebruiker_id": uuid.uuid4(),
        "organisator_id": uuid.uuid4(), "koppeling_id": uuid.uuid4(), "traject_id": uuid.uuid4(),
        "activiteit_id": uuid.uuid4(), "datum": date(2026, 1, 5), "door": "wijkwerker",
        "activiteit_categorie": "groen", "gebruiker_categorie": "school", "locatie_nis_code": "36015",
        "start": kloktijd(9), "minuten": 60, "begonnen_uren": 1, "afstand_km": 1,
        "recht_op_verplaatsingsvergoeding": False, "verplaatsingsvergoeding_dag_cent": 0,
    }
    return PrestatieGeregistreerd(**(standaard | velden))


async def archiveer(engine, waarden: list[tuple[str, bytes]]) -> None:
    """Writes (key, envelope bytes) into a service database's outbox as published rows, as
    its relay would have: the archive trigger keeps them in ``gebeurtenissen``."""
    from sqlalchemy import text

    from wijkwerk.events import Envelope

    rows = []
    for key, value in waarden:
        envelope = Envelope.from_bytes(value)
        rows.append({"event_id": envelope.event_id, "event_type": envelope.event_type, "key": key, "value": value})
    async with engine.begin() as conn:
        await conn.execute(text(
            "INSERT INTO outbox (event_id, event_type, topic, key, value, published_at) "
            "VALUES (:event_id, :event_type, 'test', :key, :value, now()) ON CONFLICT (event_id) DO NOTHING"), rows)
