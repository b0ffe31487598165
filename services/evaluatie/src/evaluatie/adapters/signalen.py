"""The dated facts "evaluation due / overdue" (A-11) per day, and their once-only record."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# Per day :d, judged on the evaluations dated on or before :d: the running trajectories
# whose due date enters the month ahead on :d (te_doen) or passed the day before (achterstallig).
_OP_DAG = text("""
    WITH laatste AS (
        SELECT traject_id, max(datum) AS laatste FROM evaluaties WHERE datum <= :d GROUP BY traject_id
    ), t AS (
        SELECT r.traject_id, r.wijkwerker_id, r.organisator_id, l.laatste,
               CAST(coalesce(l.laatste, r.start) + make_interval(months => :m) AS date) AS vervaldag
        FROM rm_trajecten r LEFT JOIN laatste l ON l.traject_id = r.traject_id
        WHERE r.start <= :d AND coalesce(r.werkelijk_einde, r.gepland_einde, DATE '9999-12-31') >= :d
    )
    SELECT traject_id, wijkwerker_id, organisator_id, laatste, vervaldag,
           CASE WHEN vervaldag + 1 = :d THEN 'achterstallig' ELSE 'te_doen' END AS soort
    FROM t
    WHERE vervaldag + 1 = :d OR CAST(vervaldag - interval '1 month' AS date) = :d
    ORDER BY traject_id
""")

# Per day :d: per organiser, the cheques valid through :d + :n days, issued, not validated
# and not refunded on or before :d.
_CHEQUES_OP_DAG = text("""
    SELECT u.organisator_id, u.geldig_tot, array_agg(u.serienummer ORDER BY u.serienummer) AS serienummers
    FROM rm_cheques_uitgegeven u
    LEFT JOIN rm_cheques_gevalideerd g ON g.serienummer = u.serienummer AND g.gevalideerd_op <= :d
    WHERE u.geldig_tot = CAST(:d AS date) + CAST(:n AS integer) AND u.uitgegeven_op <= :d AND g.serienummer IS NULL
      AND (u.terugbetaald_op IS NULL OR u.terugbetaald_op > :d)
    GROUP BY u.organisator_id, u.geldig_tot
    ORDER BY u.organisator_id
""")


class Signalen:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def op_dag(self, dag: date, interval_maanden: int = 6) -> list:
        return list(await self.session.execute(_OP_DAG, {"d": dag, "m": interval_maanden}))

    async def leg_vast(self, traject_id, vervaldag: date, soort: str, datum: date) -> bool:
        """True the first time this fact is recorded."""
        nieuw = await self.session.scalar(
            text("INSERT INTO evaluatiesignalen (traject_id, vervaldag, soort, datum) VALUES (:t, :v, :s, :d) "
                 "ON CONFLICT DO NOTHING RETURNING true"),
            {"t": traject_id, "v": vervaldag, "s": soort, "d": datum},
        )
        return bool(nieuw)

    async def cheques_op_dag(self, dag: date, waarschuwing_dagen: int) -> list:
        return list(await self.session.execute(_CHEQUES_OP_DAG, {"d": dag, "n": waarschuwing_dagen}))

    async def leg_cheques_vast(self, organisator_id, geldig_tot: date, datum: date, aantal: int) -> bool:
        nieuw = await self.session.scalar(
            text("INSERT INTO chequesignalen (organisator_id, geldig_tot, datum, aantal) VALUES (:o, :g, :d, :a) "
                 "ON CONFLICT DO NOTHING RETURNING true"),
            {"o": organisator_id, "g": geldig_tot, "d": datum, "a": aantal},
        )
        return bool(nieuw)
