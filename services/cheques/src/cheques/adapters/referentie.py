"""Reference data: organisers and their cheque tariffs (toeleiding owns them), the split
rates (owned here), and the prestaties this service pays (prestaties owns them)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from cheques.adapters.tables import (
    bestellingen,
    cheques,
    organisatoren_ref,
    prestaties_ref,
    tarieven_ref,
    verdeeltarieven,
)
from cheques.domain.cheque import Prestatie, Status
from cheques.domain.tarieven import Soort, Tarieven


class TariefReferentie:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def bewaar_organisator(self, organisator_id: uuid.UUID, naam: str) -> None:
        stmt = pg_insert(organisatoren_ref).values(id=organisator_id, naam=naam)
        await self.session.execute(
            stmt.on_conflict_do_update(index_elements=[organisatoren_ref.c.id], set_={"naam": stmt.excluded.naam})
        )

    async def bewaar_tarief(self, organisator_id: uuid.UUID, geldig_vanaf: date, prijs_cent: int) -> None:
        stmt = pg_insert(tarieven_ref).values(organisator_id=organisator_id, geldig_vanaf=geldig_vanaf, prijs_cent=prijs_cent)
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[tarieven_ref.c.organisator_id, tarieven_ref.c.geldig_vanaf],
                set_={"prijs_cent": stmt.excluded.prijs_cent},
            )
        )

    async def organisator_bekend(self, organisator_id: uuid.UUID) -> bool:
        """Whether toeleiding's OrganisatorGeregistreerd has reached this service."""
        return await self.session.scalar(select(organisatoren_ref.c.id).where(organisatoren_ref.c.id == organisator_id)) is not None

    async def tarief_op(self, organisator_id: uuid.UUID, dag: date) -> int | None:
        return await self.session.scalar(
            select(tarieven_ref.c.prijs_cent)
            .where(tarieven_ref.c.organisator_id == organisator_id, tarieven_ref.c.geldig_vanaf <= dag)
            .order_by(tarieven_ref.c.geldig_vanaf.desc())
            .limit(1)
        )


_SLOT = "hashtext('cheques:verdeeltarieven')"


class VerdeeltariefRepository:
    """The effective-dated split rates (A-15)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def vergrendel_gedeeld(self) -> None:
        """A split's side (a validation, an issue): many at once, none while a rate is being
        laid down. Taken in its own statement before the rates are read, so under READ
        COMMITTED the read sees a rate committed while this waited."""
        await self.session.execute(text(f"SELECT pg_advisory_xact_lock_shared({_SLOT})"))

    async def vergrendel_exclusief(self) -> None:
        """A new rate's side: waits for every split in flight to commit, so its check of the
        cheques already split sees them, and holds new splits back until it commits."""
        await self.session.execute(text(f"SELECT pg_advisory_xact_lock({_SLOT})"))

    async def alle(self) -> Tarieven:
        rows = await self.session.execute(
            select(verdeeltarieven.c.soort, verdeeltarieven.c.geldig_vanaf, verdeeltarieven.c.waarde)
        )
        return Tarieven.van(rows)

    async def cheques_onder(self, soort: Soort, vanaf: date, tot: date | None) -> int:
        """The cheques a rate of ``soort`` valid in [vanaf, tot) applies to and that were
        already split (validated) or, for the validity, issued: by the date the rate is
        read on (A-06: pay, insurance, travel fund on the prestatie date; the issuer fee on
        the order date, per carrier; A-13 the validity on the issue date)."""
        if soort is Soort.GELDIGHEID_MAANDEN:
            dag, query = cheques.c.uitgegeven_op, select(func.count()).select_from(cheques)
        elif soort.value.startswith("uitgeverkost_"):
            dag = bestellingen.c.besteld_op
            query = (
                select(func.count())
                .select_from(cheques.join(bestellingen, bestellingen.c.id == cheques.c.bestelling_id))
                .where(cheques.c.status == Status.GEVALIDEERD.value,
                       bestellingen.c.drager == soort.value.removeprefix("uitgeverkost_"))
            )
        else:
            dag = prestaties_ref.c.datum
            query = (
                select(func.count())
                .select_from(cheques.join(prestaties_ref, prestaties_ref.c.id == cheques.c.prestatie_id))
                .where(cheques.c.status == Status.GEVALIDEERD.value)
            )
        query = query.where(dag >= vanaf)
        if tot is not None:
            query = query.where(dag < tot)
        return await self.session.scalar(query)

    async def voeg_toe(self, soort: str, geldig_vanaf: date, waarde: int) -> bool:
        stmt = pg_insert(verdeeltarieven).values(soort=soort, geldig_vanaf=geldig_vanaf, waarde=waarde)
        result = await self.session.execute(stmt.on_conflict_do_nothing().returning(verdeeltarieven.c.soort))
        return result.first() is not None


class PrestatieReferentie:
    """Hours, parties and the day's travel allowance of each prestatie (prestaties owns them)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def bewaar(self, prestatie: Prestatie) -> None:
        stmt = pg_insert(prestaties_ref).values(
            id=prestatie.id,
            wijkwerker_id=prestatie.wijkwerker_id,
            gebruiker_id=prestatie.gebruiker_id,
            organisator_id=prestatie.organisator_id,
            koppeling_id=prestatie.koppeling_id,
            datum=prestatie.datum,
            begonnen_uren=prestatie.begonnen_uren,
            verplaatsingsvergoeding_dag_cent=prestatie.verplaatsingsvergoeding_dag_cent,
            geannuleerd=prestatie.geannuleerd,
            referentie=prestatie.referentie,
            start=prestatie.start,
            minuten=prestatie.minuten,
        )
        await self.session.execute(stmt.on_conflict_do_nothing())

    async def wijzig(self, prestatie_id: uuid.UUID, **waarden) -> None:
        await self.session.execute(update(prestaties_ref).where(prestaties_ref.c.id == prestatie_id).values(**waarden))

    async def met_referentie(self, referentie: str) -> uuid.UUID | None:
        return await self.session.scalar(select(prestaties_ref.c.id).where(prestaties_ref.c.referentie == referentie))

    async def get(self, prestatie_id: uuid.UUID) -> Prestatie | None:
        row = (await self.session.execute(select(prestaties_ref).where(prestaties_ref.c.id == prestatie_id))).first()
        return Prestatie(**row._mapping) if row else None


async def organisator_namen(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    rows = await session.execute(
        select(organisatoren_ref.c.id, organisatoren_ref.c.naam).where(organisatoren_ref.c.id.in_(ids))
    )
    return {i: n for i, n in rows}
