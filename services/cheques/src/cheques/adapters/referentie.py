"""Local copy of organisers and their effective-dated cheque tariffs (toeleiding owns them)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from cheques.adapters.tables import organisatoren_ref, tarieven_ref


class TariefReferentie:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def bewaar_organisator(self, organisator_id: uuid.UUID, naam: str) -> None:
        stmt = pg_insert(organisatoren_ref).values(id=organisator_id, naam=naam)
        await self.session.execute(
            stmt.on_conflict_do_update(index_elements=[organisatoren_ref.c.id], set_={"naam": stmt.excluded.naam})
        )

    async def bewaar_tarief(self, organisator_id: uuid.UUID, geldig_vanaf: date, prijs_cent: int) -> None:
        stmt = pg_insert(tarieven_ref).values(organisator_id=organisator_id, geldig_vanaf=geldig_vanaf, prijs_cent=prijs_cent)
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[tarieven_ref.c.organisator_id, tarieven_ref.c.geldig_vanaf],
                set_={"prijs_cent": stmt.excluded.prijs_cent},
            )
        )

    async def tarief_op(self, organisator_id: uuid.UUID, dag: date) -> int | None:
        return await self.session.scalar(
            select(tarieven_ref.c.prijs_cent)
            .where(tarieven_ref.c.organisator_id == organisator_id, tarieven_ref.c.geldig_vanaf <= dag)
            .order_by(tarieven_ref.c.geldig_vanaf.desc())
            .limit(1)
        )
