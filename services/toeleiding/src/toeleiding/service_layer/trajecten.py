"""Handlers for referrals and trajectories."""

from __future__ import annotations

import uuid
from datetime import date

from toeleiding.domain.traject import DuurRegels, EindeBron, EindeReden, Schorsing, ToeleiderType, Traject
from toeleiding.service_layer import commands
from toeleiding.service_layer.uow import ToeleidingUnitOfWork
from wijkwerk.events.toeleiding import (
    OvereenkomstGetekend,
    ToeleidingOntvangen,
    TrajectBeeindigd,
    TrajectGeschorst,
    TrajectGestart,
    TrajectVerlengd,
    UitkeringsstatusGewijzigd,
)
from wijkwerk.fouten import BestaatAl, NietGevonden, OngeldigeInvoer


async def ontvang_toeleiding(
    cmd: commands.OntvangToeleiding, uow: ToeleidingUnitOfWork, regels: DuurRegels
) -> Traject:
    async with uow:
        wijkwerker = await uow.wijkwerkers.get(cmd.wijkwerker_id, for_update=True)
        if wijkwerker is None:
            raise NietGevonden("No such dossier.", rule="wijkwerker-onbekend")
        organisator = await uow.organisatoren.get(cmd.organisator_id)
        if organisator is None:
            raise NietGevonden("No such organiser.", rule="organisator-onbekend")
        if not organisator.bedient(wijkwerker.domicilie_nis_code):
            raise OngeldigeInvoer("The worker's domicile is outside the organiser's area.", rule="buiten-werkingsgebied")
        eerdere = await uow.trajecten.van_wijkwerker(wijkwerker.id)
        for t in eerdere:
            einde = t.laatste_dag()
            if einde is None or einde >= cmd.start:
                raise BestaatAl("The worker already has a trajectory on that date.", rule="traject-loopt-al")
        traject = Traject.start_na_toeleiding(
            wijkwerker_id=wijkwerker.id,
            organisator_id=organisator.id,
            toeleider_type=ToeleiderType(cmd.toeleider_type),
            advies_maanden=cmd.advies_maanden,
            start=cmd.start,
            onbeperkt_recht=wijkwerker.onbeperkt_recht,
            regels=regels,
            ex_pwa=wijkwerker.ex_pwa,
        )
        hertoeleiding = bool(eerdere)
        await uow.trajecten.add(traject, ontvangen_op=cmd.ontvangen_op, toeleider_org=cmd.toeleider_org, hertoeleiding=hertoeleiding)
        uow.emit(
            ToeleidingOntvangen(
                toeleiding_id=traject.toeleiding_id,
                wijkwerker_id=wijkwerker.id,
                organisator_id=organisator.id,
                toeleider_type=traject.toeleider_type.value,
                advies_maanden=traject.advies_maanden,
                ontvangen_op=cmd.ontvangen_op,
                uitkeringsstatus=wijkwerker.uitkeringsstatus.value,
                ex_pwa=wijkwerker.ex_pwa,
                onbeperkt_recht=wijkwerker.onbeperkt_recht,
                hertoeleiding=hertoeleiding,
                toeleider_org=cmd.toeleider_org,
            )
        )
        uow.emit(
            TrajectGestart(
                traject_id=traject.id,
                toeleiding_id=traject.toeleiding_id,
                wijkwerker_id=wijkwerker.id,
                organisator_id=organisator.id,
                start=traject.start,
                gepland_einde=traject.gepland_einde,
                max_einde=traject.max_einde,
            ),
            aggregate_version=traject.version,
        )
        await uow.commit()
    return traject


async def _traject(uow: ToeleidingUnitOfWork, traject_id: uuid.UUID) -> Traject:
    traject = await uow.trajecten.get(traject_id, for_update=True)
    if traject is None:
        raise NietGevonden("No such trajectory.", rule="traject-onbekend")
    return traject


async def teken_overeenkomst(cmd: commands.TekenOvereenkomst, uow: ToeleidingUnitOfWork) -> Traject:
    async with uow:
        traject = await _traject(uow, cmd.traject_id)
        traject.teken_overeenkomst(cmd.getekend_op)
        await uow.trajecten.save(traject)
        uow.emit(
            OvereenkomstGetekend(
                traject_id=traject.id,
                wijkwerker_id=traject.wijkwerker_id,
                organisator_id=traject.organisator_id,
                getekend_op=cmd.getekend_op,
            ),
            aggregate_version=traject.version,
        )
        await uow.commit()
    return traject


