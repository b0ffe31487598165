"""Trajectories as evaluatie knows them (folded from toeleiding), evaluations and
outflow measurements (owned here)."""

from __future__ import annotations

import uuid
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import Date, Select, case, cast, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from evaluatie.adapters.tables import evaluaties, rm_trajecten, uitstroommetingen


class TrajectRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def gestart(self, traject_id, wijkwerker_id, organisator_id, start: date, gepland_einde: date | None,
                      toeleiding_id: uuid.UUID | None = None) -> None:
        await self.session.execute(
            pg_insert(rm_trajecten)
            .values(traject_id=traject_id, wijkwerker_id=wijkwerker_id, organisator_id=organisator_id,
                    start=start, gepland_einde=gepland_einde, toeleiding_id=toeleiding_id)
            .on_conflict_do_nothing()
        )

    async def wijzig(self, traject_id: uuid.UUID, **values) -> None:
        await self.session.execute(update(rm_trajecten).where(rm_trajecten.c.traject_id == traject_id).values(**values))

    async def verleng(self, traject_id: uuid.UUID, gepland_einde: date | None) -> None:
        """A new planned end; when it moved, the actual end (with its reason and follow-up)
        is cleared in the same statement: toeleiding reopened the trajectory."""
        verschoven = rm_trajecten.c.gepland_einde.is_distinct_from(gepland_einde)
        await self.wijzig(
            traject_id, gepland_einde=gepland_einde,
            **{k: case((verschoven, None), else_=rm_trajecten.c[k]) for k in ("werkelijk_einde", "einde_reden", "vervolg")},
        )

    async def get(self, traject_id: uuid.UUID):
        return (await self.session.execute(select(rm_trajecten).where(rm_trajecten.c.traject_id == traject_id))).one_or_none()

    async def laatste_evaluatie(self, traject_id: uuid.UUID) -> date | None:
        return await self.session.scalar(select(func.max(evaluaties.c.datum)).where(evaluaties.c.traject_id == traject_id))

    async def te_evalueren(
        self, organisator_id: uuid.UUID | None, op: date, tot: date | None, limit: int, offset: int,
        interval_maanden: int = 6,
    ):
        """Trajectories running on ``op`` whose next evaluation (A-11) is overdue on ``op`` or
        due by ``tot`` (default ``op`` + 1 month), with their latest evaluation on or before
        ``op``: evaluations dated after ``op`` had not happened as of ``op``. The status is
        filtered here, in the query, so a page holds ``limit`` rows while more remain."""
        query = _te_evalueren(organisator_id, op, tot, interval_maanden)
        query = query.order_by(rm_trajecten.c.start, rm_trajecten.c.traject_id).limit(limit).offset(offset)
        return (await self.session.execute(query)).all()

    async def eerst_te_evalueren(self, organisator_id: uuid.UUID | None, op: date, tot: date | None, n: int):
        """The ``n`` rows of :meth:`te_evalueren` due first."""
        query = _te_evalueren(organisator_id, op, tot)
        return (await self.session.execute(query.order_by("volgende", rm_trajecten.c.traject_id).limit(n))).all()

    async def tel_te_evalueren(self, organisator_id: uuid.UUID | None, op: date, tot: date | None) -> dict[str, int]:
        """How many rows :meth:`te_evalueren` has in all, per status (counted in the database)."""
        rijen = _te_evalueren(organisator_id, op, tot).subquery()
        per_status = await self.session.execute(select(rijen.c.status, func.count()).group_by(rijen.c.status))
        return {status: int(n) for status, n in per_status}

    async def bewaar_evaluatie(self, **values) -> None:
        await self.session.execute(insert(evaluaties).values(**values))

    async def bewaar_meting(self, **values) -> None:
        await self.session.execute(insert(uitstroommetingen).values(**values))

    async def meting_bestaat(self, traject_id: uuid.UUID, horizon: int) -> bool:
        found = await self.session.scalar(
            select(func.count()).where(
                uitstroommetingen.c.traject_id == traject_id, uitstroommetingen.c.horizon_maanden == horizon
            )
        )
        return bool(found)


def _te_evalueren(organisator_id: uuid.UUID | None, op: date, tot: date | None, interval_maanden: int = 6) -> Select:
    laatste = (
        select(evaluaties.c.traject_id, func.max(evaluaties.c.datum).label("laatste"))
        .where(evaluaties.c.datum <= op)
        .group_by(evaluaties.c.traject_id)
        .subquery()
    )
    einde = func.coalesce(rm_trajecten.c.werkelijk_einde, rm_trajecten.c.gepland_einde)
    volgende = cast(func.coalesce(laatste.c.laatste, rm_trajecten.c.start) + func.make_interval(0, interval_maanden), Date)
    grens = tot or (op + relativedelta(months=1) if op < date(9999, 12, 1) else date.max)
    te_doen = (volgende >= op) & (volgende <= grens)
    if tot is not None:  # planning ahead: a due date after the trajectory's end is none
        te_doen &= einde.is_(None) | (volgende <= einde)
    status = case((volgende < op, "achterstallig"), else_="te_doen").label("status")
    query = (
        select(rm_trajecten, laatste.c.laatste, volgende.label("volgende"), status)
        .outerjoin(laatste, laatste.c.traject_id == rm_trajecten.c.traject_id)
        .where(rm_trajecten.c.start <= op, (einde.is_(None)) | (einde >= op), (volgende < op) | te_doen)
    )
    if organisator_id is not None:
        query = query.where(rm_trajecten.c.organisator_id == organisator_id)
    return query
