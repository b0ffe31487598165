"""Commands of evaluatie: record an evaluation, an outflow measurement, the bemiddelaar
FTE of an organiser."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError

from evaluatie.domain.bemiddelaars import controleer_inzet
from evaluatie.domain.evaluatie import TrajectVenster, Uitkomst, controleer_evaluatie
from evaluatie.domain.uitstroom import controleer_meting
from evaluatie.service_layer.uow import EvaluatieUnitOfWork
from wijkwerk.events.evaluatie import EvaluatieUitgevoerd, UitstroomGemeten
from wijkwerk.fouten import BestaatAl, NogOnbekend


@dataclass(frozen=True)
class RegistreerEvaluatie:
    traject_id: uuid.UUID
    datum: date
    uitkomst: Uitkomst
    vervolg: str | None
    opmerkingen: str | None
    evaluator_organisatie: str | None
    einde: date | None = None


@dataclass(frozen=True)
class RegistreerUitstroom:
    traject_id: uuid.UUID
    horizon_maanden: int
    gemeten_op: date
    categorieen: tuple[str, ...]
    subcategorieen: tuple[str, ...]


@dataclass(frozen=True)
class LegBemiddelaarsinzetVast:
    organisator_id: uuid.UUID
    geldig_vanaf: date
    fte: Decimal
    inwoners: int | None
    door: str


async def _traject(uow: EvaluatieUnitOfWork, traject_id: uuid.UUID) -> Any:
    traject = await uow.trajecten.get(traject_id)
    if traject is None:
        raise NogOnbekend("This trajectory is not known here yet.", rule="traject-nog-onbekend")
    return traject


async def registreer_evaluatie(cmd: RegistreerEvaluatie, uow: EvaluatieUnitOfWork) -> uuid.UUID:
    async with uow:
        t = await _traject(uow, cmd.traject_id)
        venster = TrajectVenster(t.start, t.werkelijk_einde or t.gepland_einde)
        controleer_evaluatie(venster, cmd.datum, cmd.uitkomst, cmd.vervolg, cmd.einde)
        evaluatie_id = uuid.uuid4()
        await uow.trajecten.bewaar_evaluatie(
            id=evaluatie_id, traject_id=t.traject_id, wijkwerker_id=t.wijkwerker_id, organisator_id=t.organisator_id,
            datum=cmd.datum, uitkomst=cmd.uitkomst.value, vervolg=cmd.vervolg, opmerkingen=cmd.opmerkingen,
            evaluator_organisatie=cmd.evaluator_organisatie, einde=cmd.einde,
        )
        # Remarks are free text: they stay here and never travel in an event.
        uow.emit(
            EvaluatieUitgevoerd(
                evaluatie_id=evaluatie_id, wijkwerker_id=t.wijkwerker_id, traject_id=t.traject_id,
                organisator_id=t.organisator_id, datum=cmd.datum, uitkomst=cmd.uitkomst.value,
                vervolg=cmd.vervolg, evaluator_organisatie=cmd.evaluator_organisatie, einde=cmd.einde,
            )
        )
        await uow.commit()
    return evaluatie_id


async def registreer_uitstroom(cmd: RegistreerUitstroom, uow: EvaluatieUnitOfWork) -> uuid.UUID:
    async with uow:
        t = await _traject(uow, cmd.traject_id)
        # the actual end, else the planned end (written or not yet by toeleiding's job)
        controleer_meting(t.werkelijk_einde or t.gepland_einde, cmd.horizon_maanden, cmd.gemeten_op, list(cmd.categorieen), list(cmd.subcategorieen))
        if await uow.trajecten.meting_bestaat(t.traject_id, cmd.horizon_maanden):
            raise BestaatAl("This horizon was already measured.", rule="meting-bestaat-al")
        meting_id = uuid.uuid4()
        try:
            await uow.trajecten.bewaar_meting(
                id=meting_id, traject_id=t.traject_id, wijkwerker_id=t.wijkwerker_id, organisator_id=t.organisator_id,
                horizon_maanden=cmd.horizon_maanden, gemeten_op=cmd.gemeten_op,
                categorieen=list(cmd.categorieen), subcategorieen=list(cmd.subcategorieen),
            )
        except IntegrityError as exc:  # a concurrent measurement of the same horizon won
            raise BestaatAl("This horizon was already measured.", rule="meting-bestaat-al") from exc
        uow.emit(
            UitstroomGemeten(
                meting_id=meting_id, wijkwerker_id=t.wijkwerker_id, traject_id=t.traject_id,
                organisator_id=t.organisator_id, horizon_maanden=cmd.horizon_maanden, gemeten_op=cmd.gemeten_op,
                categorieen=cmd.categorieen, subcategorieen=cmd.subcategorieen,
            )
        )
        await uow.commit()
    return meting_id


async def leg_bemiddelaarsinzet_vast(cmd: LegBemiddelaarsinzetVast, uow: EvaluatieUnitOfWork) -> list[dict[str, Any]]:
    """PR-23: the FTE VDAB makes available to an organiser from a date on (and the
    inhabitants it allocated them for). Recording the same date again corrects it. No event:
    nothing else consumes it yet, and evaluatie is where it is reported (RPT-24)."""
    controleer_inzet(cmd.fte, cmd.inwoners)
    async with uow:
        if not await uow.bemiddelaars.organisator_bekend(cmd.organisator_id):
            raise NogOnbekend("This organiser is not known here yet.", rule="organisator-nog-onbekend")
        await uow.bemiddelaars.leg_vast(cmd.organisator_id, cmd.geldig_vanaf, cmd.fte, cmd.inwoners, cmd.door)
        await uow.commit()
        return await uow.bemiddelaars.historiek(cmd.organisator_id)
