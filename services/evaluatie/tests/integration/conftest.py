from __future__ import annotations

import uuid

import pytest

from evaluatie.config import Settings
from evaluatie.entrypoints.api import create_app
from evaluatie.service_layer.consumenten.rapportering import HANDLERS
from evaluatie.service_layer.uow import EvaluatieUnitOfWork
from wijkwerk.db import create_engine, session_factory
from wijkwerk.events import Envelope
from wijkwerk.messaging.consumer import pas_toe
from wijkwerk_platform.testing import migrated_database
from wijkwerk_platform.testkit import Tokens, api_client


@pytest.fixture(scope="module")
def tokens(tmp_path_factory) -> Tokens:
    return Tokens.create(tmp_path_factory.mktemp("keys"))


@pytest.fixture
async def env(embedded_pg, tokens):
    url = migrated_database(embedded_pg, "evaluatie", f"eval_{uuid.uuid4().hex[:8]}")
    engine = create_engine(url, pool_size=2)
    app = create_app(Settings(database_url=url, run_workers=False, auth=tokens.auth_settings()))
    async with api_client(app) as client:
        yield client, engine
    await engine.dispose()


@pytest.fixture
def fold():
    async def apply(engine, *events) -> None:
        """Apply events with the real projection handlers, as the consumer would."""
        async with session_factory(engine)() as session, session.begin():
            for event in events:
                await pas_toe(HANDLERS[type(event)], event, EvaluatieUnitOfWork.joined(session, envelope=Envelope.wrap(event, producer="test")))

    return apply


class VasteVerzender:
    """A partner's endpoint as the delivery worker sees it: 204 for the first ``geslaagd``
    deliveries, then 500."""

    def __init__(self, geslaagd: int) -> None:
        self.geslaagd = geslaagd

    async def stuur(self, levering) -> tuple[int | None, str | None]:
        self.geslaagd -= 1
        return (204, None) if self.geslaagd >= 0 else (500, "HTTP 500")


@pytest.fixture
def verzender():
    """``verzender(n)``: a :class:`VasteVerzender` that delivers ``n`` times, then fails."""
    return VasteVerzender


@pytest.fixture
def leveringen(env, tokens):
    """``await leveringen(aantal, org)``: an organiser's subscription to ``traject.gestart``
    through the API and ``aantal`` deliveries to it through the fan-out, as the webhooks
    consumer makes them; returns the subscription's id."""
    from datetime import date

    from evaluatie.service_layer.consumenten import webhooks as fanout
    from evaluatie.service_layer.uow import EvaluatieUnitOfWork
    from wijkwerk.events.toeleiding import TrajectGestart

    client, engine = env

    async def maak(aantal: int, org: uuid.UUID) -> str:
        r = await client.post("/v1/abonnementen", json={"url": "https://partner.example/h", "types": ["traject.gestart"]},
                              headers=tokens.headers("webhooks:beheer", org_type="organisator", org=str(org)))
        assert r.status_code == 201, r.text
        async with session_factory(engine)() as s, s.begin():
            for _ in range(aantal):
                feit = TrajectGestart(traject_id=uuid.uuid4(), toeleiding_id=uuid.uuid4(), wijkwerker_id=uuid.uuid4(),
                                      organisator_id=org, start=date(2026, 3, 1), gepland_einde=date(2027, 2, 28),
                                      max_einde=None)
                await pas_toe(fanout.event_naar_leveringen, feit, EvaluatieUnitOfWork.joined(s, envelope=Envelope.wrap(feit, producer="test")))
        return r.json()["id"]

    return maak
