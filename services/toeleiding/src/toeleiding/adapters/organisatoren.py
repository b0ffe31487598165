"""The organisers' repository."""

from __future__ import annotations

import builtins
import uuid

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from toeleiding.adapters.tables import organisatoren, tarieven, werkingsgebied
from toeleiding.domain.organisator import Organisator


class OrganisatorRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, organisator_id: uuid.UUID, *, for_update: bool = False) -> Organisator | None:
        query = select(organisatoren).where(organisatoren.c.id == organisator_id)
        if for_update:
            query = query.with_for_update()
        row = (await self.session.execute(query)).one_or_none()
        if row is None:
            return None
        gebied = await self.session.execute(
            select(werkingsgebied.c.nis_code, werkingsgebied.c.naam).where(
                werkingsgebied.c.organisator_id == organisator_id
            )
        )
        rows = await self.session.execute(
            select(tarieven.c.geldig_vanaf, tarieven.c.prijs_cent)
            .where(tarieven.c.organisator_id == organisator_id)
            .order_by(tarieven.c.geldig_vanaf)
        )
        return Organisator(
            id=row.id,
            naam=row.naam,
            samenwerkingsverband=row.samenwerkingsverband,
            gemeenten={nis: naam for nis, naam in gebied},
            tarieven=[(vanaf, prijs) for vanaf, prijs in rows],
            version=row.version,
        )

    async def list(self, *, limit: int, offset: int) -> list[Organisator]:
        ids = (
            await self.session.scalars(
                select(organisatoren.c.id).order_by(organisatoren.c.naam, organisatoren.c.id).limit(limit).offset(offset)
            )
        ).all()
        return [o for o in [await self.get(i) for i in ids] if o is not None]

    async def in_samenwerkingsverband(
        self, samenwerkingsverband: str, *, for_update: bool = False
    ) -> builtins.list[Organisator]:
        """Every organiser of the samenwerkingsverband (A-18), by name."""
        ids = (await self.session.scalars(
            select(organisatoren.c.id).where(organisatoren.c.samenwerkingsverband == samenwerkingsverband)
            .order_by(organisatoren.c.naam, organisatoren.c.id)
        )).all()
        return [o for o in [await self.get(i, for_update=for_update) for i in ids] if o is not None]

    async def al_toegewezen(self, nis_codes: list[str], behalve: uuid.UUID | None = None) -> dict[str, uuid.UUID]:
        """Municipalities already in another organiser's area (one organiser per place)."""
        query = select(werkingsgebied.c.nis_code, werkingsgebied.c.organisator_id).where(
            werkingsgebied.c.nis_code.in_(nis_codes)
        )
        if behalve is not None:
            query = query.where(werkingsgebied.c.organisator_id != behalve)
        return {nis: oid for nis, oid in await self.session.execute(query)}

    async def count(self) -> int:
        return await self.session.scalar(select(func.count()).select_from(organisatoren))

    async def add(self, organisator: Organisator) -> None:
        await self.session.execute(
            insert(organisatoren).values(
                id=organisator.id,
                naam=organisator.naam,
                samenwerkingsverband=organisator.samenwerkingsverband,
                version=organisator.version,
            )
        )
        await self.session.execute(
            insert(werkingsgebied),
            [{"organisator_id": organisator.id, "nis_code": n, "naam": g} for n, g in organisator.gemeenten.items()],
        )
        await self._save_tarieven(organisator)

    async def save(self, organisator: Organisator) -> None:
        await self.session.execute(
            update(organisatoren).where(organisatoren.c.id == organisator.id).values(version=organisator.version)
        )
        await self.session.execute(delete(werkingsgebied).where(werkingsgebied.c.organisator_id == organisator.id))
        await self.session.execute(
            insert(werkingsgebied),
            [{"organisator_id": organisator.id, "nis_code": n, "naam": g} for n, g in organisator.gemeenten.items()],
        )
        await self._save_tarieven(organisator)

    async def _save_tarieven(self, organisator: Organisator) -> None:
        # Tariff rows are append-only: a new rate never rewrites an older one.
        await self.session.execute(
            pg_insert(tarieven)
            .values(
                [
                    {"organisator_id": organisator.id, "geldig_vanaf": vanaf, "prijs_cent": prijs}
                    for vanaf, prijs in organisator.tarieven
                ]
            )
            .on_conflict_do_nothing()
        )
