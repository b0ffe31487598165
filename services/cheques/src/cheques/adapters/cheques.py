"""Orders, cheques and the issuer webhook inbox. No commits here (the unit of work commits)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from cheques.adapters.tables import bestellingen, cheques, prestaties_ref, webhook_inbox
from cheques.domain.cheque import Bestelling, Cheque, Status


class BestellingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, bestelling: Bestelling) -> bool:
        stmt = pg_insert(bestellingen).values(**bestelling.__dict__)
        result = await self.session.execute(stmt.on_conflict_do_nothing().returning(bestellingen.c.id))
        return result.first() is not None

    async def get(self, bestelling_id: uuid.UUID, *, for_update: bool = False) -> Bestelling | None:
        query = select(bestellingen).where(bestellingen.c.id == bestelling_id)
        if for_update:
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        return Bestelling(**row._mapping) if row else None


class ChequeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_all(self, bestelling: Bestelling, nieuwe: list[Cheque]) -> int:
        """Inserts the cheques; returns how many serial numbers were new."""
        stmt = pg_insert(cheques).on_conflict_do_nothing().returning(cheques.c.serienummer)
        rows = [
            {"serienummer": c.serienummer, "bestelling_id": bestelling.id, "uitgegeven_op": c.uitgegeven_op,
             "geldig_tot": c.geldig_tot, "status": c.status.value}
            for c in nieuwe
        ]
        return len((await self.session.execute(stmt, rows)).all())

    async def aantal_van(self, bestelling_id: uuid.UUID) -> int:
        return await self.session.scalar(
            select(func.count()).select_from(cheques).where(cheques.c.bestelling_id == bestelling_id)
        )

    async def get(self, serienummer: str, *, for_update: bool = False) -> Cheque | None:
        query = select(cheques).where(cheques.c.serienummer == serienummer)
        if for_update:
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        if row is None:
            return None
        return await self._cheque(row)

    async def _cheque(self, row) -> Cheque:
        bestelling = (await self.session.execute(select(bestellingen).where(bestellingen.c.id == row.bestelling_id))).one()
        return Cheque(
            serienummer=row.serienummer,
            bestelling=Bestelling(**bestelling._mapping),
            uitgegeven_op=row.uitgegeven_op,
            geldig_tot=row.geldig_tot,
            status=Status(row.status),
            prestatie_id=row.prestatie_id,
            gevalideerd_op=row.gevalideerd_op,
            afgesloten_op=row.afgesloten_op,
            terugdraaiingen=row.terugdraaiingen,
        )

    async def save(self, cheque: Cheque) -> None:
        await self.session.execute(
            update(cheques)
            .where(cheques.c.serienummer == cheque.serienummer)
            .values(status=cheque.status.value, prestatie_id=cheque.prestatie_id,
                    gevalideerd_op=cheque.gevalideerd_op, afgesloten_op=cheque.afgesloten_op,
                    terugdraaiingen=cheque.terugdraaiingen)
        )

    async def gevalideerd_voor_prestatie(self, prestatie_id: uuid.UUID) -> list[Cheque]:
        """The cheques validated against a prestatie, locked (a reversal changes them)."""
        rows = (await self.session.execute(
            select(cheques).where(cheques.c.prestatie_id == prestatie_id, cheques.c.status == Status.GEVALIDEERD.value)
            .order_by(cheques.c.serienummer).with_for_update()
        )).all()
        return [await self._cheque(row) for row in rows]

    async def gevalideerd_op_dag(self, koppeling_id: uuid.UUID, datum: date) -> int:
        """Validated cheques of every prestatie of one placement on one day (A-03)."""
        return await self.session.scalar(
            select(func.count()).select_from(cheques.join(prestaties_ref, prestaties_ref.c.id == cheques.c.prestatie_id))
            .where(prestaties_ref.c.koppeling_id == koppeling_id, prestaties_ref.c.datum == datum,
                   cheques.c.status == Status.GEVALIDEERD.value)
        )

    async def gevalideerd_voor(self, prestatie_id: uuid.UUID) -> int:
        return await self.session.scalar(
            select(func.count()).select_from(cheques).where(
                cheques.c.prestatie_id == prestatie_id, cheques.c.status == Status.GEVALIDEERD.value
            )
        )


class WebhookInbox:
    """The raw webhook, keyed by (issuer, delivery id), written with its effect."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def bewaar(self, uitgever: str, delivery_id: str, soort: str, ondertekend_op: int, body: bytes) -> bool:
        """False when this delivery was received before (a redelivery)."""
        stmt = pg_insert(webhook_inbox).values(
            uitgever=uitgever, delivery_id=delivery_id, type=soort,
            ondertekend_op=datetime.fromtimestamp(ondertekend_op, UTC), body=body,
        )
        result = await self.session.execute(stmt.on_conflict_do_nothing().returning(webhook_inbox.c.delivery_id))
        return result.first() is not None
