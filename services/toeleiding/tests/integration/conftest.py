from __future__ import annotations

import uuid

import pytest

from toeleiding.config import Settings
from toeleiding.entrypoints.api import create_app
from wijkwerk.db import create_engine
from wijkwerk_platform.testing import migrated_database
from wijkwerk_platform.testkit import Tokens, api_client


@pytest.fixture(scope="module")
def tokens(tmp_path_factory) -> Tokens:
    return Tokens.create(tmp_path_factory.mktemp("keys"))


SLEUTEL = "vingerafdruk-test"  # the fingerprints' key (ADR 0024)


@pytest.fixture
async def env(embedded_pg, tokens):
    """The toeleiding API in-process on a freshly migrated database, and an engine on it."""
    url = migrated_database(embedded_pg, "toeleiding", f"toel_{uuid.uuid4().hex[:8]}")
    app = create_app(Settings(database_url=url, run_workers=False, auth=tokens.auth_settings(),
                              WIJKWERK_VINGERAFDRUK_SLEUTEL=SLEUTEL))
    engine = create_engine(url, pool_size=2)
    async with api_client(app) as client:
        yield client, engine
    await engine.dispose()
