"""The 6-monthly evaluation (DOMAIN V-1, V-2, T-7, A-11)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

# A-11 lives in wijkwerk.evaluatieschema: prestaties shows the same due date on a worker's counters.
from wijkwerk.evaluatieschema import volgende_evaluatie as volgende_evaluatie
from wijkwerk.fouten import OngeldigeInvoer


class Uitkomst(enum.StrEnum):
    ZELFDE_KLUS = "zelfde_klus"  # continue in the same activity
    UITSTROOM_WERK = "uitstroom_werk"
    ANDER_TRAJECT = "ander_traject"  # doorstroom: IBO, TWE, training, ...
    STOPT = "stopt"


@dataclass(frozen=True)
class TrajectVenster:
    start: date
    einde: date | None  # actual end, else planned end; None: unlimited right

    def loopt_op(self, dag: date) -> bool:
        return self.start <= dag and (self.einde is None or dag <= self.einde)


def status_evaluatie(
    venster: TrajectVenster, laatste: date | None, op: date, interval_maanden: int = 6, tot: date | None = None
) -> str | None:
    """``achterstallig`` (overdue), ``te_doen`` (due by ``tot``, by default within a month
    of ``op``) or None, while the trajectory runs on ``op``. A due date after the
    trajectory's end is no evaluation to plan."""
    if not venster.loopt_op(op):
        return None
    due = volgende_evaluatie(venster.start, laatste, interval_maanden)
    if due < op:
        return "achterstallig"
    if due > (tot or op + relativedelta(months=1)):
        return None
    if tot is not None and venster.einde is not None and due > venster.einde:
        return None  # planning ahead: the trajectory will have ended by then
    return "te_doen"


BEEINDIGENDE_UITKOMSTEN = frozenset({Uitkomst.UITSTROOM_WERK, Uitkomst.ANDER_TRAJECT, Uitkomst.STOPT})


def controleer_evaluatie(
    venster: TrajectVenster, datum: date, uitkomst: Uitkomst, vervolg: str | None, einde: date | None = None
) -> None:
    """PR-08: an outcome can end the trajectory; the evaluation decides and carries the end
    date (on or after the evaluation; toeleiding checks it against the trajectory)."""
    if datum < venster.start or (venster.einde is not None and datum > venster.einde):
        raise OngeldigeInvoer("An evaluation falls inside the trajectory.", rule="evaluatie-buiten-traject")
    if einde is not None and uitkomst not in BEEINDIGENDE_UITKOMSTEN:
        raise OngeldigeInvoer("Only an outcome that ends the trajectory carries an end date.",
                              rule="einde-zonder-beeindiging")
    if einde is not None and einde < datum:
        raise OngeldigeInvoer("The trajectory ends on or after the evaluation that decided it.",
                              rule="einde-voor-evaluatie")
    if uitkomst == Uitkomst.ANDER_TRAJECT and not vervolg:
        raise OngeldigeInvoer("Moving on to another trajectory names it (e.g. IBO, TWE).", rule="vervolg-ontbreekt")
