"""The workers' evaluations as evaluatie publishes them: only the evaluatie consumer writes
them; the counters read a worker's evaluation dates per trajectory."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date

from sqlalchemy import bindparam, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from prestaties.adapters.tables import evaluaties_ref

_BEWAAR = pg_insert(evaluaties_ref)
_BEWAAR = _BEWAAR.on_conflict_do_update(
    index_elements=[evaluaties_ref.c.evaluatie_id], set_={"datum": _BEWAAR.excluded.datum}
)
_VAN_WIJKWERKER = (
    select(evaluaties_ref.c.traject_id, evaluaties_ref.c.datum)
    .where(evaluaties_ref.c.wijkwerker_id == bindparam("wijkwerker_id"))
    .order_by(evaluaties_ref.c.datum)
)


class EvaluatieReferentie:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def bewaar(self, evaluatie_id: uuid.UUID, traject_id: uuid.UUID, wijkwerker_id: uuid.UUID,
                     datum: date) -> None:
        """An evaluation, or its corrected date (the state after the correction)."""
        await self.session.execute(_BEWAAR.values(
            evaluatie_id=evaluatie_id, traject_id=traject_id, wijkwerker_id=wijkwerker_id, datum=datum))

    async def van_wijkwerker(self, wijkwerker_id: uuid.UUID) -> dict[uuid.UUID, list[date]]:
        """The worker's evaluation dates per trajectory, in date order."""
        per: dict[uuid.UUID, list[date]] = defaultdict(list)
        for traject_id, datum in await self.session.execute(_VAN_WIJKWERKER, {"wijkwerker_id": wijkwerker_id}):
            per[traject_id].append(datum)
        return dict(per)
