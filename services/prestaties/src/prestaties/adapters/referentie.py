"""Local copy of the organisers (toeleiding owns them): area per organiser."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from prestaties.adapters.tables import organisatoren_ref, werkingsgebied_ref


class OrganisatorReferentie:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def bewaar(self, organisator_id: uuid.UUID, naam: str, samenwerkingsverband: str, nis_codes: list[str]) -> None:
        stmt = pg_insert(organisatoren_ref).values(
            id=organisator_id, naam=naam, samenwerkingsverband=samenwerkingsverband
        )
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[organisatoren_ref.c.id],
                set_={"naam": stmt.excluded.naam, "samenwerkingsverband": stmt.excluded.samenwerkingsverband},
            )
        )
        await self.session.execute(delete(werkingsgebied_ref).where(werkingsgebied_ref.c.organisator_id == organisator_id))
        await self.session.execute(
            insert(werkingsgebied_ref), [{"organisator_id": organisator_id, "nis_code": n} for n in nis_codes]
        )

    async def get(self, organisator_id: uuid.UUID) -> dict | None:
        row = (await self.session.execute(select(organisatoren_ref).where(organisatoren_ref.c.id == organisator_id))).one_or_none()
        if row is None:
            return None
        nis = (
            await self.session.scalars(
                select(werkingsgebied_ref.c.nis_code)
                .where(werkingsgebied_ref.c.organisator_id == organisator_id)
                .order_by(werkingsgebied_ref.c.nis_code)
            )
        ).all()
        return {"id": row.id, "naam": row.naam, "samenwerkingsverband": row.samenwerkingsverband, "gemeenten": list(nis)}
