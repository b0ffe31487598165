"""The payout slip and the yearly statement for one caller's data scope (issue #23 item 5).

``organisator_id`` is the scope of an organiser's view (its own area's lines only) and
None for a caller who sees the whole document (central, the worker or gebruiker itself).
A document of somebody this caller cannot see is answered as one of nobody: 404."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Protocol

from cheques.domain.documenten import Bestellijn, Jaaroverzicht, Loonbrief, Maandgebruik, Sliplijn
from cheques.domain.uitbetaling import Periode
from wijkwerk.fouten import NietGevonden


class DocumentBron(Protocol):
    async def werkt_bij(self, wijkwerker_id: uuid.UUID, organisator_id: uuid.UUID | None) -> bool: ...

    async def sliplijnen(self, wijkwerker_id: uuid.UUID, van: date, tot: date) -> list[Sliplijn]: ...

    async def uitbetaling(self, periode: str, wijkwerker_id: uuid.UUID) -> tuple[int, str] | None: ...

    async def heeft_besteld(self, gebruiker_id: uuid.UUID, organisator_id: uuid.UUID | None) -> bool: ...

    async def jaar(self, gebruiker_id: uuid.UUID, jaar: int, organisator_id: uuid.UUID | None
                   ) -> tuple[list[Bestellijn], list[Maandgebruik]]: ...


async def loonbrief(bron: DocumentBron, wijkwerker_id: uuid.UUID, periode: Periode,
                    organisator_id: uuid.UUID | None) -> Loonbrief:
    if not await bron.werkt_bij(wijkwerker_id, organisator_id):
        raise NietGevonden("No worker with prestaties known here.", rule="wijkwerker-onbekend")
    lijnen = await bron.sliplijnen(wijkwerker_id, periode.eerste_dag, periode.laatste_dag)
    if organisator_id is not None:
        # an organiser sees the lines of its own area; the payout covers every area, so not it
        lijnen = [lijn for lijn in lijnen if lijn.organisator_id == organisator_id]
        return Loonbrief(wijkwerker_id, str(periode), tuple(lijnen), deel_van_organisator=organisator_id)
    betaald = await bron.uitbetaling(str(periode), wijkwerker_id)
    return Loonbrief(wijkwerker_id, str(periode), tuple(lijnen), uitbetaald_cent=betaald[0] if betaald else None,
                     uitbetalingsstatus=betaald[1] if betaald else None)


async def jaaroverzicht(bron: DocumentBron, gebruiker_id: uuid.UUID, jaar: int,
                        organisator_id: uuid.UUID | None) -> Jaaroverzicht:
    if not await bron.heeft_besteld(gebruiker_id, organisator_id):
        raise NietGevonden("No gebruiker with cheques known here.", rule="gebruiker-onbekend")
    bestellingen, maanden = await bron.jaar(gebruiker_id, jaar, organisator_id)
    return Jaaroverzicht(gebruiker_id, jaar, tuple(bestellingen), tuple(maanden), deel_van_organisator=organisator_id)
