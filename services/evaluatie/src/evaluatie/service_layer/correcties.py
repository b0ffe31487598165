"""Correct an evaluation or an outflow measurement: the first correction keeps the
registered version, each correction adds one; the current row is the version with the
latest correction date, so the result does not depend on the order of arrival."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from evaluatie.domain.correctie import EvaluatieStand, MetingStand, corrigeer_evaluatie, corrigeer_meting
from evaluatie.domain.evaluatie import TrajectVenster, Uitkomst
from evaluatie.service_layer.uow import EvaluatieUnitOfWork
from wijkwerk.events.evaluatie import EvaluatieGecorrigeerd, UitstroommetingGecorrigeerd
from wijkwerk.fouten import NietGevonden


@dataclass(frozen=True)
class Corrigeer:
    soort: str  # evaluatie, uitstroommeting
    doel_id: uuid.UUID
    gecorrigeerd_op: date
    reden: str
    door: str | None
    nieuw: dict[str, Any] = field(default_factory=dict)  # only the fields that change


def _evaluatie_stand(r: Any) -> EvaluatieStand:
    return EvaluatieStand(r.datum, Uitkomst(r.uitkomst), r.vervolg, r.opmerkingen, r.evaluator_organisatie)


def _meting_stand(r: Any) -> MetingStand:
    return MetingStand(r.horizon_maanden, r.gemeten_op, tuple(r.categorieen), tuple(r.subcategorieen))


async def corrigeer(cmd: Corrigeer, uow: EvaluatieUnitOfWork) -> uuid.UUID:
    async with uow:
        rij = await uow.correcties.rij(cmd.soort, cmd.doel_id, for_update=True)
        if rij is None:
            raise NietGevonden(f"No such {cmd.soort}.", rule=f"{cmd.soort}-onbekend")
        traject = await uow.trajecten.get(rij.traject_id)
        assert traject is not None
        if cmd.soort == "evaluatie":
            oud_e = _evaluatie_stand(rij)
            venster = TrajectVenster(traject.start, traject.werkelijk_einde or traject.gepland_einde)
            stand: EvaluatieStand | MetingStand = corrigeer_evaluatie(oud_e, venster, cmd.gecorrigeerd_op, **cmd.nieuw)
            oud: EvaluatieStand | MetingStand = oud_e
            geregistreerd = oud_e.datum
        else:
            oud_m = _meting_stand(rij)
            stand = corrigeer_meting(oud_m, traject.werkelijk_einde or traject.gepland_einde, cmd.gecorrigeerd_op, **cmd.nieuw)
            oud, geregistreerd = oud_m, oud_m.gemeten_op
        if await uow.correcties.aantal(cmd.doel_id) == 0:
            await uow.correcties.bewaar(cmd.soort, cmd.doel_id, geregistreerd, oud.waarden(), "registratie", None)
        await uow.correcties.bewaar(cmd.soort, cmd.doel_id, cmd.gecorrigeerd_op, stand.waarden(), cmd.reden, cmd.door)
        geldend_waarden = await uow.correcties.geldend(cmd.doel_id)
        if cmd.soort == "evaluatie":
            geldend = EvaluatieStand.uit(geldend_waarden)
            await uow.correcties.zet(cmd.soort, cmd.doel_id, {**geldend.__dict__, "uitkomst": geldend.uitkomst.value})
            uow.emit(EvaluatieGecorrigeerd(
                evaluatie_id=rij.id, wijkwerker_id=rij.wijkwerker_id, traject_id=rij.traject_id,
                organisator_id=rij.organisator_id, datum=geldend.datum, uitkomst=geldend.uitkomst.value,
                vervolg=geldend.vervolg, evaluator_organisatie=geldend.evaluator_organisatie,
                gecorrigeerd_op=cmd.gecorrigeerd_op))
        else:
            m = MetingStand.uit(geldend_waarden)
            await uow.correcties.zet(cmd.soort, cmd.doel_id, {
                "gemeten_op": m.gemeten_op, "categorieen": list(m.categorieen), "subcategorieen": list(m.subcategorieen)})
            uow.emit(UitstroommetingGecorrigeerd(
                meting_id=rij.id, wijkwerker_id=rij.wijkwerker_id, traject_id=rij.traject_id,
                organisator_id=rij.organisator_id, horizon_maanden=m.horizon_maanden, gemeten_op=m.gemeten_op,
                categorieen=m.categorieen, subcategorieen=m.subcategorieen, gecorrigeerd_op=cmd.gecorrigeerd_op))
        await uow.commit()
    return cmd.doel_id
