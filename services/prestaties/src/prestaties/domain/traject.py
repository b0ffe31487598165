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

from prestaties.domain.fouten import NogOnbekend, OngeldigeInvoer


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


def traject_op(vensters: Sequence[TrajectVenster], organisator_id: uuid.UUID, dag: date) -> TrajectVenster:
    """The trajectory with this organiser a prestatie on ``dag`` belongs to."""
    if not any(v.organisator_id == organisator_id for v in vensters):
        raise NogOnbekend(
            "No trajectory of the worker with this organiser is known here yet.", rule="traject-nog-onbekend"
        )
    venster = next((v for v in vensters if v.omvat(dag)), None)
    if venster is None or venster.organisator_id != organisator_id:
        raise OngeldigeInvoer(
            f"{dag} is outside the worker's trajectory with this organiser.", rule="buiten-traject"
        )
    if venster.overeenkomst_op is None or venster.overeenkomst_op > dag:
        raise OngeldigeInvoer(
            "The wijk-werkovereenkomst was not signed on that date (T-5).", rule="geen-wijkwerkovereenkomst"
        )
    if venster.geschorst_op(dag):
        raise OngeldigeInvoer(f"The trajectory is suspended on {dag}.", rule="traject-geschorst")
    return venster
