"""The recompute's scratch table and its diff against the ledger, per account and month."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from cheques.adapters.tables import herberekening_saldi, herberekeningen, outbox_backlog

_VERSCHILLEN = text(
    """
    WITH grootboek AS (
        SELECT b.rekening, t.boekmaand AS maand, sum(b.debet_cent - b.credit_cent) AS saldo
        FROM grootboek_boekingen b JOIN grootboek_transacties t ON t.id = b.transactie_id
        WHERE t.boekmaand > :na
        GROUP BY b.rekening, t.boekmaand
    ), herberekend AS (
        SELECT rekening, maand, saldo_cent AS saldo FROM herberekening_saldi WHERE run_id = :run_id AND maand > :na
    )
    SELECT coalesce(g.rekening, h.rekening) AS rekening, coalesce(g.maand, h.maand) AS maand,
           coalesce(g.saldo, 0) AS grootboek, coalesce(h.saldo, 0) AS herberekend,
           count(*) OVER () AS vergeleken
    FROM grootboek g FULL OUTER JOIN herberekend h ON g.rekening = h.rekening AND g.maand = h.maand
    ORDER BY 2, 1
    """
)

_MAANDEN_UIT_EVENWICHT = text(
    """
    SELECT t.boekmaand FROM grootboek_boekingen b JOIN grootboek_transacties t ON t.id = b.transactie_id
    GROUP BY t.boekmaand HAVING sum(b.debet_cent) <> sum(b.credit_cent) ORDER BY 1
    """
)


class HerberekeningRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def momentopname(self) -> None:
        """The rest of this transaction sees the ledger as it is now (REPEATABLE READ);
        the replay may take longer than an idle transaction is normally allowed."""
        await self.session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
        await self.session.execute(text("SET LOCAL idle_in_transaction_session_timeout = '15min'"))

    async def achterstand(self) -> int:
        """Outbox rows not yet on the topic."""
        return await self.session.scalar(select(func.count()).select_from(outbox_backlog).where(
            outbox_backlog.c.published_at.is_(None)))

    async def schrijf(self, run_id: uuid.UUID, saldi: dict[tuple[str, date], int]) -> None:
        """COPY into the scratch table, in this session's transaction (one round trip)."""
        rijen = [(run_id, r, m, s) for (r, m), s in saldi.items() if s]
        if not rijen:
            return
        verbinding = await (await self.session.connection()).get_raw_connection()
        await verbinding.driver_connection.copy_records_to_table(
            herberekening_saldi.name, records=rijen, columns=["run_id", "rekening", "maand", "saldo_cent"]
        )

    async def verschillen(self, run_id: uuid.UUID, na: date = date.min) -> tuple[int, list[dict]]:
        """(account-months after month ``na`` compared, those that differ)."""
        rows = (await self.session.execute(_VERSCHILLEN, {"run_id": run_id, "na": na})).all()
        vergeleken = rows[0].vergeleken if rows else 0
        return vergeleken, [
            {"rekening": r.rekening, "maand": r.maand, "grootboek": int(r.grootboek), "herberekend": int(r.herberekend)}
            for r in rows
            if r.grootboek != r.herberekend
        ]

    async def maanden_uit_evenwicht(self) -> list[date]:
        return list((await self.session.scalars(_MAANDEN_UIT_EVENWICHT)).all())

    async def bewaar(self, run_id: uuid.UUID, events: int, verschil_cent: int, rapport: dict) -> None:
        await self.session.execute(delete(herberekening_saldi).where(herberekening_saldi.c.run_id == run_id))
        await self.session.execute(
            insert(herberekeningen).values(id=run_id, events=events, verschil_cent=verschil_cent, rapport=rapport)
        )


async def laatste_herberekening(session: AsyncSession) -> dict | None:
    """The last stored recompute (whoever ran it: the route or the scheduled job), for its metrics."""
    row = (await session.execute(
        select(herberekeningen.c.uitgevoerd_op, herberekeningen.c.events, herberekeningen.c.verschil_cent,
               herberekeningen.c.rapport).order_by(herberekeningen.c.uitgevoerd_op.desc()).limit(1)
    )).first()
    if row is None:
        return None
    return {"uitgevoerd_op": row.uitgevoerd_op, "events": row.events, "verschil_cent": row.verschil_cent,
            "maanden_uit_evenwicht": (row.rapport or {}).get("maanden_uit_evenwicht", [])}
