"""A worker's counters before entry (issue #23 item 1), as of a business date: the stand
the caps judge, the trajectories the caller may see and their evaluations, in one
transaction; the arithmetic is :mod:`prestaties.domain.tellers`."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date

from prestaties.domain.tellers import WijkwerkerTellers, tellers
from prestaties.domain.traject import TrajectVenster
from prestaties.domain.uren import Plafonds
from prestaties.service_layer.uow import PrestatiesUnitOfWork
from wijkwerk.fouten import NietGevonden

# The trajectories of the worker the caller may see (the data scope, applied by the route).
Zichtbaar = Callable[[Sequence[TrajectVenster]], list[TrajectVenster]]


async def wijkwerker(
    uow: PrestatiesUnitOfWork, wijkwerker_id: uuid.UUID, op: date, plafonds: Plafonds, zichtbaar: Zichtbaar
) -> WijkwerkerTellers:
    """Unknown here, or no trajectory the caller may see: ``wijkwerker-onbekend`` (404)."""
    async with uow:
        vensters = zichtbaar(await uow.vensters.van_wijkwerker(wijkwerker_id))
        if not vensters:
            raise NietGevonden("No trajectory of this worker is known here.", rule="wijkwerker-onbekend")
        stand = await uow.prestaties.stand_tot(wijkwerker_id, op)
        evaluaties = await uow.evaluaties.van_wijkwerker(wijkwerker_id)
    return tellers(op, stand, plafonds, vensters, evaluaties)
