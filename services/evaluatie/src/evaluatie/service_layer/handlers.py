"""Commands of evaluatie: record an evaluation, record an outflow measurement."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError

from evaluatie.domain.evaluatie import TrajectVenster, Uitkomst, controleer_evaluatie
from evaluatie.domain.fouten import BestaatAl, NietGevonden
from evaluatie.domain.uitstroom import controleer_meting
from evaluatie.service_layer.uow import EvaluatieUnitOfWork
from wijkwerk.events.evaluatie import EvaluatieUitgevoerd, UitstroomGemeten


@dataclass(frozen=True)
class RegistreerEvaluatie:
    traject_id: uuid.UUID
    datum: date
    uitkomst: Uitkomst
    vervolg: str | None
    opmerkingen: str | None
    evaluator_organisatie: str | None


@dataclass(frozen=True)
class RegistreerUitstroom:
    traject_id: uuid.UUID
    horizon_maanden: int
    gemeten_op: date
    categorieen: tuple[str, ...]
    subcategorieen: tuple[str, ...]


async def _traject(uow: EvaluatieUnitOfWork, traject_id: uuid.UUID):
    traject = await uow.trajecten.get(traject_id)
    if traject is None:
        raise NietGevonden("This trajectory is not known here (yet).", rule="traject-onbekend")
    return traject


async def registreer_evaluatie(cmd: RegistreerEvaluatie, uow: EvaluatieUnitOfWork) -> uuid.UUID:
    async with uow:
        t = await _traject(uow, cmd.traject_id)
        venster = TrajectVenster(t.start, t.werkelijk_einde or t.gepland_einde)
        controleer_evaluatie(venster, cmd.datum, cmd.uitkomst, cmd.vervolg)
        evaluatie_id = uuid.uuid4()
        await uow.trajecten.bewaar_evaluatie(
            id=evaluatie_id, traject_id=t.traject_id, wijkwerker_id=t.wijkwerker_id, organisator_id=t.organisator_id,
            datum=cmd.datum, uitkomst=cmd.uitkomst.value, vervolg=cmd.vervolg, opmerkingen=cmd.opmerkingen,
            evaluator_organisatie=cmd.evaluator_organisatie,
        )
        # Remarks are free text: they stay here and never travel in an event.
        uow.emit(
            EvaluatieUitgevoerd(
                evaluatie_id=evaluatie_id, wijkwerker_id=t.wijkwerker_id, traject_id=t.traject_id,
                organisator_id=t.organisator_id, datum=cmd.datum, uitkomst=cmd.uitkomst.value,
                vervolg=cmd.vervolg, evaluator_organisatie=cmd.evaluator_organisatie,
            )
        )
        await uow.commit()
    return evaluatie_id


async def registreer_uitstroom(cmd: RegistreerUitstroom, uow: EvaluatieUnitOfWork) -> uuid.UUID:
    async with uow:
        t = await _traject(uow, cmd.traject_id)
        controleer_meting(t.werkelijk_einde, cmd.horizon_maanden, cmd.gemeten_op, list(cmd.categorieen), list(cmd.subcategorieen))
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
