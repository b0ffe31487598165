"""Monthly series for the dashboard, from the same read models as the reports."""

from __future__ import annotations

import uuid
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from evaluatie.adapters import fraudesignalen
from evaluatie.adapters.leesmodellen import Leesmodellen
from evaluatie.adapters.tables import evaluaties, rm_toeleidingen


def maandeinden(tot: date, maanden: int) -> list[date]:
    """The last ``maanden`` month ends up to the month of ``tot`` (oldest first)."""
    laatste = tot.replace(day=1) + relativedelta(months=1) - relativedelta(days=1)
    return [laatste.replace(day=1) - relativedelta(months=i) + relativedelta(months=1) - relativedelta(days=1)
            for i in reversed(range(maanden))]


class Reeksen:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def dossiers(self, einden: list[date], organisator_id: uuid.UUID | None) -> dict[str, list[int]]:
        geregistreerd, actief = [], []
        for einde in einden:
            rows = await Leesmodellen(self.session).dossiers_per_organisator(einde, organisator_id)
            geregistreerd.append(sum(r["dossiers"] for r in rows))
            actief.append(sum(r["actief_of_voorlopig"] for r in rows))
        return {"geregistreerd": geregistreerd, "actief_of_voorlopig": actief}

    async def toeleidingen(self, einden: list[date], organisator_id: uuid.UUID | None) -> dict[str, list[int]]:
        maand = func.date_trunc("month", rm_toeleidingen.c.ontvangen_op).label("maand")
        query = (
            select(maand, rm_toeleidingen.c.toeleider_type, func.count())
            .where(rm_toeleidingen.c.ontvangen_op.between(einden[0].replace(day=1), einden[-1]))
            .group_by(maand, rm_toeleidingen.c.toeleider_type)
        )
        if organisator_id is not None:
            query = query.where(rm_toeleidingen.c.organisator_id == organisator_id)
        return _per_maand(await self.session.execute(query), einden)

    async def uren(self, einden: list[date], organisator_id: uuid.UUID | None) -> dict[str, list[int]]:
        """Started hours per month by gebruiker category."""
        return await _reeks(self.session, _UREN, einden, organisator_id)

    async def geld(self, einden: list[date], organisator_id: uuid.UUID | None) -> dict[str, list[float]]:
        """The cheque split in euro per validation month (RPT-18)."""
        cent = await _reeks(self.session, _GELD, einden, organisator_id)
        return {deel: [c / 100 for c in reeks] for deel, reeks in cent.items()}

    async def signalen(self, einden: list[date], organisator_id: uuid.UUID | None) -> dict[str, list[float]]:
        """Fraud and error flags in euro per month (issue #23 item 4)."""
        return await fraudesignalen.per_maand(self.session, einden, organisator_id)

    async def evaluaties(self, einden: list[date], organisator_id: uuid.UUID | None) -> dict[str, list[int]]:
        maand = func.date_trunc("month", evaluaties.c.datum).label("maand")
        query = (
            select(maand, evaluaties.c.uitkomst, func.count())
            .where(evaluaties.c.datum.between(einden[0].replace(day=1), einden[-1]))
            .group_by(maand, evaluaties.c.uitkomst)
        )
        if organisator_id is not None:
            query = query.where(evaluaties.c.organisator_id == organisator_id)
        return _per_maand(await self.session.execute(query), einden)


    async def uitbetalingen(self, periode: str, op: date, organisator_id: uuid.UUID | None) -> dict[str, int]:
        """The payout run of ``periode`` (YYYY-MM) as known on ``op``: payouts made and their
        total, how many of them the bank refused or returned (booked back) and that total."""
        row = (await self.session.execute(_UITBETALINGEN, {"periode": periode, "op": op,
                                                            "organisator_id": organisator_id})).one()
        return dict(row._mapping)


_UITBETALINGEN = text(
    """
    SELECT count(*) AS uitgevoerd, coalesce(sum(u.bedrag_cent), 0) AS uitgevoerd_cent,
           count(*) FILTER (WHERE u.teruggeboekt_op <= :op) AS teruggeboekt,
           coalesce(sum(u.bedrag_cent) FILTER (WHERE u.teruggeboekt_op <= :op), 0) AS teruggeboekt_cent
    FROM rm_uitbetalingen u LEFT JOIN rm_dossiers d ON d.wijkwerker_id = u.wijkwerker_id
    WHERE u.periode = :periode AND u.uitgevoerd_op <= :op
      AND (CAST(:organisator_id AS uuid) IS NULL OR d.organisator_id = CAST(:organisator_id AS uuid))
    """
)
_UREN = text(
    """
    SELECT date_trunc('month', datum) AS maand, gebruiker_categorie, sum(begonnen_uren)
    FROM rm_prestaties
    WHERE NOT geannuleerd AND datum BETWEEN :van AND :tot
      AND (CAST(:organisator_id AS uuid) IS NULL OR organisator_id = CAST(:organisator_id AS uuid))
    GROUP BY 1, 2
    """
)
_GELD = text(
    """
    SELECT date_trunc('month', gevalideerd_op) AS maand, deel, sum(bedrag) FROM rm_cheques_gevalideerd
    CROSS JOIN LATERAL (VALUES ('wijkwerker', wijkwerker_cent), ('verzekering', verzekering_cent),
                               ('reisfonds', reisfonds_cent), ('uitgever', uitgever_cent),
                               ('organisator', organisator_cent)) AS delen(deel, bedrag)
    WHERE gevalideerd_op BETWEEN :van AND :tot
      AND (CAST(:organisator_id AS uuid) IS NULL OR organisator_id = CAST(:organisator_id AS uuid))
    GROUP BY 1, 2
    """
)


async def _reeks(session: AsyncSession, statement, einden: list[date], organisator_id) -> dict[str, list[int]]:
    rows = await session.execute(statement, {"van": einden[0].replace(day=1), "tot": einden[-1],
                                             "organisator_id": organisator_id})
    return _per_maand(rows, einden)


def _per_maand(rows, einden: list[date]) -> dict[str, list[int]]:
    index = {(e.year, e.month): i for i, e in enumerate(einden)}
    series: dict[str, list[int]] = {}
    for maand, soort, aantal in rows:
        i = index.get((maand.year, maand.month))
        if i is not None:
            series.setdefault(soort, [0] * len(einden))[i] = aantal
    return dict(sorted(series.items()))
