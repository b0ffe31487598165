"""Read models folded from the event streams; reports never call other services."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from evaluatie.adapters.tables import rm_dossiers, rm_organisatoren, rm_toeleidingen

# A-09 on :dag with only facts dated by then: the dossier's latest trajectory among those
# started by :dag or whose referral was received by :dag (a re-referral waiting to start
# makes the dossier voorlopig again, as toeleiding's dossier_status does). It runs on :dag
# (end included): actief once its agreement is signed by :dag, else voorlopig; it ended
# before :dag: afgesloten; no trajectory yet (or it starts later): voorlopig.
_RPT01 = text(
    """
    WITH per_dossier AS (
        SELECT d.organisator_id,
               CASE WHEN t.start IS NULL OR t.start > :dag THEN 'voorlopig'
                    WHEN coalesce(t.werkelijk_einde, t.gepland_einde, 'infinity'::date) >= :dag
                         THEN CASE WHEN t.overeenkomst_op <= :dag THEN 'actief' ELSE 'voorlopig' END
                    ELSE 'afgesloten' END AS status
        FROM rm_dossiers d
        LEFT JOIN LATERAL (
            SELECT t.start, t.werkelijk_einde, t.gepland_einde, t.overeenkomst_op
            FROM rm_trajecten t LEFT JOIN rm_toeleidingen r ON r.toeleiding_id = t.toeleiding_id
            WHERE t.wijkwerker_id = d.wijkwerker_id AND (t.start <= :dag OR r.ontvangen_op <= :dag)
            ORDER BY t.start DESC LIMIT 1
        ) t ON true
        WHERE d.ingeschreven_op <= :dag
    )
    SELECT o.id, o.naam, o.samenwerkingsverband,
           count(p.organisator_id) AS dossiers,
           count(p.organisator_id) FILTER (WHERE p.status = 'actief') AS actief,
           count(p.organisator_id) FILTER (WHERE p.status = 'voorlopig') AS voorlopig,
           count(p.organisator_id) FILTER (WHERE p.status = 'afgesloten') AS afgesloten,
           count(p.organisator_id) FILTER (WHERE p.status <> 'afgesloten') AS actief_of_voorlopig
    FROM rm_organisatoren o
    LEFT JOIN per_dossier p ON p.organisator_id = o.id
    WHERE CAST(:organisator_id AS uuid) IS NULL OR o.id = CAST(:organisator_id AS uuid)
    GROUP BY o.id, o.naam, o.samenwerkingsverband
    ORDER BY o.naam
    """
)


class Leesmodellen:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def organisator(self, organisator_id: uuid.UUID, naam: str, samenwerkingsverband: str) -> None:
        stmt = pg_insert(rm_organisatoren).values(id=organisator_id, naam=naam, samenwerkingsverband=samenwerkingsverband)
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[rm_organisatoren.c.id],
                set_={"naam": stmt.excluded.naam, "samenwerkingsverband": stmt.excluded.samenwerkingsverband},
            )
        )

    async def dossier(
        self, wijkwerker_id: uuid.UUID, organisator_id: uuid.UUID, ex_pwa: bool, uitkeringsstatus: str,
        ingeschreven_op: date, onbeperkt_recht: bool = False, domicilie_nis_code: str | None = None,
    ) -> None:
        await self.session.execute(
            pg_insert(rm_dossiers)
            .values(
                wijkwerker_id=wijkwerker_id,
                organisator_id=organisator_id,
                ex_pwa=ex_pwa,
                uitkeringsstatus=uitkeringsstatus,
                ingeschreven_op=ingeschreven_op,
                onbeperkt_recht=onbeperkt_recht,
                domicilie_nis_code=domicilie_nis_code,
            )
            .on_conflict_do_nothing()
        )

    async def dossiers_per_organisator(self, tot_en_met: date, organisator_id: uuid.UUID | None) -> list[dict]:
        """RPT-01 on a date: dossiers registered, split *actief* / *voorlopig* / *afgesloten*
        (A-09), and *actief of voorlopig* (available, not closed)."""
        rows = await self.session.execute(_RPT01, {"dag": tot_en_met, "organisator_id": organisator_id})
        return [dict(r._mapping) for r in rows]

    async def toeleiding(self, rij: dict) -> None:
        await self.session.execute(pg_insert(rm_toeleidingen).values(**rij).on_conflict_do_nothing())

    async def toeleidingen_per_advies(
        self, van: date, tot: date, organisator_id: uuid.UUID | None
    ) -> list[tuple[int | None, int]]:
        """RPT-07: referrals received in [van, tot] by advised duration (None = unlimited right)."""
        query = (
            select(rm_toeleidingen.c.advies_maanden, func.count())
            .where(rm_toeleidingen.c.ontvangen_op.between(van, tot))
            .group_by(rm_toeleidingen.c.advies_maanden)
            .order_by(rm_toeleidingen.c.advies_maanden.nulls_last())
        )
        if organisator_id is not None:
            query = query.where(rm_toeleidingen.c.organisator_id == organisator_id)
        return [(maanden, aantal) for maanden, aantal in await self.session.execute(query)]
