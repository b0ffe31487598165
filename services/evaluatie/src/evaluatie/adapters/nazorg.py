"""What happens after wijk-werken (RPT-21, RPT-22): cohorts of trajectories by the month
they ended, per organiser of the trajectory, with a Flanders row per month and one over
the whole period. Outflow is measured per ended trajectory (A-19): a re-referred person
counts once for each trajectory that ended, measured from that trajectory's end
(``count(DISTINCT traject_id)``, so GROUPING SETS give each level its own count). Only measurements taken by ``op``
count, so a report can be reproduced as of a date (PR-05)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from evaluatie.domain import uitstroom

_COHORT = """
    cohort AS (
        SELECT t.traject_id, t.wijkwerker_id, t.organisator_id,
               CAST(date_trunc('month', coalesce(t.werkelijk_einde, t.gepland_einde)) AS date) AS maand,
               coalesce(t.werkelijk_einde, t.gepland_einde) AS einde
        FROM rm_trajecten t
        WHERE coalesce(t.werkelijk_einde, t.gepland_einde) BETWEEN :van AND :tot
          AND coalesce(t.werkelijk_einde, t.gepland_einde) <= :op
          AND (CAST(:organisator_id AS uuid) IS NULL OR t.organisator_id = CAST(:organisator_id AS uuid))
    )"""
_GROEPEN = """
    FROM per_traject x LEFT JOIN rm_organisatoren o ON o.id = x.organisator_id
    GROUP BY GROUPING SETS ((x.maand, x.organisator_id, o.naam), (x.maand), ())
    ORDER BY x.maand NULLS LAST, x.organisator_id IS NOT NULL, o.naam, x.organisator_id
