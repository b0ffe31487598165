"""The split rates: read, and add a row from a date (never rewrite history)."""

from __future__ import annotations

from datetime import date

from cheques.domain.fouten import BestaatAl, OngeldigeInvoer
from cheques.domain.tarieven import Soort, Tarieven
from cheques.service_layer import commands
from cheques.service_layer.uow import ChequesUnitOfWork


async def alle(uow: ChequesUnitOfWork) -> Tarieven:
    async with uow:
        return await uow.verdeeltarieven.alle()


async def leg_vast(cmd: commands.LegVerdeeltariefVast, uow: ChequesUnitOfWork, vandaag: date) -> Tarieven:
    """A new rate applies from a future date only: splits already booked (and the
    recompute that checks them) keep the rates they were made with."""
    if cmd.geldig_vanaf <= vandaag:
        raise OngeldigeInvoer("A rate can only change from a later date than today.", rule="tarief-terugwerkend")
    if cmd.soort == Soort.GELDIGHEID_MAANDEN and cmd.waarde < 1:
        raise OngeldigeInvoer("A cheque is valid for at least one month.", rule="geldigheid-ongeldig")
    async with uow:
        if not await uow.verdeeltarieven.voeg_toe(cmd.soort, cmd.geldig_vanaf, cmd.waarde):
            raise BestaatAl(f"A {cmd.soort} rate from {cmd.geldig_vanaf} exists already.", rule="tarief-bestaat-al")
        await uow.commit()
        return await uow.verdeeltarieven.alle()
