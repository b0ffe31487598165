"""Rebuild every read model of evaluatie from the event history (issue #7: one command).

The history is each producer's event archive followed by its topic's tail
(:class:`wijkwerk.messaging.archief.Geschiedenis`), so a rebuild gives the same figures
years later, after the broker's retention dropped the early messages. A history that does
not reach back to the first event is refused before anything changes.

The new read models are built **beside** the live ones (issue #17): in a schema of their
own with tables shaped as the live ``rm_*`` tables and an inbox of their own, through the
same projection handlers (the batch's ``search_path`` names that schema first), in
batches. Only when the whole history is folded does one transaction replace the live
rows with the new ones (DELETE + INSERT: readers keep seeing the old rows until it
commits, and never wait for it) together with the reporting consumer's inbox rows. A
rebuild that fails or is interrupted leaves the live read models as they were; the next
one drops the leftover schema. Evaluations and outflow measurements are owned here, not
projected, and are kept.

Run it while the service's consumer is stopped; when it starts again it resumes from its
committed offsets and the new inbox rows turn every re-delivery into a no-op.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from evaluatie.service_layer.consumenten.rapportering import HANDLERS
from evaluatie.service_layer.uow import EvaluatieUnitOfWork
from wijkwerk.events import Envelope, UnknownEvent, registry
from wijkwerk.messaging.archief import ArchiefBron, Geschiedenis
from wijkwerk.settings import KafkaSettings

log = logging.getLogger("evaluatie.herbouw")

CONSUMER = "rapportering"
LEESMODELLEN = (
    "rm_organisatoren", "rm_dossiers", "rm_toeleidingen", "rm_trajecten", "rm_prestaties", "rm_gebruikers",
    "rm_erkenningen", "rm_erkenning_perioden", "rm_contacten", "rm_bestellingen", "rm_cheques_gevalideerd",
    "rm_reisvergoedingen", "rm_cheques_uitgegeven", "rm_uitbetalingen",
)
SCHEMA_PREFIX = "herbouw_"
_WANTED = {model.event_type for model in HANDLERS}
_CLAIM = text(
    "INSERT INTO inbox (consumer, event_id) SELECT :consumer, unnest(CAST(:ids AS uuid[])) "
    "ON CONFLICT DO NOTHING RETURNING event_id"
)
_LEFTOVERS = text("SELECT nspname FROM pg_namespace WHERE nspname LIKE :prefix")


async def herbouw(
    sessions: async_sessionmaker[AsyncSession],
    kafka: KafkaSettings,
    archieven: Mapping[str, ArchiefBron],
    topics: Sequence[str],
    batch_size: int = 5000,
) -> dict[str, Any]:
    started = time.perf_counter()
    schema = await _bouwplaats(sessions)
    geschiedenis = Geschiedenis(kafka, archieven)
    gelezen = toegepast = overgeslagen = 0
    batch: list[Envelope] = []
    async for blok in geschiedenis.alles(topics):
        for waarde in blok:
            gelezen += 1
            envelope = _decode(waarde)
            if envelope is None:
                overgeslagen += 1
                continue
            batch.append(envelope)
            if len(batch) >= batch_size:
                toegepast += await _pas_toe(sessions, schema, batch)
                batch = []
    toegepast += await _pas_toe(sessions, schema, batch)
    await _wissel(sessions, schema)
    rapport = {"gelezen": gelezen, "toegepast": toegepast, "overgeslagen": overgeslagen,
               "bronnen": geschiedenis.gelezen, "seconden": round(time.perf_counter() - started, 2)}
    log.info("read models rebuilt: %s", rapport)
    return rapport


async def _bouwplaats(sessions: async_sessionmaker[AsyncSession]) -> str:
    """A fresh schema with empty copies of the read models and the inbox; drops what an
    interrupted rebuild left behind."""
    schema = f"{SCHEMA_PREFIX}{uuid.uuid4().hex[:12]}"
    async with sessions() as session, session.begin():
        for (oud,) in (await session.execute(_LEFTOVERS, {"prefix": f"{SCHEMA_PREFIX}%"})).all():
            await session.execute(text(f'DROP SCHEMA "{oud}" CASCADE'))
        await session.execute(text(f'CREATE SCHEMA "{schema}"'))
        for tabel in (*LEESMODELLEN, "inbox"):
            await session.execute(text(f'CREATE TABLE "{schema}".{tabel} (LIKE public.{tabel} INCLUDING ALL)'))
    return schema


async def _wissel(sessions: async_sessionmaker[AsyncSession], schema: str) -> None:
    """The live read models and the consumer's inbox rows become the rebuilt ones, at once."""
    async with sessions() as session, session.begin():
        for tabel in LEESMODELLEN:
            await session.execute(text(f"DELETE FROM public.{tabel}"))
            await session.execute(text(f'INSERT INTO public.{tabel} SELECT * FROM "{schema}".{tabel}'))
        await session.execute(text("DELETE FROM public.inbox WHERE consumer = :c"), {"c": CONSUMER})
        await session.execute(text(f'INSERT INTO public.inbox SELECT * FROM "{schema}".inbox'))
        await session.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


def _decode(waarde: bytes | None) -> Envelope | None:
    try:
        envelope = Envelope.from_bytes(waarde or b"")
    except (ValidationError, orjson.JSONDecodeError):
        return None  # poison: the live consumer dead-lettered it
    return envelope if envelope.event_type in _WANTED else None


async def _pas_toe(sessions: async_sessionmaker[AsyncSession], schema: str, batch: list[Envelope]) -> int:
    if not batch:
        return 0
    async with sessions() as session, session.begin():
        # The handlers name their tables unqualified: they write the rebuilt copies.
        await session.execute(text(f'SET LOCAL search_path TO "{schema}", public'))
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
            await HANDLERS[type(event)](event, EvaluatieUnitOfWork.joined(session, envelope=envelope))
            applied += 1
    return applied
