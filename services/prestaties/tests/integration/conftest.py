"""One migrated database and app per module (tests isolate themselves with fresh
organisers, workers and gebruikers), and a builder for a complete little world: the
toeleiding facts folded through the consumer's handlers, the rest through the API."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from prestaties.config import Settings
from prestaties.entrypoints.api import create_app
from prestaties.service_layer.consumenten.referentie import HANDLERS
from prestaties.service_layer.uow import PrestatiesUnitOfWork
from wijkwerk.db import create_engine, session_factory
from wijkwerk.events import Envelope, Event
from wijkwerk.events.toeleiding import Gemeente, OrganisatorGeregistreerd, OvereenkomstGetekend, TrajectGestart
from wijkwerk.messaging.consumer import pas_toe
from wijkwerk_platform.testing import migrated_database
from wijkwerk_platform.testkit import Tokens, api_client

ALLES = ("prestaties:read", "prestaties:write", "prestaties:admin")


@dataclass
class Env:
    client: httpx.AsyncClient
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    tokens: Tokens
    url: str

    _headers: dict = field(default_factory=dict)

    def h(self, *scopes: str, **kw) -> dict[str, str]:
        # Loading the RSA key costs ~50 ms per token, so each kind of token is minted once.
        sleutel = (scopes or ALLES, tuple(sorted(kw.items())))
        if sleutel not in self._headers:
            self._headers[sleutel] = self.tokens.headers(*sleutel[0], **kw)
        return self._headers[sleutel]

    async def fold(self, *events: Event) -> None:
        """Apply toeleiding events as the consumer does, in one transaction."""
        async with self.sessions() as session, session.begin():
            for event in events:
                await pas_toe(HANDLERS[type(event)], event, PrestatiesUnitOfWork.joined(session, envelope=Envelope.wrap(event, producer="toeleiding")))

    async def scalar(self, sql: str, **params):
        async with self.engine.connect() as conn:
            return await conn.scalar(text(sql), params)

    async def telling(self, wijkwerker_id) -> tuple[int, int]:
        """(prestaties of the worker, all outbox rows): must not move on a rejection."""
        rijen = await self.scalar("SELECT count(*) FROM prestaties WHERE wijkwerker_id = :w", w=wijkwerker_id)
        return rijen, await self.scalar("SELECT count(*) FROM outbox")


SLEUTEL = "vingerafdruk-test"  # the fingerprints' key (ADR 0024)


@pytest.fixture(scope="module")
def tokens(tmp_path_factory) -> Tokens:
    return Tokens.create(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="module")
async def env(embedded_pg, tokens):
    url = migrated_database(embedded_pg, "prestaties", f"prest_{uuid.uuid4().hex[:8]}")
    app = create_app(Settings(database_url=url, run_workers=False, auth=tokens.auth_settings(),
                              WIJKWERK_VINGERAFDRUK_SLEUTEL=SLEUTEL))
    engine = create_engine(url, pool_size=2)
    async with api_client(app) as client:
        yield Env(client, engine, session_factory(engine), tokens, url)
    await engine.dispose()


@dataclass
class Wereld:
    organisator_id: str
    wijkwerker_id: str
    traject_id: str
    gebruiker_id: str
    erkenning_id: str
    activiteit_id: str
    koppeling_id: str

    def prestatie(self, datum: str = "2025-02-04", minuten: int = 130, **kw) -> dict:
        return {"koppeling_id": self.koppeling_id, "datum": datum, "start": "09:00", "minuten": minuten,
                "door": "wijkwerker", **kw}


async def _post(env: Env, path: str, body: dict, headers=None) -> dict:
    r = await env.client.post(path, json=body, headers=headers or env.h())
    assert r.status_code == 201, r.text
    return r.json()


async def bouw_wereld(
    env: Env, *, categorie: str = "school", betaald: bool = True, afstand_km: int = 8,
    gepland_einde: date | None = date(2025, 12, 31),
) -> Wereld:
    """An organiser (Brugge, Oostkamp), a worker whose trajectory runs 6 Jan – 31 Dec 2025
    with a signed agreement, a gebruiker with an erkenning from 6 Jan 2025, an activity
    allowed at schools and vzw's, and a placement."""
    org, wijkwerker, traject = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await env.fold(
        OrganisatorGeregistreerd(
            organisator_id=org, naam="Wijk-werken Brugge", samenwerkingsverband="Werkkracht10",
            gemeenten=(Gemeente(nis_code="31005", naam="Brugge"), Gemeente(nis_code="31022", naam="Oostkamp")),
        ),
        TrajectGestart(
            traject_id=traject, toeleiding_id=uuid.uuid4(), wijkwerker_id=wijkwerker, organisator_id=org,
            start=date(2025, 1, 6), gepland_einde=gepland_einde, max_einde=gepland_einde,
        ),
        OvereenkomstGetekend(traject_id=traject, wijkwerker_id=wijkwerker, organisator_id=org, getekend_op=date(2025, 1, 6)),
    )
    gebruiker = await _post(env, "/v1/gebruikers", {
        "categorie": categorie, "naam": "Basisschool De Linde", "aangemeld_op": "2025-01-06", "aangemeld_bij": str(org),
    })
    erkenning = await _post(env, f"/v1/gebruikers/{gebruiker['id']}/erkenningen", {
        "organisator_id": str(org), "geldig_vanaf": "2025-01-06", "overeenkomst_op": "2025-01-06",
    })
    if betaald:
        r = await env.client.post(f"/v1/erkenningen/{erkenning['id']}/betalingen", json={"betaald_op": "2025-01-06"},
                                  headers=env.h())
        assert r.status_code == 200, r.text
    activiteit = await _post(env, f"/v1/organisatoren/{org}/activiteiten", {
        "naam": "Toezicht speelplaats", "categorie": "onderwijs_en_kinderopvang",
        "toegelaten_categorieen": ["school", "vzw"],
    })
    koppeling = await _post(env, "/v1/koppelingen", {
        "wijkwerker_id": str(wijkwerker), "gebruiker_id": gebruiker["id"], "organisator_id": str(org),
        "activiteit_id": activiteit["id"], "locatie_nis_code": "31005", "afstand_km": afstand_km, "start": "2025-01-06",
    })
    return Wereld(str(org), str(wijkwerker), str(traject), gebruiker["id"], erkenning["id"], activiteit["id"], koppeling["id"])


@pytest.fixture
def wereld(env) -> Callable:
    async def maak(**kw) -> Wereld:
        return await bouw_wereld(env, **kw)

    return maak
