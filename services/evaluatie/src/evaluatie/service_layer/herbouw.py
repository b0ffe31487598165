"""Rebuild every read model of evaluatie from the topics (issue #7: one command).

Empties the ``rm_*`` tables and the reporting consumer's inbox rows, then replays the
topics from the beginning with a group-less reader through the same projection handlers,
in batches (one transaction per batch, inbox rows claimed as the live consumer does).
Evaluations and outflow measurements are owned here, not projected, and are kept.
Run it while the service's consumer is stopped; when it starts again it resumes from its
committed offsets and the claimed inbox rows turn every re-delivery into a no-op.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

import orjson
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from evaluatie.service_layer.projecties import HANDLERS
from wijkwerk.events import Envelope, UnknownEvent, registry
from wijkwerk.messaging.herlezen import TopicLezer
from wijkwerk.settings import KafkaSettings

log = logging.getLogger("evaluatie.herbouw")

CONSUMER = "rapportering"
LEESMODELLEN = (
    "rm_organisatoren", "rm_dossiers", "rm_toeleidingen", "rm_trajecten", "rm_prestaties", "rm_gebruikers",
    "rm_erkenningen", "rm_erkenning_perioden", "rm_contacten", "rm_bestellingen", "rm_cheques_gevalideerd",
    "rm_reisvergoedingen",
)
_WANTED = {model.event_type for model in HANDLERS}
_CLAIM = text(
    "INSERT INTO inbox (consumer, event_id) SELECT :consumer, unnest(CAST(:ids AS uuid[])) "
    "ON CONFLICT DO NOTHING RETURNING event_id"
)


async def herbouw(
    sessions: async_sessionmaker[AsyncSession], kafka: KafkaSettings, topics: Sequence[str], batch_size: int = 5000
) -> dict:
    started = time.perf_counter()
    async with sessions() as session, session.begin():
        await session.execute(text(f"TRUNCATE {', '.join(LEESMODELLEN)}"))
        await session.execute(text("DELETE FROM inbox WHERE consumer = :c"), {"c": CONSUMER})
    gelezen = toegepast = overgeslagen = 0
    batch: list[Envelope] = []
    async with TopicLezer(kafka) as lezer:
        eindes = await lezer.eindes(topics)
        async for waarde in lezer.lees(eindes):
            gelezen += 1
            envelope = _decode(waarde)
            if envelope is None:
                overgeslagen += 1
                continue
            batch.append(envelope)
            if len(batch) >= batch_size:
                toegepast += await _pas_toe(sessions, batch)
                batch = []
    toegepast += await _pas_toe(sessions, batch)
    rapport = {"gelezen": gelezen, "toegepast": toegepast, "overgeslagen": overgeslagen,
               "seconden": round(time.perf_counter() - started, 2)}
    log.info("read models rebuilt: %s", rapport)
    return rapport


def _decode(waarde: bytes | None) -> Envelope | None:
    try:
        envelope = Envelope.from_bytes(waarde or b"")
    except (ValidationError, orjson.JSONDecodeError):
        return None  # poison: the live consumer dead-lettered it
    return envelope if envelope.event_type in _WANTED else None


async def _pas_toe(sessions: async_sessionmaker[AsyncSession], batch: list[Envelope]) -> int:
    if not batch:
        return 0
    async with sessions() as session, session.begin():
        ids = [str(e.event_id) for e in batch]
        fresh = set(map(str, (await session.execute(_CLAIM, {"consumer": CONSUMER, "ids": ids})).scalars()))
        applied = 0
        for envelope in batch:
            if str(envelope.event_id) not in fresh:
                continue  # a duplicate on the topic (relay retry or refill)
            fresh.discard(str(envelope.event_id))
            try:
                event = registry.decode(envelope)
            except (UnknownEvent, ValidationError):
                continue
            await HANDLERS[type(event)](session, event, envelope)
            applied += 1
    return applied
