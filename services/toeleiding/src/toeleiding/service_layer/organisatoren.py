"""Handlers for organisers: register, change the area, lay down a tariff (A-18: one tariff per samenwerkingsverband)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy import text

from toeleiding.domain.organisator import Organisator
from toeleiding.service_layer import commands
from toeleiding.service_layer.uow import ToeleidingUnitOfWork
from wijkwerk.events.toeleiding import (
    Gemeente,
    OrganisatorGeregistreerd,
    TariefVastgelegd,
    WerkingsgebiedGewijzigd,
)
from wijkwerk.fouten import BestaatAl, GeenToegang, NietGevonden


async def registreer_organisator(
    cmd: commands.RegistreerOrganisator, uow: ToeleidingUnitOfWork, toegelaten_tarieven: tuple[int, ...]
) -> Organisator:
    organisator = Organisator.registreer(
        naam=cmd.naam,
        samenwerkingsverband=cmd.samenwerkingsverband,
        gemeenten=cmd.gemeenten,
        tarief_cent=cmd.tarief_cent,
        tarief_vanaf=cmd.tarief_vanaf,
        toegelaten_tarieven=toegelaten_tarieven,
    )
    async with uow:
        await _geen_gedeelde_gemeenten(uow, organisator)
        await _vergrendel_samenwerkingsverband(uow, organisator.samenwerkingsverband)
        leden = await uow.organisatoren.in_samenwerkingsverband(organisator.samenwerkingsverband)
        organisator.controleer_zelfde_tarief(leden)  # a new member takes the tariff of the others
        await uow.organisatoren.add(organisator)
        uow.emit(
            OrganisatorGeregistreerd(
                organisator_id=organisator.id,
                naam=organisator.naam,
                samenwerkingsverband=organisator.samenwerkingsverband,
                gemeenten=tuple(Gemeente(nis_code=n, naam=g) for n, g in sorted(organisator.gemeenten.items())),
            ),
            aggregate_version=1,
        )
        uow.emit(
            TariefVastgelegd(
                organisator_id=organisator.id, prijs_cent=cmd.tarief_cent, geldig_vanaf=cmd.tarief_vanaf
            ),
            aggregate_version=organisator.version,
        )
        await uow.commit()
    return organisator


async def _geen_gedeelde_gemeenten(uow: ToeleidingUnitOfWork, organisator: Organisator) -> None:
    # Serialise area changes: two concurrent claims on one municipality must not both pass.
    await uow.session.execute(text("SELECT pg_advisory_xact_lock(hashtext('toeleiding:werkingsgebied'))"))
    bezet = await uow.organisatoren.al_toegewezen(sorted(organisator.gemeenten), behalve=organisator.id)
    if bezet:
        raise BestaatAl(
            f"Municipalities already belong to another organiser: {', '.join(sorted(bezet))}.",
            rule="gemeente-al-toegewezen",
        )


async def wijzig_werkingsgebied(cmd: commands.WijzigWerkingsgebied, uow: ToeleidingUnitOfWork) -> Organisator:
    async with uow:
        organisator = await uow.organisatoren.get(cmd.organisator_id, for_update=True)
        if organisator is None:
            raise NietGevonden("No such organiser.", rule="organisator-onbekend")
        organisator.wijzig_werkingsgebied(cmd.gemeenten)
        await _geen_gedeelde_gemeenten(uow, organisator)
        await uow.organisatoren.save(organisator)
        uow.emit(
            WerkingsgebiedGewijzigd(
                organisator_id=organisator.id,
                gemeenten=tuple(Gemeente(nis_code=n, naam=g) for n, g in sorted(organisator.gemeenten.items())),
            ),
            aggregate_version=organisator.version,
        )
        await uow.commit()
    return organisator


async def _vergrendel_samenwerkingsverband(uow: ToeleidingUnitOfWork, samenwerkingsverband: str) -> None:
    # Serialise tariff changes within one samenwerkingsverband: two concurrent ones on two
    # of its organisers must not both pass the check.
    await uow.session.execute(
        text("SELECT pg_advisory_xact_lock(hashtext('toeleiding:samenwerkingsverband:' || :naam))"),
        {"naam": samenwerkingsverband},
    )


def _alle(organisator_id: uuid.UUID) -> bool:
    return True


async def leg_tarief_vast(
    cmd: commands.LegTariefVast, uow: ToeleidingUnitOfWork, toegelaten_tarieven: tuple[int, ...],
    ziet: Callable[[uuid.UUID], bool] = _alle,
) -> Organisator:
    """A-18: one tariff across a samenwerkingsverband (C-2). A tariff for one organiser that
    would differ from another's in it is refused; ``voor_samenwerkingsverband`` lays it down
    for all of them at once (each must be visible to the caller: ``ziet``)."""
    async with uow:
        organisator = await uow.organisatoren.get(cmd.organisator_id, for_update=True)
        if organisator is None:
            raise NietGevonden("No such organiser.", rule="organisator-onbekend")
        await _vergrendel_samenwerkingsverband(uow, organisator.samenwerkingsverband)
        leden = await uow.organisatoren.in_samenwerkingsverband(organisator.samenwerkingsverband, for_update=True)
        andere = [o for o in leden if o.id != organisator.id]
        te_wijzigen = [organisator]
        if cmd.voor_samenwerkingsverband:
            if not all(ziet(o.id) for o in andere):
                raise GeenToegang(
                    "The samenwerkingsverband has organisers outside the caller's scope.",
                    rule="samenwerkingsverband-buiten-bereik",
                )
            te_wijzigen += [o for o in andere if (cmd.geldig_vanaf, cmd.prijs_cent) not in o.tarieven]
        for o in te_wijzigen:
            o.leg_tarief_vast(cmd.prijs_cent, cmd.geldig_vanaf, toegelaten_tarieven)
        organisator.controleer_zelfde_tarief(andere, vanaf=cmd.geldig_vanaf)
        for o in te_wijzigen:
            await uow.organisatoren.save(o)
            uow.emit(
                TariefVastgelegd(organisator_id=o.id, prijs_cent=cmd.prijs_cent, geldig_vanaf=cmd.geldig_vanaf),
                aggregate_version=o.version,
            )
        await uow.commit()
    return organisator
