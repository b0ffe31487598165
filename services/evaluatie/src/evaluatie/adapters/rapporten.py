"""Report queries over the read models (RPT-04, RPT-08)."""

from __future__ import annotations

import uuid
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from evaluatie.adapters.tables import evaluaties, rm_dossiers, rm_trajecten, uitstroommetingen


class Rapporten:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def evaluaties(self, van: date, tot: date, organisator_id: uuid.UUID | None) -> dict:
        """RPT-08: evaluations registered in [van, tot]: count, distinct workers, by outcome."""
        where = [evaluaties.c.datum.between(van, tot)]
        if organisator_id is not None:
            where.append(evaluaties.c.organisator_id == organisator_id)
        totaal, personen = (
            await self.session.execute(
                select(func.count(), func.count(func.distinct(evaluaties.c.wijkwerker_id))).where(*where)
            )
        ).one()
        per_uitkomst = await self.session.execute(
            select(evaluaties.c.uitkomst, func.count()).where(*where).group_by(evaluaties.c.uitkomst)
        )
        return {"evaluaties": totaal, "geevalueerde_wijkwerkers": personen, "per_uitkomst": dict(per_uitkomst.all())}

    async def uitstroom(self, op: date, horizon: int, organisator_id: uuid.UUID | None) -> list[dict]:
        """RPT-04 for one horizon: the cohort of trajectories ended at least ``horizon``
        months before ``op`` (A-12), per group (ex-PWA / new), with the measured
        categories and sub-categories (sub-rows are not exclusive)."""
        grens = op - relativedelta(months=horizon)
        groep = func.coalesce(rm_dossiers.c.ex_pwa, False).label("ex_pwa")
        cohort = (
            select(rm_trajecten.c.traject_id, groep)
            .outerjoin(rm_dossiers, rm_dossiers.c.wijkwerker_id == rm_trajecten.c.wijkwerker_id)
            .where(rm_trajecten.c.werkelijk_einde.is_not(None), rm_trajecten.c.werkelijk_einde <= grens)
        )
        if organisator_id is not None:
            cohort = cohort.where(rm_trajecten.c.organisator_id == organisator_id)
        cohort = cohort.subquery()
        sizes = dict(
            (await self.session.execute(select(cohort.c.ex_pwa, func.count()).group_by(cohort.c.ex_pwa))).all()
        )
        gemeten = (
            select(cohort.c.ex_pwa, uitstroommetingen.c.categorieen, uitstroommetingen.c.subcategorieen)
            .join(uitstroommetingen, uitstroommetingen.c.traject_id == cohort.c.traject_id)
            .where(uitstroommetingen.c.horizon_maanden == horizon)
            .subquery()
        )
        counts: dict[tuple[bool, str], int] = {}
        for kolom in (gemeten.c.categorieen, gemeten.c.subcategorieen):
            waarde = func.unnest(kolom).label("waarde")
            inner = select(gemeten.c.ex_pwa, waarde).subquery()
            rows = await self.session.execute(
                select(inner.c.ex_pwa, inner.c.waarde, func.count()).group_by(inner.c.ex_pwa, inner.c.waarde)
            )
            for ex_pwa, value, n in rows:
                counts[(ex_pwa, value)] = n
        return [
            {
                "groep": "ex_pwa" if ex_pwa else "nieuw",
                "dossiers": sizes.get(ex_pwa, 0),
                "categorieen": {value: n for (g, value), n in sorted(counts.items()) if g == ex_pwa},
            }
            for ex_pwa in (True, False)
        ]
