"""The dated history of a dossier's personal data (IBAN, name, address)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import exists, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from toeleiding.adapters.tables import dossierwijzigingen as t
from toeleiding.domain.wijziging import Gegevens, Wijziging


class WijzigingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, w: Wijziging) -> None:
        await self.session.execute(
            insert(t).values(id=w.id, wijkwerker_id=w.wijkwerker_id, gegevens=w.gegevens.value,
                             gewijzigd_op=w.gewijzigd_op, waarde=w.waarde, reden=w.reden, door=w.door)
        )

    async def later_bestaat(self, wijkwerker_id: uuid.UUID, gegevens: Gegevens, op: date) -> bool:
        """A change of the same data with a later date is already recorded: it stays in force."""
        return bool(await self.session.scalar(select(exists().where(
            t.c.wijkwerker_id == wijkwerker_id, t.c.gegevens == gegevens.value, t.c.gewijzigd_op > op,
        ))))

    async def van(self, wijkwerker_id: uuid.UUID) -> list[Wijziging]:
        rows = await self.session.execute(
            select(t).where(t.c.wijkwerker_id == wijkwerker_id).order_by(t.c.gewijzigd_op, t.c.volgnummer)
        )
        return [Wijziging(r.id, r.wijkwerker_id, Gegevens(r.gegevens), r.gewijzigd_op, r.waarde, r.reden, r.door)
                for r in rows]

    async def iban_op(self, wijkwerker_id: uuid.UUID, dag: date) -> str | None:
        """The account in force on ``dag`` by the changes recorded (None: the registration's)."""
        return await self.session.scalar(
            select(t.c.waarde["iban"].astext)
            .where(t.c.wijkwerker_id == wijkwerker_id, t.c.gegevens == Gegevens.IBAN.value, t.c.gewijzigd_op <= dag)
            .order_by(t.c.gewijzigd_op.desc(), t.c.volgnummer.desc())
            .limit(1)
        )
