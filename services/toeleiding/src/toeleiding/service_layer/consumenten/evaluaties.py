"""Reactions to other services' events (consumed through the inbox)."""

from __future__ import annotations

import logging

from toeleiding.domain.traject import EindeBron, EindeReden
from toeleiding.service_layer import trajecten
from toeleiding.service_layer.uow import ToeleidingUnitOfWork
from wijkwerk.events.evaluatie import EvaluatieUitgevoerd
from wijkwerk.fouten import DomainError

log = logging.getLogger("toeleiding.reacties")

# V-2: the outcomes that mean the worker leaves wijk-werken.
EINDE_BIJ_UITKOMST = {
    "uitstroom_werk": EindeReden.UITSTROOM_WERK,
    "ander_traject": EindeReden.ANDER_TRAJECT,
    "stopt": EindeReden.GESTOPT,
}


async def evaluatie_uitgevoerd(event: EvaluatieUitgevoerd, uow: ToeleidingUnitOfWork) -> None:
    """An evaluation whose outcome says the worker moves on decides the end: the trajectory
    ends on the end date the evaluation carries (its own date when it names none), so
    prestaties up to that end still count. It replaces the housekeeping job's end; an
    explicit end (``POST /v1/trajecten/{id}/beeindiging``), earlier or later, wins over it
    (EindeBron). Refused by a rule: logged, not retried (a business outcome, not a poison
    message)."""
    reden = EINDE_BIJ_UITKOMST.get(event.uitkomst)
    if reden is None:
        return
    traject = await uow.trajecten.get(event.traject_id, for_update=True)
    if traject is None:
        return
    einde = event.einde or event.datum
    try:
        await trajecten.beeindig(uow, traject, einde, reden, event.vervolg, EindeBron.EVALUATIE)
    except DomainError as exc:
        log.warning("evaluation %s did not end trajectory %s: %s", event.evaluatie_id, event.traject_id, exc.detail)


HANDLERS = {EvaluatieUitgevoerd: evaluatie_uitgevoerd}
