"""Handlers for wijk-werker dossiers: enrolment (one dossier per INSZ)."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from toeleiding.domain.wijkwerker import Wijkwerker
from toeleiding.service_layer import commands
from toeleiding.service_layer.uow import ToeleidingUnitOfWork
from wijkwerk.events.toeleiding import (
    WijkwerkerIngeschreven,
)
from wijkwerk.fouten import BestaatAl, NietGevonden


class InszBestaatAl(BestaatAl):
    """A dossier with this INSZ exists: which one, for the route to decide who may learn it."""

    rule = "insz-bestaat-al"

    def __init__(self, bestaand: Wijkwerker) -> None:
        super().__init__("A dossier with this INSZ already exists.")
        self.wijkwerker_id, self.organisator_id = bestaand.id, bestaand.organisator_id


async def schrijf_wijkwerker_in(cmd: commands.SchrijfWijkwerkerIn, uow: ToeleidingUnitOfWork,
                                vingerafdruk_sleutel: bytes | None = None) -> Wijkwerker:
    async with uow:
        organisator = await uow.organisatoren.get(cmd.organisator_id)
        if organisator is None:
            raise NietGevonden("No such organiser.", rule="organisator-onbekend")
        wijkwerker = Wijkwerker.schrijf_in(
            insz=cmd.insz,
            voornaam=cmd.voornaam,
            achternaam=cmd.achternaam,
            domicilie_nis_code=cmd.domicilie_nis_code,
            organisator=organisator,
            uitkeringsstatus=cmd.uitkeringsstatus,
            vdab_ingeschreven=cmd.vdab_ingeschreven,
            ex_pwa=cmd.ex_pwa,
            onbeperkt_recht=cmd.onbeperkt_recht,
            iban=cmd.iban,
            ingeschreven_op=cmd.ingeschreven_op,
            adres=cmd.adres,
        )
        if (bestaand := await uow.wijkwerkers.met_insz(wijkwerker.insz)) is not None:
            raise InszBestaatAl(bestaand)
        try:
            await uow.wijkwerkers.add(wijkwerker)
        except IntegrityError as exc:  # a concurrent registration of the same INSZ won
            await uow.rollback()
            bestaand = await uow.wijkwerkers.met_insz(wijkwerker.insz)
            if bestaand is None:
                raise
            raise InszBestaatAl(bestaand) from exc
        uow.emit(
            WijkwerkerIngeschreven(
                wijkwerker_id=wijkwerker.id,
                organisator_id=wijkwerker.organisator_id,
                domicilie_nis_code=wijkwerker.domicilie_nis_code,
                uitkeringsstatus=wijkwerker.uitkeringsstatus.value,
                ex_pwa=wijkwerker.ex_pwa,
                onbeperkt_recht=wijkwerker.onbeperkt_recht,
                ingeschreven_op=wijkwerker.ingeschreven_op,
                **wijkwerker.vingerafdrukken(vingerafdruk_sleutel),
            ),
            aggregate_version=wijkwerker.version,
        )
        await uow.commit()
    return wijkwerker
