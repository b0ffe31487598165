"""Event handlers that keep the workers' evaluation dates in step with evaluatie, for the
next evaluation due on a worker's counters (consumed through the inbox: each event is
applied once; an upsert, so a replay into a rebuilt table changes nothing). Each gets a
unit of work joined to the inbox transaction (``(event, uow)``, as commands)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from prestaties.service_layer.uow import PrestatiesUnitOfWork
from wijkwerk.events import Event
from wijkwerk.events.evaluatie import EvaluatieGecorrigeerd, EvaluatieUitgevoerd


async def evaluatie_uitgevoerd(event: EvaluatieUitgevoerd, uow: PrestatiesUnitOfWork) -> None:
    await uow.evaluaties.bewaar(event.evaluatie_id, event.traject_id, event.wijkwerker_id, event.datum)


async def evaluatie_gecorrigeerd(event: EvaluatieGecorrigeerd, uow: PrestatiesUnitOfWork) -> None:
    await uow.evaluaties.bewaar(event.evaluatie_id, event.traject_id, event.wijkwerker_id, event.datum)


HANDLERS: dict[type[Event], Callable[[Any, PrestatiesUnitOfWork], Awaitable[None]]] = {
    EvaluatieUitgevoerd: evaluatie_uitgevoerd,
    EvaluatieGecorrigeerd: evaluatie_gecorrigeerd,
}
