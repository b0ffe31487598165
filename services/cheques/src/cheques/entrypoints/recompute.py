"""``python -m cheques.entrypoints.recompute``: recompute the ledger from the history and
print the report as JSON; exit 1 when any account-month differs.

``--vanaf laatste-afsluiting`` starts from the last close whose hash chain verifies (the
closed months are covered by the chain); ``--vanaf begin`` (the default) replays all."""

from __future__ import annotations

import argparse
import asyncio
import sys

import orjson

from cheques.config import Settings
from cheques.service_layer.herberekenen import Vanaf, herbereken
from wijkwerk.db import create_engine, session_factory
from wijkwerk.dienstentoken import service_token
from wijkwerk.http import tls
from wijkwerk.messaging.archief import SCOPE, DatabaseArchief, HttpArchief
from wijkwerk.observability import Timer, record_recompute


def _token(settings, subject: str):
    token = service_token(settings.auth, subject=subject, scopes=[SCOPE])
    if token is None:
        raise SystemExit("no service token: set AUTH_TOKEN_URL with client credentials, or AUTH_PRIVATE_KEY_FILE")
    return token


async def main(settings: Settings, archieven: dict | None = None, vanaf: Vanaf = Vanaf.BEGIN) -> dict:
    engine = create_engine(settings.database_url, pool_size=2, application_name="cheques-recompute")
    archieven = archieven or {
        settings.cheques_topic: DatabaseArchief(engine),
        settings.prestaties_topic: HttpArchief(
            settings.urls.prestaties_url, _token(settings, "cheques"), verify=tls.verify(settings.urls.ca_file)),
    }
    timer = Timer()
    try:
        rapport = await herbereken(
            session_factory(engine), settings.kafka, prestaties_topic=settings.prestaties_topic,
            cheques_topic=settings.cheques_topic, archieven=archieven, wacht_s=settings.herberekening_wacht_s,
            vanaf=vanaf, groepen=settings.ledger_groepen(),
        )
        record_recompute("cheques", rapport, timer.elapsed())
        return rapport
    finally:
        await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m cheques.entrypoints.recompute")
    parser.add_argument("--vanaf", type=Vanaf, choices=list(Vanaf), default=Vanaf.BEGIN,
                        help="begin: the whole history; laatste-afsluiting: from the last verified close")
    rapport = asyncio.run(main(Settings(), vanaf=parser.parse_args().vanaf))
    sys.stdout.write(orjson.dumps(rapport, option=orjson.OPT_INDENT_2).decode() + "\n")
    sys.exit(0 if rapport["verschil_cent"] == 0 and not rapport["maanden_uit_evenwicht"] else 1)
