"""Dead letters per consumer group, parked in the consuming service's own database.

An event a consumer cannot apply (undecodable, an unknown schema version, a handler that
raises) is **parked** in ``geparkeerd`` for that consumer only: the other groups of the
topic never see it again, and a re-drive goes to this consumer only (no re-publish to the
shared topic, which reordered a worker's events for every group).

A consumer that **halts per key** (the money streams: cheques' consumer of prestaties)
parks every later event of the same key (the ``wijkwerker_id``) behind the parked one
(``wachtend``), while other keys flow. An operator then re-drives (``opnieuw``) or discards
(``verworpen``) the parked event (``wijkwerk dlq``); the consumer applies the key's rows in
their order, each in a savepoint of one transaction per key, with its inbox row, until
one fails again (it is parked again, the rest keep waiting). A discarded event goes into
the inbox, so a re-delivery of it is skipped too.

Why PostgreSQL and not a ``<topic>.dlq.<group>`` topic (ADR): "is this worker halted?" is
asked for every batch, in the consumer's own database, where the answer is durable (the
embedded broker loses its topics on a restart) and can be changed in one transaction with
the effect; a topic can only be read from its start.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiokafka.structs import ConsumerRecord
from sqlalchemy import BigInteger, Text, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from wijkwerk.observability import DLQ

if TYPE_CHECKING:
    from wijkwerk.messaging.consumer import Received

log = logging.getLogger("wijkwerk.consumer")

OPEN = ("geparkeerd", "wachtend", "opnieuw")


class Poison(Exception):
    """A message that can never be applied (undecodable, unknown version, invalid)."""


def outage(exc: BaseException) -> bool:
    """The database is away: retry later, this is not the event's fault."""
    return isinstance(exc, (OperationalError, InterfaceError, ConnectionError, OSError)) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated)


def sleutel(record: ConsumerRecord) -> str:
    return record.key.decode(errors="replace") if record.key else ""


@dataclass(frozen=True)
class TeParkeren:
    record: ConsumerRecord
    fout: str | None  # None: waits behind a parked event of its key
    event_id: object | None = None
    event_type: str | None = None


_GEHALTEERD = text(
    "SELECT DISTINCT sleutel FROM geparkeerd WHERE consumer = :c AND sleutel = ANY(:s) "
    "AND status IN ('geparkeerd', 'wachtend', 'opnieuw')"
).bindparams(bindparam("s", type_=ARRAY(Text())))

_PARKEER = text(
    "INSERT INTO geparkeerd (consumer, sleutel, event_id, event_type, bron, waarde, fout, status) "
    "VALUES (:consumer, :sleutel, :event_id, :event_type, :bron, :waarde, :fout, :status) "
    "ON CONFLICT (consumer, event_id) WHERE event_id IS NOT NULL DO NOTHING"
)


async def gehalteerd(session: AsyncSession, consumer: str, sleutels: Iterable[str]) -> set[str]:
    """The keys of ``sleutels`` with an open parked row for ``consumer``."""
    wanted = sorted(set(sleutels))
    if not wanted:
        return set()
    return set((await session.execute(_GEHALTEERD, {"c": consumer, "s": wanted})).scalars())


async def parkeer(session: AsyncSession, consumer: str, items: Sequence[TeParkeren]) -> None:
    """Park ``items`` in their order (a key's rows are applied by id later)."""
    params = [
        {"consumer": consumer, "sleutel": sleutel(i.record), "event_id": i.event_id, "event_type": i.event_type,
         "bron": f"{i.record.topic}/{i.record.partition}/{i.record.offset}", "waarde": i.record.value or b"",
         "fout": i.fout[:2000] if i.fout else None, "status": "geparkeerd" if i.fout else "wachtend"}
        for i in sorted(items, key=lambda i: (i.record.topic, i.record.partition, i.record.offset))
    ]
    for p in params:  # one by one: the ids keep the order
        await session.execute(_PARKEER, p)


# --- what the consumer re-applies --------------------------------------------------------

