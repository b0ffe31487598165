"""The 6-monthly evaluation's schedule (DOMAIN V-1, A-11), shared by the service that
records evaluations (evaluatie) and the one that shows a worker's counters before entry
(prestaties), so both answer the same due date. Standard library only."""

from __future__ import annotations

import calendar
from datetime import date

INTERVAL_MAANDEN = 6


def plus_maanden(dag: date, maanden: int) -> date:
    """``dag`` + N calendar months, the day clamped to the month's last (31 Aug + 6 → 28/29 Feb)."""
    jaar, maand = divmod(dag.month - 1 + maanden, 12)
    jaar += dag.year
    return date(jaar, maand + 1, min(dag.day, calendar.monthrange(jaar, maand + 1)[1]))


def volgende_evaluatie(start: date, laatste: date | None, interval_maanden: int = INTERVAL_MAANDEN) -> date:
    """A-11: due at the last evaluation (or the trajectory start) + 6 months."""
    return plus_maanden(laatste or start, interval_maanden)
