"""``python -m cheques.entrypoints.afsluiting``: verify the hash chain of the period closes
and print the result as JSON; exit 1 when a closed month no longer matches its close."""

from __future__ import annotations

import asyncio
import sys

import orjson

from cheques.config import Settings
from cheques.service_layer.afsluiten import verifieer
from cheques.service_layer.uow import ChequesUnitOfWork
from wijkwerk.db import create_engine, session_factory


async def main(settings: Settings) -> dict:
    engine = create_engine(settings.database_url, pool_size=1, application_name="cheques-afsluiting")
    try:
        return await verifieer(ChequesUnitOfWork(session_factory(engine)))
    finally:
        await engine.dispose()


if __name__ == "__main__":
    uitslag = asyncio.run(main(Settings()))
    sys.stdout.write(orjson.dumps(uitslag, option=orjson.OPT_INDENT_2).decode() + "\n")
    sys.exit(0 if uitslag["in_orde"] else 1)
