"""Figure 6: payout replay from the event archive (issue #17). N ``ChequeGevalideerd``
events in the cheques database's archive (``gebeurtenissen``) and none on the topics — the
transport's retention has passed; baseline = a raw read of the same archive rows (in
commit order, as the replay reads them) + COPY into a bare table; measured = the cheques
ledger recompute (history = archive + empty topic tail, fold, scratch table, diff)."""

from __future__ import annotations

import time
import uuid

import asyncpg

from bench.replay import PARTITIONS, cheque_messages, herbereken_gemeten
from wijkwerk.events.topics import CHEQUES, PRESTATIES
from wijkwerk.messaging.admin import ensure_topics
from wijkwerk_platform.testing import superuser_url


async def archiveer(dsn: str, messages: list[tuple[bytes, bytes]]) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        rows = [(uuid.uuid4(), "ChequeGevalideerd", CHEQUES, key.decode(), value) for key, value in messages]
        await conn.execute("SELECT wijkwerk_archief_partities(2)")
        # through the outbox, as the service writes them: the trigger archives each COPY batch
        for i in range(0, len(rows), 20_000):
            async with conn.transaction():
                await conn.copy_records_to_table(
                    "outbox", records=rows[i:i + 20_000], columns=["event_id", "event_type", "topic", "key", "value"])
        await conn.execute("DELETE FROM outbox")  # published long ago: only the archive keeps them
    finally:
        await conn.close()


async def raw_read_copy(dsn: str, n: int) -> float:
    # the baseline's own table: created as the superuser (the services' role may not, ADR 0011)
    conn = await asyncpg.connect(superuser_url(dsn))
    try:
        await conn.execute("DROP TABLE IF EXISTS bench_archief_raw; CREATE UNLOGGED TABLE bench_archief_raw (v bytea)")
        started = time.perf_counter()
        seen = 0
        async with conn.transaction(isolation="repeatable_read"):
            cursor = await conn.cursor("SELECT value FROM gebeurtenissen ORDER BY txid, id")
            while rows := await cursor.fetch(5000):
                await conn.copy_records_to_table("bench_archief_raw", records=[(r[0],) for r in rows])
                seen += len(rows)
        assert seen == n, (seen, n)
        return time.perf_counter() - started
    finally:
        await conn.close()


async def run(stack, n: int, tag: str) -> dict:
    cheques_topic, prestaties_topic = f"{CHEQUES}.archief.{tag}", f"{PRESTATIES}.archief.{tag}"
    await ensure_topics(stack.broker.bootstrap_servers, [cheques_topic, prestaties_topic], PARTITIONS)
    url = stack.database("cheques", f"cheques_archief_{tag}")
    dsn = url.replace("postgresql+asyncpg", "postgresql")
    await archiveer(dsn, cheque_messages(n))
    raw_s = await raw_read_copy(dsn, n)

    rapport, ledger_s = await herbereken_gemeten(stack, url, f"archief_{tag}", cheques_topic, prestaties_topic)
    assert rapport["events"] == n and rapport["gelezen"][cheques_topic] == {"archief": n, "staart": 0}, rapport
    return {"n": n, "raw_eps": n / raw_s, "ledger_eps": n / ledger_s, "ledger_s": ledger_s}