# Halting per key: a key whose first open row is not (still) parked is ready to flow.
_SLEUTELS_KLAAR = text(
    "SELECT sleutel FROM geparkeerd WHERE consumer = :c AND status IN ('geparkeerd', 'wachtend', 'opnieuw') "
    "GROUP BY sleutel HAVING (array_agg(status ORDER BY id))[1] <> 'geparkeerd' LIMIT 100"
)
_RIJEN_VAN_SLEUTEL = text(
    "SELECT id, status, bron, sleutel, waarde FROM geparkeerd WHERE consumer = :c AND sleutel = :s "
    "AND status IN ('geparkeerd', 'wachtend', 'opnieuw') ORDER BY id FOR UPDATE"
)
# Without halting: every row asked for again, on its own.
_RIJEN_OPNIEUW = text(
    "SELECT id, status, bron, sleutel, waarde FROM geparkeerd WHERE consumer = :c AND status = 'opnieuw' "
    "ORDER BY id LIMIT 500 FOR UPDATE SKIP LOCKED"
)
_SLOT = text("SELECT pg_try_advisory_xact_lock(hashtextextended(:k, 0))")
_TOEGEPAST = text("UPDATE geparkeerd SET status = 'toegepast', fout = NULL, opgelost_op = now() WHERE id = :id")
_WEER_GEPARKEERD = text("UPDATE geparkeerd SET status = 'geparkeerd', fout = :fout WHERE id = :id")
_WACHT_WEER = text("UPDATE geparkeerd SET status = 'wachtend' WHERE id = ANY(:ids) AND status = 'opnieuw'").bindparams(
    bindparam("ids", type_=ARRAY(BigInteger())))


def als_record(rij) -> ConsumerRecord:
    topic, partition, offset = rij.bron.rsplit("/", 2)
    waarde = bytes(rij.waarde)
    return ConsumerRecord(topic, int(partition), int(offset), 0, 0, rij.sleutel.encode() or None, waarde, None,
                          len(rij.sleutel), len(waarde), ())


class Parkeren:
    """The parking half of :class:`wijkwerk.messaging.consumer.InboxConsumer`."""

    async def _een_voor_een(self, decoded, halted: set[str]) -> list[TeParkeren]:
        """Each event in its own transaction; what fails is parked, and with halting per key
        every later event of its key waits behind it."""
        halted, te_parkeren = set(halted), []
        for record, item, fout in decoded:
            if item is None and fout is None:
                continue  # not an event this consumer handles
            if self.halt_per_key and sleutel(record) in halted:
                te_parkeren.append(self._parkeren(record, item, fout))
                continue
            if item is not None:
                try:
                    await self._apply([item])
                    continue
                except Exception as exc:  # noqa: BLE001
                    if outage(exc):
                        raise
                    fout = f"{type(exc).__name__}: {exc}"
                    log.error("consumer %s: %s %s is poison: %s", self.group_id, item.envelope.event_type,
                              item.envelope.event_id, exc)
            te_parkeren.append(self._parkeren(record, item, fout))
            halted.add(sleutel(record))
        return te_parkeren

    @staticmethod
    def _parkeren(record: ConsumerRecord, item: Received | None, fout: str | None) -> TeParkeren:
        return TeParkeren(record, fout, item.envelope.event_id if item else None,
                          item.envelope.event_type if item else None)

    async def _parkeer(self, items: list[TeParkeren]) -> None:
        async with self.sessions() as session, session.begin():
            await parkeer(session, self.name, items)
        for item in items:
            if item.fout:
                DLQ.labels(self.service, self.name, item.record.topic).inc()
                self.state.dead_lettered += 1
            else:
                self.state.wachtend += 1

    # --- parked events an operator released (wijkwerk dlq) --------------------------

    async def herstel(self) -> int:
        """Apply the parked events an operator re-drove, and a halted key's waiting events
        once the event before them is resolved; returns how many were applied."""
        if not self.halt_per_key:
            return await self._herstel(_RIJEN_OPNIEUW, {"c": self.name}, halt=False)
        async with self.sessions() as session:
            sleutels = list((await session.execute(_SLEUTELS_KLAAR, {"c": self.name})).scalars())
        return sum([await self._herstel(_RIJEN_VAN_SLEUTEL, {"c": self.name, "s": k}, halt=True) for k in sleutels])

    async def _herstel(self, query, params: dict, *, halt: bool) -> int:
        # One transaction: every effect with its inbox row and its parked row's new status;
        # one key at a time across replicas (the advisory lock), in the key's order.
        n = 0
        async with self.sessions() as session, session.begin():
            if halt and not await session.scalar(_SLOT, {"k": f"geparkeerd:{self.name}:{params['s']}"}):
                return 0
            rijen = (await session.execute(query, params)).all()
            for i, rij in enumerate(rijen):
                if rij.status == "geparkeerd":
                    break
                fout = await self._pas_toe(session, rij)
                if fout is None:
                    await session.execute(_TOEGEPAST, {"id": rij.id})
                    n += 1
                    continue
                await session.execute(_WEER_GEPARKEERD, {"id": rij.id, "fout": fout[:2000]})
                if halt:
                    await session.execute(_WACHT_WEER, {"ids": [r.id for r in rijen[i + 1:]]})
                    break
        self.state.hersteld += n
        return n

    async def _pas_toe(self, session: AsyncSession, rij) -> str | None:
        """Apply one parked event in a savepoint; the error if it fails again."""
        try:
            item = self._decode(als_record(rij))
        except Poison as exc:
            return str(exc)
        if item is None:
            return None
        try:
            async with session.begin_nested():
                fresh = await self._claim(session, [item])
                if fresh:
                    await self.handle(session, fresh)
        except Exception as exc:  # noqa: BLE001
            if outage(exc):
                raise
            return f"{type(exc).__name__}: {exc}"
        self._count([item], fresh)
        return None


