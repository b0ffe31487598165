"""Refund requests, and the unused cheques the expiry job lapses. No commits here."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import exists, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from cheques.adapters.tables import cheques
from cheques.adapters.tables import terugbetalingsaanvragen as a
from cheques.domain.cheque import Status
from cheques.domain.terugbetaling import Aanvraag, AanvraagStatus


def _aanvraag(row: object) -> Aanvraag:
    velden = dict(row._mapping)  # type: ignore[attr-defined]
    return Aanvraag(**{**velden, "status": AanvraagStatus(velden["status"])})


class AanvraagRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, aanvraag: Aanvraag) -> bool:
        """False when the cheque has an open request already (one at a time)."""
        stmt = pg_insert(a).values(**{**aanvraag.__dict__, "status": aanvraag.status.value})
        stmt = stmt.on_conflict_do_nothing(index_elements=[a.c.serienummer], index_where=text("status = 'gevraagd'"))
        return (await self.session.execute(stmt.returning(a.c.id))).first() is not None

    async def get(self, aanvraag_id: uuid.UUID, *, for_update: bool = False) -> Aanvraag | None:
        query = select(a).where(a.c.id == aanvraag_id)
        if for_update:
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        return _aanvraag(row) if row else None

    async def van_cheque(self, serienummer: str) -> list[Aanvraag]:
        rows = await self.session.execute(select(a).where(a.c.serienummer == serienummer).order_by(a.c.gevraagd_op))
        return [_aanvraag(r) for r in rows]

    async def save(self, aanvraag: Aanvraag) -> None:
        await self.session.execute(
            update(a).where(a.c.id == aanvraag.id).values(
                status=aanvraag.status.value, beslist_op=aanvraag.beslist_op,
                beslissing_reden=aanvraag.beslissing_reden)
        )

    async def te_laten_vervallen(self, tot: date, limiet: int) -> list[str]:
        """Unused cheques whose expiry day (last valid day + 1) is on or before ``tot`` and
        that have no open refund request, locked (another job run skips them)."""
        open_aanvraag = exists().where(a.c.serienummer == cheques.c.serienummer, a.c.status == "gevraagd")
        rows = await self.session.execute(
            select(cheques.c.serienummer)
            .where(cheques.c.status == Status.UITGEGEVEN.value, cheques.c.geldig_tot < tot,
                   ~open_aanvraag)
            .order_by(cheques.c.geldig_tot, cheques.c.serienummer)
            .limit(limiet)
            .with_for_update(of=cheques, skip_locked=True)
        )
        return [r.serienummer for r in rows]
