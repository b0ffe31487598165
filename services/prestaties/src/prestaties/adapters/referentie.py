"""Local copies of what toeleiding owns: organisers with their area, and the workers'
trajectory windows. Only the toeleiding consumer writes them."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import bindparam, case, delete, insert, select, true, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from prestaties.adapters.tables import (
    als_lijsten,
    organisatoren_ref,
    schorsingen_ref,
    trajecten_ref,
    uit_lijsten,
    werkingsgebied_ref,
)
from prestaties.domain.traject import Schorsing, TrajectVenster


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
        await self.vervang_gebied(organisator_id, nis_codes)

    async def vervang_gebied(self, organisator_id: uuid.UUID, nis_codes: list[str]) -> None:
        await self.session.execute(delete(werkingsgebied_ref).where(werkingsgebied_ref.c.organisator_id == organisator_id))
        await self.session.execute(
            insert(werkingsgebied_ref), [{"organisator_id": organisator_id, "nis_code": n} for n in nis_codes]
        )

    async def gebied(self, organisator_id: uuid.UUID) -> list[str]:
        nis = await self.session.scalars(
            select(werkingsgebied_ref.c.nis_code)
            .where(werkingsgebied_ref.c.organisator_id == organisator_id)
            .order_by(werkingsgebied_ref.c.nis_code)
        )
        return list(nis)

    async def get(self, organisator_id: uuid.UUID) -> dict | None:
        row = (await self.session.execute(select(organisatoren_ref).where(organisatoren_ref.c.id == organisator_id))).one_or_none()
        if row is None:
            return None
        gemeenten = await self.gebied(organisator_id)
        return {"id": row.id, "naam": row.naam, "samenwerkingsverband": row.samenwerkingsverband, "gemeenten": gemeenten}


# A worker's trajectory windows with their suspensions, in one statement.
_SCHORSINGEN = als_lijsten(
    schorsingen_ref, schorsingen_ref.c.traject_id, trajecten_ref.c.id, "schorsing", schorsingen_ref.c.van
)
_VENSTERS = (
    select(trajecten_ref, *_SCHORSINGEN.c)
    .select_from(trajecten_ref.join(_SCHORSINGEN, true()))
    .where(trajecten_ref.c.wijkwerker_id == bindparam("wijkwerker_id"))
    .order_by(trajecten_ref.c.start)
)


class VensterRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def van_wijkwerker(self, wijkwerker_id: uuid.UUID) -> list[TrajectVenster]:
        return [
            TrajectVenster(
                traject_id=r.id, wijkwerker_id=r.wijkwerker_id, organisator_id=r.organisator_id, start=r.start,
                gepland_einde=r.gepland_einde, overeenkomst_op=r.overeenkomst_op, werkelijk_einde=r.werkelijk_einde,
                schorsingen=[Schorsing(*s) for s in uit_lijsten(r, "schorsing", "van", "tot")],
            )
            for r in await self.session.execute(_VENSTERS, {"wijkwerker_id": wijkwerker_id})
        ]

    async def heeft_traject_bij(self, wijkwerker_id: uuid.UUID, organisator_id: uuid.UUID) -> bool:
        found = await self.session.scalar(
            select(trajecten_ref.c.id)
            .where(trajecten_ref.c.wijkwerker_id == wijkwerker_id, trajecten_ref.c.organisator_id == organisator_id)
            .limit(1)
        )
        return found is not None

    async def start(self, venster: TrajectVenster) -> None:
        await self.session.execute(
            pg_insert(trajecten_ref)
            .values(
                id=venster.traject_id, wijkwerker_id=venster.wijkwerker_id, organisator_id=venster.organisator_id,
                start=venster.start, gepland_einde=venster.gepland_einde,
            )
            .on_conflict_do_nothing()
        )

    async def wijzig(self, traject_id: uuid.UUID, **waarden: date | None) -> bool:
        """Update the known window; False when the trajectory is not known here."""
        result = await self.session.execute(
            update(trajecten_ref).where(trajecten_ref.c.id == traject_id).values(**waarden)
        )
        return result.rowcount > 0

    async def wijzig_gepland_einde(self, traject_id: uuid.UUID, gepland_einde: date | None) -> bool:
        """A new planned end; when it moved, an actual end (the housekeeping job's, at the
        old planned end) no longer holds. False when the trajectory is not known here."""
        werkelijk = case((trajecten_ref.c.gepland_einde.is_distinct_from(gepland_einde), None),
                         else_=trajecten_ref.c.werkelijk_einde)
        result = await self.session.execute(
            update(trajecten_ref).where(trajecten_ref.c.id == traject_id)
            .values(gepland_einde=gepland_einde, werkelijk_einde=werkelijk)
        )
        return result.rowcount > 0

    async def schors(self, traject_id: uuid.UUID, van: date, tot: date) -> None:
        await self.session.execute(
            pg_insert(schorsingen_ref).values(traject_id=traject_id, van=van, tot=tot).on_conflict_do_nothing()
        )
