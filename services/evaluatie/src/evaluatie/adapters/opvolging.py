"""Reading back evaluations and measurements: per trajectory (what a referrer sees of
its referrals), and the outflow measurements due as of a date."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from evaluatie.adapters.tables import evaluaties, rm_toeleidingen, rm_trajecten, uitstroommetingen

_TE_METEN_BRON = """
    FROM (SELECT *, coalesce(werkelijk_einde, gepland_einde) AS einde FROM rm_trajecten) t
         CROSS JOIN (VALUES (3), (6), (9), (12)) AS h (horizon)
    WHERE t.einde <= :op
      AND CAST(t.einde + make_interval(months => h.horizon) AS date) <= :tot
      AND NOT EXISTS (SELECT 1 FROM uitstroommetingen m
                      WHERE m.traject_id = t.traject_id AND m.horizon_maanden = h.horizon AND m.gemeten_op <= :op)
      AND (CAST(:organisator_id AS uuid) IS NULL OR t.organisator_id = CAST(:organisator_id AS uuid))
"""
_TE_METEN = text(
    """
    SELECT t.traject_id, t.wijkwerker_id, t.organisator_id, t.einde AS werkelijk_einde, h.horizon AS horizon_maanden,
           CAST(t.einde + make_interval(months => h.horizon) AS date) AS meetmoment
    """ + _TE_METEN_BRON + """
    ORDER BY meetmoment, t.traject_id, h.horizon
    LIMIT :limit OFFSET :offset
    """
)
_TEL_TE_METEN = text("SELECT count(*) " + _TE_METEN_BRON)


class Opvolging:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def te_meten(self, op: date, tot: date, organisator_id: uuid.UUID | None, limit: int, offset: int):
        """A-12 points reached by ``tot`` of trajectories ended by ``op`` without a
        measurement of that horizon dated on or before ``op`` (later facts do not count)."""
        params = {"op": op, "tot": tot, "organisator_id": organisator_id, "limit": limit, "offset": offset}
        return [dict(r._mapping) for r in await self.session.execute(_TE_METEN, params)]

    async def tel_te_meten(self, op: date, tot: date, organisator_id: uuid.UUID | None) -> int:
        """How many rows :meth:`te_meten` has in all (a count in the database, no page)."""
        params = {"op": op, "tot": tot, "organisator_id": organisator_id}
        return int(await self.session.scalar(_TEL_TE_METEN, params) or 0)

    async def trajecten(
        self, *, traject_id: uuid.UUID | None = None, organisator_id: uuid.UUID | None = None,
        toeleider_org: str | None = None, limit: int = 100, offset: int = 0,
    ) -> list[dict]:
        """Trajectories with their referral; limited to one trajectory, one organiser or
        one referring organisation."""
        query = (
            select(rm_trajecten, rm_toeleidingen.c.toeleider_type, rm_toeleidingen.c.toeleider_org,
                   rm_toeleidingen.c.ontvangen_op, rm_toeleidingen.c.advies_maanden)
            .outerjoin(rm_toeleidingen, rm_toeleidingen.c.toeleiding_id == rm_trajecten.c.toeleiding_id)
            .order_by(rm_trajecten.c.start, rm_trajecten.c.traject_id).limit(limit).offset(offset)
        )
        if traject_id is not None:
            query = query.where(rm_trajecten.c.traject_id == traject_id)
        if organisator_id is not None:
            query = query.where(rm_trajecten.c.organisator_id == organisator_id)
        if toeleider_org is not None:
            query = query.where(rm_toeleidingen.c.toeleider_org == toeleider_org)
        rows = [dict(r._mapping) for r in await self.session.execute(query)]
        ids = [r["traject_id"] for r in rows]
        per_traject: dict[uuid.UUID, dict[str, list]] = {i: {"evaluaties": [], "uitstroommetingen": []} for i in ids}
        if ids:
            for e in await self.session.execute(
                select(evaluaties).where(evaluaties.c.traject_id.in_(ids)).order_by(evaluaties.c.datum, evaluaties.c.id)
            ):
                per_traject[e.traject_id]["evaluaties"].append(dict(e._mapping))
            for m in await self.session.execute(
                select(uitstroommetingen).where(uitstroommetingen.c.traject_id.in_(ids))
                .order_by(uitstroommetingen.c.horizon_maanden)
            ):
                per_traject[m.traject_id]["uitstroommetingen"].append(dict(m._mapping))
        return [{**r, **per_traject[r["traject_id"]]} for r in rows]
