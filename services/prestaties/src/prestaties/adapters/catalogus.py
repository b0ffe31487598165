"""Repositories of the activity catalogue (with matrix and deviations) and placements."""

from __future__ import annotations

import uuid

from sqlalchemy import bindparam, delete, insert, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from prestaties.adapters.tables import activiteiten, afwijkingen, als_lijsten, koppelingen, toelatingen, uit_lijsten
from prestaties.domain.activiteit import Activiteit, ActiviteitCategorie, Afwijking
from prestaties.domain.gebruiker import GebruikerCategorie
from prestaties.domain.koppeling import Koppeling

# An activity with its matrix row and its deviations (by start of validity), in one statement.
TOELATINGEN = als_lijsten(
    toelatingen, toelatingen.c.activiteit_id, activiteiten.c.id, "toelating", toelatingen.c.gebruiker_categorie
)
AFWIJKINGEN = als_lijsten(
    afwijkingen, afwijkingen.c.activiteit_id, activiteiten.c.id, "afwijking", afwijkingen.c.geldig_van, afwijkingen.c.id
)
AFWIJKING = ("id", "gebruiker_id", "aangevraagd_op", "goedgekeurd_op", "geldig_van", "geldig_tot", "motivering")
_ACTIVITEITEN = select(activiteiten, *TOELATINGEN.c, *AFWIJKINGEN.c).select_from(
    activiteiten.join(TOELATINGEN, true()).join(AFWIJKINGEN, true())
)
_ACTIVITEIT = _ACTIVITEITEN.where(activiteiten.c.id == bindparam("id"))
_ACTIVITEIT_FOR_UPDATE = _ACTIVITEIT.with_for_update(of=activiteiten)


class ActiviteitRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @staticmethod
    def _from_row(r, p: str = "") -> Activiteit:
        """A row of ``_ACTIVITEITEN`` (``toelating_*``/``afwijking_*`` lists); ``p``: the prefix
        its own columns carry in a wider statement."""
        def k(naam: str):
            return getattr(r, p + naam)

        return Activiteit(
            id=k("id"), organisator_id=k("organisator_id"), naam=k("naam"), categorie=ActiviteitCategorie(k("categorie")),
            toegelaten=frozenset(GebruikerCategorie(c) for (c,) in uit_lijsten(r, "toelating", "gebruiker_categorie")),
            afwijkingen=[Afwijking(*a) for a in uit_lijsten(r, "afwijking", *AFWIJKING)], version=k("version"),
        )

    async def get(self, activiteit_id: uuid.UUID, *, for_update: bool = False) -> Activiteit | None:
        query = _ACTIVITEIT_FOR_UPDATE if for_update else _ACTIVITEIT
        row = (await self.session.execute(query, {"id": activiteit_id})).one_or_none()
        return None if row is None else self._from_row(row)

    async def van_organisator(self, organisator_id: uuid.UUID) -> list[Activiteit]:
        query = _ACTIVITEITEN.where(activiteiten.c.organisator_id == organisator_id).order_by(activiteiten.c.naam)
        return [self._from_row(r) for r in await self.session.execute(query)]

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


_KOPPELING_GET = select(koppelingen).where(koppelingen.c.id == bindparam("id"))
_KOPPELING_GET_FOR_UPDATE = _KOPPELING_GET.with_for_update()


class KoppelingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @staticmethod
    def _from_row(r) -> Koppeling:
        return Koppeling(**{k: getattr(r, k) for k in _KOPPELING})

    async def get(self, koppeling_id: uuid.UUID, *, for_update: bool = False) -> Koppeling | None:
        query = _KOPPELING_GET_FOR_UPDATE if for_update else _KOPPELING_GET
        row = (await self.session.execute(query, {"id": koppeling_id})).one_or_none()
        return None if row is None else self._from_row(row)

    async def add(self, k: Koppeling) -> None:
        await self.session.execute(insert(koppelingen).values(**{c: getattr(k, c) for c in _KOPPELING}))

    async def save(self, k: Koppeling) -> None:
        await self.session.execute(
            update(koppelingen)
            .where(koppelingen.c.id == k.id)
            .values(einde=k.einde, einde_reden=k.einde_reden, version=k.version)
        )
