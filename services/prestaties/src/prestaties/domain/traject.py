"""The worker's trajectory windows as prestaties knows them from toeleiding's events
(TrajectGestart, OvereenkomstGetekend, TrajectVerlengd, TrajectGeschorst, TrajectBeeindigd).

A-08: the window [start, actual end, else planned end] is inclusive; an ex-PWA worker
with the *onbeperkt recht* has no end (T-4). T-5: work starts once the
wijk-werkovereenkomst is signed. T-8/PR-24: no prestaties on suspended days.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from wijkwerk.fouten import NogOnbekend, OngeldigeInvoer


@dataclass(frozen=True)
class Schorsing:
    van: date
    tot: date

    def omvat(self, dag: date) -> bool:
        return self.van <= dag <= self.tot


@dataclass
class TrajectVenster:
    traject_id: uuid.UUID
    wijkwerker_id: uuid.UUID
    organisator_id: uuid.UUID
    start: date
    gepland_einde: date | None
    overeenkomst_op: date | None = None
    werkelijk_einde: date | None = None
    schorsingen: list[Schorsing] = field(default_factory=list)

    def laatste_dag(self) -> date | None:
        return self.werkelijk_einde or self.gepland_einde

    def omvat(self, dag: date) -> bool:
        einde = self.laatste_dag()
        return self.start <= dag and (einde is None or dag <= einde)

    def geschorst_op(self, dag: date) -> bool:
        return any(s.omvat(dag) for s in self.schorsingen)


def _dichtstbij(vensters: Sequence[TrajectVenster], organisator_id: uuid.UUID, dag: date) -> dict[str, str | None]:
    """The worker's trajectory with this organiser nearest to ``dag`` (the latest started
    on or before it, else the first after it): its start and last day (None: no end)."""
    eigen = sorted((v for v in vensters if v.organisator_id == organisator_id), key=lambda v: v.start)
    eerder = [v for v in eigen if v.start <= dag]
    venster = eerder[-1] if eerder else (eigen[0] if eigen else None)
    if venster is None:
        return {"traject_start": None, "traject_einde": None}
    einde = venster.laatste_dag()
    return {"traject_start": venster.start.isoformat(), "traject_einde": einde.isoformat() if einde else None}


def traject_op(vensters: Sequence[TrajectVenster], organisator_id: uuid.UUID, dag: date) -> TrajectVenster:
    """The trajectory with this organiser a prestatie on ``dag`` belongs to."""
    if not any(v.organisator_id == organisator_id for v in vensters):
        raise NogOnbekend(
            "No trajectory of the worker with this organiser is known here yet.", rule="traject-nog-onbekend"
        )
    venster = next((v for v in vensters if v.omvat(dag)), None)
    if venster is None or venster.organisator_id != organisator_id:
        raise OngeldigeInvoer(
            f"{dag} is outside the worker's trajectory with this organiser.", rule="buiten-traject",
            **_dichtstbij(vensters, organisator_id, dag),
        )
    if venster.overeenkomst_op is None or venster.overeenkomst_op > dag:
        raise OngeldigeInvoer(
            "The wijk-werkovereenkomst was not signed on that date (T-5).", rule="geen-wijkwerkovereenkomst"
        )
    if venster.geschorst_op(dag):
        raise OngeldigeInvoer(f"The trajectory is suspended on {dag}.", rule="traject-geschorst")
    return venster
