"""Read models folded from the event streams; reports never call other services."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from evaluatie.adapters.tables import rm_dossiers, rm_organisatoren, rm_toeleidingen


class Leesmodellen:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def organisator(self, organisator_id: uuid.UUID, naam: str, samenwerkingsverband: str) -> None:
        stmt = pg_insert(rm_organisatoren).values(id=organisator_id, naam=naam, samenwerkingsverband=samenwerkingsverband)
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[rm_organisatoren.c.id],
                set_={"naam": stmt.excluded.naam, "samenwerkingsverband": stmt.excluded.samenwerkingsverband},
            )
        )

    async def dossier(
        self, wijkwerker_id: uuid.UUID, organisator_id: uuid.UUID, ex_pwa: bool, uitkeringsstatus: str, ingeschreven_op: date
    ) -> None:
        await self.session.execute(
            pg_insert(rm_dossiers)
            .values(
                wijkwerker_id=wijkwerker_id,
                organisator_id=organisator_id,
                ex_pwa=ex_pwa,
                uitkeringsstatus=uitkeringsstatus,
                ingeschreven_op=ingeschreven_op,
            )
            .on_conflict_do_nothing()
        )

    async def dossiers_per_organisator(self, tot_en_met: date, organisator_id: uuid.UUID | None) -> list[dict]:
        counted = (
            select(rm_dossiers.c.organisator_id, func.count().label("dossiers"))
            .where(rm_dossiers.c.ingeschreven_op <= tot_en_met)
            .group_by(rm_dossiers.c.organisator_id)
            .subquery()
        )
        query = (
            select(rm_organisatoren, func.coalesce(counted.c.dossiers, 0).label("dossiers"))
            .outerjoin(counted, counted.c.organisator_id == rm_organisatoren.c.id)
            .order_by(rm_organisatoren.c.naam)
        )
        if organisator_id is not None:
            query = query.where(rm_organisatoren.c.id == organisator_id)
        return [dict(r._mapping) for r in await self.session.execute(query)]

    async def toeleiding(self, rij: dict) -> None:
        await self.session.execute(pg_insert(rm_toeleidingen).values(**rij).on_conflict_do_nothing())

    async def toeleidingen_per_advies(
        self, van: date, tot: date, organisator_id: uuid.UUID | None
    ) -> list[tuple[int | None, int]]:
        """RPT-07: referrals received in [van, tot] by advised duration (None = unlimited right)."""
        query = (
            select(rm_toeleidingen.c.advies_maanden, func.count())
            .where(rm_toeleidingen.c.ontvangen_op.between(van, tot))
            .group_by(rm_toeleidingen.c.advies_maanden)
            .order_by(rm_toeleidingen.c.advies_maanden.nulls_last())
        )
        if organisator_id is not None:
            query = query.where(rm_toeleidingen.c.organisator_id == organisator_id)
        return [(maanden, aantal) for maanden, aantal in await self.session.execute(query)]
