"""The double-entry ledger in PostgreSQL. Balance is enforced by a deferred constraint
trigger (migration 0002), idempotency by the unique transaction key; the ledger is
append-only. Reads: payable per worker, and per account and month for settlements."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import and_, case, func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from cheques.adapters.tables import grootboek_boekingen as b
from cheques.adapters.tables import grootboek_transacties as t
from cheques.domain.grootboek import UITBETALING, Boeking, Transactie
from wijkwerk.actor import huidige_actor

# A held prestatie: disputed by :op and not upheld by :op (a rejected one stays held: its
# cancellation reverses the validations, after which nothing of it is left to hold); or
# flagged (issue #23 item 4: a flag is dated on the prestatie's date) and not released by
# :op (a rejected flag likewise stays held while its reversal order is applied).
_VASTGEHOUDEN = text("""
    WITH vast AS (
        SELECT id, wijkwerker_id, koppeling_id, datum FROM prestaties_ref
        WHERE betwist_op IS NOT NULL AND betwist_op <= :op
          AND NOT coalesce(uitkomst = 'gehandhaafd' AND beslecht_op <= :op, false)
        UNION
        SELECT p.id, p.wijkwerker_id, p.koppeling_id, p.datum FROM prestaties_ref p
        JOIN signalen s ON s.prestatie_id = p.id
        WHERE s.datum <= :op AND NOT coalesce(s.status = 'vrijgegeven' AND s.besloten_op <= :op, false)
    ), sleutels AS (
        SELECT v.wijkwerker_id, 'cheque:' || c.serienummer
                   || CASE WHEN c.terugdraaiingen = 0 THEN '' ELSE ':' || (c.terugdraaiingen + 1) END AS sleutel
        FROM vast v JOIN cheques c ON c.prestatie_id = v.id AND c.status = 'gevalideerd'
        UNION
        SELECT DISTINCT v.wijkwerker_id, 'reis:' || v.koppeling_id || ':' || to_char(v.datum, 'YYYY-MM-DD')
                   || CASE WHEN coalesce(r.terugdraaiingen, 0) = 0 THEN '' ELSE ':' || (r.terugdraaiingen + 1) END
        FROM vast v LEFT JOIN reisdagen r ON r.koppeling_id = v.koppeling_id AND r.datum = v.datum
    )
    SELECT s.wijkwerker_id, sum(b.credit_cent - b.debet_cent)
    FROM sleutels s
    JOIN grootboek_transacties t ON t.sleutel = s.sleutel AND t.boekdatum <= :tot
    JOIN grootboek_boekingen b ON b.transactie_id = t.id AND b.rekening = 'wijkwerker:' || s.wijkwerker_id
    GROUP BY s.wijkwerker_id
