"""``python -m evaluatie.entrypoints.herbouw``: rebuild every read model from the event
history (the producers' archives, then the topics' tails).

Stop the evaluatie service (or run it with EVALUATIE_RUN_WORKERS=false) first."""

import asyncio
import json

from evaluatie.config import Settings
from evaluatie.service_layer.herbouw import herbouw
from wijkwerk.db import create_engine, session_factory
from wijkwerk.dienstentoken import service_token
from wijkwerk.events import topics
from wijkwerk.http import tls
from wijkwerk.messaging.archief import SCOPE, HttpArchief


def archieven(settings: Settings) -> dict[str, HttpArchief]:
    token = _token(settings, "evaluatie")
    verify = tls.verify(settings.urls.ca_file)
    return {
        topics.TOELEIDING: HttpArchief(settings.urls.toeleiding_url, token, verify=verify),
        topics.PRESTATIES: HttpArchief(settings.urls.prestaties_url, token, verify=verify),
        topics.CHEQUES: HttpArchief(settings.urls.cheques_url, token, verify=verify),
    }



def _token(settings, subject: str):
    token = service_token(settings.auth, subject=subject, scopes=[SCOPE])
    if token is None:
        raise SystemExit("no service token: set AUTH_TOKEN_URL with client credentials, or AUTH_PRIVATE_KEY_FILE")
    return token


async def main() -> dict:
    settings = Settings()
    engine = create_engine(settings.database_url, pool_size=2, application_name="evaluatie-herbouw")
    try:
        return await herbouw(session_factory(engine), settings.kafka, archieven(settings),
                             [topics.TOELEIDING, topics.PRESTATIES, topics.CHEQUES])
    finally:
        await engine.dispose()


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main())))
