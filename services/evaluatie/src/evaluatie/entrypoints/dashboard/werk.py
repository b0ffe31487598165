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

TONEN = 10  # rows shown per list; the counts cover everything (bounded by LIMIT below)
MAX_TELLEN = 10_000


@dataclass
class TeDoen:
    evaluaties_achterstallig: int = 0
    evaluaties_binnen_maand: int = 0
    metingen_te_doen: int = 0
    evaluaties: list[dict] = field(default_factory=list)
    metingen: list[dict] = field(default_factory=list)


async def verzamel(session: AsyncSession, op: date, organisator_id: uuid.UUID | None) -> TeDoen:
    rows = await TrajectRepository(session).te_evalueren(organisator_id, op, op + relativedelta(months=1),
                                                         MAX_TELLEN, 0)
    te_meten = await Opvolging(session).te_meten(op, op, organisator_id, MAX_TELLEN, 0)
    achterstallig = [r for r in rows if r.status == "achterstallig"]
    return TeDoen(
        evaluaties_achterstallig=len(achterstallig),
        evaluaties_binnen_maand=len(rows) - len(achterstallig),
        metingen_te_doen=len(te_meten),
        evaluaties=[{"wijkwerker_id": r.wijkwerker_id, "volgende": r.volgende, "status": r.status}
                    for r in sorted(rows, key=lambda r: r.volgende)[:TONEN]],
        metingen=[{"wijkwerker_id": r["wijkwerker_id"], "horizon": r["horizon_maanden"], "meetmoment": r["meetmoment"]}
                  for r in sorted(te_meten, key=lambda r: r["meetmoment"])[:TONEN]],
    )
