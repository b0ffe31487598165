"""A gebruiker's cheque counters before entry (issue #23 item 1), as of a business date: the
stock's facts read in one transaction; the arithmetic is :mod:`cheques.domain.tellers`."""

from __future__ import annotations

import uuid
from datetime import date

from cheques.domain.tellers import DragerTeller, tellers
from cheques.service_layer.uow import ChequesUnitOfWork
from wijkwerk.fouten import NietGevonden


async def gebruiker(
    uow: ChequesUnitOfWork, gebruiker_id: uuid.UUID, op: date, organisator_id: uuid.UUID | None = None
) -> list[DragerTeller]:
    """``organisator_id``: the data scope of an organiser (its own cheques only). A gebruiker
    not known here (at that organiser): ``gebruiker-onbekend`` (404)."""
    async with uow:
        if not await uow.voorraad.bekend(gebruiker_id, organisator_id):
            raise NietGevonden("No such gebruiker is known here.", rule="gebruiker-onbekend")
        besteld, per = await uow.voorraad.feiten(op, gebruiker_id=gebruiker_id, organisator_id=organisator_id)
    # A carrier ordered but not issued yet shows with 0 left.
    return tellers({k: per.get(k, []) for k in set(besteld) | set(per)}, op)
