from __future__ import annotations

import uuid

import pytest

from evaluatie.config import Settings
from evaluatie.entrypoints.api import create_app
from evaluatie.service_layer.consumenten.rapportering import HANDLERS
from evaluatie.service_layer.uow import EvaluatieUnitOfWork
from wijkwerk.db import create_engine, session_factory
from wijkwerk.events import Envelope
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
                await HANDLERS[type(event)](event, EvaluatieUnitOfWork.joined(session, envelope=Envelope.wrap(event, producer="test")))

    return apply
