"""Fixtures of the cheques integration tests: a migrated database, the app in-process
without workers, and an issuer that signs its webhooks."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import date
from datetime import time as tijd

import orjson
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from cheques.adapters.toeleiding import Bankrekening
from cheques.config import Settings
from cheques.domain import handtekening
from cheques.entrypoints.api import create_app
from cheques.entrypoints.deps import get_archieven, get_bankgegevens
from cheques.service_layer.consumenten import prestaties, referentie
from cheques.service_layer.uow import ChequesUnitOfWork
from wijkwerk.db import create_engine, session_factory
from wijkwerk.events import Envelope
from wijkwerk.events.prestaties import ErkenningVerleend, InschrijvingsrechtBetaald, PrestatieGeregistreerd
from wijkwerk.events.toeleiding import OrganisatorGeregistreerd, TariefVastgelegd
from wijkwerk.messaging.archief import DatabaseArchief
from wijkwerk.messaging.consumer import pas_toe
from wijkwerk_platform.testing import migrated_database
from wijkwerk_platform.testkit import Tokens, api_client

GEHEIM = "issuer-test-secret"
TABELLEN = ("webhook_inbox", "bestellingen", "cheques", "grootboek_transacties", "grootboek_boekingen", "outbox",
            "uitbetalingsrondes", "uitbetalingen")


class FakeToeleiding:
    """Bank details as toeleiding would give them (a hand-written fake of the HTTP adapter)."""

    def __init__(self) -> None:
        self.rekeningen: dict[uuid.UUID, Bankrekening] = {}
        self.gevraagd: list[uuid.UUID] = []

    async def haal(self, wijkwerker_ids):
        self.gevraagd.extend(wijkwerker_ids)
        return {w: self.rekeningen[w] for w in wijkwerker_ids if w in self.rekeningen}


@dataclass
class Omgeving:
    client: object
    engine: AsyncEngine
    tokens: Tokens
    toeleiding: FakeToeleiding
    deliveries: int = field(default=0)
    app: object = None  # for dependency overrides (the clock)
    # The prestaties service's archive, for modules that replay history (see ``omgeving``).
    prestaties_archief: AsyncEngine | None = None

    @property
    def sessions(self):
        return session_factory(self.engine)

    async def webhook(self, body: dict, *, delivery: str | None = None, ts: int | None = None,
                      geheim: str | list[str] = GEHEIM, uitgever: str = "vdab", raw: bytes | None = None,
                      erkenning: bool = True):
        if erkenning and body.get("type") == "bestelling.betaald":
            await self.erkenning(body["gebruiker_id"], body["organisator_id"])
        self.deliveries += 1
        raw = raw if raw is not None else orjson.dumps(body)
        ts = ts if ts is not None else int(time.time())
        delivery = delivery or f"d-{self.deliveries}-{uuid.uuid4().hex[:6]}"
        headers = handtekening.headers(geheim, delivery, ts, raw) | {"content-type": "application/json"}
        return await self.client.post(f"/v1/webhooks/{uitgever}", content=raw, headers=headers)

    async def ok(self, body: dict, **kw) -> dict:
        r = await self.webhook(body, **kw)
        assert r.status_code == 200, r.text
        return r.json()

    async def erkenning(self, gebruiker_id, organisator_id) -> None:
        """An erkenning of the gebruiker at the organiser, active 2018-2099 (A-14: an order
        needs one), as prestaties publishes it; the fee is zero, so nothing is booked."""
        g, o = uuid.UUID(str(gebruiker_id)), uuid.UUID(str(organisator_id))
        eid = uuid.uuid5(g, str(o))
        van, tot = date(2018, 1, 1), date(2099, 12, 31)
        events = [
            ErkenningVerleend(gebruiker_id=g, erkenning_id=eid, organisator_id=o, gebruiker_categorie="particulier",
                              geldig_van=van, geldig_tot=tot, inschrijvingsrecht_cent=0, overeenkomst_op=van),
            InschrijvingsrechtBetaald(gebruiker_id=g, erkenning_id=eid, organisator_id=o, bedrag_cent=0, jaar=2018,
                                      geldig_van=van, geldig_tot=tot, betaald_op=van),
        ]
        async with self.sessions() as session, session.begin():
            for e in events:
                await pas_toe(prestaties.HANDLERS[type(e)], e, ChequesUnitOfWork.joined(session, envelope=Envelope.wrap(e, producer="prestaties")))

    async def organisator(self, prijs: int = 745) -> uuid.UUID:
        oid = uuid.uuid4()
        async with self.sessions() as session, session.begin():
            org = OrganisatorGeregistreerd(organisator_id=oid, naam=f"Org {prijs}", samenwerkingsverband="SV", gemeenten=())
            await pas_toe(referentie.organisator_geregistreerd, org, ChequesUnitOfWork.joined(session, envelope=Envelope.wrap(org, producer="toeleiding")))
            tarief = TariefVastgelegd(organisator_id=oid, prijs_cent=prijs, geldig_vanaf=date(2018, 1, 1))
            await pas_toe(referentie.tarief_vastgelegd, tarief, ChequesUnitOfWork.joined(session, envelope=Envelope.wrap(tarief, producer="toeleiding")))
        return oid

    async def prestatie(self, event: PrestatieGeregistreerd) -> None:
        async with self.sessions() as session, session.begin():
            await pas_toe(prestaties.prestatie_geregistreerd, event, ChequesUnitOfWork.joined(session, envelope=Envelope.wrap(event, producer="prestaties")))

    async def tellingen(self) -> dict[str, int]:
        async with self.engine.connect() as conn:
            return {t: await conn.scalar(text(f"SELECT count(*) FROM {t}")) for t in TABELLEN}

    async def scalar(self, sql: str, **params):
        async with self.engine.connect() as conn:
            return await conn.scalar(text(sql), params)

    @staticmethod
    def prestatie_event(
        wijkwerker_id, gebruiker_id, organisator_id, koppeling_id, datum: date, *, uren: int = 3,
        minuten: int = 130, vergoeding: int = 300,
    ) -> PrestatieGeregistreerd:
        return PrestatieGeregistreerd(
            prestatie_id=uuid.uuid4(), wijkwerker_id=wijkwerker_id, gebruiker_id=gebruiker_id,
            organisator_id=organisator_id, koppeling_id=koppeling_id, datum=datum, door="gebruiker",
            traject_id=uuid.uuid4(), activiteit_id=uuid.uuid4(), activiteit_categorie="groenonderhoud",
            gebruiker_categorie="particulier", locatie_nis_code="31005", start=tijd(9), minuten=minuten,
            begonnen_uren=uren, afstand_km=10, recht_op_verplaatsingsvergoeding=vergoeding > 0,
            verplaatsingsvergoeding_dag_cent=vergoeding,
        )


@pytest.fixture(scope="module")
def tokens(tmp_path_factory) -> Tokens:
    return Tokens.create(tmp_path_factory.mktemp("keys"))


@pytest.fixture
def instellingen() -> dict:
    """Extra settings of the app under test; a module overrides this fixture."""
    return {}


@pytest.fixture
async def omgeving(embedded_pg, tokens, instellingen):
    url = migrated_database(embedded_pg, "cheques", f"chq_{uuid.uuid4().hex[:8]}")
    settings = Settings(database_url=url, run_workers=False, auth=tokens.auth_settings(),
                        **({"issuer_secrets": {"vdab": GEHEIM}} | instellingen))
    app = create_app(settings)
    fake = FakeToeleiding()
    app.dependency_overrides[get_bankgegevens] = lambda: fake
    engine = create_engine(url, pool_size=2)
    archief = None
    if "prestaties_topic" in instellingen:
        # A module that replays the history: prestaties' archive in a database of its own
        # (the test writes what it publishes there too, as prestaties' outbox would).
        archief_url = migrated_database(embedded_pg, "prestaties", f"prs_{uuid.uuid4().hex[:8]}")
        archief = create_engine(archief_url, pool_size=2)
        app.dependency_overrides[get_archieven] = lambda: {
            settings.cheques_topic: DatabaseArchief(engine), settings.prestaties_topic: DatabaseArchief(archief)}
    async with api_client(app) as client:
        yield Omgeving(client, engine, tokens, fake, app=app, prestaties_archief=archief)
    await engine.dispose()
    if archief is not None:
        await archief.dispose()
