"""Versions of corrected evaluations and outflow measurements, and their current rows."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from evaluatie.adapters.tables import correcties, evaluaties, uitstroommetingen

TABEL = {"evaluatie": evaluaties, "uitstroommeting": uitstroommetingen}


class Correcties:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def rij(self, soort: str, doel_id: uuid.UUID, *, for_update: bool = False):
        tabel = TABEL[soort]
        query = select(tabel).where(tabel.c.id == doel_id)
        return (await self.session.execute(query.with_for_update() if for_update else query)).one_or_none()

    async def aantal(self, doel_id: uuid.UUID) -> int:
        return await self.session.scalar(select(func.count()).where(correcties.c.doel_id == doel_id))

    async def bewaar(self, soort: str, doel_id: uuid.UUID, gecorrigeerd_op: date, waarden: dict, reden: str,
                     door: str | None) -> None:
        await self.session.execute(insert(correcties).values(
            id=uuid.uuid4(), soort=soort, doel_id=doel_id, gecorrigeerd_op=gecorrigeerd_op, waarden=waarden,
            reden=reden, door=door))

    async def geldend(self, doel_id: uuid.UUID) -> dict:
        """The version in force: the latest correction date, then the latest arrival."""
        return await self.session.scalar(
            select(correcties.c.waarden).where(correcties.c.doel_id == doel_id)
            .order_by(correcties.c.gecorrigeerd_op.desc(), correcties.c.volgnummer.desc()).limit(1))

    async def zet(self, soort: str, doel_id: uuid.UUID, waarden: dict) -> None:
        tabel = TABEL[soort]
        await self.session.execute(update(tabel).where(tabel.c.id == doel_id).values(**waarden))

    async def historiek(self, doel_id: uuid.UUID) -> list[dict]:
        rows = await self.session.execute(
            select(correcties.c.gecorrigeerd_op, correcties.c.waarden, correcties.c.reden, correcties.c.door,
                   correcties.c.geregistreerd_op)
            .where(correcties.c.doel_id == doel_id).order_by(correcties.c.gecorrigeerd_op, correcties.c.volgnummer))
        return [dict(r._mapping) for r in rows]
