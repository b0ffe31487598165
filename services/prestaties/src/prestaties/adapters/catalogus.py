"""Repositories of the activity catalogue (with matrix and deviations) and placements."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from prestaties.adapters.tables import activiteiten, afwijkingen, koppelingen, toelatingen
from prestaties.domain.activiteit import Activiteit, ActiviteitCategorie, Afwijking
from prestaties.domain.gebruiker import GebruikerCategorie
from prestaties.domain.koppeling import Koppeling


class ActiviteitRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _load(self, rows) -> list[Activiteit]:
        rows = list(rows)
        ids = [r.id for r in rows]
        toegelaten: dict[uuid.UUID, set[GebruikerCategorie]] = {i: set() for i in ids}
        per_activiteit: dict[uuid.UUID, list[Afwijking]] = {i: [] for i in ids}
        if ids:
            for t in await self.session.execute(select(toelatingen).where(toelatingen.c.activiteit_id.in_(ids))):
                toegelaten[t.activiteit_id].add(GebruikerCategorie(t.gebruiker_categorie))
            query = select(afwijkingen).where(afwijkingen.c.activiteit_id.in_(ids)).order_by(afwijkingen.c.geldig_van)
            for a in await self.session.execute(query):
                per_activiteit[a.activiteit_id].append(
                    Afwijking(a.id, a.gebruiker_id, a.aangevraagd_op, a.goedgekeurd_op, a.geldig_van, a.geldig_tot, a.motivering)
                )
        return [
            Activiteit(
                id=r.id, organisator_id=r.organisator_id, naam=r.naam, categorie=ActiviteitCategorie(r.categorie),
                toegelaten=frozenset(toegelaten[r.id]), afwijkingen=per_activiteit[r.id], version=r.version,
            )
            for r in rows
        ]

    async def get(self, activiteit_id: uuid.UUID, *, for_update: bool = False) -> Activiteit | None:
        query = select(activiteiten).where(activiteiten.c.id == activiteit_id)
        found = await self._load(await self.session.execute(query.with_for_update() if for_update else query))
        return found[0] if found else None

    async def van_organisator(self, organisator_id: uuid.UUID) -> list[Activiteit]:
        query = select(activiteiten).where(activiteiten.c.organisator_id == organisator_id).order_by(activiteiten.c.naam)
        return await self._load(await self.session.execute(query))

    async def add(self, a: Activiteit) -> None:
        await self.session.execute(
            insert(activiteiten).values(
                id=a.id, organisator_id=a.organisator_id, naam=a.naam, categorie=a.categorie.value, version=a.version
            )
        )
        await self._save_toelatingen(a)

    async def save(self, a: Activiteit) -> None:
        await self.session.execute(update(activiteiten).where(activiteiten.c.id == a.id).values(version=a.version))
        await self.session.execute(delete(toelatingen).where(toelatingen.c.activiteit_id == a.id))
        await self._save_toelatingen(a)

    async def add_afwijking(self, activiteit_id: uuid.UUID, a: Afwijking) -> None:
        await self.session.execute(
            insert(afwijkingen).values(
                id=a.id, activiteit_id=activiteit_id, gebruiker_id=a.gebruiker_id, aangevraagd_op=a.aangevraagd_op,
                goedgekeurd_op=a.goedgekeurd_op, geldig_van=a.geldig_van, geldig_tot=a.geldig_tot,
                motivering=a.motivering,
            )
        )

    async def _save_toelatingen(self, a: Activiteit) -> None:
        if a.toegelaten:
            await self.session.execute(
                insert(toelatingen),
                [{"activiteit_id": a.id, "gebruiker_categorie": c.value} for c in sorted(a.toegelaten)],
            )


_KOPPELING = (
    "id", "wijkwerker_id", "gebruiker_id", "organisator_id", "activiteit_id", "locatie_nis_code", "afstand_km",
    "start", "einde", "einde_reden", "version",
)


class KoppelingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, koppeling_id: uuid.UUID, *, for_update: bool = False) -> Koppeling | None:
        query = select(koppelingen).where(koppelingen.c.id == koppeling_id)
        row = (await self.session.execute(query.with_for_update() if for_update else query)).one_or_none()
        return None if row is None else Koppeling(**{k: getattr(row, k) for k in _KOPPELING})

    async def add(self, k: Koppeling) -> None:
        await self.session.execute(insert(koppelingen).values(**{c: getattr(k, c) for c in _KOPPELING}))

    async def save(self, k: Koppeling) -> None:
        await self.session.execute(
            update(koppelingen)
            .where(koppelingen.c.id == k.id)
            .values(einde=k.einde, einde_reden=k.einde_reden, version=k.version)
        )
