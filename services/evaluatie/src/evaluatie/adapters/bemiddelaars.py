"""Bemiddelaar FTE per organiser (owned here, dated) and the caseload report (RPT-24)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from evaluatie.adapters.tables import bemiddelaarsinzet, rm_organisatoren
from evaluatie.domain.bemiddelaars import O2Norm, per_fte

# Per organiser at a month end: the FTE row valid then (latest ``geldig_vanaf`` on or
# before the month end), distinct workers in a running trajectory at the month end (as
# RPT-25) and distinct workers with an accepted prestatie in the month (as RPT-02). The
# grouping sets count the same workers once more over every organiser in scope (a worker
# can move between organisers within a month): the last row, without an organiser.
_CASELOAD = text(
    """
    WITH in_traject AS (
        SELECT t.organisator_id, GROUPING(t.organisator_id) AS alle, count(DISTINCT t.wijkwerker_id) AS n
        FROM rm_trajecten t
        WHERE t.start <= :einde AND coalesce(t.werkelijk_einde, t.gepland_einde, 'infinity'::date) >= :einde
          AND (CAST(:organisator_id AS uuid) IS NULL OR t.organisator_id = CAST(:organisator_id AS uuid))
        GROUP BY GROUPING SETS ((t.organisator_id), ())
    ), werkzaam AS (
        SELECT p.organisator_id, GROUPING(p.organisator_id) AS alle, count(DISTINCT p.wijkwerker_id) AS n
        FROM rm_prestaties p
        WHERE NOT p.geannuleerd AND p.datum BETWEEN :begin AND :einde
          AND (CAST(:organisator_id AS uuid) IS NULL OR p.organisator_id = CAST(:organisator_id AS uuid))
        GROUP BY GROUPING SETS ((p.organisator_id), ())
    )
    SELECT 0 AS alle, o.id AS organisator_id, o.naam, o.samenwerkingsverband, i.fte, i.inwoners,
           coalesce(t.n, 0) AS wijkwerkers_in_traject, coalesce(w.n, 0) AS werkzame_wijkwerkers
    FROM rm_organisatoren o
    LEFT JOIN in_traject t ON t.organisator_id = o.id AND t.alle = 0
    LEFT JOIN werkzaam w ON w.organisator_id = o.id AND w.alle = 0
    LEFT JOIN LATERAL (
        SELECT b.fte, b.inwoners FROM bemiddelaarsinzet b
        WHERE b.organisator_id = o.id AND b.geldig_vanaf <= :einde
        ORDER BY b.geldig_vanaf DESC LIMIT 1
    ) i ON true
    WHERE CAST(:organisator_id AS uuid) IS NULL OR o.id = CAST(:organisator_id AS uuid)
    UNION ALL
    SELECT 1, NULL, NULL, NULL, NULL, NULL,
           coalesce((SELECT n FROM in_traject WHERE alle = 1), 0), coalesce((SELECT n FROM werkzaam WHERE alle = 1), 0)
    ORDER BY alle, naam, organisator_id
    """
)


class Bemiddelaars:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def organisator_bekend(self, organisator_id: uuid.UUID) -> bool:
        found = await self.session.scalar(select(func.count()).where(rm_organisatoren.c.id == organisator_id))
        return bool(found)

    async def leg_vast(
        self, organisator_id: uuid.UUID, geldig_vanaf: date, fte: Decimal, inwoners: int | None, door: str
    ) -> None:
        """Records the FTE from a date on; a second call for the same date corrects it."""
        stmt = pg_insert(bemiddelaarsinzet).values(
            organisator_id=organisator_id, geldig_vanaf=geldig_vanaf, fte=fte, inwoners=inwoners,
            geregistreerd_door=door,
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=[bemiddelaarsinzet.c.organisator_id, bemiddelaarsinzet.c.geldig_vanaf],
            set_={"fte": stmt.excluded.fte, "inwoners": stmt.excluded.inwoners,
                  "geregistreerd_door": stmt.excluded.geregistreerd_door, "geregistreerd_op": func.now()},
        )
        await self.session.execute(stmt)

    async def historiek(self, organisator_id: uuid.UUID) -> list[dict]:
        rows = await self.session.execute(
            select(bemiddelaarsinzet)
            .where(bemiddelaarsinzet.c.organisator_id == organisator_id)
            .order_by(bemiddelaarsinzet.c.geldig_vanaf)
        )
        return [dict(r._mapping) for r in rows]

    async def caseload(self, begin: date, einde: date, organisator_id: uuid.UUID | None) -> tuple[list[dict], dict]:
        """Per organiser in scope, and the distinct workers over all of them."""
        params = {"begin": begin, "einde": einde, "organisator_id": organisator_id}
        *rows, alle = [dict(r._mapping) for r in await self.session.execute(_CASELOAD, params)]
        return rows, alle

    async def caseload_per_maand(
        self, maanden: list[tuple[str, date, date]], organisator_id: uuid.UUID | None, norm: O2Norm
    ) -> tuple[list[dict], dict[str, int]]:
        """RPT-24 rows per month per organiser, with a Flanders row per month unless limited
        to one organiser, and per month the organisers without a recorded FTE."""
        rijen, zonder_fte = [], {}
        for maand, begin, einde in maanden:
            rows, alle = await self.caseload(begin, einde, organisator_id)
            per_organisator = [_caseload(maand, r, norm) for r in rows]
            zonder_fte[maand] = sum(1 for r in per_organisator if r["fte"] is None)
            if organisator_id is None:
                rijen.append(_vlaanderen(maand, per_organisator, alle))
            rijen += per_organisator
        return rijen, zonder_fte


def _caseload(maand: str, r: dict, norm: O2Norm) -> dict:
    fte = r["fte"]
    return {
        "maand": maand, "niveau": "organisator", "organisator_id": r["organisator_id"], "naam": r["naam"],
        "samenwerkingsverband": r["samenwerkingsverband"],
        "fte": float(fte) if fte is not None else None, "inwoners": r["inwoners"],
        "norm_fte": float(norm.fte(r["inwoners"])) if r["inwoners"] is not None else None,
        "wijkwerkers_in_traject": r["wijkwerkers_in_traject"],
        "wijkwerkers_per_fte": per_fte(r["wijkwerkers_in_traject"], fte),
        "werkzame_wijkwerkers": r["werkzame_wijkwerkers"],
        "werkzame_per_fte": per_fte(r["werkzame_wijkwerkers"], fte),
    }


def _vlaanderen(maand: str, organisatoren: list[dict], distinct: dict) -> dict:
    """FTE, inhabitants and norm summed over the organisers that have them; workers counted
    once; workers per FTE only when every organiser has an FTE recorded for the month
    (otherwise the ratio would mix staffed and unknown areas)."""
    def som(veld: str) -> Decimal | None:
        waarden = [Decimal(str(r[veld])) for r in organisatoren if r[veld] is not None]
        return sum(waarden, Decimal(0)) if waarden else None

    fte = som("fte")
    volledig = fte if all(r["fte"] is not None for r in organisatoren) else None
    inwoners, norm = som("inwoners"), som("norm_fte")
    in_traject, werkzaam = distinct["wijkwerkers_in_traject"], distinct["werkzame_wijkwerkers"]
    return {
        "maand": maand, "niveau": "vlaanderen", "organisator_id": None, "naam": "Vlaanderen",
        "samenwerkingsverband": None, "fte": float(fte) if fte is not None else None,
        "inwoners": int(inwoners) if inwoners is not None else None, "norm_fte": float(norm) if norm is not None else None,
        "wijkwerkers_in_traject": in_traject, "wijkwerkers_per_fte": per_fte(in_traject, volledig),
        "werkzame_wijkwerkers": werkzaam, "werkzame_per_fte": per_fte(werkzaam, volledig),
    }