async def verleng_traject(cmd: commands.VerlengTraject, uow: ToeleidingUnitOfWork) -> Traject:
    async with uow:
        traject = await _traject(uow, cmd.traject_id)
        traject.verleng(cmd.nieuw_einde)
        await uow.trajecten.save(traject)
        uow.emit(
            TrajectVerlengd(
                traject_id=traject.id,
                wijkwerker_id=traject.wijkwerker_id,
                gepland_einde=cmd.nieuw_einde,
                max_einde=traject.max_einde,
            ),
            aggregate_version=traject.version,
        )
        await uow.commit()
    return traject


async def schors_traject(cmd: commands.SchorsTraject, uow: ToeleidingUnitOfWork) -> Traject:
    async with uow:
        traject = await _traject(uow, cmd.traject_id)
        traject.schors(Schorsing(cmd.van, cmd.tot, cmd.reden, cmd.verlengt_einde, cmd.nieuw_einde))
        await uow.trajecten.save(traject)
        uow.emit(
            TrajectGeschorst(
                traject_id=traject.id,
                wijkwerker_id=traject.wijkwerker_id,
                van=cmd.van,
                tot=cmd.tot,
                reden=cmd.reden,
                gepland_einde=traject.gepland_einde,
                max_einde=traject.max_einde,
            ),
            aggregate_version=traject.version,
        )
        await uow.commit()
    return traject


async def beeindig_traject(cmd: commands.BeeindigTraject, uow: ToeleidingUnitOfWork) -> Traject:
    async with uow:
        traject = await _traject(uow, cmd.traject_id)
        await beeindig(uow, traject, cmd.einde, EindeReden(cmd.reden), cmd.vervolg)
        await uow.commit()
    return traject


async def beeindig(
    uow: ToeleidingUnitOfWork, traject: Traject, einde: date, reden: EindeReden, vervolg: str | None,
    bron: EindeBron = EindeBron.BEEINDIGING,
) -> bool:
    """Ends (or re-ends, by a higher-ranked source) the trajectory; False: nothing changed."""
    if not traject.beeindig(einde, reden, vervolg, bron):
        return False
    await uow.trajecten.save(traject)
    uow.emit(
        TrajectBeeindigd(
            traject_id=traject.id,
            wijkwerker_id=traject.wijkwerker_id,
            organisator_id=traject.organisator_id,
            einde=einde,
            reden=reden.value,
            vervolg=vervolg,
        ),
        aggregate_version=traject.version,
    )
    return True


async def sluit_verlopen_trajecten(uow: ToeleidingUnitOfWork, vandaag: date, limit: int = 500) -> int:
    """Trajectories whose planned end has passed end on that date (A-08): the advised end,
    or the 12-month maximum when the advice ran to it. This end is the job's
    (EindeBron.AUTOMATISCH): it follows from the planned end only, so an explicit end, an
    evaluation's end or a prolongation arriving later still apply, and the final state
    does not depend on when the job fired."""
    async with uow:
        verlopen = await uow.trajecten.open_tot(vandaag, limit)
        for traject in verlopen:
            assert traject.gepland_einde is not None
            reden = EindeReden.MAX_DUUR_BEREIKT if traject.gepland_einde == traject.max_einde else EindeReden.EINDE_ADVIES
            await beeindig(uow, traject, traject.gepland_einde, reden, None, EindeBron.AUTOMATISCH)
        await uow.commit()
    return len(verlopen)


async def wijzig_uitkeringsstatus(cmd: commands.WijzigUitkeringsstatus, uow: ToeleidingUnitOfWork) -> None:
    async with uow:
        wijkwerker = await uow.wijkwerkers.get(cmd.wijkwerker_id, for_update=True)
        if wijkwerker is None:
            raise NietGevonden("No such dossier.", rule="wijkwerker-onbekend")
        await uow.trajecten.registreer_uitkeringsstatus(wijkwerker.id, cmd.uitkeringsstatus.value, cmd.vanaf)
        await uow.wijkwerkers.zet_uitkeringsstatus(wijkwerker.id, cmd.uitkeringsstatus.value)
        uow.emit(
            UitkeringsstatusGewijzigd(
                wijkwerker_id=wijkwerker.id, uitkeringsstatus=cmd.uitkeringsstatus.value, vanaf=cmd.vanaf
            )
        )
        await uow.commit()

