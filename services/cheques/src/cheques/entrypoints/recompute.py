"""``python -m cheques.entrypoints.recompute``: recompute the ledger from the history and
print the report as JSON; exit 1 when any account-month differs."""

from __future__ import annotations

import asyncio
import sys

import orjson

from cheques.config import Settings
from cheques.service_layer.herberekenen import herbereken
from wijkwerk.dienstentoken import service_token
from wijkwerk.db import create_engine, session_factory
from wijkwerk.messaging.archief import SCOPE, DatabaseArchief, HttpArchief
from wijkwerk.observability import Timer, record_recompute



def _token(settings, subject: str):
    token = service_token(settings.auth, subject=subject, scopes=[SCOPE])
    if token is None:
        raise SystemExit("no service token: set AUTH_TOKEN_URL with client credentials, or AUTH_PRIVATE_KEY_FILE")
    return token


async def main(settings: Settings, archieven: dict | None = None) -> dict:
    engine = create_engine(settings.database_url, pool_size=2, application_name="cheques-recompute")
    archieven = archieven or {
        settings.cheques_topic: DatabaseArchief(engine),
        settings.prestaties_topic: HttpArchief(
            settings.urls.prestaties_url, _token(settings, "cheques")),
    }
    timer = Timer()
    try:
        rapport = await herbereken(
            session_factory(engine), settings.kafka, prestaties_topic=settings.prestaties_topic,
            cheques_topic=settings.cheques_topic, archieven=archieven, wacht_s=settings.herberekening_wacht_s,
        )
        record_recompute("cheques", rapport, timer.elapsed())
        return rapport
    finally:
        await engine.dispose()


if __name__ == "__main__":
    rapport = asyncio.run(main(Settings()))
    sys.stdout.write(orjson.dumps(rapport, option=orjson.OPT_INDENT_2).decode() + "\n")
    sys.exit(0 if rapport["verschil_cent"] == 0 and not rapport["maanden_uit_evenwicht"] else 1)
