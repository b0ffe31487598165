"""``python -m evaluatie.entrypoints.herbouw``: rebuild every read model from the topics.

Stop the evaluatie service (or run it with EVALUATIE_RUN_WORKERS=false) first."""

import asyncio
import json

from evaluatie.config import Settings
from evaluatie.service_layer.herbouw import herbouw
from wijkwerk.db import create_engine, session_factory
from wijkwerk.events import topics


async def main() -> dict:
    settings = Settings()
    engine = create_engine(settings.database_url, pool_size=2, application_name="evaluatie-herbouw")
    try:
        return await herbouw(session_factory(engine), settings.kafka,
                             [topics.TOELEIDING, topics.PRESTATIES, topics.CHEQUES])
    finally:
        await engine.dispose()


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main())))
