"""Report queries over the read models (RPT-03/04, RPT-08)."""

from __future__ import annotations

import uuid
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import Text, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from evaluatie.adapters.tables import evaluaties, rm_dossiers, rm_toeleidingen, rm_trajecten, uitstroommetingen


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

    async def uitstroom(
        self, op: date, horizon: int, organisator_id: uuid.UUID | None, per_uitkeringsstatus: bool = False
    ) -> list[dict]:
        """RPT-04 for one horizon: the cohort of trajectories ended at least ``horizon``
        months before ``op`` (A-12), per group (ex-PWA / new), with the measured
        categories and sub-categories (sub-rows are not exclusive). RPT-03: with
        ``per_uitkeringsstatus`` each group is split by the benefit status at the
        trajectory's referral (E-1; the dossier's status at registration when the
        referral is not known here)."""
        grens = op - relativedelta(months=horizon)
        groep = func.coalesce(rm_dossiers.c.ex_pwa, False).label("ex_pwa")
        status = (
            func.coalesce(rm_toeleidingen.c.uitkeringsstatus, rm_dossiers.c.uitkeringsstatus, "onbekend")
            if per_uitkeringsstatus else literal(None, Text)
        ).label("status")
        cohort = (
            select(rm_trajecten.c.traject_id, groep, status)
            .outerjoin(rm_dossiers, rm_dossiers.c.wijkwerker_id == rm_trajecten.c.wijkwerker_id)
            .outerjoin(rm_toeleidingen, rm_toeleidingen.c.toeleiding_id == rm_trajecten.c.toeleiding_id)
            # ended on the actual end, else on the planned end (whether or not
            # toeleiding's housekeeping job has written it yet: issue #21, defect 6).
            .where(func.coalesce(rm_trajecten.c.werkelijk_einde, rm_trajecten.c.gepland_einde) <= grens)
        )
        if organisator_id is not None:
            cohort = cohort.where(rm_trajecten.c.organisator_id == organisator_id)
        cohort = cohort.subquery()
        sizes = {
            (ex_pwa, st): n
            for ex_pwa, st, n in await self.session.execute(
                select(cohort.c.ex_pwa, cohort.c.status, func.count()).group_by(cohort.c.ex_pwa, cohort.c.status)
            )
        }
        gemeten = (
            select(cohort.c.ex_pwa, cohort.c.status, uitstroommetingen.c.categorieen, uitstroommetingen.c.subcategorieen)
            .join(uitstroommetingen, uitstroommetingen.c.traject_id == cohort.c.traject_id)
            # only measurements taken by ``op``: the report as of a date can be reproduced
            .where(uitstroommetingen.c.horizon_maanden == horizon, uitstroommetingen.c.gemeten_op <= op)
            .subquery()
        )
        counts: dict[tuple[bool, str | None, str], int] = {}
        for kolom in (gemeten.c.categorieen, gemeten.c.subcategorieen):
            waarde = func.unnest(kolom).label("waarde")
            inner = select(gemeten.c.ex_pwa, gemeten.c.status, waarde).subquery()
            rows = await self.session.execute(
                select(inner.c.ex_pwa, inner.c.status, inner.c.waarde, func.count())
                .group_by(inner.c.ex_pwa, inner.c.status, inner.c.waarde)
            )
            for ex_pwa, st, value, n in rows:
                counts[(ex_pwa, st, value)] = n
        groepen = sorted({(True, None), (False, None)} if not per_uitkeringsstatus else set(sizes),
                         key=lambda g: (not g[0], g[1] or ""))
        return [
            {
                "groep": "ex_pwa" if ex_pwa else "nieuw",
                **({"uitkeringsstatus": st} if per_uitkeringsstatus else {}),
                "dossiers": sizes.get((ex_pwa, st), 0),
                "categorieen": {v: n for (g, s, v), n in sorted(counts.items(), key=lambda i: i[0][2])
                                if (g, s) == (ex_pwa, st)},
            }
            for ex_pwa, st in groepen
        ]
