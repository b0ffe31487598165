"""Records the dated facts "evaluation due" and "evaluation overdue" (A-11) and "cheques
expire soon" (A-13) as events.

Each fact has its own date (``datum``), derived from the trajectory's due date, and is
judged on the evaluations dated on or before it. A run for ``vandaag`` looks back
``terugkijk_dagen`` days and records every fact of those days not recorded yet, so a run
that is late, missed or repeated records the same facts with the same dates; a trajectory
that reached evaluatie late still gets the facts of the days looked back on.
"""

from __future__ import annotations

from datetime import date, timedelta

from evaluatie.service_layer.uow import EvaluatieUnitOfWork
from wijkwerk.events.evaluatie import ChequesVervallenBinnenkort, EvaluatieAchterstallig, EvaluatieTeDoen

SOORTEN = {"te_doen": EvaluatieTeDoen, "achterstallig": EvaluatieAchterstallig}


async def signaleer_vervaldagen(uow: EvaluatieUnitOfWork, vandaag: date, terugkijk_dagen: int = 7,
                               cheque_waarschuwing_dagen: int = 30) -> int:
    """The number of facts recorded; one transaction per day."""
    nieuw = 0
    for n in range(terugkijk_dagen, -1, -1):
        dag = vandaag - timedelta(days=n)
        async with uow:
            for r in await uow.signalen.op_dag(dag):
                if await uow.signalen.leg_vast(r.traject_id, r.vervaldag, r.soort, dag):
                    uow.emit(SOORTEN[r.soort](traject_id=r.traject_id, wijkwerker_id=r.wijkwerker_id,
                                              organisator_id=r.organisator_id, vervaldag=r.vervaldag, datum=dag,
                                              laatste_evaluatie=r.laatste))
                    nieuw += 1
            for r in await uow.signalen.cheques_op_dag(dag, cheque_waarschuwing_dagen):
                if await uow.signalen.leg_cheques_vast(r.organisator_id, r.geldig_tot, dag, len(r.serienummers)):
                    uow.emit(ChequesVervallenBinnenkort(organisator_id=r.organisator_id, geldig_tot=r.geldig_tot,
                                                        datum=dag, aantal=len(r.serienummers),
                                                        serienummers=tuple(r.serienummers)))
                    nieuw += 1
            await uow.commit()
    return nieuw
