"""Figure 6b: the ledger recompute from the last verified close against the full one, on
the same data (issue #17 item 3, ADR 0014). N ``ChequeGevalideerd`` events (figure 6's)
booked in March and April 2026 in the cheques archive, and their ledger rows; February is
closed (empty) before them, March after its events and before April's. Full = replay the
whole archive; from the close = verify the chain (every closed ledger row hashed), take the
carried state, replay April's half. Both timed, whole call, same database; and the chain's
verification alone (the part of the recompute from a close that grows with the history)."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import asyncpg

from bench.archief import archiveer
from bench.replay import cheque_messages
from wijkwerk.events.topics import CHEQUES, PRESTATIES
from wijkwerk.messaging.admin import ensure_topics

# The ledger rows the validations booked (a fixed split of 750: the timing, not the cents,
# is measured here; figure 1 and the tests check the cents).
_GROOTBOEK = """
    WITH e AS (
        SELECT convert_from(value, 'UTF8')::jsonb -> 'payload' AS p FROM gebeurtenissen
        WHERE event_type = 'ChequeGevalideerd' AND (convert_from(value, 'UTF8')::jsonb #>> '{payload,boekmaand}') = $1
    ), t AS (
        INSERT INTO grootboek_transacties (sleutel, soort, boekdatum, boekmaand, omschrijving, geboekt_op)
        SELECT 'cheque:' || (p->>'serienummer'), 'cheque', (p->>'gevalideerd_op')::date, (p->>'boekmaand')::date,
               'cheque ' || (p->>'serienummer'), now()
        FROM e RETURNING id, sleutel
    )
    INSERT INTO grootboek_boekingen (transactie_id, rekening, debet_cent, credit_cent)
    SELECT t.id, l.rekening, l.debet, l.credit FROM t JOIN e ON 'cheque:' || (e.p->>'serienummer') = t.sleutel,
    LATERAL (VALUES ('chequegelden', 750, 0), ('wijkwerker:' || (e.p->>'wijkwerker_id'), 0, 410),
                    ('verzekering', 0, 42), ('reisfonds', 0, 10), ('uitgever', 0, 48),
                    ('organisator:' || (e.p->>'organisator_id'), 0, 240)) AS l(rekening, debet, credit)
"""


async def _grootboek(dsn: str, maand: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(_GROOTBOEK, maand)
    finally:
        await conn.close()


async def _sluit(sessions, maand: date) -> float:
    from cheques.domain.uitbetaling import Periode
    from cheques.service_layer.afsluiten import SluitPeriodeAf, sluit_af
    from cheques.service_layer.uow import ChequesUnitOfWork

    started = time.perf_counter()
    cmd = SluitPeriodeAf(Periode(maand.year, maand.month), date(2026, 5, 2), "bench")
    await sluit_af(cmd, ChequesUnitOfWork(sessions), date(2026, 5, 2), datetime.now(UTC))
    return time.perf_counter() - started


async def run(stack, n: int, tag: str) -> dict:
    from cheques.service_layer.afsluiten import verifieer
    from cheques.service_layer.herberekenen import Vanaf, herbereken
    from cheques.service_layer.uow import ChequesUnitOfWork
    from wijkwerk.db.engine import create_engine, session_factory
    from wijkwerk.messaging.archief import DatabaseArchief

    cheques_topic, prestaties_topic = f"{CHEQUES}.vanaf.{tag}", f"{PRESTATIES}.vanaf.{tag}"
    await ensure_topics(stack.broker.bootstrap_servers, [cheques_topic, prestaties_topic], 2)
    url = stack.database("cheques", f"cheques_vanaf_{tag}")
    dsn = url.replace("postgresql+asyncpg", "postgresql")
    engine = create_engine(url)
    leeg = create_engine(stack.database("prestaties", f"prestaties_vanaf_{tag}"))
    sessions = session_factory(engine)
    berichten = cheque_messages(n)
    maart = [m for m in berichten if b'"boekmaand":"2026-03-01"' in m[1]]
    april = [m for m in berichten if b'"boekmaand":"2026-04-01"' in m[1]]
    try:
        await _sluit(sessions, date(2026, 2, 1))
        await archiveer(dsn, maart)
        await _grootboek(dsn, "2026-03-01")
        sluit_s = await _sluit(sessions, date(2026, 3, 1))
        await archiveer(dsn, april)
        await _grootboek(dsn, "2026-04-01")
        archieven = {cheques_topic: DatabaseArchief(engine), prestaties_topic: DatabaseArchief(leeg)}
        tijden, rapporten = {}, {}
        for vanaf in (Vanaf.BEGIN, Vanaf.LAATSTE_AFSLUITING):
            started = time.perf_counter()
            rapporten[vanaf] = await herbereken(
                sessions, stack.kafka, prestaties_topic=prestaties_topic, cheques_topic=cheques_topic,
                archieven=archieven, wacht_s=1.0, vanaf=vanaf)
            tijden[vanaf] = time.perf_counter() - started
        started = time.perf_counter()
        assert (await verifieer(ChequesUnitOfWork(sessions)))["in_orde"]
        verificatie_s = time.perf_counter() - started
        vanaf = rapporten[Vanaf.LAATSTE_AFSLUITING]
        assert vanaf["afsluiting"]["periode"] == "2026-03", vanaf
        assert vanaf["gelezen"]["cheques (geboekt na de afsluiting)"]["archief"] == len(april), vanaf["gelezen"]
        return {"n": n, "full_s": tijden[Vanaf.BEGIN], "vanaf_s": tijden[Vanaf.LAATSTE_AFSLUITING],
                "sluit_s": sluit_s, "verificatie_s": verificatie_s, "na": len(april)}
    finally:
        await engine.dispose()
        await leeg.dispose()

