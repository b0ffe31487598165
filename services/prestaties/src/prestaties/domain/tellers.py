"""A worker's live counters before entry (issue #23 item 1): hours the caps still leave this
month and year, days left in the trajectory, the next evaluation due, as of a business date.

The counters are the registration's own rules read the other way round: the hours left are
:meth:`Plafonds.over` of the stand (:mod:`prestaties.domain.uren`), the trajectory is the
window :func:`prestaties.domain.traject.traject_op` checks, the due date is A-11's
(:mod:`wijkwerk.evaluatieschema`). So a registration of ``u`` started hours on the date asked
is refused by a cap exactly when ``u > max_registreerbaar``.

As of D: only facts dated on or before D count — prestaties dated on or before D in D's
month and year (the caller reads the stand so), trajectories started by D, evaluations dated
by D.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from prestaties.domain.traject import TrajectVenster
from prestaties.domain.uren import Plafonds, UrenStand
from wijkwerk.evaluatieschema import volgende_evaluatie


@dataclass(frozen=True)
class TrajectTeller:
    traject_id: uuid.UUID
    organisator_id: uuid.UUID
    start: date
    laatste_dag: date | None  # actual end, else planned end; None: unlimited right (T-4)
    loopt: bool  # the trajectory runs on the date asked
    dagen_over: int | None  # days on which it still runs, the date asked included; None: no end
    laatste_evaluatie: date | None
    volgende_evaluatie: date | None  # None once the trajectory has ended, or when due after its last day
    evaluatie_achterstallig: bool  # due before the date asked and not held by then


@dataclass(frozen=True)
class WijkwerkerTellers:
    op: date
    plafonds: Plafonds
    stand: UrenStand
    over: UrenStand
    traject: TrajectTeller | None  # None: no trajectory started by the date asked

    @property
    def max_registreerbaar(self) -> int:
        """The most started hours one registration on the date asked may carry (A-02)."""
        return min(self.over.maand, self.over.jaar)


def dagen_over(venster: TrajectVenster, op: date) -> int | None:
    """Days from ``op`` through the trajectory's last day, both included (A-08: the window is
    inclusive); 0 after the end; the whole length before the start; None without an end."""
    einde = venster.laatste_dag()
    if einde is None:
        return None
    if op > einde:
        return 0
    return (einde - max(op, venster.start)).days + 1


def traject_van_de_dag(vensters: Sequence[TrajectVenster], op: date) -> TrajectVenster | None:
    """The trajectory running on ``op``, else the latest one started on or before it (ended);
    a trajectory that starts after ``op`` is not a fact yet."""
    gestart = sorted((v for v in vensters if v.start <= op), key=lambda v: v.start)
    lopend = [v for v in gestart if v.omvat(op)]
    if lopend:
        return lopend[-1]
    return gestart[-1] if gestart else None


def traject_teller(venster: TrajectVenster, evaluaties: Sequence[date], op: date) -> TrajectTeller:
    """``evaluaties``: the dates of the trajectory's evaluations (any date; those after ``op``
    are left out here)."""
    laatste = max((d for d in evaluaties if d <= op), default=None)
    loopt = venster.omvat(op)
    volgende = volgende_evaluatie(venster.start, laatste) if loopt else None
    einde = venster.laatste_dag()
    if volgende is not None and einde is not None and volgende > einde:
        volgende = None  # due after the trajectory's last day: no evaluation to plan (as evaluatie plans)
    return TrajectTeller(
        traject_id=venster.traject_id, organisator_id=venster.organisator_id, start=venster.start,
        laatste_dag=venster.laatste_dag(), loopt=loopt, dagen_over=dagen_over(venster, op),
        laatste_evaluatie=laatste, volgende_evaluatie=volgende,
        evaluatie_achterstallig=volgende is not None and volgende < op,
    )


def tellers(
    op: date,
    stand: UrenStand,
    plafonds: Plafonds,
    vensters: Sequence[TrajectVenster],
    evaluaties: Mapping[uuid.UUID, Sequence[date]],
) -> WijkwerkerTellers:
    """``stand``: the started hours that count, of prestaties dated on or before ``op`` in its
    calendar month and year; ``vensters``: the trajectories the caller may see."""
    venster = traject_van_de_dag(vensters, op)
    return WijkwerkerTellers(
        op=op, plafonds=plafonds, stand=stand, over=plafonds.over(stand),
        traject=None if venster is None else traject_teller(venster, evaluaties.get(venster.traject_id, ()), op),
    )
