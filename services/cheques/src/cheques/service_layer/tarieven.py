"""The split rates: read, and add a row from a date (never rewrite history)."""

from __future__ import annotations

from cheques.domain.tarieven import Soort, Tarieven
from cheques.service_layer import commands
from cheques.service_layer.uow import ChequesUnitOfWork
from wijkwerk.fouten import BestaatAl, OngeldigeInvoer


async def alle(uow: ChequesUnitOfWork) -> Tarieven:
    async with uow:
        return await uow.verdeeltarieven.alle()


async def leg_vast(cmd: commands.LegVerdeeltariefVast, uow: ChequesUnitOfWork) -> Tarieven:
    """A new rate may start on any date, as an organiser tariff may (loading history), but
    splits already booked (and the recompute that checks them) keep the rates they were
    made with: a row that would apply to cheques already validated (issued, for the
    validity) is retroactive and refused, with their number. Judged on the cheques' own
    business dates, never on today's."""
    if cmd.soort == Soort.GELDIGHEID_MAANDEN and cmd.waarde < 1:
        raise OngeldigeInvoer("A cheque is valid for at least one month.", rule="geldigheid-ongeldig")
    soort = Soort(cmd.soort)
    async with uow:
        # Splits in flight commit first (and are counted below); new ones wait for this row.
        await uow.verdeeltarieven.vergrendel_exclusief()
        volgende = [v for v, _ in (await uow.verdeeltarieven.alle()).rijen.get(soort, ()) if v > cmd.geldig_vanaf]
        geraakt = await uow.verdeeltarieven.cheques_onder(soort, cmd.geldig_vanaf, min(volgende, default=None))
        if geraakt:
            raise OngeldigeInvoer(
                f"A {soort.value} rate from {cmd.geldig_vanaf} would change {geraakt} cheque(s) already split with "
                "the rate it replaces.", rule="tarief-terugwerkend", cheques=geraakt,
            )
        if not await uow.verdeeltarieven.voeg_toe(cmd.soort, cmd.geldig_vanaf, cmd.waarde):
            raise BestaatAl(f"A {cmd.soort} rate from {cmd.geldig_vanaf} exists already.", rule="tarief-bestaat-al")
        await uow.commit()
        return await uow.verdeeltarieven.alle()
