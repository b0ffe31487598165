"""Reversals waiting to be applied, and how often a day's travel allowance was reversed."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from cheques.adapters.tables import reisdagen, terugdraai_opdrachten


@dataclass(frozen=True)
class Opdracht:
    """A prestatie corrected or cancelled: reverse what it no longer pays, on ``datum``."""

    id: uuid.UUID
    prestatie_id: uuid.UUID
    wijkwerker_id: uuid.UUID
    datum: date
    reden: str
    actor: dict | None = None  # the correction's actor (wijkwerk.events.Actor as JSON)


class OpdrachtRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, opdracht: Opdracht) -> None:
        stmt = pg_insert(terugdraai_opdrachten).values(**opdracht.__dict__)
        await self.session.execute(stmt.on_conflict_do_nothing())

    async def open(self, limiet: int) -> list[Opdracht]:
        rows = await self.session.execute(
            select(*_VELDEN).order_by(terugdraai_opdrachten.c.aangemaakt_op, terugdraai_opdrachten.c.id).limit(limiet)
        )
        return [Opdracht(*r) for r in rows]

    async def neem(self, opdracht_id: uuid.UUID) -> Opdracht | None:
        """The order, locked for this transaction; None when another one took it."""
        row = (await self.session.execute(
            select(*_VELDEN).where(terugdraai_opdrachten.c.id == opdracht_id).with_for_update(skip_locked=True)
        )).first()
        return Opdracht(*row) if row else None

    async def klaar(self, opdracht_id: uuid.UUID) -> None:
        await self.session.execute(delete(terugdraai_opdrachten).where(terugdraai_opdrachten.c.id == opdracht_id))


_VELDEN = (terugdraai_opdrachten.c.id, terugdraai_opdrachten.c.prestatie_id, terugdraai_opdrachten.c.wijkwerker_id,
           terugdraai_opdrachten.c.datum, terugdraai_opdrachten.c.reden, terugdraai_opdrachten.c.actor)


class ReisdagRepository:
    """Per placement and day: how often its travel allowance was reversed (numbers the
    ledger key of the next grant, so a day paid again after a storno is posted again)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def terugdraaiingen(self, koppeling_id: uuid.UUID, datum: date) -> int:
        waarde = await self.session.scalar(
            select(reisdagen.c.terugdraaiingen).where(reisdagen.c.koppeling_id == koppeling_id, reisdagen.c.datum == datum)
        )
        return waarde or 0

    async def teruggedraaid(self, koppeling_id: uuid.UUID, datum: date) -> None:
        stmt = pg_insert(reisdagen).values(koppeling_id=koppeling_id, datum=datum, terugdraaiingen=1)
        await self.session.execute(stmt.on_conflict_do_update(
            index_elements=[reisdagen.c.koppeling_id, reisdagen.c.datum],
            set_={"terugdraaiingen": reisdagen.c.terugdraaiingen + 1},
        ))
