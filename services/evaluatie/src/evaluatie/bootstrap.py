"""Wires settings, routes and consumers into the evaluatie app."""

from datetime import date
from typing import cast

from fastapi import FastAPI

from evaluatie.config import Settings
from evaluatie.entrypoints import dashboard
from evaluatie.entrypoints.dashboard import tellers as dashboard_tellers
from evaluatie.entrypoints.mijn import router as mijn_router
from evaluatie.entrypoints.routes import (
    abonnementen,
    bemiddelaars,
    evaluaties,
    getuigschriften,
    maandrapporten,
    nazorg,
    opvolging,
    overzicht,
    rapporten,
)
from evaluatie.service_layer import signalen
from evaluatie.service_layer.bezorging import bezorg_tot_leeg, ruim_op
from evaluatie.service_layer.consumenten import rapportering, webhooks
from evaluatie.service_layer.uow import EvaluatieUnitOfWork
from wijkwerk.events import topics
from wijkwerk.http.app import Periodic, Runtime, create_service_app, make_consumer


def consumers(runtime: Runtime):
    alle = [topics.TOELEIDING, topics.PRESTATIES, topics.CHEQUES]
    # Outbound webhooks have their own group (ADR 0018): a subscriber's events never hold
    # back the reports, and it starts at the topics' start without the archives (no
    # subscription exists before it does, so it has nothing to deliver from the past).
    return [make_consumer(runtime, "rapportering", alle, rapportering.HANDLERS,
                          unit_of_work=EvaluatieUnitOfWork),
            make_consumer(runtime, "webhooks", [*alle, topics.EVALUATIE], webhooks.HANDLERS,
                          unit_of_work=EvaluatieUnitOfWork)]


async def signaleer_vervaldagen(runtime: Runtime) -> int:
    # the business date is today's calendar date, as toeleiding's job takes it; each fact
    # carries its own date, so when this runs changes nothing (service_layer.signalen)
    settings = cast(Settings, runtime.settings)
    return await signalen.signaleer_vervaldagen(EvaluatieUnitOfWork(runtime.sessions), date.today(),
                                               settings.signalen_terugkijk_dagen, settings.cheque_waarschuwing_dagen)


def build_app(settings: Settings) -> FastAPI:
    return create_service_app(
        name="evaluatie",
        settings=settings,
        routers=[evaluaties.router, opvolging.router, bemiddelaars.router, rapporten.router, maandrapporten.router, nazorg.router,
                 bemiddelaars.rapport, abonnementen.router, dashboard.router,
                 dashboard_tellers.router, getuigschriften.router, getuigschriften.publiek,
                 overzicht.router, mijn_router],
        consumers=consumers,
        periodic=[Periodic("webhooks-bezorgen", settings.webhook_interval_s,
                           lambda runtime: bezorg_tot_leeg(runtime.sessions, settings.webhook_beleid)),
                  Periodic("webhooks-opruimen", settings.webhook_opruim_interval_s,
                           lambda runtime: ruim_op(runtime.sessions, settings.webhook_bewaar_dagen)),
                  Periodic("signaleer-vervaldagen", settings.signalen_interval_s, signaleer_vervaldagen)],
        title="Wijk-werken — evaluatie",
        description="Evaluations, outflow monitoring, the reports the Flemish parliament asks for, and the ops dashboard.",
    )
