"""Repositories of gebruikers, their erkenningen (with validity periods) and contacts."""

from __future__ import annotations

import uuid

from sqlalchemy import bindparam, exists, insert, or_, select, true, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from prestaties.adapters.tables import (
    als_lijsten,
    contacten,
    erkenning_perioden,
    erkenningen,
    gebruikers,
    uit_lijsten,
)
from prestaties.domain.contact import Contact, ContactReden, ContactRol, Kanaal
from prestaties.domain.gebruiker import Adres, Erkenning, Gebruiker, GebruikerCategorie, Geldigheid, Geslacht

_GEBRUIKER = select(gebruikers).where(gebruikers.c.id == bindparam("id"))
# An erkenning with its validity periods (by start), in one statement.
PERIODEN = als_lijsten(
    erkenning_perioden, erkenning_perioden.c.erkenning_id, erkenningen.c.id, "periode", erkenning_perioden.c.geldig_van
)
PERIODE = ("geldig_van", "geldig_tot", "inschrijvingsrecht_cent", "betaald_op")
_ERKENNINGEN = select(erkenningen, *PERIODEN.c).select_from(erkenningen.join(PERIODEN, true()))
_ERKENNING = _ERKENNINGEN.where(erkenningen.c.id == bindparam("id"))
_ERKENNING_FOR_UPDATE = _ERKENNING.with_for_update(of=erkenningen)
_ERKENNING_BIJ = _ERKENNINGEN.where(
    erkenningen.c.gebruiker_id == bindparam("gebruiker_id"), erkenningen.c.organisator_id == bindparam("organisator_id")
)


class GebruikerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @staticmethod
    def _from_row(r, p: str = "") -> Gebruiker:
        """A row of ``gebruikers``; ``p``: the prefix its columns carry in a wider statement."""
        def k(naam: str):
            return getattr(r, p + naam)

        return Gebruiker(
            id=k("id"), categorie=GebruikerCategorie(k("categorie")), naam=k("naam"), aangemeld_op=k("aangemeld_op"),
            aangemeld_bij=k("aangemeld_bij"), geslacht=Geslacht(k("geslacht")) if k("geslacht") else None,
            version=k("version"), iban=k("iban"),
            adres=Adres(k("adres_straat"), k("adres_huisnummer"), k("adres_postcode")) if k("adres_straat") else None,
        )

    async def get(self, gebruiker_id: uuid.UUID) -> Gebruiker | None:
        row = (await self.session.execute(_GEBRUIKER, {"id": gebruiker_id})).one_or_none()
        return None if row is None else self._from_row(row)

    async def add(self, g: Gebruiker) -> None:
        await self.session.execute(
            insert(gebruikers).values(
                id=g.id, categorie=g.categorie.value, naam=g.naam, geslacht=g.geslacht.value if g.geslacht else None,
                aangemeld_op=g.aangemeld_op, aangemeld_bij=g.aangemeld_bij, version=g.version,
                iban=g.iban, adres_straat=g.adres.straat if g.adres else None,
                adres_huisnummer=g.adres.huisnummer if g.adres else None,
                adres_postcode=g.adres.postcode if g.adres else None,
            )
        )

    async def list(self, *, organisator_id: uuid.UUID | None, limit: int, offset: int) -> list[Gebruiker]:
        """Gebruikers are not tied to one organiser (G-4): an organiser's are those that
        signed up with it or hold an erkenning with it."""
        query = select(gebruikers).order_by(gebruikers.c.aangemeld_op, gebruikers.c.id)
        if organisator_id is not None:
            query = query.where(
                or_(
                    gebruikers.c.aangemeld_bij == organisator_id,
                    exists().where(
                        erkenningen.c.gebruiker_id == gebruikers.c.id, erkenningen.c.organisator_id == organisator_id
                    ),
                )
            )
        return [self._from_row(r) for r in await self.session.execute(query.limit(limit).offset(offset))]


class ErkenningRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @staticmethod
    def _from_row(r, p: str = "") -> Erkenning:
        """A row of ``_ERKENNINGEN`` (``periode_*`` lists); ``p`` as for gebruikers."""
        def k(naam: str):
            return getattr(r, p + naam)

        return Erkenning(
            id=k("id"), gebruiker_id=k("gebruiker_id"), organisator_id=k("organisator_id"),
            perioden=[Geldigheid(*g) for g in uit_lijsten(r, "periode", *PERIODE)],
            overeenkomst_op=k("overeenkomst_op"), einde=k("einde"), einde_reden=k("einde_reden"), version=k("version"),
        )

    async def get(self, erkenning_id: uuid.UUID, *, for_update: bool = False) -> Erkenning | None:
        query = _ERKENNING_FOR_UPDATE if for_update else _ERKENNING
        row = (await self.session.execute(query, {"id": erkenning_id})).one_or_none()
        return None if row is None else self._from_row(row)

    async def bij(self, gebruiker_id: uuid.UUID, organisator_id: uuid.UUID) -> Erkenning | None:
        params = {"gebruiker_id": gebruiker_id, "organisator_id": organisator_id}
        row = (await self.session.execute(_ERKENNING_BIJ, params)).one_or_none()
        return None if row is None else self._from_row(row)

    async def van_gebruiker(self, gebruiker_id: uuid.UUID) -> list[Erkenning]:
        query = _ERKENNINGEN.where(erkenningen.c.gebruiker_id == gebruiker_id).order_by(erkenningen.c.id)
        return [self._from_row(r) for r in await self.session.execute(query)]

    async def add(self, e: Erkenning) -> None:
        await self.session.execute(
            insert(erkenningen).values(
                id=e.id, gebruiker_id=e.gebruiker_id, organisator_id=e.organisator_id,
                overeenkomst_op=e.overeenkomst_op, version=e.version,
            )
        )
        await self._save_perioden(e)

    async def save(self, e: Erkenning) -> None:
        await self.session.execute(
            update(erkenningen)
            .where(erkenningen.c.id == e.id)
            .values(overeenkomst_op=e.overeenkomst_op, einde=e.einde, einde_reden=e.einde_reden, version=e.version)
        )
        await self._save_perioden(e)

    async def _save_perioden(self, e: Erkenning) -> None:
        stmt = pg_insert(erkenning_perioden).values(
            [
                {
                    "erkenning_id": e.id, "geldig_van": p.van, "geldig_tot": p.tot,
                    "inschrijvingsrecht_cent": p.inschrijvingsrecht_cent, "betaald_op": p.betaald_op,
                }
                for p in e.perioden
            ]
        )
        # Periods are never rewritten; only their payment date is filled in.
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[erkenning_perioden.c.erkenning_id, erkenning_perioden.c.geldig_van],
                set_={"betaald_op": stmt.excluded.betaald_op},
            )
        )


class ContactRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, c: Contact) -> None:
        await self.session.execute(
            insert(contacten).values(
                id=c.id, gebruiker_id=c.gebruiker_id, organisator_id=c.organisator_id, datum=c.datum, door=c.door,
                door_rol=c.door_rol.value, kanaal=c.kanaal.value, reden=c.reden.value, notitie=c.notitie,
            )
        )

    async def van_gebruiker(self, gebruiker_id: uuid.UUID, organisator_id: uuid.UUID | None) -> list[Contact]:
        query = select(contacten).where(contacten.c.gebruiker_id == gebruiker_id).order_by(contacten.c.datum)
        if organisator_id is not None:
            query = query.where(contacten.c.organisator_id == organisator_id)
        return [
            Contact(
                id=r.id, gebruiker_id=r.gebruiker_id, organisator_id=r.organisator_id, datum=r.datum, door=r.door,
                door_rol=ContactRol(r.door_rol), kanaal=Kanaal(r.kanaal), reden=ContactReden(r.reden), notitie=r.notitie,
            )
            for r in await self.session.execute(query)
        ]
