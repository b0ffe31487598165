"""The refund flow for unused cheques (issue #23 item 2): a request, then a decision.
The rules are in :mod:`cheques.domain.terugbetaling`; the money path (the whole price back
to the gebruiker) in :func:`cheques.service_layer.vervallen.boek_terugbetaling`."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from cheques.domain.cheque import Bestelling, Cheque
from cheques.domain.terugbetaling import Aanvraag, Beslissing, controleer_aanvraag
from cheques.service_layer.uow import ChequesUnitOfWork
from cheques.service_layer.vervallen import boek_terugbetaling
from wijkwerk.events.cheques import ChequeTerugbetalingGevraagd, ChequeTerugbetalingGeweigerd
from wijkwerk.fouten import BestaatAl, NietGevonden

Ziet = Callable[[Bestelling], bool]  # whether the caller may see (and act on) a cheque of this order


@dataclass(frozen=True)
class VraagTerugbetaling:
    serienummer: str
    gevraagd_op: date
    reden: str = ""
    aanvraag_id: uuid.UUID | None = None


@dataclass(frozen=True)
class BeslisTerugbetaling:
    aanvraag_id: uuid.UUID
    beslissing: Beslissing
    beslist_op: date
    reden: str = ""


async def _cheque(uow: ChequesUnitOfWork, serienummer: str, ziet: Ziet) -> Cheque:
    cheque = await uow.cheques.get(serienummer, for_update=True)
    if cheque is None or not ziet(cheque.bestelling):
        raise NietGevonden("No such cheque.", rule="cheque-onbekend")
    return cheque


async def vraag_aan(cmd: VraagTerugbetaling, uow: ChequesUnitOfWork, ziet: Ziet) -> tuple[Aanvraag, Cheque]:
    async with uow:
        cheque = await _cheque(uow, cmd.serienummer, ziet)
        controleer_aanvraag(cheque, cmd.gevraagd_op)
        b = cheque.bestelling
        aanvraag = Aanvraag(
            id=cmd.aanvraag_id or uuid.uuid4(), serienummer=cheque.serienummer, gebruiker_id=b.gebruiker_id,
            organisator_id=b.organisator_id, gevraagd_op=cmd.gevraagd_op, reden=cmd.reden,
        )
        if not await uow.aanvragen.add(aanvraag):
            raise BestaatAl(f"Cheque {cheque.serienummer} has an open refund request.", rule="aanvraag-bestaat-al")
        uow.emit(ChequeTerugbetalingGevraagd(
            aanvraag_id=aanvraag.id, serienummer=cheque.serienummer, gebruiker_id=b.gebruiker_id,
            organisator_id=b.organisator_id, prijs_cent=b.prijs_cent, gevraagd_op=cmd.gevraagd_op, reden=cmd.reden,
        ))
        await uow.commit()
    return aanvraag, cheque


async def lees(aanvraag_id: uuid.UUID, uow: ChequesUnitOfWork, ziet: Ziet) -> tuple[Aanvraag, Cheque]:
    async with uow:
        aanvraag = await uow.aanvragen.get(aanvraag_id)
        cheque = await uow.cheques.get(aanvraag.serienummer) if aanvraag else None
    if aanvraag is None or cheque is None or not ziet(cheque.bestelling):
        raise NietGevonden("No such refund request.", rule="aanvraag-onbekend")
    return aanvraag, cheque


async def beslis(cmd: BeslisTerugbetaling, uow: ChequesUnitOfWork, ziet: Ziet) -> tuple[Aanvraag, Cheque]:
    async with uow:
        aanvraag = await uow.aanvragen.get(cmd.aanvraag_id, for_update=True)
        cheque = await uow.cheques.get(aanvraag.serienummer, for_update=True) if aanvraag else None
        if aanvraag is None or cheque is None or not ziet(cheque.bestelling):
            raise NietGevonden("No such refund request.", rule="aanvraag-onbekend")
        aanvraag.beslis(cmd.beslissing, cmd.beslist_op, cmd.reden, cheque)
        await uow.aanvragen.save(aanvraag)
        if cmd.beslissing is Beslissing.GOEDGEKEURD:
            await uow.cheques.save(cheque)
            await boek_terugbetaling(uow, cheque, aanvraag.id)
        else:
            uow.emit(ChequeTerugbetalingGeweigerd(
                aanvraag_id=aanvraag.id, serienummer=aanvraag.serienummer, gebruiker_id=aanvraag.gebruiker_id,
                organisator_id=aanvraag.organisator_id, beslist_op=cmd.beslist_op, reden=cmd.reden,
            ))
        await uow.commit()
    return aanvraag, cheque