# --- what an operator does (``wijkwerk dlq``) ----------------------------------------------


@dataclass(frozen=True)
class Geparkeerd:
    id: int
    consumer: str
    sleutel: str
    event_type: str | None
    event_id: str | None
    bron: str
    status: str
    fout: str | None
    geparkeerd_op: str


async def lijst(engine: AsyncEngine, consumer: str | None = None, *, alles: bool = False) -> list[Geparkeerd]:
    waar = "true" if alles else "status IN ('geparkeerd', 'wachtend', 'opnieuw')"
    async with engine.connect() as conn:
        rijen = await conn.execute(
            text(f"SELECT id, consumer, sleutel, event_type, event_id::text, bron, status, fout, "  # noqa: S608
                 f"geparkeerd_op::text FROM geparkeerd WHERE {waar} AND (CAST(:c AS text) IS NULL OR consumer = :c) ORDER BY id"),
            {"c": consumer})
        return [Geparkeerd(*r) for r in rijen]


async def opnieuw(engine: AsyncEngine, consumer: str, ids: Sequence[int] | None, door: str) -> int:
    """Ask ``consumer`` to apply its parked rows ``ids`` (None: all) again; a halted key's
    waiting rows follow them. Returns how many rows were asked for."""
    async with engine.begin() as conn:
        result = await conn.execute(
            text("UPDATE geparkeerd SET status = 'opnieuw', opgelost_door = :door WHERE consumer = :c "
                 "AND status = 'geparkeerd' AND (CAST(:ids AS bigint[]) IS NULL OR id = ANY(CAST(:ids AS bigint[])))"),
            {"c": consumer, "ids": list(ids) if ids is not None else None, "door": door})
        return result.rowcount


async def verwerp(engine: AsyncEngine, consumer: str, ids: Sequence[int], door: str) -> int:
    """Discard parked rows for good: never applied (their event ids go into the inbox, so a
    re-delivery is skipped too); a halted key's waiting rows then flow."""
    async with engine.begin() as conn:
        rijen = (await conn.execute(
            text("UPDATE geparkeerd SET status = 'verworpen', opgelost_op = now(), opgelost_door = :door "
                 "WHERE consumer = :c AND status IN ('geparkeerd', 'opnieuw') AND id = ANY(CAST(:ids AS bigint[])) "
                 "RETURNING event_id"),
            {"c": consumer, "ids": list(ids), "door": door})).scalars().all()
        event_ids = [e for e in rijen if e is not None]
        if event_ids:
            await conn.execute(
                text("INSERT INTO inbox (consumer, event_id) SELECT :c, unnest(CAST(:e AS uuid[])) "
                     "ON CONFLICT DO NOTHING"), {"c": consumer, "e": event_ids})
        return len(rijen)
