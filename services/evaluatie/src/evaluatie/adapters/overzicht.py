"""What the worker's own page shows from evaluatie's read models (issue #23 item 7): the
trajectories with their evaluations, the started hours per month and per activity, and the
payouts, each as of a business date (only facts dated on or before it)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class Traject:
    traject_id: uuid.UUID
    organisator: str
    start: date
    gepland_einde: date | None
    werkelijk_einde: date | None
    einde_reden: str | None
    evaluaties: list[tuple[date, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Uitbetaling:
    periode: str
    bedrag_cent: int
    uitgevoerd_op: date
    teruggeboekt_op: date | None
    terug_reden: str | None


class Overzicht:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def trajecten(self, wijkwerker_id: uuid.UUID, op: date) -> list[Traject]:
        """Started on or before ``op``, latest first; an end or evaluation after ``op`` is not known yet."""
        rijen = (await self.session.execute(text(
            "SELECT t.traject_id, coalesce(o.naam, CAST(t.organisator_id AS text)) AS organisator, t.start, "
            "t.gepland_einde, CASE WHEN t.werkelijk_einde <= :op THEN t.werkelijk_einde END AS werkelijk_einde, "
            "CASE WHEN t.werkelijk_einde <= :op THEN t.einde_reden END AS einde_reden "
            "FROM rm_trajecten t LEFT JOIN rm_organisatoren o ON o.id = t.organisator_id "
            "WHERE t.wijkwerker_id = :w AND t.start <= :op ORDER BY t.start DESC, t.traject_id"),
            {"w": wijkwerker_id, "op": op})).all()
        evaluaties = (await self.session.execute(text(
            "SELECT traject_id, datum, uitkomst FROM evaluaties WHERE wijkwerker_id = :w AND datum <= :op "
            "ORDER BY datum"), {"w": wijkwerker_id, "op": op})).all()
        return [Traject(r.traject_id, r.organisator, r.start, r.gepland_einde, r.werkelijk_einde, r.einde_reden,
                        [(e.datum, e.uitkomst) for e in evaluaties if e.traject_id == r.traject_id]) for r in rijen]

    async def uren_per_maand(self, wijkwerker_id: uuid.UUID, op: date) -> list[tuple[str, int]]:
        rijen = await self.session.execute(text(
            "SELECT to_char(datum, 'YYYY-MM') AS maand, sum(begonnen_uren) AS uren FROM rm_prestaties "
            "WHERE wijkwerker_id = :w AND NOT geannuleerd AND datum <= :op GROUP BY 1 ORDER BY 1"),
            {"w": wijkwerker_id, "op": op})
        return [(r.maand, int(r.uren)) for r in rijen]

    async def uren_per_activiteit(self, wijkwerker_id: uuid.UUID, op: date) -> list[tuple[str, int]]:
        rijen = await self.session.execute(text(
            "SELECT activiteit_categorie AS activiteit, sum(begonnen_uren) AS uren FROM rm_prestaties "
            "WHERE wijkwerker_id = :w AND NOT geannuleerd AND datum <= :op GROUP BY 1 ORDER BY 2 DESC, 1"),
            {"w": wijkwerker_id, "op": op})
        return [(r.activiteit, int(r.uren)) for r in rijen]

    async def uitbetalingen(self, wijkwerker_id: uuid.UUID, op: date) -> list[Uitbetaling]:
        """Runs dated on or before ``op``, latest first; a return the bank dated after ``op`` is not known yet."""
        rijen = await self.session.execute(text(
            "SELECT periode, bedrag_cent, uitgevoerd_op, "
            "CASE WHEN teruggeboekt_op <= :op THEN teruggeboekt_op END AS teruggeboekt_op, "
            "CASE WHEN teruggeboekt_op <= :op THEN terug_reden END AS terug_reden "
            "FROM rm_uitbetalingen WHERE wijkwerker_id = :w AND uitgevoerd_op <= :op "
            "ORDER BY periode DESC, end_to_end_id"), {"w": wijkwerker_id, "op": op})
        return [Uitbetaling(r.periode, int(r.bedrag_cent), r.uitgevoerd_op, r.teruggeboekt_op, r.terug_reden)
                for r in rijen]
