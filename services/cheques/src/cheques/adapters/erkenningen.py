"""The gebruikers' erkenningen as prestaties publishes them (A-10, A-14): enough to tell
whether a gebruiker holds an active erkenning at an organiser on a date."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from cheques.adapters.tables import erkenning_perioden_ref, erkenningen_ref


class ErkenningReferentie:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def verleend(self, erkenning_id: uuid.UUID, gebruiker_id: uuid.UUID, organisator_id: uuid.UUID,
                       overeenkomst_op: date | None) -> None:
        await self.session.execute(
            pg_insert(erkenningen_ref)
            .values(erkenning_id=erkenning_id, gebruiker_id=gebruiker_id, organisator_id=organisator_id,
                    overeenkomst_op=overeenkomst_op)
            .on_conflict_do_nothing()
        )

    async def wijzig(self, erkenning_id: uuid.UUID, **waarden: date | None) -> None:
        await self.session.execute(
            update(erkenningen_ref).where(erkenningen_ref.c.erkenning_id == erkenning_id).values(**waarden)
        )

    async def periode(self, erkenning_id: uuid.UUID, van: date, tot: date, betaald_op: date | None = None) -> None:
        stmt = pg_insert(erkenning_perioden_ref).values(
            erkenning_id=erkenning_id, geldig_van=van, geldig_tot=tot, betaald_op=betaald_op)
        waarden = {"geldig_tot": stmt.excluded.geldig_tot}
        if betaald_op is not None:
            waarden["betaald_op"] = stmt.excluded.betaald_op
        await self.session.execute(
            stmt.on_conflict_do_update(index_elements=[erkenning_perioden_ref.c.erkenning_id,
                                                       erkenning_perioden_ref.c.geldig_van], set_=waarden)
        )

    async def stand_op(self, gebruiker_id: uuid.UUID, organisator_id: uuid.UUID, dag: date) -> str | None:
        """None when no erkenning of the gebruiker at the organiser is known here; else
        ``actief`` (A-10: signed by ``dag``, the period covering ``dag`` paid by then, not
        stopped before it) or why not: ``stopgezet``, ``vervallen``, ``niet_ondertekend``,
        ``niet_betaald`` (the best of the gebruiker's erkenningen there)."""
        rows = (await self.session.execute(
            select(erkenningen_ref.c.overeenkomst_op, erkenningen_ref.c.einde,
                   erkenning_perioden_ref.c.geldig_van, erkenning_perioden_ref.c.geldig_tot,
                   erkenning_perioden_ref.c.betaald_op)
            .select_from(erkenningen_ref.outerjoin(
                erkenning_perioden_ref,
                (erkenning_perioden_ref.c.erkenning_id == erkenningen_ref.c.erkenning_id)
                & (erkenning_perioden_ref.c.geldig_van <= dag) & (erkenning_perioden_ref.c.geldig_tot >= dag)))
            .where(erkenningen_ref.c.gebruiker_id == gebruiker_id, erkenningen_ref.c.organisator_id == organisator_id)
        )).all()
        if not rows:
            return None
        volgorde = ("actief", "niet_betaald", "niet_ondertekend", "vervallen", "stopgezet")
        return min((_stand(r, dag) for r in rows), key=volgorde.index)


def _stand(r, dag: date) -> str:
    if r.einde is not None and dag > r.einde:
        return "stopgezet"
    if r.geldig_van is None:
        return "vervallen"
    if r.overeenkomst_op is None or r.overeenkomst_op > dag:
        return "niet_ondertekend"
    if r.betaald_op is None or r.betaald_op > dag:
        return "niet_betaald"
    return "actief"
