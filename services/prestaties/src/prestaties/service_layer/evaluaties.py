"""Event handlers that keep the workers' evaluation dates in step with evaluatie, for the
next evaluation due on a worker's counters (consumed through the inbox: each event is
applied once; an upsert, so a replay into a rebuilt table changes nothing)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from prestaties.adapters.evaluaties import EvaluatieReferentie
from wijkwerk.events import Envelope
from wijkwerk.events.evaluatie import EvaluatieGecorrigeerd, EvaluatieUitgevoerd


async def evaluatie_uitgevoerd(session: AsyncSession, event: EvaluatieUitgevoerd, _: Envelope) -> None:
    await EvaluatieReferentie(session).bewaar(event.evaluatie_id, event.traject_id, event.wijkwerker_id, event.datum)


async def evaluatie_gecorrigeerd(session: AsyncSession, event: EvaluatieGecorrigeerd, _: Envelope) -> None:
    await EvaluatieReferentie(session).bewaar(event.evaluatie_id, event.traject_id, event.wijkwerker_id, event.datum)


HANDLERS = {
    EvaluatieUitgevoerd: evaluatie_uitgevoerd,
    EvaluatieGecorrigeerd: evaluatie_gecorrigeerd,
}