"""
_NIVEAU = """
    SELECT CASE WHEN GROUPING(x.maand) = 1 THEN 'periode'
                WHEN GROUPING(x.organisator_id) = 1 THEN 'vlaanderen' ELSE 'organisator' END AS niveau,
           x.maand, x.organisator_id, o.naam,
           count(DISTINCT x.traject_id) AS beeindigd"""

# RPT-21: at work at a measurement of horizon <= 6 months, cohort = ended trajectories
# whose 6-month point lies on or before ``op``.
_UITSTROOM = text(
    f"""
    WITH {_COHORT},
    per_traject AS (
        SELECT c.*, c.einde + make_interval(months => CAST(:binnen AS int)) <= :op AS meetbaar, m.*
        FROM cohort c
        LEFT JOIN LATERAL (
            SELECT coalesce(bool_or(m.categorieen && CAST(:werk AS text[])), false) AS werk,
                   coalesce(bool_or(m.subcategorieen && CAST(:regulier_sub AS text[])
                                    OR m.categorieen && CAST(:regulier_cat AS text[])), false) AS regulier,
                   coalesce(bool_or('NEC_in_SEC' = ANY(m.subcategorieen)), false) AS nec_in_sec,
                   coalesce(bool_or(m.subcategorieen && CAST(:se_sub AS text[])), false) AS sociale_economie
            FROM uitstroommetingen m
            WHERE m.traject_id = c.traject_id AND m.horizon_maanden <= CAST(:binnen AS int) AND m.gemeten_op <= :op
        ) m ON true
    )
    {_NIVEAU},
           count(DISTINCT x.traject_id) FILTER (WHERE x.meetbaar) AS cohort,
           count(DISTINCT x.traject_id) FILTER (WHERE x.meetbaar AND x.werk) AS aan_het_werk,
           count(DISTINCT x.traject_id) FILTER (WHERE x.meetbaar AND x.regulier) AS regulier,
           count(DISTINCT x.traject_id) FILTER (WHERE x.meetbaar AND x.nec_in_sec) AS waarvan_nec_in_sec,
           count(DISTINCT x.traject_id) FILTER (WHERE x.meetbaar AND x.sociale_economie) AS sociale_economie
    {_GROEPEN}
    """
)

# RPT-22: sustainable = at work at every horizon in :duurzaam (cohort: the last of them
# reached by ``op``); followed = a follow-up category at :opvolging months (cohort: that
# point reached); without a measurement at that point = off the radar (PR-16).
_DUURZAAM = text(
    f"""
    WITH {_COHORT},
    per_traject AS (
        SELECT c.*,
          c.einde + make_interval(months => CAST(:laatste AS int)) <= :op AS meetbaar_duurzaam,
          c.einde + make_interval(months => CAST(:opvolging AS int)) <= :op AS meetbaar_opvolging,
          (SELECT count(DISTINCT m.horizon_maanden) FROM uitstroommetingen m
            WHERE m.traject_id = c.traject_id AND m.horizon_maanden = ANY(CAST(:duurzaam AS int[]))
              AND m.gemeten_op <= :op AND m.categorieen && CAST(:werk AS text[]))
            = cardinality(CAST(:duurzaam AS int[])) AS duurzaam,
          EXISTS (SELECT 1 FROM uitstroommetingen m
            WHERE m.traject_id = c.traject_id AND m.horizon_maanden = CAST(:opvolging AS int)
              AND m.gemeten_op <= :op AND m.categorieen && CAST(:opvolging_cat AS text[])) AS opgevolgd,
          EXISTS (SELECT 1 FROM uitstroommetingen m
            WHERE m.traject_id = c.traject_id AND m.horizon_maanden = CAST(:opvolging AS int)
              AND m.gemeten_op <= :op) AS gemeten
        FROM cohort c
    )
    {_NIVEAU},
           count(DISTINCT x.traject_id) FILTER (WHERE x.meetbaar_duurzaam) AS cohort_duurzaam,
           count(DISTINCT x.traject_id) FILTER (WHERE x.meetbaar_duurzaam AND x.duurzaam) AS duurzaam_werk,
           count(DISTINCT x.traject_id) FILTER (WHERE x.meetbaar_opvolging) AS cohort_opvolging,
           count(DISTINCT x.traject_id) FILTER (WHERE x.meetbaar_opvolging AND x.opgevolgd) AS opgevolgd,
           count(DISTINCT x.traject_id) FILTER (WHERE x.meetbaar_opvolging AND NOT x.gemeten) AS zonder_meting
    {_GROEPEN}
    """
)


class Nazorg:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _rows(self, statement, **params) -> list[dict]:
        return [dict(r._mapping) for r in await self.session.execute(statement, params)]

    async def uitstroom_naar_werk(self, van: date, tot: date, op: date, organisator_id: uuid.UUID | None) -> list[dict]:
        """RPT-21 (V-5): of the trajectories ended in [van, tot] whose six months have
        passed by ``op``: at work within six months, regular circuit vs social economy."""
        return await self._rows(
            _UITSTROOM, van=van, tot=tot, op=op, organisator_id=organisator_id,
            binnen=uitstroom.UITSTROOM_BINNEN_MAANDEN, werk=sorted(uitstroom.AAN_HET_WERK),
            regulier_sub=sorted(uitstroom.REGULIER_SUB), regulier_cat=sorted(uitstroom.REGULIER_CAT),
            se_sub=sorted(uitstroom.SOCIALE_ECONOMIE_SUB),
        )

    async def duurzaam_en_opgevolgd(
        self, van: date, tot: date, op: date, organisator_id: uuid.UUID | None, *,
        duurzaam: tuple[int, ...], opvolging: int, opvolging_categorieen: tuple[str, ...],
    ) -> list[dict]:
        """RPT-22 (V-6): sustainable employment and follow-up after the end."""
        return await self._rows(
            _DUURZAAM, van=van, tot=tot, op=op, organisator_id=organisator_id, duurzaam=list(duurzaam),
            laatste=max(duurzaam), opvolging=opvolging, opvolging_cat=list(opvolging_categorieen),
            werk=sorted(uitstroom.AAN_HET_WERK),
        )


def verdeel(rows: list[dict], organisator_id: uuid.UUID | None, aandelen: dict[str, tuple[str, str]]) -> tuple[list[dict], dict]:
    """Rows per month and organiser (with a Flanders row per month unless limited to one
    organiser) and the totals over the period; ``aandelen`` adds shares as name → (part, whole)."""
    rijen, totaal = [], {}
    for r in rows:
        niveau = r.pop("niveau")
        cijfers = {k: v for k, v in r.items() if k not in ("maand", "organisator_id", "naam")}
        cijfers |= {naam: round(cijfers[deel] / cijfers[geheel], 4) if cijfers[geheel] else None
                    for naam, (deel, geheel) in aandelen.items()}
        if niveau == "periode":
            totaal = cijfers
        elif niveau == "organisator" or organisator_id is None:
            rijen.append({"maand": r["maand"].strftime("%Y-%m"), "niveau": niveau, "organisator_id": r["organisator_id"],
                          "naam": "Vlaanderen" if niveau == "vlaanderen" else (r["naam"] or "onbekend"), **cijfers})
    return rijen, totaal
