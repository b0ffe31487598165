"""What is due on the page's as-of date: evaluations overdue or due within a month (A-11) and
outflow measurements reached and not yet taken (A-12), from the same queries as
``GET /v1/evaluaties/te-doen`` and ``GET /v1/uitstroommetingen/te-doen``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy.ext.asyncio import AsyncSession

from evaluatie.adapters.opvolging import Opvolging
from evaluatie.adapters.trajecten import TrajectRepository

TONEN = 10  # rows shown per list (the first due); the counts are counted in the database, all of them


@dataclass
class TeDoen:
    evaluaties_achterstallig: int = 0
    evaluaties_binnen_maand: int = 0
    metingen_te_doen: int = 0
    evaluaties: list[dict] = field(default_factory=list)
    metingen: list[dict] = field(default_factory=list)


async def verzamel(session: AsyncSession, op: date, organisator_id: uuid.UUID | None) -> TeDoen:
    trajecten, opvolging = TrajectRepository(session), Opvolging(session)
    tot = op + relativedelta(months=1)
    per_status = await trajecten.tel_te_evalueren(organisator_id, op, tot)
    eerste = await trajecten.eerst_te_evalueren(organisator_id, op, tot, TONEN)
    te_meten = await opvolging.te_meten(op, op, organisator_id, TONEN, 0)  # ordered by measuring date
    return TeDoen(
        evaluaties_achterstallig=per_status.get("achterstallig", 0),
        evaluaties_binnen_maand=per_status.get("te_doen", 0),
        metingen_te_doen=await opvolging.tel_te_meten(op, op, organisator_id),
        evaluaties=[{"wijkwerker_id": r.wijkwerker_id, "volgende": r.volgende, "status": r.status} for r in eerste],
        metingen=[{"wijkwerker_id": r["wijkwerker_id"], "horizon": r["horizon_maanden"], "meetmoment": r["meetmoment"]}
                  for r in te_meten],
    )
