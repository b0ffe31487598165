"""Payout runs: one per month, with the pain.001 file as written the first time."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from cheques.adapters.tables import uitbetalingen, uitbetalingsrondes


@dataclass(frozen=True)
class Uitbetaling:
    wijkwerker_id: uuid.UUID
    bedrag_cent: int
    end_to_end_id: str


@dataclass(frozen=True)
class Ronde:
    periode: str
    uitgevoerd_op: datetime | None
    uitbetalingen: tuple[Uitbetaling, ...]
    bestand: bytes | None
    zonder_bankgegevens: tuple[str, ...]

    @property
    def totaal_cent(self) -> int:
        return sum(u.bedrag_cent for u in self.uitbetalingen)


class RondeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def vergrendel(self, periode: str) -> None:
        """One run of a month at a time; the second waits and then finds the first's result."""
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext('cheques:uitbetaling'), hashtext(:p))"), {"p": periode}
        )

    async def get(self, periode: str) -> Ronde | None:
        row = (await self.session.execute(select(uitbetalingsrondes).where(uitbetalingsrondes.c.periode == periode))).first()
        if row is None:
            return None
        lijnen = await self.session.execute(
            select(uitbetalingen).where(uitbetalingen.c.periode == periode).order_by(uitbetalingen.c.end_to_end_id)
        )
        return Ronde(
            periode=row.periode,
            uitgevoerd_op=row.uitgevoerd_op,
            uitbetalingen=tuple(Uitbetaling(r.wijkwerker_id, r.bedrag_cent, r.end_to_end_id) for r in lijnen),
            bestand=row.bestand,
            zonder_bankgegevens=tuple(row.zonder_bankgegevens),
        )

    async def add(self, ronde: Ronde) -> None:
        await self.session.execute(
            insert(uitbetalingsrondes).values(
                periode=ronde.periode, aantal=len(ronde.uitbetalingen), totaal_cent=ronde.totaal_cent,
                bestand=ronde.bestand, zonder_bankgegevens=list(ronde.zonder_bankgegevens),
            )
        )
        if ronde.uitbetalingen:
            await self.session.execute(
                insert(uitbetalingen),
                [{"periode": ronde.periode, "wijkwerker_id": u.wijkwerker_id, "bedrag_cent": u.bedrag_cent,
                  "end_to_end_id": u.end_to_end_id} for u in ronde.uitbetalingen],
            )
