"""``python -m cheques.entrypoints.recompute``: recompute the ledger from the topics and
print the report as JSON; exit 1 when any account-month differs."""

from __future__ import annotations

import asyncio
import sys

import orjson

from cheques.config import Settings
from cheques.service_layer.herberekenen import herbereken
from wijkwerk.db import create_engine, session_factory


async def main(settings: Settings) -> dict:
    engine = create_engine(settings.database_url, pool_size=2, application_name="cheques-recompute")
    try:
        return await herbereken(
            session_factory(engine), settings.kafka, prestaties_topic=settings.prestaties_topic,
            cheques_topic=settings.cheques_topic, wacht_s=settings.herberekening_wacht_s,
        )
    finally:
        await engine.dispose()


if __name__ == "__main__":
    rapport = asyncio.run(main(Settings()))
    sys.stdout.write(orjson.dumps(rapport, option=orjson.OPT_INDENT_2).decode() + "\n")
    sys.exit(0 if rapport["verschil_cent"] == 0 and not rapport["maanden_uit_evenwicht"] else 1)