""")


class GrootboekRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def boek(self, transactie: Transactie) -> bool:
        """Posts the transaction once, with who caused it; False when its key was posted before."""
        door = huidige_actor()
        stmt = pg_insert(t).values(
            sleutel=transactie.sleutel, soort=transactie.soort, boekdatum=transactie.boekdatum,
            boekmaand=transactie.boekmaand, omschrijving=transactie.omschrijving,
            door_subject=door.subject if door else None, door_org=door.org if door else None,
            door_org_type=door.org_type if door else None,
        )
        tid = await self.session.scalar(stmt.on_conflict_do_nothing(index_elements=[t.c.sleutel]).returning(t.c.id))
        if tid is None:
            return False
        await self.session.execute(
            b.insert(),
            [{"transactie_id": tid, "rekening": r.rekening, "debet_cent": r.debet, "credit_cent": r.credit}
             for r in transactie.boekingen],
        )
        return True

    async def get(self, sleutel: str) -> Transactie | None:
        """The transaction posted under ``sleutel``, as it was posted (a storno mirrors it)."""
        row = (await self.session.execute(select(t).where(t.c.sleutel == sleutel))).first()
        if row is None:
            return None
        lijnen = await self.session.execute(
            select(b.c.rekening, b.c.debet_cent, b.c.credit_cent).where(b.c.transactie_id == row.id).order_by(b.c.id)
        )
        return Transactie(
            sleutel=row.sleutel, soort=row.soort, boekdatum=row.boekdatum, omschrijving=row.omschrijving,
            boekingen=tuple(Boeking(r, debet=int(d), credit=int(c)) for r, d, c in lijnen),
        )

    async def vergrendel_wijkwerker(self, wijkwerker_id: uuid.UUID) -> None:
        """Serialises one worker's money (validations, payouts) before anything is written,
        so their events reach the topic in the order their effects happened."""
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext('cheques:wijkwerker'), hashtext(:w))"),
            {"w": str(wijkwerker_id)},
        )

    async def tegoeden(self, tot_en_met: date) -> dict[uuid.UUID, tuple[int, int]]:
        """Per worker: what was earned up to ``tot_en_met`` (credits less storno debits, so a
        reversal of an hour already paid is netted from the next payout) and every payout
        so far."""
        uitbetaling = t.c.soort == UITBETALING
        verdiend = func.sum(case(
            (and_(~uitbetaling, t.c.boekdatum <= tot_en_met), b.c.credit_cent - b.c.debet_cent), else_=0))
        betaald = func.sum(case((uitbetaling, b.c.debet_cent), else_=0))
        rows = await self.session.execute(
            select(b.c.rekening, verdiend, betaald)
            .join(t, t.c.id == b.c.transactie_id)
            .where(b.c.rekening.like("wijkwerker:%"))
            .group_by(b.c.rekening)
        )
        return {uuid.UUID(r.split(":", 1)[1]): (int(c), int(d)) for r, c, d in rows}

    async def vastgehouden(self, tot_en_met: date, op: date) -> dict[uuid.UUID, int]:
        """Per worker: what prestaties held from payout on ``op`` (disputed on or before it,
        not upheld on or before it, issue #23 item 3; or flagged and not released by then,
        item 4) put on the worker's account up to
        ``tot_en_met``: their cheques' current validations and the day's travel allowance."""
        rows = await self.session.execute(_VASTGEHOUDEN, {"tot": tot_en_met, "op": op})
        return {w: int(c) for w, c in rows if c}

    async def uitbetalingen(self, periode: str) -> dict[uuid.UUID, int]:
        """The payouts a run booked, per worker (what its SEPA file pays)."""
        rows = await self.session.execute(
            select(b.c.rekening, b.c.debet_cent)
            .join(t, t.c.id == b.c.transactie_id)
            .where(t.c.soort == UITBETALING, t.c.sleutel.like(f"uitbetaling:{periode}:%"),
                   b.c.rekening.like("wijkwerker:%"))
        )
        return {uuid.UUID(r.split(":", 1)[1]): int(d) for r, d in rows}

    async def per_rekening(self, maand: date, organisator_id: uuid.UUID | None = None) -> list[dict]:
        """Per account in one booking month: debit, credit, cheques and fees (settlements)."""
        query = (
            select(
                b.c.rekening,
                func.sum(b.c.debet_cent).label("debet"),
                func.sum(b.c.credit_cent).label("credit"),
                func.count().filter(and_(t.c.soort == "cheque", b.c.credit_cent > 0)).label("cheques"),
                func.coalesce(func.sum(b.c.credit_cent).filter(t.c.soort == "cheque"), 0).label("uit_cheques"),
                func.coalesce(func.sum(b.c.credit_cent).filter(t.c.soort == "inschrijvingsrecht"), 0).label(
                    "uit_inschrijvingen"
                ),
            )
            .join(t, t.c.id == b.c.transactie_id)
            .where(t.c.boekmaand == maand)
            .group_by(b.c.rekening)
            .order_by(b.c.rekening)
        )
        if organisator_id is not None:
            query = query.where(b.c.rekening == f"organisator:{organisator_id}")
        return [dict(r._mapping) for r in await self.session.execute(query)]
